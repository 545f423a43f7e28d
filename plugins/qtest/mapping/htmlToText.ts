/**
 * HTML → plain text, for the fields qTest shows as plain text: test-log notes (automation notes are plain
 * unless `encodeNote=false`) and text-box / text-area custom fields. Line-level structure is kept (`<br>`,
 * block ends → newline, list items → "- "), links keep their target (`text (url)`), character references are
 * decoded. Text without markup is returned as is.
 */
import { looksLikeHtml } from "./richText.ts"

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " }

const decodeReferences = (text: string): string =>
  text.replace(/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[ref.toLowerCase()] ?? whole
  })

export const htmlToText = (html: string): string => {
  if (!looksLikeHtml(html)) return html
  const text = html
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/<a\s[^>]*href\s*=\s*(["'])(.*?)\1[^>]*>(.*?)<\/a>/gis, (_, _q: string, href: string, inner: string) => {
      const label = inner.replace(/<[^>]*>/g, "").trim()
      const url = decodeReferences(href)
      return label === "" || decodeReferences(label) === url ? url : `${label} (${url})`
    })
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "- ")
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|table)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
  return decodeReferences(text)
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
}
