/**
 * Virtual time for a migration run in-process: a Clock whose waits before a retry (core's `retry.wait` spans:
 * backoffs, a `Retry-After: 30`) and other sleeps of a second or more take a thousandth of their length while its
 * time jumps ahead by all of it, and whose other short sleeps — request timeouts, set below a second in the chaos
 * spec — stay real, so a slow sandbox answer still outlasts the client's timeout.
 * Time starts at a fixed instant on the first reading: every run of a scenario, and the clean run it is compared
 * with, stamps the records the source gives no time with the same instant, so their contents can be equal.
 * Every sleep is recorded with the span it was made in — core's waits before a retry are `retry.wait` spans —
 * so a test can see that a `Retry-After` was honoured (other timers, e.g. the extract's one-second batching
 * window, are told apart).
 */
import { Clock, Duration, Effect } from "effect"

/** Sleeps this long or longer are compressed, and waits before a retry whatever their length. */
export const COMPRESS_FROM_MS = 1000
const RETRY_WAIT = "retry.wait"
/** How many times faster a compressed sleep passes, by default. */
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

/**
 * @param compression how many times faster compressed sleeps pass. A scenario whose sandbox is down for real
 * time (a restart) uses less, or a few hundred milliseconds of outage would last minutes of virtual time.
 */
export const makeCompressedClock = (compression: number = COMPRESSION): CompressedClock => {
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
    Effect.tap(realSleep(Math.max(1, Math.round(ms / compression))), () =>
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
      return Effect.flatMap(Effect.option(Effect.currentSpan), (current) =>
        Effect.suspend(() => {
          const span = current._tag === "Some" ? current.value.name : undefined
          sleeps.push({ ms, span })
          return ms < COMPRESS_FROM_MS && span !== RETRY_WAIT ? realSleep(ms) : compressed(now() + ms, ms)
        })
      )
    },
    sleeps: () => [...sleeps]
  }
}

/** The waits before a retry among a run's sleeps (core's `retry.wait` spans), in milliseconds. */
export const retryWaits = (sleeps: ReadonlyArray<Sleep>): ReadonlyArray<number> => sleeps.filter((s) => s.span === RETRY_WAIT).map((s) => s.ms)
