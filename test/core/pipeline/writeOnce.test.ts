/**
 * The exactly-once write against a real SQLite store and a target that behaves like a remote system: it can
 * apply a create and lose the answer, refuse a record, or refuse the credentials. The target here is a few
 * lines of state, not our code: what is under test is the protocol.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ApiError } from "../../../core/errors.ts"
import type { TargetWrite } from "../../../core/plugin/Plugin.ts"
import { makeFailpoints } from "../../../core/pipeline/Failpoint.ts"
import { makeWriteOnce } from "../../../core/pipeline/writeOnce.ts"
import { StateStore, type StateStoreShape } from "../../../core/store/StateStore.ts"

const fail = (reason: ApiError["reason"], status?: number, retryAfterSeconds?: number) =>
  new ApiError({ system: "target", reason, method: "POST", url: "http://target/x", status, retryAfterSeconds, message: `answered ${status ?? reason}` })

/** A remote system: objects by id, with a stamp (the recovery key) to look them up by. */
class Target {
  objects = new Map<string, { stamp: string; body: string }>()
  creates = 0
  updates = 0
  next = 100
  /** The next create is applied, then its answer lost (a dropped connection). */
  loseNextAnswer = false
  refuse: ApiError | undefined
  create(stamp: string, body: string) {
    return Effect.suspend(() => {
      if (this.refuse) return Effect.fail(this.refuse)
      this.creates++
      const id = String(this.next++)
      this.objects.set(id, { stamp, body })
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false
        return Effect.fail(fail("Transport"))
      }
      return Effect.succeed(id)
    })
  }
  find(stamp: string) {
    return Effect.sync(() => Option.fromNullable([...this.objects].find(([, o]) => o.stamp === stamp)?.[0]))
  }
}

const withStore = <A, E>(f: (store: StateStoreShape) => Effect.Effect<A, E>) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "writeonce-")), "state.db")
  return Effect.scoped(Effect.flatMap(StateStore.open(file), f))
}

const setup = (store: StateStoreShape, planning = false, probe?: Effect.Effect<boolean>) => {
  const outcomes: Array<string> = []
  const retried = { count: 0, reasons: [] as Array<string> }
  const write = makeWriteOnce({
    sink: "target",
    runId: "run-1",
    store,
    planning,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    failpoints: makeFailpoints(""),
    // an object's outcome replaced by a more telling one later in the run is taken back (n = -1)
    tally: { record: (_entity, outcome, _planned, n = 1) => (n > 0 ? outcomes.push(outcome) : outcomes.splice(outcomes.lastIndexOf(outcome), 1)) },
    probe,
    onRetry: (e) => {
      retried.count++
      retried.reasons.push(e.reason)
    }
  })
  return { write, outcomes, retried }
}

const caseWrite = (target: Target, key: string, body: string): TargetWrite => ({
  entity: "test-case",
  key,
  label: `PROJ-${key}`,
  hash: `h:${body}`,
  create: target.create(key, body),
  update: (id) => Effect.sync(() => {
    target.updates++
    target.objects.set(id, { stamp: key, body })
  }),
  lookup: target.find(key)
})

