/**
 * Virtual time for a migration run in-process: a Clock whose long sleeps — backoffs, a `Retry-After: 30` — take
 * a thousandth of their length while its time jumps ahead by all of it, and whose short sleeps (request timeouts,
 * set below a second in the chaos spec) stay real, so a slow sandbox answer still outlasts the client's timeout.
 * Time starts at a fixed instant on the first reading: every run of a scenario, and the clean run it is compared
 * with, stamps the records the source gives no time with the same instant, so their contents can be equal.
 * Every sleep is recorded with the span it was made in — core's waits before a retry are `retry.wait` spans —
 * so a test can see that a `Retry-After` was honoured (other timers, e.g. the extract's one-second batching
 * window, are told apart).
 */
import { Clock, Duration, Effect } from "effect"

/** Sleeps this long or longer are compressed. */
export const COMPRESS_FROM_MS = 1000
/** How many times faster a compressed sleep passes. */
export const COMPRESSION = 1000
/** Where every run's time starts: after the generated tenant's timestamps (all before 2025). */
export const EPOCH_MS = Date.UTC(2025, 5, 1, 12)

export interface Sleep {
  readonly ms: number
  /** The name of the span the sleep was made in, if any (`retry.wait`: a wait before a retry). */
  readonly span: string | undefined
}

export interface CompressedClock extends Clock.Clock {
  /** Every sleep so far, in virtual milliseconds. */
  readonly sleeps: () => ReadonlyArray<Sleep>
}

const realSleep = (ms: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const t = setTimeout(() => resume(Effect.void), ms)
    return Effect.sync(() => clearTimeout(t))
  })

export const makeCompressedClock = (): CompressedClock => {
  let realStart: number | undefined
  // virtual time runs ahead of real time by what the compressed sleeps skipped
  let lead = 0
  const sleeps: Array<Sleep> = []
  const now = (): number => {
    const real = Date.now()
    realStart ??= real
    return EPOCH_MS + (real - realStart) + lead
  }
  // parallel sleepers do not add up: time reaches the latest one's end
  const compressed = (due: number, ms: number): Effect.Effect<void> =>
    Effect.tap(realSleep(Math.max(1, Math.round(ms / COMPRESSION))), () =>
      Effect.sync(() => {
        const behind = due - now()
        if (behind > 0) lead += behind
      })
    )
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: now,
    currentTimeMillis: Effect.sync(now),
    unsafeCurrentTimeNanos: () => BigInt(Math.round(now() * 1_000_000)),
    currentTimeNanos: Effect.sync(() => BigInt(Math.round(now() * 1_000_000))),
    sleep: (duration) => {
      const ms = Duration.toMillis(duration)
      const record = Effect.flatMap(Effect.option(Effect.currentSpan), (span) =>
        Effect.sync(() => sleeps.push({ ms, span: span._tag === "Some" ? span.value.name : undefined }))
      )
      if (ms < COMPRESS_FROM_MS) return Effect.zipRight(record, realSleep(ms))
      return Effect.suspend(() => {
        const due = now() + ms
        return Effect.zipRight(record, compressed(due, ms))
      })
    },
    sleeps: () => [...sleeps]
  }
}

/** The waits before a retry among a run's sleeps (core's `retry.wait` spans), in milliseconds. */
export const retryWaits = (sleeps: ReadonlyArray<Sleep>): ReadonlyArray<number> => sleeps.filter((s) => s.span === "retry.wait").map((s) => s.ms)
