/**
 * The conformance kit for sink plugins: one suite every sink is held to, next to the source kit
 * (sourceConformance.ts). A sink's test file calls
 *
 *   sinkConformance("qtest", adapter)
 *
 * and gets six checks, each driven through core's real pipeline (`runMigration` with the built-in registry, the
 * Zephyr sandbox's demo tenant as the source, a real SQLite store) against the sink's live layer and its sandbox:
 * 1. create — a store loads into an empty target: the target holds what the store holds, the report says created;
 * 2. re-run — a second run writes nothing (all unchanged) and the target is identical;
 * 3. change — after a record changes in the store, the next run updates exactly the objects that changed on the
 *    target, and the target equals a clean load of the changed store into an empty one;
 * 4. crash and resume — a run interrupted mid-load, then a normal run: the target equals an uninterrupted load,
 *    nothing twice;
 * 5. refusal — the target refuses one record: it is rejected and quarantined in the report, the others load;
 * 6. verify — the sink's `verify` (when it has one) finds everything matching, then a difference after the target
 *    was edited behind the sink's back.
 *
 * One extract of the demo tenant is made before the checks and copied for each load (two loads compared with each
 * other must start from one extract: an extract derives some timestamps from the time it runs).
 * The adapter says how to start an empty target and read it back as an id-free snapshot (see `SinkAdapter`).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Scope } from "effect"
import { type EntityName, record, type EntityTypes } from "../../core/index.ts"
import type { SinkLoadReport } from "../../core/pipeline/LoadReport.ts"
import { prepareRecord } from "../../core/pipeline/prepareRecord.ts"
import { type Progress, silentProgress } from "../../core/pipeline/Progress.ts"
import { type PluginSection, runMigration } from "../../core/pipeline/runMigration.ts"
import { verifySinks } from "../../core/pipeline/verifySinks.ts"
import { makeRegistry } from "../../core/plugin/Registry.ts"
import type { RunReport } from "../../core/report/RunReport.ts"
import { StateStore } from "../../core/store/StateStore.ts"
import { builtinPlugins } from "../../plugins/builtins.ts"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"

/**
 * A target read back without the sink's code paths that matter: per object kind (named as the sink's load report
 * names it), per natural or source key, the object as the target holds it — no id the target assigned, nothing
 * that changes by itself (load times). Two targets loaded from one store must give equal snapshots.
 */
export interface Snapshot {
  readonly objects: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** What the target holds twice (a key met a second time while reading): must be empty. */
  readonly duplicates: ReadonlyArray<string>
}

/** One empty target (a sandbox) the sink loads into. */
export interface SinkTarget {
  /** The sink's section of the spec, pointed at this target (`config` as `make` receives it). */
  readonly section: PluginSection
  readonly snapshot: Effect.Effect<Snapshot>
  /** Edits one loaded object on the target behind the sink's back, as a user would. */
  readonly tamper: Effect.Effect<void>
}

/** The record a target was made to refuse, as the report and the snapshot name it. */
export interface Refusal {
  /** The object kind, as the load report names it. */
  readonly kind: string
  /** The record's key in the report's `rejected` list. */
  readonly reportKey: string
  /** Its key in the snapshot. */
  readonly snapshotKey: string
}

export interface SinkAdapter {
  /** The sink plugin's name (the registry's, the report's `load[].sink`). */
  readonly sink: string
  /** A fresh, empty target; it stops with the scope. */
  readonly start: Effect.Effect<SinkTarget, unknown, Scope.Scope>
  /**
   * Per kind the target's objects map 1:1 to store records, how many the store's records make (kinds whose number
   * is not a plain count of one entity — a qTest test run per case and cycle — are left out).
   */
  readonly expectedCounts: (statePath: string) => Effect.Effect<Readonly<Record<string, number>>>
  /**
   * Makes the next load refuse one record: a rule on the target (the qTest sandbox's reject rule) or a record in
   * the store the target cannot take (a number beyond Snowflake's NUMBER(38,0)).
   */
  readonly refuseOne: (target: SinkTarget, statePath: string) => Effect.Effect<Refusal>
  /**
   * What of a snapshot a clean load reproduces, when the target keeps history a clean load cannot have (qTest
   * versions a test case on update; its older test logs keep pointing at the older version's steps). Used by the
   * change check on both sides of every comparison; default: the whole snapshot.
   */
  readonly withoutHistory?: ((s: Snapshot) => Snapshot) | undefined
  /** Whether the sink has `verify` (default true). */
  readonly verifies?: boolean | undefined
}

