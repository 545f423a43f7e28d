/**
 * The exactly-once write (docs/architecture.md#exactly-once-sinks), the primitive every sink loads through:
 *
 *   intent committed → call the target → target confirms → id map row + intent removal, one transaction
 *
 * An intent found open (a killed run, or a create whose answer was lost to a timeout or a dropped connection)
 * is resolved by `lookup` before anything is created again: found, it becomes the id map row ("recovered");
 * not found, the create is sent. Unchanged content (same hash as the id map row) sends nothing; changed content
 * is an update. A 4xx refuses the record (RecordRejected, the intent is dropped: nothing was created); 401/403
 * stop the load (SystemError); transient failures of a create are retried through the same look-then-create
 * step, never by resending blindly.
 *
 * Two fibers asking for the same object (a test case and the case it calls) share one write. An object asked for
 * again in the run (a sink loading in passes, while the extract runs, asks again in every pass) is answered from
 * the recent results, or else finds its id map row as written, and sends nothing; it is counted once, by its most
 * telling outcome. A refusal of the same content is answered again unsent. The requests a write makes are counted
 * for its entity (RequestKind.ts), so the report shows what each kind of object costs.
 */
import { Cause, Deferred, Effect, Option } from "effect"
import { type ApiError, RecordRejected, StoreError, SystemError } from "../errors.ts"
import { requestsCountedAs } from "../http/RequestKind.ts"
import type { TargetWrite, WriteOutcome, WriteResult } from "../plugin/Plugin.ts"
import { isTransient, Policies, type RetryOptions } from "../policy/RetryPolicy.ts"
import type { makeIdMap } from "../store/IdMap.ts"
import type { Failpoints } from "./Failpoint.ts"

type IdMapStore = ReturnType<typeof makeIdMap>

export interface WriteTally {
  /** `n` is -1 when an object's outcome is replaced by a more telling one (see `tally` in makeWriteOnce). */
  readonly record: (entity: string, outcome: WriteOutcome, planned: boolean, n?: number) => void
  /** Planning: the requests a planned create or update would send (TargetWrite.requests, default 1). */
  readonly wouldSend?: ((requests: number) => void) | undefined
}

export interface WriteOnceSettings {
  readonly sink: string
  readonly runId: string
  readonly store: IdMapStore
  readonly planning: boolean
  readonly retry: RetryOptions
  readonly failpoints: Failpoints
  readonly tally: WriteTally
  readonly onStale?: (write: TargetWrite) => Effect.Effect<void>
  /**
   * Does the target answer at all (the sink's `check`)? Asked when a write's retries are spent on transient
   * failures: yes → the fault is this record's, which is set aside (RecordRejected "Failing") so one bad record
   * cannot stop every run for ever; no → the target is down, and the load stops.
   */
  readonly probe?: Effect.Effect<boolean> | undefined
  /** A write tried again after a transient failure (looked up, then resent): the report counts it as a retry. */
  readonly onRetry?: ((error: ApiError) => void) | undefined
  /** Is the current pass the final one (loadSink.ts)? Absent: every pass is. */
  readonly final?: (() => boolean) | undefined
}

type WriteError = RecordRejected | SystemError | StoreError

/** Which outcome tells more about an object written more than once in a run (the one it is tallied as). */
const RANK: Readonly<Record<WriteOutcome, number>> = { unchanged: 0, stale: 1, updated: 2, recovered: 3, created: 4 }
/** How many recent results a write remembers (`recent` in makeWriteOnce): a few MB. */
const RECENT = 20_000
const BY_RANK: ReadonlyArray<WriteOutcome> = ["unchanged", "stale", "updated", "recovered", "created"]

