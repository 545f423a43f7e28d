/**
 * The parsed YAML of a spec together with the source positions of its nodes, so that any problem found on the
 * plain JS value (by ajv, by a plugin schema, by secret resolution) can be reported at its line and column.
 */
import { Effect } from "effect"
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml"
import type { Document, Node, YAMLError } from "yaml"
import { pointerSegments } from "./jsonPointer.ts"
import type { Position, SpecProblem } from "./SpecProblem.ts"
import { unquotedReferences } from "./unquotedReferences.ts"

export interface SpecDocument {
  /** The document as plain JS (maps → objects, sequences → arrays). */
  readonly value: unknown
  /** Where the value at a JSON pointer starts; the deepest existing ancestor when it does not exist. */
  readonly valueAt: (pointer: string) => Position
  /** Where the key naming the value at a JSON pointer starts (for "unknown key", "missing key"); else `valueAt`. */
  readonly keyAt: (pointer: string) => Position
}

export { pointerOf, pointerSegments } from "./jsonPointer.ts"

const start: Position = { line: 1, col: 1 }

/** Parses spec text; YAML syntax errors come back as problems with their positions. */
export const parseSpecDocument = (text: string): Effect.Effect<SpecDocument, ReadonlyArray<SpecProblem>> =>
  Effect.suspend(() => {
    const lineCounter = new LineCounter()
    const doc = parseDocument(text, { lineCounter, prettyErrors: true })
    if (doc.errors.length > 0) {
      // An unquoted ${…} inside { } or [ ] explains a cascade of tokenizer errors: one line each says so.
      const unquoted = unquotedReferences(text)
      if (unquoted === undefined) {
        const problems = syntaxProblems(doc, (offset) => lineCounter.linePos(offset))
        // A tab-indented line derails the parser for the lines after it: those errors would all be this one.
        const tabs = doc.errors.some((e) => e.code === "TAB_AS_INDENT") ? problems.filter((_, i) => doc.errors[i]?.code === "TAB_AS_INDENT") : problems
        return Effect.fail(tabs)
      }
      return Effect.fail([
        ...unquoted.problems.map((p) => ({ ...p, at: lineCounter.linePos(p.offset) })),
        ...syntaxProblems(unquoted.fixed, (offset) => lineCounter.linePos(unquoted.originalOffset(offset)))
      ])
    }
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: 1000 })
    } catch (cause) {
      // toJS only throws on alias abuse (billion laughs); report it as a YAML problem, not a crash.
      return Effect.fail([
        {
          reason: "Yaml",
          at: start,
          path: "",
          message: `${String(cause instanceof Error ? cause.message : cause)} — the aliases (*name) expand to too many values: write the values out, or use fewer aliases`
        }
      ])
    }
    const position = (offset: number | undefined): Position => (offset === undefined ? start : lineCounter.linePos(offset))
    return Effect.succeed({
      value,
      valueAt: (pointer) => position(walk(doc, pointerSegments(pointer)).value),
      keyAt: (pointer) => {
        const found = walk(doc, pointerSegments(pointer))
        return position(found.key ?? found.value)
      }
    })
  })

/** The parser's errors as problems, each at its position (`at` maps an offset of the parsed text to a position). */
const syntaxProblems = (doc: Document, at: (offset: number) => Position): Array<SpecProblem> =>
  doc.errors.map((error): SpecProblem => {
    const opened = unclosedQuoteStart(doc, error)
    if (opened !== undefined) {
      return { reason: "Yaml", at: at(opened), path: "", message: `${yamlMessage(error, doc)} — the string opened here never ends; close it on the same line` }
    }
    const flow = unclosedFlowStart(doc, error)
    if (flow !== undefined) {
      const [open, close] = flow.map ? ["{", "}"] : ["[", "]"]
      return { reason: "Yaml", at: at(flow.start), path: "", message: `the ${open} opened here is never closed — end it with ${close} on the same line` }
    }
    return { reason: "Yaml", at: at(error.pos[0]), path: "", message: yamlMessage(error, doc) }
  })

