import { escapeHtml } from "../lib/html";

/** The HTML part of Kith's mails: simple enough for Gmail, Outlook and Apple Mail (no
 * tables, no stylesheet, inline styles only, no colours, so that dark mode applies the
 * client's own). Callers hand in escaped fragments; `e` escapes everything dynamic. */

export const e = escapeHtml;
export const P = 'style="margin:0 0 8px"';
export const SMALL = 'style="margin:0 0 4px;font-size:14px"';

export function mailHtml(title: string, heading: string, body: string, footer: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${e(title)}</title></head>
<body style="margin:0;padding:16px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">
<div style="max-width:600px">
<h1 style="font-size:20px;margin:0 0 12px">${e(heading)}</h1>
${body}
${footer.map((f) => `<p style="margin:16px 0 0;font-size:13px">${f}</p>`).join("\n")}
</div>
</body></html>
`;
}

export const link = (href: string, text: string) => `<a href="${e(href)}">${e(text)}</a>`;