/** What stops the whole load, as the user reads it. */
export const stopError = (sink: string, e: ApiError): SystemError =>
  new SystemError({
    system: sink,
    reason: e.reason === "Unauthorized" ? "Unauthorized" : e.reason === "Forbidden" ? "Forbidden" : e.reason === "NotFound" ? "NotFound" : "Unreachable",
    message: e.message,
    hint:
      e.reason === "Unauthorized"
        ? `${sink} refused the credentials: fix the token (or user and password) in the ${sink} section of the spec, then run again — the load resumes where it stopped`
        : e.reason === "Forbidden"
          ? `the ${sink} user lacks a permission this write needs; grant it and run again`
          : `${sink} did not answer successfully after retries; run again when it is reachable — the load resumes where it stopped`
  })

const refused = (sink: string, w: TargetWrite, e: ApiError) =>
  new RecordRejected({
    sink,
    entity: w.entity,
    key: w.key,
    label: w.label,
    reason: e.status === 413 ? "TooLarge" : "Refused",
    status: e.status,
    message: e.message
  })

/** Every attempt of this record failed (5xx, timeout) while the target answers others. */
const failing = (sink: string, w: TargetWrite, e: ApiError) =>
  new RecordRejected({ sink, entity: w.entity, key: w.key, label: w.label, reason: "Failing", status: e.status, message: `every attempt failed (${e.message})` })

/** Refusal of this record (4xx other than auth), a stop (auth, exhausted retries) or, for `retryable`, transient. */
const classify = (sink: string, w: TargetWrite, e: ApiError | SystemError): WriteError | "transient" => {
  if (e._tag === "SystemError") return e
  if (isTransient(e)) return "transient"
  if (e.reason === "Unauthorized" || e.reason === "Forbidden") return stopError(sink, e)
  return refused(sink, w, e)
}

