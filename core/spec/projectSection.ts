/**
 * One project's plugin section under `projects:`: the spec's section with the project's keys laid over it. Objects
 * merge key by key (a project adds one `maps.priority` entry without repeating the others); any other value — a
 * scalar, a list — is replaced whole, since half of a list has no meaning. Problems found in the merged section
 * are reported where each value was written: in the project's entry when it comes from there, in the shared
 * section otherwise, and at the project's entry when something is missing (it is the project that lacks it).
 */
import { pointerOf, pointerSegments } from "./jsonPointer.ts"
import type { Locate } from "./schemaProblems.ts"

type Json = Readonly<Record<string, unknown>>

/** Plain objects only: a resolved secret (`Redacted`) is an object too, but a value, replaced whole. */
const isRecord = (value: unknown): value is Json => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export const mergeSection = (base: Json, override: Json): Json => {
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) {
    const under = merged[key]
    merged[key] = isRecord(under) && isRecord(value) ? mergeSection(under, value) : value
  }
  return merged
}

/** The depth of the longest prefix of `segments` that exists in `value` (segments.length: all of it). */
const existingDepth = (value: unknown, segments: ReadonlyArray<string>): number => {
  let at = value
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    if (Array.isArray(at) && /^\d+$/.test(segment) && Number(segment) < at.length) at = at[Number(segment)]
    else if (isRecord(at) && Object.hasOwn(at, segment)) at = at[segment]
    else return i
  }
  return segments.length
}

/**
 * @param basePointer where the shared section is written (`/sinks/0`)
 * @param overridePointer where the project's keys for it are written (`/projects/KEY/qtest`), or the project's
 * entry (`/projects/KEY`) when it has none for this section
 */
export const locateInProject = (base: Json, basePointer: string, override: Json, overridePointer: string): Locate => (instancePath) => {
  const segments = pointerSegments(instancePath)
  const join = (pointer: string, depth: number) => pointer + pointerOf(segments.slice(0, depth))
  if (existingDepth(override, segments) === segments.length) return join(overridePointer, segments.length)
  if (existingDepth(base, segments) === segments.length) return join(basePointer, segments.length)
  return join(overridePointer, existingDepth(override, segments))
}