// ---------------------------------------------------------------------------------------------------------------
// driving the pipeline

const tempStatePath = (prefix: string): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), prefix)), ".migrate", "state.db")

/** A copy of a store (its directory, without run reports) to load somewhere else. */
export const copyStore = (statePath: string): string => {
  const copy = tempStatePath("sink-conformance-copy-")
  fs.cpSync(path.dirname(statePath), path.dirname(copy), { recursive: true, filter: (p) => !p.includes(`${path.sep}runs`) })
  return copy
}

const runtime = { concurrency: 4, requestTimeoutMs: 10_000, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 10 }, rateLimits: {} }

/** One `migrate run`, in-process: an (incremental) extract of the Zephyr sandbox, then the sections' loads. */
export const runOnce = (zephyr: RunningZephyrSandbox, statePath: string, sinks: ReadonlyArray<PluginSection>, progress: Progress = silentProgress) =>
  runMigration({
    command: "run",
    specFile: null,
    statePath,
    source: { type: "zephyr", config: { baseUrl: zephyr.baseUrl, token: zephyr.token, projectKey: zephyr.projectKey } },
    transforms: [],
    sinks,
    runtime,
    dryRun: false,
    full: false,
    sandbox: undefined,
    registry: makeRegistry(builtinPlugins),
    progress
  }).pipe(
    Effect.map((r) => r.report),
    Effect.scoped
  )

const verifyOnce = (statePath: string, section: PluginSection) =>
  verifySinks({ statePath, sinks: [section], runtime, registry: makeRegistry(builtinPlugins), sandbox: undefined }).pipe(Effect.scoped)

const loadOf = (report: RunReport, sink: string): SinkLoadReport => {
  const l = report.load.find((x) => x.sink === sink)
  if (l === undefined) throw new Error(`the report has no ${sink} load: ${JSON.stringify(report.load)}`)
  return l
}

/** Objects per kind, kinds with none left out. */
export const countsOf = (s: Snapshot): Record<string, number> =>
  Object.fromEntries(
    Object.entries(s.objects)
      .map(([kind, objects]) => [kind, Object.keys(objects).length] as const)
      .filter(([, n]) => n > 0)
  )

/** Per kind, the keys whose object differs between two snapshots (added, gone or changed). */
export const changedKeys = (before: Snapshot, after: Snapshot): Record<string, ReadonlyArray<string>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const kind of new Set([...Object.keys(before.objects), ...Object.keys(after.objects)])) {
    const a = before.objects[kind] ?? {}
    const b = after.objects[kind] ?? {}
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort()
    if (keys.length > 0) out[kind] = keys
  }
  return out
}

/** A kind's counts in the report, zero ones left out. */
const reported = (load: SinkLoadReport, outcome: "created" | "updated" | "recovered" | "adopted" | "removed" | "rejected" | "skipped") =>
  Object.fromEntries(
    Object.entries(load.entities)
      .map(([kind, c]) => [kind, c[outcome]] as const)
      .filter(([, n]) => n > 0)
  )

// ---------------------------------------------------------------------------------------------------------------
// editing a store as a source change would

/**
 * Rewrites the first record of `entity` (by source id) in the store with `fields` changed, hashed again by core,
 * as an extract of a changed source would store it. Answers the record's data before the change.
 */