export const makeWriteOnce = (s: WriteOnceSettings) => {
  const inflight = new Map<string, Deferred.Deferred<WriteResult, WriteError>>()

  /** Retries spent on transient failures: this record's fault if the target answers otherwise, else a stop. */
  const exhausted = (w: TargetWrite, e: ApiError): Effect.Effect<never, WriteError> =>
    (s.probe ?? Effect.succeed(false)).pipe(Effect.flatMap((answers) => Effect.fail(answers ? failing(s.sink, w, e) : stopError(s.sink, e))))
  /**
   * What each object was tallied as in this run (its outcome's `RANK`), by entity then key: a run of 100,000s of
   * objects holds a few bytes for each, not its result (only the recent ones keep theirs, below). Ids that are
   * small integers are kept as numbers.
   */
  const counted = new Map<string, Map<string | number, number>>()
  const countedIn = (entity: string): Map<string | number, number> => {
    let byKey = counted.get(entity)
    if (byKey === undefined) counted.set(entity, (byKey = new Map()))
    return byKey
  }
  /**
   * The results of the objects written most recently, so that a later pass asking for them again (the parents of
   * what it loads, a pair whose executions it has seen before) answers without reading the id map. Bounded: the
   * oldest is dropped first.
   */
  const recent = new Map<string, { readonly hash: string; readonly result: WriteResult }>()
  const remember = (id: string, hash: string, result: WriteResult) => {
    recent.delete(id)
    recent.set(id, { hash, result })
    if (recent.size > RECENT) recent.delete(recent.keys().next().value!)
  }
  const keyOf = (key: string): string | number => {
    const n = Number(key)
    return Number.isInteger(n) && n >= 0 && n <= 0x3fffffff && String(n) === key ? n : key
  }
  const refused = new Map<string, { readonly hash: string; readonly error: RecordRejected }>()

  const lookup = (w: TargetWrite): Effect.Effect<Option.Option<string>, WriteError> =>
    w.lookup.pipe(
      Effect.catchAll((e) => {
        const c = classify(s.sink, w, e)
        return Effect.fail(c === "transient" ? stopError(s.sink, e as ApiError) : c)
      })
    )

  /**
   * Core's one retry policy (RetryPolicy.ts: backoff, Retry-After, a budget for 429s of its own) around a write;
   * what it gives up on is classified: refused, a stop, or — transient to the end — `exhausted`.
   */
  const retried = <A>(w: TargetWrite, effect: Effect.Effect<A, ApiError | WriteError>): Effect.Effect<A, WriteError> =>
    Policies.when((e: ApiError | WriteError) => e._tag === "ApiError" && isTransient(e))(s.retry, {
      onRetry: (e) => Effect.sync(() => s.onRetry?.(e as ApiError))
    })(effect).pipe(
      Effect.catchAll((e) => {
        if (e._tag !== "ApiError") return Effect.fail(e)
        const c = classify(s.sink, w, e)
        return c === "transient" ? exhausted(w, e) : Effect.fail(c)
      })
    )

  /**
   * Create, and after a transient failure look before creating again: the lost answer may have been a success.
   * Never a blind resend of a create.
   */
  const create = (w: TargetWrite): Effect.Effect<string, WriteError> =>
    Effect.suspend(() => {
      let attempts = 0
      const createOrFind = Effect.suspend(() =>
        attempts++ === 0 ? w.create : lookup(w).pipe(Effect.flatMap(Option.match({ onSome: Effect.succeed, onNone: () => w.create })))
      )
      return retried(w, createOrFind)
    })

  /** An update (PUT) carries the whole object: sending it again is harmless. */
  const update = (w: TargetWrite, targetId: string): Effect.Effect<void, WriteError> => retried(w, w.update ? w.update(targetId) : Effect.void)

  const done = (_w: TargetWrite, targetId: string, outcome: WriteOutcome, planned = false): WriteResult => ({ targetId, outcome, planned })

  /**
   * Each object is tallied once per run, by the most telling thing that happened to it (`RANK`): a later pass that
   * updates what an earlier one created leaves it "created"; one that updates what an earlier pass found unchanged
   * makes it "updated". "Unchanged" is only known for sure once the store is complete, so a pass ahead of the
   * extract (`final()` false) does not tally it; the final pass does.
   */
  const tally = (w: TargetWrite, result: WriteResult): void => {
    const byKey = countedIn(w.entity)
    const key = keyOf(w.key)
    const rank = byKey.get(key)
    const before = rank === undefined ? undefined : BY_RANK[rank]
    if (before !== undefined && RANK[before] >= RANK[result.outcome]) return
    if (result.outcome === "unchanged" && !(s.final?.() ?? true)) return
    if (before !== undefined) s.tally.record(w.entity, before, result.planned, -1)
    s.tally.record(w.entity, result.outcome, result.planned)
    byKey.set(key, RANK[result.outcome])
  }

  /** `again`: this run planned the object already (an earlier pass, another caller): its requests are counted. */
  const plan = (w: TargetWrite, again: boolean) =>
    Effect.gen(function* () {
      const row = yield* s.store.mapped(s.sink, w.entity, w.key)
      const cost = again ? 0 : (w.requests ?? 1)
      if (row === undefined) {
        s.tally.wouldSend?.(cost)
        return done(w, `planned:${w.entity}:${w.key}`, "created", true)
      }
      if (row.content_hash === w.hash) return done(w, row.target_id, "unchanged", true)
      if (w.update) s.tally.wouldSend?.(cost)
      return done(w, row.target_id, w.update ? "updated" : "stale", true)
    })

  const perform = (w: TargetWrite) =>
    Effect.gen(function* () {
      const row = yield* s.store.mapped(s.sink, w.entity, w.key)
      const intent = yield* s.store.openIntent(s.sink, w.entity, w.key)
      let existing = row === undefined ? undefined : { targetId: row.target_id, hash: row.content_hash, memo: row.memo ?? undefined }
      let recovered = false
      if (intent !== undefined) {
        if (intent.operation === "update" && existing !== undefined) {
          // it may or may not have been applied: unknown content, so it is sent again
          existing = { ...existing, hash: "" }
        } else if (existing === undefined) {
          const found = yield* lookup(w)
          if (Option.isSome(found)) {
            yield* s.store.confirm({ sink: s.sink, entity: w.entity, source_id: w.key, target_id: found.value, content_hash: intent.content_hash, memo: w.memo })
            existing = { targetId: found.value, hash: intent.content_hash, memo: w.memo }
            recovered = true
          } else yield* s.store.dropIntent(s.sink, w.entity, w.key)
        }
      }
      if (existing !== undefined && existing.hash === w.hash) {
        // the content is as written; a memo the sink learnt since (e.g. read back from the target) is kept
        if (w.memo !== undefined && w.memo !== existing.memo)
          yield* s.store.confirm({ sink: s.sink, entity: w.entity, source_id: w.key, target_id: existing.targetId, content_hash: w.hash, memo: w.memo })
        return done(w, existing.targetId, recovered ? "recovered" : "unchanged")
      }
      if (existing !== undefined) {
        if (!w.update) {
          if (s.onStale) yield* s.onStale(w)
          return done(w, existing.targetId, recovered ? "recovered" : "stale")
        }
        yield* s.store.recordIntent({ sink: s.sink, entity: w.entity, source_id: w.key, operation: "update", content_hash: w.hash, run_id: s.runId })
        s.failpoints.pass("intent", w.entity)
        yield* update(w, existing.targetId)
        s.failpoints.pass("confirmed", w.entity)
        yield* s.store.confirm({ sink: s.sink, entity: w.entity, source_id: w.key, target_id: existing.targetId, content_hash: w.hash, memo: w.memo })
        s.failpoints.pass("committed", w.entity)
        return done(w, existing.targetId, "updated")
      }
      yield* s.store.recordIntent({ sink: s.sink, entity: w.entity, source_id: w.key, operation: "create", content_hash: w.hash, run_id: s.runId })
      s.failpoints.pass("intent", w.entity)
      // a refusal proves nothing was made: its intent goes; a record that kept failing may have been made: it stays
      const targetId = yield* create(w).pipe(
        Effect.tapError((e) =>
          e._tag === "RecordRejected" && e.reason !== "Failing" ? Effect.orElse(s.store.dropIntent(s.sink, w.entity, w.key), () => Effect.void) : Effect.void
        )
      )
      s.failpoints.pass("confirmed", w.entity)
      yield* s.store.confirm({ sink: s.sink, entity: w.entity, source_id: w.key, target_id: targetId, content_hash: w.hash, memo: w.memo })
      s.failpoints.pass("committed", w.entity)
      return done(w, targetId, "created")
    })

  return (w: TargetWrite): Effect.Effect<WriteResult, WriteError> =>
    Effect.suspend(() => {
      const id = `${w.entity}\u0000${w.key}`
      const known = recent.get(id)
      if (known !== undefined && known.hash === w.hash)
        return Effect.sync(() => {
          remember(id, known.hash, known.result)
          tally(w, known.result)
          return known.result
        })
      // refused earlier in this run with this very content (a later load pass asks again): refused again, unsent
      const refusal = refused.get(id)
      if (refusal !== undefined && refusal.hash === w.hash) return Effect.fail(refusal.error)
      const running = inflight.get(id)
      if (running) return Deferred.await(running)
      return Effect.flatMap(Deferred.make<WriteResult, WriteError>(), (deferred) => {
        inflight.set(id, deferred)
        // every request of the write (look-up, create, update) is counted for its kind of object
        return (s.planning ? plan(w, countedIn(w.entity).has(keyOf(w.key))) : perform(w)).pipe(
          requestsCountedAs(w.entity),
          Effect.exit,
          Effect.flatMap((exit) =>
            Effect.zipRight(
              Deferred.done(deferred, exit),
              Effect.sync(() => {
                inflight.delete(id)
                if (exit._tag === "Success") {
                  remember(id, w.hash, exit.value)
                  tally(w, exit.value)
                }
                else
                  Option.map(Cause.failureOption(exit.cause), (e) => {
                    if (e._tag === "RecordRejected") refused.set(id, { hash: w.hash, error: e })
                  })
              })
            )
          ),
          Effect.zipRight(Deferred.await(deferred))
        )
      })
    })
}
