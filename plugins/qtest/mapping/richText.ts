/**
 * Text → the HTML qTest's rich-text fields hold (description, precondition, step description / expected,
 * actual results). Canonical text is HTML already in most Zephyr fields; it is kept as is (never escaped twice).
 * Plain text (no tag, no character reference) is escaped and its line breaks become `<br/>`, leading spaces
 * `&nbsp;` so indented text (BDD scripts) keeps its shape. Then literal `[~` is escaped (escapeParameters.ts).
 */
import { escapeParameters } from "./escapeParameters.ts"

const TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i
const CHARACTER_REFERENCE = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i

/** True when the text contains an HTML tag or character reference (`<p>`, `<br/>`, `&amp;`); `a < b` is plain. */
export const looksLikeHtml = (text: string): boolean => TAG.test(text) || CHARACTER_REFERENCE.test(text)

const escapeHtml = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")

/** Plain multi-line text → HTML: `& < >` escaped, line breaks → `<br/>`, leading spaces and tabs → `&nbsp;`. */
export const plainToHtml = (text: string): string =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const indent = /^[ \t]*/.exec(line)?.[0] ?? ""
      const nbsp = indent.replaceAll("\t", "    ").replaceAll(" ", "&nbsp;")
      return nbsp + escapeHtml(line.slice(indent.length))
    })
    .join("<br/>")

/** Canonical text (HTML or plain, maybe null) → rich-text HTML with parameters escaped; null/empty → "". */
export const richText = (text: string | null | undefined): string => {
  if (text === null || text === undefined || text === "") return ""
  return escapeParameters(looksLikeHtml(text) ? text : plainToHtml(text))
}
