/**
 * The conformance kit for source plugins: one suite every source is held to, whoever wrote it (Airbyte's
 * acceptance tests, the Singer SDK's standard tests). A plugin's test file calls
 *
 *   describeSourceConformance("csv", () => Effect.gen(function* () { ... return { plugin, config, badConfig, expected } }))
 *
 * and gets: its config examples validate against its own schema (ajv 2020, as the spec loader does) and the
 * schema rejects unknown keys; `check` passes for the good config and fails with a SystemError carrying a hint
 * for the bad one; extract is complete (the counts and, optionally, the fingerprint the setup expects) and every
 * record is valid canonical; a second extract yields the same records with the same content hashes; and a run
 * (core's `runMigration`, real store) interrupted after it committed some records, then run again, leaves the
 * store exactly as an uninterrupted run does.
 *
 * `setup` runs once per test inside the test's scope, so a sandbox it starts stops with the test.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Option, type Scope, Stream } from "effect"
import { entityOrder, type CanonicalRecord, type EntityName, type Plugin, type SourceInstance } from "../../core/index.ts"
import { makePluginContext } from "../../core/testing.ts"
import { silentProgress } from "../../core/pipeline/Progress.ts"
import { prepareRecord } from "../../core/pipeline/prepareRecord.ts"
import { runMigration } from "../../core/pipeline/runMigration.ts"
import { makeRegistry } from "../../core/plugin/Registry.ts"
import { SpecDefaults } from "../../core/spec/SpecDefaults.ts"
import { makeSpecSchemas } from "../../core/spec/SpecSchemas.ts"
import { committedRows, runStatuses, storeSnapshot } from "./storeSnapshot.ts"

export interface SourceConformanceSetup {
  /** The plugin under test, as the registry would hold it (a module's default export). */
  readonly plugin: Plugin
  /** A config that works — pointing at a running sandbox or a fixture — as `make` receives it (secrets `Redacted`). */
  readonly config: Readonly<Record<string, unknown>>
  /** A config `check` must refuse with a SystemError (wrong token, missing file, …). */
  readonly badConfig: Readonly<Record<string, unknown>>
  readonly expected: {
    /** Records per entity a complete extract yields; entities not named must yield none. */
    readonly counts: Readonly<Partial<Record<EntityName, number>>>
    /** Quarantine items a complete extract yields (default 0). */
    readonly quarantined?: number | undefined
    /** sha256 of the sorted `entity\tsource_id\tcontent_hash` lines; the failure message prints the actual one. */
    readonly fingerprint?: string | undefined
  }
}

export type Setup = () => Effect.Effect<SourceConformanceSetup, unknown, Scope.Scope>

/** The run start time every prepared record gets, so two extracts compare equal field by field. */
const NOW = "2030-01-01T00:00:00.000Z"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "conformance-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const isRecord = (item: { readonly entity: string }): item is CanonicalRecord => (entityOrder as ReadonlyArray<string>).includes(item.entity)

const makeSource = (plugin: Plugin, config: Readonly<Record<string, unknown>>) =>
  Effect.gen(function* () {
    const stateDir = yield* tempDir
    const ctx = yield* makePluginContext({ system: plugin.name, stateDir, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 10 } })
    return (yield* plugin.make(config, ctx)) as SourceInstance
  })

/** Every item of one extract; control items (checkpoints and the like) are the pipeline's and are left out. */
const extractAll = (source: SourceInstance) =>
  Effect.map(Stream.runCollect(source.extract({})), (items) => Chunk.toReadonlyArray(items) as ReadonlyArray<{ readonly entity: string; readonly data: unknown }>)

const countsOf = (items: ReadonlyArray<{ readonly entity: string }>) => {
  const counts: Record<string, number> = {}
  for (const item of items) if (isRecord(item)) counts[item.entity] = (counts[item.entity] ?? 0) + 1
  return counts
}

const prepared = (items: ReadonlyArray<{ readonly entity: string; readonly data: unknown }>) =>
  items.filter(isRecord).map((r) => prepareRecord(r, NOW))

const fingerprintOf = (items: ReadonlyArray<{ readonly entity: string; readonly data: unknown }>) =>
  createHash("sha256")
    .update(
      prepared(items)
        .map((p) => (p.entity === "Quarantine" ? `Quarantine\t${p.data.of}\t${p.data.source_id}` : `${p.entity}\t${p.data.source_id}\t${p.data.content_hash}`))
        .sort()
        .join("\n")
    )
    .digest("hex")

/** A run of core's pipeline into `statePath`, as `migrate run` does it, with nothing printed. */
const run = (plugin: Plugin, config: Readonly<Record<string, unknown>>, statePath: string) =>
  runMigration({
    command: "conformance",
    specFile: null,
    statePath,
    source: { type: plugin.name, config },
    transforms: [],
    sinks: [],
    runtime: { concurrency: 4, requestTimeoutMs: SpecDefaults.requestTimeoutMs, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 10 }, rateLimits: {} },
    dryRun: false,
    full: false,
    sandbox: undefined,
    registry: makeRegistry([plugin]),
    progress: silentProgress
  }).pipe(Effect.scoped)