/**
 * Like a missing quote, a missing `]` or `}` is noticed on a later line ("must be sufficiently indented and end
 * with a ]"): the flow collection that runs into that point is the one to close.
 */
const unclosedFlowStart = (doc: Document, error: YAMLError): { readonly start: number; readonly map: boolean } | undefined => {
  if (error.code !== "BAD_INDENT" || !/^Flow (sequence|map) in block collection/.test(error.message)) return undefined
  const [errorAt] = error.pos
  let found: { start: number; map: boolean } | undefined
  const consider = (node: { readonly flow?: boolean | undefined; readonly range?: readonly [number, number, number] | null | undefined }, map: boolean) => {
    const range = node.range
    if (node.flow === true && range && range[0] < errorAt && range[2] >= errorAt && (found === undefined || range[0] > found.start)) found = { start: range[0], map }
  }
  visit(doc, { Map: (_, node) => consider(node, true), Seq: (_, node) => consider(node, false) })
  return found
}

/** What to do about the parser's errors whose message says only what is wrong. */
const fixes: Partial<Record<YAMLError["code"], string>> = {
  TAB_AS_INDENT: "indent with spaces",
  MULTILINE_IMPLICIT_KEY: "check this line and the one above for a missing ':' or an unclosed quote"
}

/**
 * `prettyErrors` appends " at line L, column C:" and a source excerpt to the message; the position is already in
 * our `file:line:col` prefix, and a problem is one line.
 */
const yamlMessage = (error: YAMLError, doc: Document): string => {
  if (error.code === "MULTIPLE_DOCS") return "the file holds more than one YAML document (after a --- line) — a spec is one document: remove the --- and what follows, or merge them"
  if (error.code === "DUPLICATE_KEY") {
    const key = keyAtOffset(doc, error.pos[0])
    return `duplicate key${key === undefined ? "" : ` "${key}"`} — a key may appear once per map: remove one, or merge their values`
  }
  const [first = error.message] = error.message.split("\n")
  const message = first.replace(/ at line \d+, column \d+:?$/, "")
  const fix = fixes[error.code]
  return fix === undefined ? message : `${message} — ${fix}`
}

/** The text of the map key that starts at an offset (a duplicate key's error points at it). */
const keyAtOffset = (doc: Document, offset: number): string | undefined => {
  let found: string | undefined
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value)
        return visit.BREAK
      }
      return undefined
    }
  })
  return found
}

/**
 * The parser notices a missing closing quote only where the text ends, often lines below the culprit; the
 * quoted scalar that runs into that point is where the user must look.
 */
const unclosedQuoteStart = (doc: Document, error: YAMLError): number | undefined => {
  if (error.code !== "MISSING_CHAR" || !/quote/i.test(error.message)) return undefined
  const [errorAt] = error.pos
  let found: number | undefined
  visit(doc, {
    Scalar(_, node) {
      const range = node.range
      if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && range && range[0] < errorAt && range[2] >= errorAt) {
        if (found === undefined || range[0] > found) found = range[0]
      }
    }
  })
  return found
}

/** Offsets of the node at the path (or its deepest ancestor) and of the key that names it, if any. */
const walk = (
  doc: Document,
  segments: ReadonlyArray<string>
): { readonly value: number | undefined; readonly key: number | undefined } => {
  let node: unknown = doc.contents
  let value = offsetOf(node)
  let key: number | undefined = undefined
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(doc)
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment)
      if (pair === undefined) return { value, key: undefined }
      key = offsetOf(pair.key)
      // `key:` with nothing after it has a null value without a useful position: point at the key.
      value = offsetOf(pair.value) ?? key
      node = pair.value
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)]
      if (item === undefined) return { value, key: undefined }
      key = undefined
      value = offsetOf(item) ?? value
      node = item
    } else {
      return { value, key: undefined }
    }
  }
  return { value, key }
}

const offsetOf = (node: unknown): number | undefined => {
  const range = (node as Node | null | undefined)?.range
  return range === undefined || range === null ? undefined : range[0]
}