export const editStore = <E extends EntityName>(statePath: string, entity: E, fields: (old: EntityTypes[E]) => Partial<EntityTypes[E]>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* StateStore.open(statePath).pipe(Effect.orDie)
      const rows = [...(yield* store.rows(entity).pipe(Effect.orDie))] as Array<EntityTypes[E]>
      rows.sort((a, b) => String((a as { source_id: unknown }).source_id).localeCompare(String((b as { source_id: unknown }).source_id)))
      const old = rows[0]
      if (old === undefined) return yield* Effect.dieMessage(`the store has no ${entity}`)
      const { content_hash: _, ...data } = { ...old, ...fields(old) } as EntityTypes[E] & { content_hash?: string }
      const prepared = prepareRecord(record(entity, data as never), new Date().toISOString())
      if (prepared.entity === "Quarantine") return yield* Effect.dieMessage(`the edited ${entity} is not canonical: ${JSON.stringify(prepared.data)}`)
      yield* store.writeBatch([prepared]).pipe(Effect.orDie)
      return old
    })
  )

// ---------------------------------------------------------------------------------------------------------------

/** Progress that completes `started` when the sink reports its first written object. */
const interruptAtFirstWrite = (sink: string, started: Deferred.Deferred<void>): Progress => ({
  ...silentProgress,
  event: (kind, fields) => {
    if (kind === "load" && fields["sink"] === sink && Number(fields["written"] ?? 0) > 0) Effect.runSync(Deferred.succeed(started, undefined))
  }
})

