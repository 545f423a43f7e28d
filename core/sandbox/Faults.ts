/**
 * Which injected fault, if any, a gated request gets: `faultRate` decides whether, then `faultKinds` (chosen
 * evenly) or the sandbox's default mix decides which. Seeded, and drawn in a fixed order — one draw for whether,
 * one for the kind, one for the 5xx status — so a seed replays the same faults. A choice between a single
 * outcome draws nothing (Snowflake's default mix is its one 503), which keeps each sandbox's seeded sequence.
 */
import type { FaultKind } from "./FaultKind.ts"
import type { Prng } from "./Prng.ts"

export type FaultVerdict =
  | { readonly kind: "none" }
  | { readonly kind: "5xx"; readonly status: number }
  | { readonly kind: "drop" }
  | { readonly kind: "slow"; readonly holdMs: number }

export interface FaultMix {
  /** The statuses of a `5xx` fault. Default 500, 502, 503. */
  readonly statuses?: ReadonlyArray<number> | undefined
  /**
   * The kinds injected when `faultKinds` is absent, each 5xx status and `drop` as one outcome each, `slow` only
   * when `slowResponseMs` is set. Default `["5xx", "drop"]`.
   */
  readonly mix?: ReadonlyArray<FaultKind> | undefined
}

export const DEFAULT_FAULT_STATUSES: ReadonlyArray<number> = [500, 502, 503]

const NONE: FaultVerdict = { kind: "none" }

export const makeFaults = (
  o: { readonly faultRate?: number | undefined; readonly faultKinds?: ReadonlyArray<FaultKind> | undefined; readonly slowResponseMs?: number | undefined },
  config: FaultMix,
  prng: Prng
): (() => FaultVerdict) => {
  const rate = o.faultRate ?? 0
  const statuses = config.statuses ?? DEFAULT_FAULT_STATUSES
  const holdMs = o.slowResponseMs ?? 0
  const choose = <T>(items: ReadonlyArray<T>): T => (items.length === 1 ? (items[0] as T) : prng.pick(items))
  const of = (kind: FaultKind, status?: number): FaultVerdict =>
    kind === "5xx" ? { kind, status: status ?? choose(statuses) } : kind === "drop" ? { kind } : { kind, holdMs }
  const mix: ReadonlyArray<FaultVerdict> = (config.mix ?? ["5xx", "drop"]).flatMap((kind): ReadonlyArray<FaultVerdict> =>
    kind === "5xx" ? statuses.map((status) => of(kind, status)) : kind === "slow" && o.slowResponseMs === undefined ? [] : [of(kind)]
  )
  return () => {
    if (rate <= 0 || prng.next() >= rate) return NONE
    if (o.faultKinds !== undefined) return of(prng.pick(o.faultKinds))
    return choose(mix)
  }
}
