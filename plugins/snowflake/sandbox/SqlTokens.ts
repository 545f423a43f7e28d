/**
 * A small SQL tokenizer for the Snowflake-protocol sandbox on DuckDB. The translator rewrites words and binds;
 * string literals, quoted identifiers and comments must come out exactly as they went in, so the first job is to
 * know where they are. Snowflake string literals take both `''` and backslash escapes (`'it\'s'`), and `$$…$$`
 * is a string too; DuckDB knows only `''`, so a literal carries its decoded value for re-encoding.
 */

export type Token =
  | { readonly kind: "space"; readonly text: string }
  | { readonly kind: "comment"; readonly text: string }
  /** `value` is the decoded content; `text` the original spelling. */
  | { readonly kind: "string"; readonly text: string; readonly value: string; readonly escaped: boolean }
  /** `"..."`: `name` is the case-sensitive name without quotes. */
  | { readonly kind: "quoted"; readonly text: string; readonly name: string }
  | { readonly kind: "word"; readonly text: string; readonly upper: string }
  | { readonly kind: "number"; readonly text: string }
  /** `?`, `:N`, `$N`. `index` is undefined for `?`. */
  | { readonly kind: "param"; readonly text: string; readonly index: number | undefined }
  | { readonly kind: "punct"; readonly text: string }

const WORD_START = /[A-Za-z_\u0080-\uffff]/
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/
const DIGIT = /[0-9]/
const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0", "\\": "\\", "'": "'", '"': '"' }

export class SqlTokenizeError extends Error {}

export const tokenize = (sql: string): Array<Token> => {
  const out: Array<Token> = []
  let i = 0
  const n = sql.length
  while (i < n) {
    const c = sql[i] as string
    const start = i
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i] as string)) i++
      out.push({ kind: "space", text: sql.slice(start, i) })
    } else if ((c === "-" && sql[i + 1] === "-") || (c === "/" && sql[i + 1] === "/")) {
      while (i < n && sql[i] !== "\n") i++
      out.push({ kind: "comment", text: sql.slice(start, i) })
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2)
      i = end < 0 ? n : end + 2
      out.push({ kind: "comment", text: sql.slice(start, i) })
    } else if (c === "'") {
      let value = ""
      let escaped = false
      i++
      for (;;) {
        if (i >= n) throw new SqlTokenizeError(`unterminated string literal starting at position ${start}`)
        const d = sql[i] as string
        if (d === "'" && sql[i + 1] === "'") {
          value += "'"
          i += 2
        } else if (d === "'") {
          i++
          break
        } else if (d === "\\" && i + 1 < n) {
          const e = sql[i + 1] as string
          value += BACKSLASH_ESCAPES[e] ?? e
          escaped = true
          i += 2
        } else {
          value += d
          i++
        }
      }
      out.push({ kind: "string", text: sql.slice(start, i), value, escaped })
    } else if (c === "$" && sql[i + 1] === "$") {
      const end = sql.indexOf("$$", i + 2)
      if (end < 0) throw new SqlTokenizeError(`unterminated $$ string starting at position ${start}`)
      i = end + 2
      out.push({ kind: "string", text: sql.slice(start, i), value: sql.slice(start + 2, end), escaped: true })
    } else if (c === '"') {
      let name = ""
      i++
      for (;;) {
        if (i >= n) throw new SqlTokenizeError(`unterminated quoted identifier starting at position ${start}`)
        const d = sql[i] as string
        if (d === '"' && sql[i + 1] === '"') {
          name += '"'
          i += 2
        } else if (d === '"') {
          i++
          break
        } else {
          name += d
          i++
        }
      }
      out.push({ kind: "quoted", text: sql.slice(start, i), name })
    } else if (c === "?") {
      i++
      out.push({ kind: "param", text: "?", index: undefined })
    } else if ((c === ":" || c === "$") && DIGIT.test(sql[i + 1] ?? "") && sql[i - 1] !== ":") {
      i++
      while (i < n && DIGIT.test(sql[i] as string)) i++
      out.push({ kind: "param", text: sql.slice(start, i), index: Number(sql.slice(start + 1, i)) })
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i] as string)) i++
      const text = sql.slice(start, i)
      out.push({ kind: "word", text, upper: text.toUpperCase() })
    } else if (DIGIT.test(c) || (c === "." && DIGIT.test(sql[i + 1] ?? ""))) {
      while (i < n && /[0-9.eE]/.test(sql[i] as string)) {
        if ((sql[i] === "e" || sql[i] === "E") && (sql[i + 1] === "-" || sql[i + 1] === "+")) i++
        i++
      }
      out.push({ kind: "number", text: sql.slice(start, i) })
    } else if (c === ":" && sql[i + 1] === ":") {
      i += 2
      out.push({ kind: "punct", text: "::" })
    } else {
      i++
      out.push({ kind: "punct", text: c })
    }
  }
  return out
}

/** Whitespace and comments carry no meaning for the rewrites. */
export const isSignificant = (t: Token): boolean => t.kind !== "space" && t.kind !== "comment"

/** A DuckDB string literal for a value: only `'` needs doubling, DuckDB takes backslashes literally. */
export const duckDbString = (value: string): string => `'${value.replaceAll("'", "''")}'`

/** A Snowflake identifier as it names an object: unquoted words are upper-cased, quoted ones kept as written. */
export const identifierName = (t: Token): string | undefined => (t.kind === "word" ? t.upper : t.kind === "quoted" ? t.name : undefined)

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`
