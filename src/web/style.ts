/** The one stylesheet (/app/app.css): no inline style, so the CSP can forbid it. Light
 * and dark follow the system; the layout is one column on a phone, two on a laptop. */
export const CSS = `
:root { color-scheme: light dark; --bg: #fbfaf8; --fg: #1d1f23; --muted: #5b616b; --line: #dcdad6; --card: #ffffff; --accent: #1f5fbf; --accent-fg: #ffffff; --danger: #b3261e; --danger-fg: #ffffff; --ok: #1e7a3c; }
@media (prefers-color-scheme: dark) { :root { --bg: #16181c; --fg: #e9e7e3; --muted: #a4a9b2; --line: #33373e; --card: #1e2126; --accent: #7eb0ff; --accent-fg: #0d1726; --danger: #ff8a80; --danger-fg: #2b0a08; --ok: #7fd69b; } }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: var(--card); padding: .25rem .5rem; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
header.top .brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; color: var(--fg); margin-right: auto; }
header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; }
header.top nav a { text-decoration: none; padding: .25rem 0; }
header.top nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
p.lead { color: var(--muted); margin-top: -.5rem; }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: 1rem; margin: 0 0 1rem; }
.narrow { max-width: 28rem; margin: 3rem auto; }
form { margin: 0; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input[type=text], input[type=email], input[type=search], input[type=number], input[type=tel], input[type=date], select, textarea { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--muted); border-radius: .4rem; padding: .5rem .6rem; width: 100%; min-height: 2.75rem; }
textarea { min-height: 5rem; }
button, .button { font: inherit; min-height: 2.75rem; padding: .5rem 1rem; border-radius: .4rem; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-fg); cursor: pointer; text-decoration: none; display: inline-block; }
button.quiet { background: transparent; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); color: var(--danger-fg); }
.row { display: flex; gap: .5rem; flex-wrap: wrap; align-items: end; }
.row > * { flex: 1 1 12rem; }
.row > button, .row > .button { flex: 0 0 auto; }
.inline { display: inline; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; margin-top: .5rem; }
ul.people, ul.plain { list-style: none; padding: 0; margin: 0; }
ul.people li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
ul.people li:last-child { border-bottom: 0; }
ul.people a { font-weight: 600; font-size: 1.05rem; }
.filters { display: flex; gap: .75rem; flex-wrap: wrap; align-items: center; margin: .5rem 0 1rem; }
.filters label { display: inline-flex; gap: .35rem; align-items: center; font-weight: 400; margin: 0; }
.grid { display: grid; gap: 1rem; grid-template-columns: 1fr; }
@media (min-width: 52rem) { .grid { grid-template-columns: 3fr 2fr; } }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
ol.timeline li { padding: .5rem 0; border-bottom: 1px solid var(--line); }
.tag { display: inline-block; font-size: .8rem; border: 1px solid var(--line); border-radius: 1rem; padding: 0 .5rem; color: var(--muted); }
.notice { border-left: 4px solid var(--ok); padding: .5rem .75rem; background: var(--card); margin: 0 0 1rem; }
.notice.error { border-color: var(--danger); }
code.secret { display: block; overflow-wrap: anywhere; padding: .75rem; background: var(--bg); border: 1px dashed var(--muted); border-radius: .4rem; font-size: 1rem; }
.pager { display: flex; justify-content: space-between; margin-top: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .25rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.button.danger, a.button.danger { background: var(--danger); border-color: var(--danger); color: var(--danger-fg); }
.quiet-link { background: transparent; color: var(--accent); }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
fieldset { border: 0; padding: 0; margin: .5rem 0 0; }
legend { font-weight: 600; padding: 0; }
label.check { display: flex; gap: .4rem; align-items: center; font-weight: 400; }
ul.plain li { padding: .2rem 0; overflow-wrap: anywhere; }
li.row { align-items: center; }
li.row > span { flex: 1 1 10rem; }
code { overflow-wrap: anywhere; }
.card > h2:first-child, .card > form:first-child, .card > h1:first-child { margin-top: 0; }
ul.people.card { padding: 0 1rem; }
.filters input[type=text] { width: 12rem; }
.filters label { white-space: nowrap; }
.actions form.inline { display: inline-flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.actions select { width: auto; }
label.inline { display: inline-flex; gap: .35rem; align-items: center; margin: 0; font-weight: 400; }
li.row > form { flex: 0 0 auto; }
@media (max-width: 30rem) { h1 { font-size: 1.35rem; } main { padding: .75rem; } }
`;
