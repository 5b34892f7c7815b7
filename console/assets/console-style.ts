/** The console's style sheet, served as /assets/console.css (no inline styles under the CSP). */
export const CONSOLE_STYLE = `
:root { color-scheme: light dark; --line: #8884; --muted: #777; --bad: #c0392b; --ok: #1e8449; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; }
header { display: flex; gap: 1.5em; align-items: baseline; padding: .8em 1.5em; border-bottom: 1px solid var(--line); }
header strong { font-size: 1.1em; }
nav a { margin-right: 1em; }
main { padding: 1em 1.5em 3em; }
footer { padding: 1em 1.5em; color: var(--muted); border-top: 1px solid var(--line); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1.5em; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.stage { white-space: nowrap; }
.duration, .muted { color: var(--muted); }
.failed { color: var(--bad); }
.ok { color: var(--ok); }
code { font-size: 12px; }
form.inline { display: inline; }
form.search { display: flex; gap: .5em; margin: .5em 0; }
form.search input { flex: 1; max-width: 40em; padding: 4px 6px; }
label { display: block; margin: .4em 0 .1em; }
fieldset { border: 1px solid var(--line); margin: 1em 0; max-width: 40em; }
button { padding: 3px 10px; cursor: pointer; }
pre { white-space: pre-wrap; word-break: break-word; max-width: 60em; background: #8881; padding: .5em; }
blockquote { font-size: 1.2em; margin: .5em 0; padding: .5em 1em; border-left: 4px solid var(--line); }
iframe.email { width: 100%; max-width: 50em; height: 32em; border: 1px solid var(--line); background: #fff; }
.notice { padding: .5em 1em; border: 1px solid var(--line); background: #8882; margin: .5em 0; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: 600; }
dd { margin: 0; }
`;
