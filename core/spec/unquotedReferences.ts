/**
 * `sinks: [{ type: qtest, token: ${env:QTEST_TOKEN} }]`: inside `{ }` or `[ ]` YAML reads the braces of an
 * unquoted reference as a nested map, and the parser answers with a dozen tokenizer errors that never mention
 * quotes. When the YAML has errors, this finds the unquoted references that sit in a flow collection — by quoting
 * every unquoted reference and parsing again — so the loader can report one line per reference, with the fix.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml"
import type { Document, Node } from "yaml"
import { pointerOf } from "./jsonPointer.ts"
import type { SpecProblem } from "./SpecProblem.ts"

export interface UnquotedReferences {
  /** One per reference that needs quotes; `offset` is where it starts in the original text. */
  readonly problems: ReadonlyArray<Omit<SpecProblem, "at"> & { readonly offset: number }>
  /** The text with every unquoted reference quoted, parsed: its errors are what else is wrong. */
  readonly fixed: Document
  readonly fixedText: string
  /** An offset in `fixedText` → the same place in the original text. */
  readonly originalOffset: (fixedOffset: number) => number
}

const reference = /\$\{(?:env|file):[^}\n]*\}/g

/** Offsets of references that are neither inside a quoted scalar nor in a comment on their line. */
const unquotedOffsets = (text: string): ReadonlyArray<{ readonly offset: number; readonly text: string }> => {
  const found: Array<{ offset: number; text: string }> = []
  for (const match of text.matchAll(reference)) {
    const offset = match.index
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1
    let quote: string | undefined
    let comment = false
    for (let i = lineStart; i < offset && !comment; i++) {
      const c = text[i]
      if (quote === undefined) {
        if (c === '"' || c === "'") quote = c
        else if (c === "#" && (i === lineStart || /\s/.test(text[i - 1] ?? ""))) comment = true
      } else if (quote === '"' && c === "\\") i++
      else if (c === quote) {
        // '' inside a single-quoted scalar is an escaped quote, not its end
        if (quote === "'" && text[i + 1] === "'") i++
        else quote = undefined
      }
    }
    if (quote === undefined && !comment) found.push({ offset, text: match[0] })
  }
  return found
}

/** The quoted form a user should write: double quotes, unless the reference itself holds `"` or `\`. */
const quoted = (ref: string): string => (/["\\]/.test(ref) ? `'${ref.replace(/'/g, "''")}'` : `"${ref}"`)

/** The unquoted references inside a flow collection (`{ }`, `[ ]`); undefined when there is none. */
export const unquotedReferences = (text: string): UnquotedReferences | undefined => {
  const refs = unquotedOffsets(text)
  if (refs.length === 0) return undefined
  // Single quotes never start an escape: the fixed text parses whatever the reference holds.
  let fixed = ""
  let last = 0
  for (const r of refs) {
    fixed += `${text.slice(last, r.offset)}'${r.text.replace(/'/g, "''")}'`
    last = r.offset + r.text.length
  }
  fixed += text.slice(last)
  const doc = parseDocument(fixed)

  // In the fixed text the i-th reference's scalar starts 2·i characters later (two quotes per earlier reference).
  const byFixedOffset = new Map(refs.map((r, i) => [r.offset + 2 * i, r]))
  const problems: Array<Omit<SpecProblem, "at"> & { offset: number }> = []
  visit(doc, {
    Scalar(_, node, ancestors) {
      const start = node.range?.[0]
      const ref = start === undefined ? undefined : byFixedOffset.get(start)
      if (ref === undefined) return
      // the nearest flow collection is the one whose brackets the user sees around the reference
      const inFlow = [...ancestors].reverse().find((a): a is Node => (isMap(a) || isSeq(a)) && a.flow === true)
      if (inFlow === undefined) return
      const segments: Array<string | number> = []
      let child: unknown = node
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const a = ancestors[i]
        if (isPair(a) && isScalar(a.key)) segments.unshift(String(a.key.value))
        else if (isSeq(a)) segments.unshift(a.items.indexOf(child as never))
        child = a
      }
      const parent = ancestors[ancestors.length - 1]
      const key = isPair(parent) && isScalar(parent.key) && parent.value === node ? `${String(parent.key.value)}: ` : ""
      const brackets = isMap(inFlow) ? "{ }" : "[ ]"
      problems.push({
        reason: "Yaml",
        offset: ref.offset,
        path: pointerOf(segments),
        message: `${ref.text} is not quoted inside ${brackets}, where YAML reads its braces as a map — quote it: ${key}${quoted(ref.text)}`
      })
    }
  })
  if (problems.length === 0) return undefined
  const originalOffset = (fixedOffset: number): number => fixedOffset - 2 * refs.filter((r, i) => r.offset + 2 * i < fixedOffset).length
  return { problems, fixed: doc, fixedText: fixed, originalOffset }
}
