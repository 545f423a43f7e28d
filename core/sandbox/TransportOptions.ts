/**
 * The options every sandbox declares the same way — where it listens and how its transport misbehaves — in one
 * table: what each means and how it is checked. A sandbox's own options interface extends
 * `SandboxTransportOptions` (leaving out what its protocol has no use for) and checks only its extras.
 */
import type { SandboxOptions } from "../plugin/Plugin.ts"
import { checkFaultKinds, type FaultKind } from "./FaultKind.ts"
import { checkStormOptions, type StormOptions } from "./RequestStorm.ts"

export interface SandboxTransportOptions {
  /** 0 or undefined picks a free port. */
  readonly port?: number | undefined
  /** Default 127.0.0.1. */
  readonly host?: string | undefined
  /** Added to every answer (not to the `/__sandbox/*` control endpoints). */
  readonly latencyMs?: number | undefined
  /** Requests per second; beyond it 429 with `Retry-After` (the sandbox's throttling style says which headers). */
  readonly rateLimit?: number | undefined
  /**
   * Requests per calendar minute; beyond it 429 with `Retry-After`. With either quota set, every gated answer
   * carries `x-ratelimit-{limit,remaining}-{minute,month}` and `ratelimit-{limit,remaining,reset}`, whatever the
   * sandbox's throttling style.
   */
  readonly quotaPerMinute?: number | undefined
  /** Requests per month (counted from the first request; `POST /__sandbox/quota/reset` starts a new one). Default 1,000,000. */
  readonly quotaPerMonth?: number | undefined
  /**
   * 0..1: probability that a gated request fails: a 5xx, a dropped connection, or — where the sandbox's default
   * mix has it, or `faultKinds` asks — a correct answer held `slowResponseMs`.
   */
  readonly faultRate?: number | undefined
  /** Restricts `faultRate` to these kinds, chosen evenly (`slow` needs `slowResponseMs`); absent: the sandbox's default mix. */
  readonly faultKinds?: ReadonlyArray<FaultKind> | undefined
  /** How long a `slow` fault holds the answer; pick it above the client's timeout. */
  readonly slowResponseMs?: number | undefined
  /** 429 storms by request count (RequestStorm.ts); `Retry-After` when the storm sets `retryAfterSeconds`. */
  readonly storm?: StormOptions | undefined
  /** Seeds the fault and `Retry-After` choices. Default 1. */
  readonly seed?: number | undefined
}

export interface TransportOption {
  readonly key: keyof SandboxTransportOptions
  readonly description: string
  /** A problem with the value (never called with undefined), or undefined. */
  readonly check: (value: never, options: SandboxTransportOptions) => string | undefined
}

const positiveInteger = (name: string) => (v: number) => (Number.isInteger(v) && v > 0 ? undefined : `${name} must be a positive whole number of requests, got ${v}`)
const between0and1 = (name: string) => (v: number) => (v >= 0 && v <= 1 ? undefined : `${name} must be between 0 and 1, got ${v}`)

/** The common options, in the order they are checked. */
export const TRANSPORT_OPTIONS: ReadonlyArray<TransportOption> = [
  { key: "port", description: "port to listen on; 0 = any free one", check: (v: number) => (Number.isInteger(v) && v >= 0 && v <= 65535 ? undefined : `port must be 0..65535, got ${v}`) },
  { key: "host", description: "address to listen on (default 127.0.0.1)", check: () => undefined },
  { key: "latencyMs", description: "added to every answer", check: (v: number) => (v >= 0 ? undefined : `latencyMs must be >= 0, got ${v}`) },
  { key: "rateLimit", description: "requests per second before 429", check: (v: number) => (v > 0 ? undefined : `rateLimit must be a positive number of requests per second, got ${v}`) },
  { key: "quotaPerMinute", description: "requests per minute before 429 (x-ratelimit-* headers on every answer)", check: positiveInteger("quotaPerMinute") },
  { key: "quotaPerMonth", description: "requests per month before 429 (x-ratelimit-* headers on every answer)", check: positiveInteger("quotaPerMonth") },
  { key: "faultRate", description: "probability (0–1) of an injected fault", check: between0and1("faultRate") },
  { key: "seed", description: "seed of the fault and Retry-After choices", check: (v: number) => (Number.isInteger(v) ? undefined : `seed must be an integer, got ${v}`) },
  { key: "slowResponseMs", description: "how long a slow fault holds the answer", check: (v: number) => (Number.isFinite(v) && v >= 0 ? undefined : `slowResponseMs must be >= 0, got ${v}`) },
  { key: "faultKinds", description: "the fault kinds faultRate injects (5xx, drop, slow)", check: (v: ReadonlyArray<FaultKind>, o) => checkFaultKinds(v, o.slowResponseMs) },
  { key: "storm", description: "429 storms by request count", check: (v: StormOptions) => checkStormOptions(v) }
]

/** The first problem with the common options, or undefined. */
export const checkTransportOptions = (o: SandboxTransportOptions): string | undefined => {
  for (const option of TRANSPORT_OPTIONS) {
    const value = o[option.key]
    if (value === undefined) continue
    const problem = option.check(value as never, o)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** A probability option of a sandbox's own (`faultAfterWriteRate`, `lostMergeAnswerRate`): 0..1. */
export const checkRate = (value: number | undefined, name: string): string | undefined => (value === undefined ? undefined : between0and1(name)(value))

/**
 * The common options of `migrate sandbox` / `run --sandbox` (a capability's `start` argument) as a sandbox takes
 * them, so a capability passes them on in one line and spells out only its own.
 */
export const transportOptionsOf = (o: SandboxOptions): SandboxTransportOptions => ({
  port: o.port,
  host: o.host,
  seed: o.seed,
  latencyMs: o.latencyMs,
  rateLimit: o.rateLimit,
  quotaPerMinute: o.quotaPerMinute,
  quotaPerMonth: o.quotaPerMonth,
  faultRate: o.faultRate
})
