import { escapeHtml } from "../lib/html";

/** Small, self-contained HTML pages for one-click links. Everything dynamic is escaped. */

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1.25rem;border-radius:.4rem;border:1px solid currentColor;cursor:pointer}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** GET shows this; only the POST it submits acts, so link scanners change nothing. */
export function confirmPage(question: string, button: string): string {
  return page("Kith", `<p>${escapeHtml(question)}</p><form method="post"><button type="submit">${escapeHtml(button)}</button></form>`);
}

export function messagePage(message: string): string {
  return page("Kith", `<p>${escapeHtml(message)}</p>`);
}

/** Several POST buttons, one per choice (e.g. snooze lengths). */
export function choicePage(question: string, field: string, choices: [string, number][]): string {
  const buttons = choices
    .map(([label, value]) => `<form method="post" style="display:inline"><input type="hidden" name="${escapeHtml(field)}" value="${value}"><button type="submit">${escapeHtml(label)}</button></form>`)
    .join(" ");
  return page("Kith", `<p>${escapeHtml(question)}</p><p>${buttons}</p>`);
}
