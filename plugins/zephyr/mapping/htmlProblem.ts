/**
 * Zephyr's rich text is HTML, and the store keeps it byte for byte: a broken tag is not repaired (that would be
 * guessing what the author meant; browsers and qTest render it as leniently as Zephyr did), but the report says
 * which record carries it. Only what is broken in any HTML is flagged: an element that needs an end tag and never
 * gets one, and an end tag nothing opened. Elements whose end tag HTML lets one omit (`<p>`, `<li>`, `<td>`, …)
 * and void elements (`<br>`, `<img>`) are never a problem.
 */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
const OPTIONAL_END = new Set(["p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "caption", "rb", "rt", "rp"])
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(\/?)>|<!--[\s\S]*?-->/g

/** What is broken in the HTML (`<b> is never closed`, `</div> closes nothing`), or undefined when nothing is. */
export const htmlProblem = (html: string | null | undefined): string | undefined => {
  if (html == null || !html.includes("<")) return undefined
  const open: Array<string> = []
  for (const m of html.matchAll(TAG)) {
    const [, closing, rawName, selfClosing] = m
    if (rawName === undefined) continue // a comment
    const name = rawName.toLowerCase()
    if (VOID.has(name) || selfClosing === "/") continue
    if (closing !== "/") {
      open.push(name)
      continue
    }
    const at = open.lastIndexOf(name)
    if (at < 0) return `</${name}> closes nothing`
    // what is still open inside it must have been allowed to end implicitly
    const unclosed = open.slice(at + 1).find((inner) => !OPTIONAL_END.has(inner))
    if (unclosed !== undefined) return `<${unclosed}> is never closed`
    open.length = at
  }
  const unclosed = open.find((name) => !OPTIONAL_END.has(name))
  return unclosed === undefined ? undefined : `<${unclosed}> is never closed`
}
