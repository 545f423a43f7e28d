/**
 * What a mapping could not do, and what it did by default. Every body builder returns them beside the body,
 * so `plan` can list them before a run and the run report can name the record each one touched.
 *
 * - A `MappingGap` is a value with no qTest counterpart: an unmapped status, priority or user, a field the
 *   project lacks, a picklist value it lacks, a call to a case that is not in qTest. The value is left out (the
 *   field stays empty); the `hint` says what to change in the spec or the project.
 * - A `DefaultUsed` is a value that went through a map's `default`: written, but the user must be able to see it.
 */

export type GapKind =
  /** An execution or step status with no qTest execution status. */
  | "status"
  /** A test-case priority with no value of the qTest Priority field. */
  | "priority"
  /** A test-case status with no value of the qTest Status field. */
  | "testCaseStatus"
  /** An accountId with no qTest user. */
  | "user"
  /** A field the qTest project does not have. */
  | "field"
  /** A value the field cannot hold: a picklist value it lacks, a non-number in a number field, an invalid date. */
  | "value"
  /** A call-to-test step whose called case is not (yet) in qTest. */
  | "call"
  /** A step result with no qTest test step to log it against. */
  | "step"
  /** Zephyr data qTest has no place for (custom fields of test cycles). */
  | "unsupported"

export interface MappingGap {
  readonly kind: GapKind
  /** The qTest field label (or the map) involved, when there is one. */
  readonly field?: string | undefined
  /** The Zephyr value that could not be mapped, as text. */
  readonly value: string
  /** The record it belongs to: a Zephyr key (PROJ-T12, PROJ-E42) or a description such as `folder /A/B`. */
  readonly object: string
  /** What to do about it. */
  readonly hint: string
}

export interface DefaultUsed {
  /** The map or field the default belongs to, e.g. `maps.executionStatus`, `Zephyr Owner`. */
  readonly field: string
  /** The Zephyr value that had no entry. */
  readonly from: string
  /** What was written instead (a qTest name or login). */
  readonly to: string
  readonly object: string
}

/** A built request body with the gaps and defaults met while building it. */
export interface Mapped<B> {
  readonly body: B
  readonly gaps: ReadonlyArray<MappingGap>
  readonly defaults: ReadonlyArray<DefaultUsed>
}

/**
 * The outcome of resolving one value against the target's vocabulary. `Value` may still carry gaps: a
 * multi-value field keeps the values it could map and reports the others.
 */
export type Resolution<A> =
  | { readonly _tag: "Value"; readonly value: A; readonly gaps: ReadonlyArray<MappingGap>; readonly defaults: ReadonlyArray<DefaultUsed> }
  | { readonly _tag: "Gap"; readonly gaps: ReadonlyArray<MappingGap> }
  /** Nothing to write: the Zephyr value is null or empty. */
  | { readonly _tag: "Empty" }

export const Resolution = {
  value: <A>(value: A, defaults: ReadonlyArray<DefaultUsed> = [], gaps: ReadonlyArray<MappingGap> = []): Resolution<A> => ({
    _tag: "Value",
    value,
    gaps,
    defaults
  }),
  gap: <A = never>(gap: MappingGap, ...more: ReadonlyArray<MappingGap>): Resolution<A> => ({ _tag: "Gap", gaps: [gap, ...more] }),
  empty: <A = never>(): Resolution<A> => ({ _tag: "Empty" }),
  /** Chains a resolution: the defaults and gaps met so far are kept. */
  flatMap: <A, B>(r: Resolution<A>, f: (a: A) => Resolution<B>): Resolution<B> => {
    if (r._tag !== "Value") return r
    const next = f(r.value)
    if (next._tag === "Value") return Resolution.value(next.value, [...r.defaults, ...next.defaults], [...r.gaps, ...next.gaps])
    if (next._tag === "Gap") return { _tag: "Gap", gaps: [...r.gaps, ...next.gaps] }
    return next
  }
}

/** Accumulates the gaps and defaults of one body while it is built (local to one builder call). */
export class MappingNotes {
  readonly gaps: Array<MappingGap> = []
  readonly defaults: Array<DefaultUsed> = []

  /** Records the notes of `r` and returns its value (undefined for a gap or nothing). */
  take<A>(r: Resolution<A>): A | undefined {
    if (r._tag === "Empty") return undefined
    this.gaps.push(...r.gaps)
    if (r._tag === "Gap") return undefined
    this.defaults.push(...r.defaults)
    return r.value
  }

  gap(gap: MappingGap): void {
    this.gaps.push(gap)
  }

  result<B>(body: B): Mapped<B> {
    return { body, gaps: [...this.gaps], defaults: [...this.defaults] }
  }
}