/** The plugin with every extracted item delayed, so a run lasts long enough to be cut off mid-way. */
const slowed = (plugin: Plugin, delay: Duration.DurationInput): Plugin =>
  ({
    ...plugin,
    make: (config, ctx) =>
      Effect.map(plugin.make(config, ctx), (instance) => {
        const source = instance as SourceInstance
        return { ...source, extract: (options) => source.extract(options).pipe(Stream.tap(() => Effect.sleep(delay))) } satisfies SourceInstance
      })
  })

export const describeSourceConformance = (name: string, setup: Setup) =>
  describe(`source conformance: ${name}`, () => {
    it.scopedLive("is a source plugin whose config examples validate against its configSchema", () =>
      Effect.gen(function* () {
        const { plugin } = yield* setup()
        expect(plugin.kind).toBe("source")
        const examples = plugin.examples ?? []
        expect(examples.length, "a plugin documents its config with at least one example").toBeGreaterThan(0)
        const schemas = makeSpecSchemas()
        for (const example of examples) {
          const errors = schemas.checkSection(plugin.configSchema, example)
          expect(errors, `example ${JSON.stringify(example)}`).toEqual([])
        }
        // Typos in a spec must be errors, so the schema has to reject keys it does not know.
        const typo = { ...examples[0], definitelyNotAKey: true }
        const errors = schemas.checkSection(plugin.configSchema, typo)
        expect(typeof errors === "string" ? [errors] : errors.map((e) => e.keyword)).toContain("additionalProperties")
      }))

    it.scopedLive("check passes for the good config", () =>
      Effect.gen(function* () {
        const { plugin, config } = yield* setup()
        const source = yield* makeSource(plugin, config)
        yield* source.check
      }))

    it.scopedLive("check fails for the bad config with a SystemError that says what to do", () =>
      Effect.gen(function* () {
        const { plugin, badConfig } = yield* setup()
        const failure = yield* Effect.flip(Effect.flatMap(makeSource(plugin, badConfig), (s) => s.check))
        expect(failure).toMatchObject({ _tag: "SystemError", system: plugin.name })
        expect((failure as { hint?: unknown }).hint).toEqual(expect.stringMatching(/\S/))
      }))

    it.scopedLive("extract is complete: every expected record, each valid canonical", () =>
      Effect.gen(function* () {
        const { plugin, config, expected } = yield* setup()
        const items = yield* extractAll(yield* makeSource(plugin, config))
        const want = Object.fromEntries(Object.entries(expected.counts).filter(([, n]) => n !== 0))
        expect(countsOf(items)).toEqual(want)
        expect(items.filter((i) => i.entity === "Quarantine").length).toBe(expected.quarantined ?? 0)
        const invalid = prepared(items).filter((p) => p.entity === "Quarantine")
        expect(invalid.map((q) => q.data), "records that fail their canonical schema").toEqual([])
        if (expected.fingerprint !== undefined) expect(fingerprintOf(items), "fingerprint of the extract").toBe(expected.fingerprint)
      }))

    it.scopedLive("re-extract is stable: the same records with the same content hashes", () =>
      Effect.gen(function* () {
        const { plugin, config } = yield* setup()
        const source = yield* makeSource(plugin, config)
        const first = prepared(yield* extractAll(source))
        const second = prepared(yield* extractAll(source))
        const keys = (ps: typeof first) => ps.map((p) => (p.entity === "Quarantine" ? ["Quarantine", p.data.source_id] : [p.entity, p.data.source_id, p.data.content_hash]))
        expect(keys(second)).toEqual(keys(first))
        expect(second).toEqual(first)
      }))

    it.scopedLive("an interrupted extract resumes: the store ends as an uninterrupted run leaves it", () =>
      Effect.gen(function* () {
        const { plugin, config, expected } = yield* setup()
        const dir = yield* tempDir
        const total = Object.values(expected.counts).reduce((a, b) => a + (b ?? 0), 0)
        // ~3 s of extract whatever the size, so core commits (every second or 500 records) before it is cut off.
        const delay = Duration.millis(Math.max(2, Math.ceil(3000 / Math.max(total, 1))))

        const reference = path.join(dir, "reference", "state.db")
        yield* run(plugin, config, reference)

        const resumed = path.join(dir, "resumed", "state.db")
        const fiber = yield* Effect.fork(run(slowed(plugin, delay), config, resumed))
        const partial = yield* Effect.gen(function* () {
          for (;;) {
            const n = committedRows(resumed)
            if (n > 0) return n
            if (Option.isSome(yield* Fiber.poll(fiber))) return yield* Effect.dieMessage("the run ended before it committed anything to interrupt")
            yield* Effect.sleep("20 millis")
          }
        })
        yield* Fiber.interrupt(fiber)
        expect(partial, "records committed when the interruption was sent").toBeLessThan(total)
        expect(committedRows(resumed), "records committed by the interrupted run").toBeLessThan(total)
        expect(runStatuses(resumed)).toEqual(["interrupted"])

        yield* run(plugin, config, resumed)
        expect(runStatuses(resumed)).toEqual(["interrupted", expected.quarantined ? "succeeded-with-quarantine" : "succeeded"])
        expect(storeSnapshot(resumed)).toEqual(storeSnapshot(reference))
      }))
  })
