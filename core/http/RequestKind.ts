/**
 * The kind of object a request is made for, so the report can say what each kind of migrated object costs
 * (`requests[system].byKind`). Core's exactly-once write sets it to the write's entity around the write (its
 * look-up, create or update); a sink may name its own work outside any write (its census, its vocabulary) with
 * `requestsCountedAs`. Anything else — a source's extract, a sink's reads between writes — is "reads".
 * A FiberRef, so fibers a write forks (a paged look-up, a streamed upload) inherit it.
 */
import { Effect, FiberRef } from "effect"

export const READS = "reads"

export const currentRequestKind: FiberRef.FiberRef<string> = FiberRef.unsafeMake<string>(READS)

/** Counts the requests `effect` makes under `kind`. */
export const requestsCountedAs =
  (kind: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(effect, currentRequestKind, kind)
