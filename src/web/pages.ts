import { escapeHtml } from "../lib/html";

/** Small HTML pages for one-click links, styled by the dashboard's stylesheet (the CSP
 * allows no inline style). Everything dynamic is escaped. */

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/app/app.css">
</head><body><main id="main"><div class="narrow card"><h1>${escapeHtml(title)}</h1>${body}</div></main></body></html>`;
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
    .map(([label, value]) => `<form method="post" class="inline"><input type="hidden" name="${escapeHtml(field)}" value="${value}"><button type="submit">${escapeHtml(label)}</button></form>`)
    .join(" ");
  return page("Kith", `<p>${escapeHtml(question)}</p><p>${buttons}</p>`);
}
