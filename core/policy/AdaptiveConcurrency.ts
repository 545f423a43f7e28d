/**
 * The limit of one system's requests in flight, adapted to how it answers: halved (ThrottlePolicy.decreaseFactor,
 * down to `minConcurrency`) on a 429, a 5xx or a timeout, raised by one after `growAfterSuccesses` successes in a
 * row, never above `runtime.concurrency`. A failure of a request sent before the last decrease does not halve the
 * limit again: the requests in flight when a server starts to struggle all fail together, and that is one signal.
 * Waiters are served in arrival order. Plain numbers, not Refs: JavaScript runs one fiber at a time.
 */
import { Deferred, Effect } from "effect"
import { ThrottlePolicy } from "./ThrottlePolicy.ts"

export type Outcome = "success" | "overload" | "other"

export interface Permit {
  readonly release: (outcome: Outcome) => Effect.Effect<void>
}

export interface AdaptiveConcurrency {
  /** Waits for a place among the requests in flight. */
  readonly acquire: Effect.Effect<Permit>
  readonly limit: () => number
  readonly inFlight: () => number
}

export const makeAdaptiveConcurrency = (max: number): AdaptiveConcurrency => {
  const ceiling = Math.max(ThrottlePolicy.minConcurrency, Math.floor(max))
  let limit = ceiling
  let inFlight = 0
  let successes = 0
  // bumped on every decrease: a permit from an earlier generation does not decrease again
  let generation = 0
  const waiting: Array<Deferred.Deferred<void>> = []

  const wake = Effect.suspend(() => {
    const woken: Array<Deferred.Deferred<void>> = []
    while (inFlight < limit && waiting.length > 0) {
      inFlight++
      woken.push(waiting.shift()!)
    }
    return Effect.forEach(woken, (d) => Deferred.succeed(d, undefined), { discard: true })
  })

  const permit = (born: number): Permit => {
    let released = false
    return {
      release: (outcome) =>
        Effect.suspend(() => {
          if (released) return Effect.void
          released = true
          inFlight--
          if (outcome === "overload") {
            successes = 0
            if (born === generation) {
              generation++
              limit = Math.max(ThrottlePolicy.minConcurrency, Math.floor(limit * ThrottlePolicy.decreaseFactor))
            }
          } else if (outcome === "success" && ++successes >= ThrottlePolicy.growAfterSuccesses) {
            successes = 0
            limit = Math.min(ceiling, limit + 1)
          }
          return wake
        })
    }
  }

  const acquire: Effect.Effect<Permit> = Effect.suspend(() => {
    const born = generation
    if (inFlight < limit && waiting.length === 0) {
      inFlight++
      return Effect.succeed(permit(born))
    }
    return Effect.flatMap(Deferred.make<void>(), (d) => {
      waiting.push(d)
      return Deferred.await(d).pipe(
        // interrupted while waiting: leave the queue, or hand back the place given in the meantime
        Effect.onInterrupt(() =>
          Effect.suspend(() => {
            const i = waiting.indexOf(d)
            if (i >= 0) {
              waiting.splice(i, 1)
              return Effect.void
            }
            inFlight--
            return wake
          })
        ),
        Effect.map(() => permit(generation))
      )
    })
  })

  return { acquire, limit: () => limit, inFlight: () => inFlight }
}
