/**
 * One run of core's pipeline (runMigration and its steps in core/pipeline/run/), in-process with the example csv
 * source reading a local file and a real store: what a run leaves behind whatever source it runs — the run row,
 * the report, the extract's checkpoint named by the source's `scope`, the lock released — and what a dry run does
 * not leave. Sinks, resumption and crashes have suites of their own (conformance kits, test/crash).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { Plugin } from "../../../core/index.ts"
import { silentProgress } from "../../../core/pipeline/Progress.ts"
import { runMigration } from "../../../core/pipeline/runMigration.ts"
import { makeRegistry } from "../../../core/plugin/Registry.ts"
import { SpecDefaults } from "../../../core/spec/SpecDefaults.ts"
import { StateStore } from "../../../core/store/StateStore.ts"
import csv, { demoCsv } from "../../../examples/csv-source/index.ts"

const workdir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-"))
  fs.writeFileSync(path.join(dir, "cases.csv"), demoCsv({ cases: 12 }))
  return dir
}

const run = (plugin: Plugin, dir: string, o: { readonly dryRun?: boolean } = {}) =>
  runMigration({
    command: "run",
    specFile: null,
    statePath: path.join(dir, ".migrate", "state.db"),
    source: { type: plugin.name, config: { file: path.join(dir, "cases.csv"), projectKey: "SHOP" } },
    transforms: [],
    sinks: [],
    runtime: { concurrency: 2, requestTimeoutMs: SpecDefaults.requestTimeoutMs, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, rateLimits: {} },
    dryRun: o.dryRun ?? false,
    full: false,
    sandbox: undefined,
    registry: makeRegistry([plugin]),
    progress: silentProgress
  }).pipe(Effect.scoped)

const checkpoints = (dir: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* StateStore.open(path.join(dir, ".migrate", "state.db"))
      return { scoped: yield* store.extractState("extract:csv:SHOP"), unscoped: yield* store.extractState("extract:csv:") }
    })
  )

describe("runMigration", () => {
  it.live("a run: a full extract, a report on disk, the checkpoint named by the source's scope, the lock released; the next run is incremental", () =>
    Effect.gen(function* () {
      const dir = workdir()
      const first = yield* run(csv, dir)
      expect(first.report.status).toBe("succeeded")
      expect(first.report.extract.mode).toBe("full")
      expect(first.report.source).toEqual({ type: "csv", project: "SHOP" })
      expect(first.report.totals.created).toBeGreaterThan(12)
      expect(fs.existsSync(first.reportPaths!.json) && fs.existsSync(first.reportPaths!.markdown)).toBe(true)
      expect(fs.existsSync(path.join(dir, ".migrate", "state.db.lock.json"))).toBe(false)
      const cp = yield* checkpoints(dir)
      expect(cp.scoped.watermark).toBe(first.report.extract.watermark)
      expect(cp.scoped.unfinished).toBeNull()
      expect(cp.unscoped.watermark).toBeNull()
      // the lock was released: a second run takes it
      const second = yield* run(csv, dir)
      expect(second.report.extract.mode).toBe("incremental")
      expect(second.report.totals.created).toBe(0)
    })
  )

  it.live("a source without a scope has one checkpoint, extract:<plugin>:", () =>
    Effect.gen(function* () {
      const dir = workdir()
      const { scope: _scope, ...unscoped }: Plugin = csv
      const r = yield* run(unscoped, dir)
      expect(r.report.source.project).toBeUndefined()
      const cp = yield* checkpoints(dir)
      expect(cp.unscoped.watermark).toBe(r.report.extract.watermark)
      expect(cp.scoped.watermark).toBeNull()
    })
  )

  it.live("a dry run without sinks reads and counts, and writes nothing: no store, no report", () =>
    Effect.gen(function* () {
      const dir = workdir()
      const r = yield* run(csv, dir, { dryRun: true })
      expect(r.report.dryRun).toBe(true)
      expect(r.report.entities["TestCase"]?.extracted).toBe(12)
      expect(r.reportPaths).toBeUndefined()
      expect(fs.existsSync(path.join(dir, ".migrate"))).toBe(false)
    })
  )
})
