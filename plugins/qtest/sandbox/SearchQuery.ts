/**
 * The subset of qTest's query language (the UI's "Query Summary", docs/vendors/qtest.md §4.11) the sandbox
 * understands: criteria `<name> <operator> <value>` joined with `and`. Names with spaces are quoted
 * (`'Zephyr Key'`); values are quoted with `'` or `"` (a backslash escapes the quote) or a bare word.
 * Operators: `=`, `!=`, `~` (contains), `!~` (does not contain), `<`, `<=`, `>`, `>=` (dates, numbers) and
 * `is 'empty'` / `is 'not empty'`. Anything else (`or`, parentheses, `in`) is refused with 400 — the sandbox
 * would rather fail loudly than answer a different question.
 */
import { fail } from "./Reply.ts"

export type Operator = "=" | "!=" | "~" | "!~" | "<" | "<=" | ">" | ">=" | "is"

export interface Criterion {
  readonly name: string
  readonly operator: Operator
  readonly value: string
}

type Token = { readonly kind: "quoted" | "word" | "op"; readonly text: string }

const OPERATORS = ["!=", "!~", "<=", ">=", "<>", "=", "~", "<", ">"]

const tokenize = (query: string): Array<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < query.length) {
    const c = query[i] ?? ""
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === "'" || c === '"') {
      let text = ""
      i++
      while (i < query.length && query[i] !== c) {
        if (query[i] === "\\" && i + 1 < query.length) i++
        text += query[i]
        i++
      }
      if (i >= query.length) return fail(400, `Invalid query: unterminated quoted text ${c}${text}`)
      i++
      tokens.push({ kind: "quoted", text })
      continue
    }
    if (c === "(" || c === ")") return fail(400, "Invalid query: parentheses are not supported by the sandbox")
    const op = OPERATORS.find((o) => query.startsWith(o, i))
    if (op !== undefined) {
      tokens.push({ kind: "op", text: op === "<>" ? "!=" : op })
      i += op.length
      continue
    }
    let word = ""
    while (i < query.length && !/\s/.test(query[i] ?? "") && !OPERATORS.some((o) => query.startsWith(o, i)) && query[i] !== "'" && query[i] !== '"') {
      word += query[i]
      i++
    }
    tokens.push({ kind: "word", text: word })
  }
  return tokens
}

export const parseQuery = (query: string | undefined): Array<Criterion> => {
  if (query === undefined || query.trim() === "") return []
  const tokens = tokenize(query)
  const criteria: Array<Criterion> = []
  let i = 0
  while (i < tokens.length) {
    const name = tokens[i]
    const op = tokens[i + 1]
    const value = tokens[i + 2]
    if (name === undefined || name.kind === "op") return fail(400, `Invalid query '${query}': expected a criterion name`)
    let operator: Operator
    if (op?.kind === "op") operator = op.text as Operator
    else if (op?.kind === "word" && op.text.toLowerCase() === "is") operator = "is"
    else return fail(400, `Invalid query '${query}': expected an operator after '${name.text}' (=, !=, ~, !~, <, <=, >, >=, is)`)
    if (value === undefined || value.kind === "op") return fail(400, `Invalid query '${query}': expected a value after '${name.text} ${operator}'`)
    if (operator === "is" && !["empty", "not empty"].includes(value.text.toLowerCase())) return fail(400, `Invalid query '${query}': use is 'empty' or is 'not empty'`)
    criteria.push({ name: name.text, operator, value: value.text })
    i += 3
    const joiner = tokens[i]
    if (joiner === undefined) break
    if (joiner.kind === "word" && joiner.text.toLowerCase() === "and") {
      i++
      continue
    }
    if (joiner.kind === "word" && joiner.text.toLowerCase() === "or") return fail(400, "Invalid query: 'or' is not supported by the sandbox, only 'and'")
    return fail(400, `Invalid query '${query}': expected 'and' before '${joiner.text}'`)
  }
  return criteria
}

const asTime = (s: string): number | undefined => (/^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : undefined)
const asNumber = (s: string): number | undefined => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : undefined)

const compare = (a: string, b: string): number => {
  const ta = asTime(a)
  const tb = asTime(b)
  if (ta !== undefined && tb !== undefined && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb
  const na = asNumber(a)
  const nb = asNumber(b)
  if (na !== undefined && nb !== undefined) return na - nb
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0
}

/** Whether an object whose criterion has these values (a field may match by label or by id) passes it. */
export const matches = (values: ReadonlyArray<string>, c: Criterion): boolean => {
  const wanted = c.value.toLowerCase()
  const present = values.filter((v) => v !== "")
  switch (c.operator) {
    case "=":
      return present.some((v) => v.toLowerCase() === wanted || compare(v, c.value) === 0)
    case "!=":
      return !present.some((v) => v.toLowerCase() === wanted)
    case "~":
      return present.some((v) => v.toLowerCase().includes(wanted))
    case "!~":
      return !present.some((v) => v.toLowerCase().includes(wanted))
    case "<":
      return present.some((v) => compare(v, c.value) < 0)
    case "<=":
      return present.some((v) => compare(v, c.value) <= 0)
    case ">":
      return present.some((v) => compare(v, c.value) > 0)
    case ">=":
      return present.some((v) => compare(v, c.value) >= 0)
    case "is":
      return wanted === "empty" ? present.length === 0 : present.length > 0
  }
}
