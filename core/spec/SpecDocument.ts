/**
 * The parsed YAML of a spec together with the source positions of its nodes, so that any problem found on the
 * plain JS value (by ajv, by a plugin schema, by secret resolution) can be reported at its line and column.
 */
import { Effect } from "effect"
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml"
import type { Document, Node, YAMLError } from "yaml"
import type { Position, SpecProblem } from "./SpecProblem.ts"

export interface SpecDocument {
  /** The document as plain JS (maps → objects, sequences → arrays). */
  readonly value: unknown
  /** Where the value at a JSON pointer starts; the deepest existing ancestor when it does not exist. */
  readonly valueAt: (pointer: string) => Position
  /** Where the key naming the value at a JSON pointer starts (for "unknown key", "missing key"); else `valueAt`. */
  readonly keyAt: (pointer: string) => Position
}

/** `/sinks/0/a~1b` → ["sinks", "0", "a/b"] (RFC 6901). */
export const pointerSegments = (pointer: string): ReadonlyArray<string> =>
  pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))

export const pointerOf = (segments: ReadonlyArray<string | number>): string =>
  segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")

const start: Position = { line: 1, col: 1 }

/** Parses spec text; YAML syntax errors come back as problems with their positions. */
export const parseSpecDocument = (text: string): Effect.Effect<SpecDocument, ReadonlyArray<SpecProblem>> =>
  Effect.suspend(() => {
    const lineCounter = new LineCounter()
    const doc = parseDocument(text, { lineCounter, prettyErrors: true })
    if (doc.errors.length > 0) {
      return Effect.fail(
        doc.errors.map((error): SpecProblem => {
          const opened = unclosedQuoteStart(doc, error)
          if (opened !== undefined) {
            return {
              reason: "Yaml",
              at: lineCounter.linePos(opened),
              path: "",
              message: `${yamlMessage(error.message)} — the string opened here never ends; close it on the same line`
            }
          }
          const [pos] = error.linePos ?? []
          return { reason: "Yaml", at: pos ?? start, path: "", message: yamlMessage(error.message) }
        })
      )
    }
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: 1000 })
    } catch (cause) {
      // toJS only throws on alias abuse (billion laughs); report it as a YAML problem, not a crash.
      return Effect.fail([{ reason: "Yaml", at: start, path: "", message: String(cause instanceof Error ? cause.message : cause) }])
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

/**
 * `prettyErrors` appends " at line L, column C:" and a source excerpt to the message; the position is already in
 * our `file:line:col` prefix, and a problem is one line.
 */
const yamlMessage = (message: string): string => {
  const [first = message] = message.split("\n")
  return first.replace(/ at line \d+, column \d+:?$/, "")
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
