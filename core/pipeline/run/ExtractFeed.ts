/**
 * How the extract tells the sinks that follow it what they may load: the store's horizon after each committed
 * checkpoint (StoreHorizon.ts), numbered, and at the end whether the extract finished or failed. A sink's next
 * pass waits for a horizon newer than its last one, so passes run back to back while the extract feeds them and
 * never re-read a store that has not grown.
 */
import { Effect, Option, Stream, SubscriptionRef } from "effect"
import type { Horizon } from "../../store/StoreHorizon.ts"

export interface FeedState {
  /** Bumped with every new horizon; 0 before the first checkpoint. */
  readonly seq: number
  readonly horizon: Horizon | undefined
  readonly status: "running" | "done" | "failed"
}

export interface ExtractFeed {
  readonly advance: (horizon: Horizon) => Effect.Effect<void>
  readonly end: (status: "done" | "failed") => Effect.Effect<void>
  /** Waits for a horizon newer than `seq`, or the extract's end. */
  readonly next: (seq: number) => Effect.Effect<FeedState>
  /** Waits for the extract's end. */
  readonly ended: Effect.Effect<"done" | "failed">
}

export const makeExtractFeed: Effect.Effect<ExtractFeed> = Effect.map(
  SubscriptionRef.make<FeedState>({ seq: 0, horizon: undefined, status: "running" }),
  (ref) => {
    const next = (seq: number) =>
      ref.changes.pipe(
        Stream.filter((s) => s.seq > seq || s.status !== "running"),
        Stream.runHead,
        // the stream of changes only ends with the ref: never while a sink waits
        Effect.map(Option.getOrThrow)
      )
    return {
    advance: (horizon) => SubscriptionRef.update(ref, (s) => (s.status === "running" ? { ...s, seq: s.seq + 1, horizon } : s)),
    end: (status) => SubscriptionRef.update(ref, (s) => (s.status === "running" ? { ...s, status } : s)),
    next,
    ended: Effect.map(next(Number.POSITIVE_INFINITY), (s) => (s.status === "failed" ? "failed" : "done"))
    }
  }
)
