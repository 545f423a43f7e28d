/**
 * The pieces of the HTML pages migrate writes (report.html, cutover.html): escaping, tables, sections and one
 * inline style sheet. Pages load nothing from anywhere — their Content-Security-Policy forbids it — so they open
 * the same from a CI artifact, an e-mail or a file share.
 */

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Every text from a report is escaped: record names and target messages are other people's text. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

export const n = (x: number): string => x.toLocaleString("en-US")

export type Cell = string | number | { readonly html: string }

const cellHtml = (c: Cell): string => (typeof c === "number" ? n(c) : typeof c === "string" ? escapeHtml(c) : c.html)

export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>, options: { readonly caption?: string; readonly total?: boolean } = {}): string => {
  // a column of figures is right-aligned, its heading too
  const numeric = headers.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => typeof r[i] === "number"))
  const head = `<tr>${headers.map((h, i) => `<th${numeric[i] ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("")}</tr>`
  const body = rows
    .map((r, ri) => {
      const cls = options.total === true && ri === rows.length - 1 ? ' class="total"' : ""
      return `<tr${cls}>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ""}>${cellHtml(c)}</td>`).join("")}</tr>`
    })
    .join("\n")
  return `<table>${options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : ""}<thead>${head}</thead><tbody>${body}</tbody></table>`
}

export const section = (id: string, title: string, body: string): string => `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`

export const none = (text = "None."): string => `<p class="none">${escapeHtml(text)}</p>`


const STYLE = `
:root { color-scheme: light; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --line: #d0d7de; --muted: #57606a; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; } h3 { font-size: 15px; margin: 20px 0 6px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
.status { display: inline-block; font-weight: 600; padding: 4px 10px; border-radius: 12px; color: #fff; margin: 4px 0 12px; }
.status.ok { background: var(--ok); } .status.warn { background: var(--warn); } .status.bad { background: var(--bad); }
span.ok { color: var(--ok); } span.warn { color: var(--warn); } span.bad { color: var(--bad); }
.error { border: 1px solid var(--bad); background: #ffebe9; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
.hint { color: var(--muted); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; } dt { color: var(--muted); } dd { margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card .value { font-size: 22px; font-weight: 600; } .card .label { color: var(--muted); } .card.warn .value { color: var(--warn); }
table { border-collapse: collapse; margin: 6px 0 12px; width: 100%; } caption { text-align: left; color: var(--muted); }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } .num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid var(--line); }
.none { color: var(--muted); } .more { color: var(--muted); }
svg.trend rect.ok { fill: var(--ok); } svg.trend rect.warn { fill: var(--warn); } svg.trend rect.bad { fill: var(--bad); }
svg.trend { border-bottom: 1px solid var(--line); max-width: 100%; height: auto; }
.phase { display: flex; align-items: center; gap: 8px; margin: 4px 0; } .phase-label { width: 180px; } .phase-time { width: 80px; color: var(--muted); }
.phase-bar { display: inline-block; height: 12px; background: #0969da; border-radius: 3px; }
nav a { margin-right: 12px; color: #0969da; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { nav { display: none; } }
`

/** A whole page: `title` in the tab, `body` as given. */
export const page = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`