describe("writeOnce", () => {
  it.effect("creates once, then answers unchanged without calling the target", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        const first = setup(store)
        const a = yield* first.write(caseWrite(target, "T1", "v1"))
        const second = setup(store)
        const b = yield* second.write(caseWrite(target, "T1", "v1"))
        expect(a.outcome).toBe("created")
        expect(b).toEqual({ targetId: a.targetId, outcome: "unchanged", planned: false })
        expect(target.creates).toBe(1)
        expect(yield* store.mapped("target", "test-case", "T1")).toMatchObject({ target_id: a.targetId, content_hash: "h:v1" })
        expect(yield* store.openIntents()).toEqual([])
      })
    ))

  it.effect("updates the same object when the content changed", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        const a = yield* setup(store).write(caseWrite(target, "T1", "v1"))
        const b = yield* setup(store).write(caseWrite(target, "T1", "v2"))
        expect(b).toMatchObject({ targetId: a.targetId, outcome: "updated" })
        expect(target.objects.get(a.targetId)?.body).toBe("v2")
        expect(target.creates).toBe(1)
        expect((yield* store.mapped("target", "test-case", "T1"))?.content_hash).toBe("h:v2")
      })
    ))

  // real time: the retry waits its (tiny) backoff
  it.live("a create whose answer was lost is found by its recovery key, not sent again", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        target.loseNextAnswer = true
        const { write, outcomes, retried } = setup(store)
        const a = yield* write(caseWrite(target, "T1", "v1"))
        expect(a.outcome).toBe("created")
        expect(target.creates).toBe(1)
        expect(target.objects.size).toBe(1)
        expect(yield* store.openIntents()).toEqual([])
        // counted once, as created; the second attempt (a look-up that found it) is the run's retry
        expect(outcomes).toEqual(["created"])
        expect(retried.count).toBe(1)
      })
    ))

  it.live("a create still refused with 429 after the HTTP retries is retried here, and reported as a throttle", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        let throttled = 1
        const write = caseWrite(target, "T1", "v1")
        const { write: writeOnce, retried } = setup(store)
        const a = yield* writeOnce({ ...write, create: Effect.suspend(() => (throttled-- > 0 ? Effect.fail(fail("RateLimited", 429)) : write.create)) })
        expect(a.outcome).toBe("created")
        expect(target.creates).toBe(1)
        expect(retried.reasons).toEqual(["RateLimited"])
      })
    ))

  it.effect("a create refused with 429 and Retry-After: 30 waits the 30 seconds before it looks up and creates", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        let throttled = 1
        const write = caseWrite(target, "T1", "v1")
        const fiber = yield* Effect.fork(
          setup(store).write({ ...write, create: Effect.suspend(() => (throttled-- > 0 ? Effect.fail(fail("RateLimited", 429, 30)) : write.create)) })
        )
        yield* TestClock.adjust("29 seconds")
        expect(target.creates).toBe(0)
        yield* TestClock.adjust("1 second")
        expect((yield* Fiber.join(fiber)).outcome).toBe("created")
        expect(target.creates).toBe(1)
      })
    ))

  it.effect("an intent left open by a killed run is resolved by lookup: found → recovered, no create", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        // what a run killed between the target's confirmation and the id-map commit leaves behind
        yield* store.recordIntent({ sink: "target", entity: "test-case", source_id: "T1", operation: "create", content_hash: "h:v1", run_id: "run-0" })
        yield* target.create("T1", "v1")
        const { write, outcomes } = setup(store)
        const r = yield* write(caseWrite(target, "T1", "v1"))
        expect(r.outcome).toBe("recovered")
        expect(outcomes).toEqual(["recovered"])
        expect(target.creates).toBe(1)
        expect(yield* store.openIntents()).toEqual([])
      })
    ))

  it.effect("an intent left open before the call reached the target: lookup finds nothing → created once", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        yield* store.recordIntent({ sink: "target", entity: "test-case", source_id: "T1", operation: "create", content_hash: "h:v1", run_id: "run-0" })
        const r = yield* setup(store).write(caseWrite(target, "T1", "v1"))
        expect(r.outcome).toBe("created")
        expect(target.creates).toBe(1)
      })
    ))

  it.effect("a recovered object whose source changed since is updated", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        yield* store.recordIntent({ sink: "target", entity: "test-case", source_id: "T1", operation: "create", content_hash: "h:v1", run_id: "run-0" })
        yield* target.create("T1", "v1")
        const r = yield* setup(store).write(caseWrite(target, "T1", "v2"))
        expect(r.outcome).toBe("updated")
        expect(target.creates).toBe(1)
        expect([...target.objects.values()][0]?.body).toBe("v2")
      })
    ))

  it.effect("a 400 refuses this record only: RecordRejected with the message, intent dropped", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        target.refuse = fail("BadRequest", 400)
        const e = yield* Effect.flip(setup(store).write(caseWrite(target, "T1", "v1")))
        expect(e._tag).toBe("RecordRejected")
        expect(e.message).toContain("400")
        expect(yield* store.openIntents()).toEqual([])
        target.refuse = undefined
        expect((yield* setup(store).write(caseWrite(target, "T2", "v1"))).outcome).toBe("created")
      })
    ))

  it.effect("a 401 stops the load with a hint; the intent stays for the next run", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        target.refuse = fail("Unauthorized", 401)
        const e = yield* Effect.flip(setup(store).write(caseWrite(target, "T1", "v1")))
        expect(e._tag).toBe("SystemError")
        if (e._tag === "SystemError") {
          expect(e.reason).toBe("Unauthorized")
          expect(e.hint).toContain("token")
        }
        target.refuse = undefined
        expect((yield* setup(store).write(caseWrite(target, "T1", "v1"))).outcome).toBe("created")
        expect(target.creates).toBe(1)
      })
    ))

  it.effect("planning sends nothing and answers planned ids", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        const created = yield* setup(store).write(caseWrite(target, "T1", "v1"))
        const { write, outcomes } = setup(store, true)
        const unchanged = yield* write(caseWrite(target, "T1", "v1"))
        const changed = yield* write(caseWrite(target, "T1", "v2"))
        const fresh = yield* write(caseWrite(target, "T9", "v1"))
        expect(unchanged).toEqual({ targetId: created.targetId, outcome: "unchanged", planned: true })
        expect(changed.outcome).toBe("updated")
        expect(fresh).toEqual({ targetId: "planned:test-case:T9", outcome: "created", planned: true })
        // T1 asked twice in the run is one object, tallied by what happened to it last: updated
        expect(outcomes).toEqual(["updated", "created"])
        expect(target.creates).toBe(1)
        expect(target.updates).toBe(0)
        expect(yield* store.mapped("target", "test-case", "T9")).toBeUndefined()
      })
    ))

  it.effect("concurrent writes of one object (a case and its caller) share one create and count once", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        const { write, outcomes } = setup(store)
        const results = yield* Effect.all(
          Array.from({ length: 5 }, () => write(caseWrite(target, "T1", "v1"))),
          { concurrency: "unbounded" }
        )
        expect(new Set(results.map((r) => r.targetId)).size).toBe(1)
        expect(target.creates).toBe(1)
        expect(outcomes).toEqual(["created"])
      })
    ))

  // it.live: the backoff between attempts (a few ms) sleeps on the real clock
  it.live("a create failing at every attempt while the target answers others: that record set aside, its intent kept; the next run looks, then creates", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        target.refuse = fail("Server", 500)
        const { write } = setup(store, false, Effect.succeed(true))
        const failed = yield* Effect.flip(write(caseWrite(target, "T1", "v1")))
        expect(failed._tag).toBe("RecordRejected")
        expect(failed).toMatchObject({ reason: "Failing", key: "T1", status: 500 })
        // a 5xx proves nothing: the intent stays, so the next run looks before it creates
        expect((yield* store.openIntents("target")).map((i) => i.source_id)).toEqual(["T1"])
        target.refuse = undefined
        const next = yield* setup(store).write(caseWrite(target, "T1", "v1"))
        expect(next.outcome).toBe("created")
        expect(target.creates).toBe(1)
        expect(yield* store.openIntents("target")).toEqual([])
      })
    ))

  it.live("…and when the target answers nothing else either, the load stops (SystemError), as an outage must", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const target = new Target()
        target.refuse = fail("Server", 503)
        const stopped = yield* Effect.flip(setup(store, false, Effect.succeed(false)).write(caseWrite(target, "T1", "v1")))
        expect(stopped._tag).toBe("SystemError")
      })
    ))
})