export const sinkConformance = (name: string, adapter: SinkAdapter, o: { readonly timeoutMs?: number } = {}) =>
  describe(`sink conformance: ${name}`, () => {
    const timeout = o.timeoutMs ?? 120_000
    let scope: Scope.CloseableScope | undefined
    let zephyr: RunningZephyrSandbox
    /** The demo tenant, extracted once, never loaded: copy it (copyStore) for every load. */
    let extracted: string
    /** A clean load of `extracted` into an empty target. */
    let reference: Snapshot

    beforeAll(async () => {
      scope = await Effect.runPromise(Scope.make())
      zephyr = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: demoData() }), scope))
      extracted = tempStatePath("sink-conformance-")
      const report = await Effect.runPromise(runOnce(zephyr, extracted, []))
      expect(report.status).toBe("succeeded")
    }, timeout)
    afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))

    /** A clean load of a copy of `statePath` into a fresh target. */
    const cleanLoad = (statePath: string) =>
      Effect.gen(function* () {
        const target = yield* adapter.start
        const copy = copyStore(statePath)
        const report = yield* runOnce(zephyr, copy, [target.section])
        return { target, statePath: copy, report, load: loadOf(report, adapter.sink), snapshot: yield* target.snapshot }
      })

    it.scopedLive(
      "create: a store loads into an empty target; the target holds every record, the report counts them created",
      () =>
        Effect.gen(function* () {
          const { statePath, report, load, snapshot } = yield* cleanLoad(extracted)
          expect(report.error).toBeUndefined()
          expect(report.status).toBe("succeeded")
          expect(load.totals).toMatchObject({ rejected: 0, skipped: 0, updated: 0 })
          expect(snapshot.duplicates).toEqual([])
          const counts = countsOf(snapshot)
          // what the store holds, kind by kind
          const expected = yield* adapter.expectedCounts(statePath)
          expect(Object.keys(expected).length, "the adapter names kinds to count").toBeGreaterThan(0)
          for (const [kind, n] of Object.entries(expected)) expect(counts[kind] ?? 0, `${kind}: objects on the target`).toBe(n)
          // and the report counts them created
          for (const [kind, n] of Object.entries(expected)) expect(load.entities[kind]?.created ?? 0, `${kind}: reported created`).toBe(n)
          // every kind the snapshot shows was reported created, and none twice
          for (const [kind, n] of Object.entries(counts)) expect(load.entities[kind]?.created ?? 0, `${kind}: reported created`).toBeGreaterThan(0), expect(load.entities[kind]?.created ?? 0, `${kind}: reported created`).toBeLessThanOrEqual(n)
          reference = snapshot
        }),
      timeout
    )

    it.scopedLive(
      "re-run: a second run creates and updates nothing (all unchanged) and the target is identical",
      () =>
        Effect.gen(function* () {
          const first = yield* cleanLoad(extracted)
          const second = loadOf(yield* runOnce(zephyr, first.statePath, [first.target.section]), adapter.sink)
          expect(second.totals).toMatchObject({ created: 0, updated: 0, recovered: 0, adopted: 0, stale: 0, removed: 0, rejected: 0, skipped: 0 })
          // every object written once is found unchanged (kinds a sink does not compare again — qTest's fields,
          // written only when missing — are not reported by the second run)
          for (const kind of Object.keys(yield* adapter.expectedCounts(first.statePath))) expect(second.entities[kind], `${kind}: reported`).toBeDefined()
          for (const [kind, c] of Object.entries(second.entities)) expect(c.unchanged, `${kind}: unchanged`).toBe(first.load.entities[kind]?.created)
          expect(yield* first.target.snapshot).toEqual(first.snapshot)
        }),
      timeout
    )

    it.scopedLive(
      "change: the next run updates exactly the changed objects, and the target equals a clean load of the changed store",
      () =>
        Effect.gen(function* () {
          const loaded = yield* cleanLoad(extracted)
          const pristine = copyStore(extracted)
          // the same change in the loaded store and in a never-loaded copy: a test case renamed at the source
          const rename = (old: EntityTypes["TestCase"]) => ({ name: `${old.name} (renamed at the source)` })
          yield* editStore(loaded.statePath, "TestCase", rename)
          yield* editStore(pristine, "TestCase", rename)

          const load = loadOf(yield* runOnce(zephyr, loaded.statePath, [loaded.target.section]), adapter.sink)
          const comparable = adapter.withoutHistory ?? ((s: Snapshot) => s)
          const after = comparable(yield* loaded.target.snapshot)
          const changed = changedKeys(comparable(loaded.snapshot), after)
          expect(Object.keys(changed).length, "the change reached the target").toBeGreaterThan(0)
          expect(load.totals).toMatchObject({ created: 0, removed: 0, rejected: 0, skipped: 0 })
          // what moved on the target is what the report says it updated, kind by kind, and nothing else moved
          // (kinds the snapshot does not show — a qTest approval — are the adapter's to leave out)
          const shown = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([k]) => k in after.objects))
          expect(shown(reported(load, "updated"))).toEqual(Object.fromEntries(Object.entries(changed).map(([k, keys]) => [k, keys.length])))
          expect(after.duplicates).toEqual([])

          const clean = yield* cleanLoad(pristine)
          expect(after).toEqual(comparable(clean.snapshot))
        }),
      timeout
    )

    it.scopedLive(
      "crash and resume: a run interrupted mid-load, then a normal run, leaves the target as an uninterrupted load, nothing twice",
      () =>
        Effect.gen(function* () {
          const target = yield* adapter.start
          const statePath = copyStore(extracted)
          const started = yield* Deferred.make<void>()
          const fiber = yield* Effect.fork(runOnce(zephyr, statePath, [target.section], interruptAtFirstWrite(adapter.sink, started)))
          const which = yield* Effect.raceFirst(Effect.as(Deferred.await(started), "started" as const), Effect.as(Fiber.await(fiber), "ended" as const))
          expect(which, "the run wrote something before it ended, so it could be interrupted").toBe("started")
          // the first write may be one the snapshot does not show (a qTest field): wait until it shows one
          let partial = yield* target.snapshot
          while (Object.keys(countsOf(partial)).length === 0 && (yield* Fiber.poll(fiber))._tag === "None") partial = yield* target.snapshot
          yield* Fiber.interrupt(fiber)
          partial = yield* target.snapshot
          const total = Object.values(countsOf(reference ?? (yield* cleanLoad(extracted)).snapshot)).reduce((a, b) => a + b, 0)
          const some = Object.values(countsOf(partial)).reduce((a, b) => a + b, 0)
          expect(some, "objects on the target when interrupted").toBeGreaterThan(0)
          expect(some, "objects on the target when interrupted").toBeLessThan(total)

          const resumed = yield* runOnce(zephyr, statePath, [target.section])
          expect(resumed.status).toBe("succeeded")
          const load = loadOf(resumed, adapter.sink)
          expect(load.totals).toMatchObject({ rejected: 0, skipped: 0 })
          const after = yield* target.snapshot
          expect(after.duplicates).toEqual([])
          expect(after).toEqual(reference ?? (yield* cleanLoad(extracted)).snapshot)
        }),
      timeout
    )

    it.scopedLive(
      "refusal: the record the target refuses is rejected and quarantined, the others load",
      () =>
        Effect.gen(function* () {
          const target = yield* adapter.start
          const statePath = copyStore(extracted)
          const refusal = yield* adapter.refuseOne(target, statePath)
          const report = yield* runOnce(zephyr, statePath, [target.section])
          expect(report.status).toBe("succeeded-with-quarantine")
          const load = loadOf(report, adapter.sink)
          expect(load.rejected.map((r) => [r.entity, r.key])).toEqual([[refusal.kind, refusal.reportKey]])
          expect(reported(load, "rejected")).toEqual({ [refusal.kind]: 1 })
          expect(report.quarantined).toEqual([expect.objectContaining({ entity: `${adapter.sink}/${refusal.kind}`, sourceId: refusal.reportKey })])

          const snapshot = yield* target.snapshot
          expect(snapshot.duplicates).toEqual([])
          const full = reference ?? (yield* cleanLoad(extracted)).snapshot
          // the refused record is missing, and only it of its kind
          expect(Object.keys(full.objects[refusal.kind] ?? {}), "the refused record is a record of the reference").toContain(refusal.snapshotKey)
          expect(Object.keys(snapshot.objects[refusal.kind] ?? {}).sort()).toEqual(Object.keys(full.objects[refusal.kind] ?? {}).filter((k) => k !== refusal.snapshotKey).sort())
          // the others load: what a record depends on may be missing only when the report says it was skipped
          const missing = Object.entries(changedKeys(snapshot, full)).filter(([kind]) => kind !== refusal.kind)
          for (const [kind, keys] of missing) {
            const present = keys.filter((k) => (snapshot.objects[kind] ?? {})[k] !== undefined)
            expect(present, `${kind}: objects that differ from a clean load`).toEqual([])
          }
          const skipped = reported(load, "skipped")
          for (const [kind, n] of Object.entries(skipped)) expect(missing.find(([k]) => k === kind)?.[1].length ?? 0, `${kind}: missing as reported skipped`).toBe(n)
        }),
      timeout
    )

    it.scopedLive.skipIf(adapter.verifies === false)(
      "verify: everything matches after a load; a difference after the target is edited behind the sink's back",
      () =>
        Effect.gen(function* () {
          const { target, statePath } = yield* cleanLoad(extracted)
          const [clean] = yield* verifyOnce(statePath, target.section)
          expect(clean).toMatchObject({ sink: adapter.sink, supported: true, ok: true, differences: [], openIntents: 0 })
          const matched = Object.values(clean!.entities).reduce((n, c) => n + c.match, 0)
          expect(matched).toBeGreaterThan(0)
          for (const c of Object.values(clean!.entities)) expect(c).toMatchObject({ mismatch: 0, missing: 0, extra: 0 })

          yield* target.tamper
          const [edited] = yield* verifyOnce(statePath, target.section)
          expect(edited!.ok).toBe(false)
          expect(edited!.differences.length).toBeGreaterThan(0)
        }),
      timeout
    )
  })
