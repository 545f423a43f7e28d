/**
 * Snowflake identifiers. Every identifier the dialect emits is upper-cased and double-quoted: quoting makes a
 * column named like a keyword (`SELECT`, `ORDER`) or holding a `"` legal, and upper-casing first keeps the quoted
 * name equal to what Snowflake would fold an unquoted one to, so users can still write `select name from testcase`.
 */

/** `name` as a quoted Snowflake identifier, taken literally: `a"b` → `"a""b"` (no case change). */
export const quoteIdent = (name: string): string => {
  if (name.length === 0) throw new Error("quoteIdent: an identifier cannot be empty")
  return `"${name.replace(/"/g, '""')}"`
}

/**
 * The Snowflake name of a canonical table or column: the name upper-cased (locale-independent
 * `String.prototype.toUpperCase`), e.g. `TestCase` → `TESTCASE`, `content_hash` → `CONTENT_HASH`.
 */
export const snowflakeName = (name: string): string => name.toUpperCase()

/** `snowflakeName` then `quoteIdent`: `order` → `"ORDER"`. */
export const quoteName = (name: string): string => quoteIdent(snowflakeName(name))
