/**
 * `migrate run` in-process with the qTest sink: the same `runMigration` the CLI calls, with the built-in
 * registry, from a Zephyr sandbox into a qTest sandbox (both real servers over loopback, started by the test),
 * into a real SQLite store. The spec section is the one a user writes for a rehearsal: the fields the data needs
 * are created, Zephyr users map to the sandbox's API user.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Chunk, Effect, Stream } from "effect"
import type { EntityName } from "../../../../core/index.ts"
import type { SinkLoadReport } from "../../../../core/pipeline/LoadReport.ts"
import type { RunReport } from "../../../../core/report/RunReport.ts"
import { makeRegistry } from "../../../../core/plugin/Registry.ts"
import { silentProgress } from "../../../../core/pipeline/Progress.ts"
import { runMigration } from "../../../../core/pipeline/runMigration.ts"
import { StateStore } from "../../../../core/store/StateStore.ts"
import { builtinPlugins } from "../../../../plugins/builtins.ts"
import type { RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import type { RunningZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import type { QtestTarget } from "./qtestContents.ts"

/** The qTest sandbox's API user (its default login). */
export const SANDBOX_USER = "migration-bot@example.com"

export const targetOf = (qtest: RunningQtestSandbox): QtestTarget => ({ baseUrl: qtest.baseUrl, projectId: qtest.projectId, token: qtest.token })

/** The qtest sink's section of the spec, pointed at a sandbox. */
export const qtestSection = (qtest: QtestTarget) => ({
  type: "qtest",
  config: { baseUrl: qtest.baseUrl, projectId: qtest.projectId, token: qtest.token, createMissingFields: true, maps: { users: { default: SANDBOX_USER } } }
})

export interface LoadRunOptions {
  readonly zephyr: RunningZephyrSandbox
  readonly qtest: QtestTarget
  readonly statePath: string
  /** Extract only (no sink): a store to copy for several loads (copyStore). */
  readonly extractOnly?: boolean
}

/** One run: extract (a full pass the first time, incremental after) and load qTest; answers the report. */
export const runLoad = (o: LoadRunOptions) =>
  runMigration({
    command: "run",
    specFile: null,
    statePath: o.statePath,
    source: { type: "zephyr", config: { baseUrl: o.zephyr.baseUrl, token: o.zephyr.token, projectKey: o.zephyr.projectKey } },
    transforms: [],
    sinks: o.extractOnly ? [] : [qtestSection(o.qtest)],
    runtime: { concurrency: 4, requestTimeoutMs: 10_000, retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 10 }, rateLimits: {} },
    dryRun: false,
    full: false,
    sandbox: undefined,
    registry: makeRegistry(builtinPlugins),
    progress: silentProgress
  }).pipe(
    Effect.map((r) => r.report),
    Effect.scoped
  )

/**
 * A copy of a store (its directory: the SQLite file and the blob store) for another load. Two loads compared
 * with each other must start from one extract: the timestamps the extract derives (e.g. the end of an execution
 * that never ran, which Zephyr does not publish) are the time of the extract.
 */
export const copyStore = (statePath: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qtest-load-copy-"))
  fs.cpSync(path.dirname(statePath), path.join(dir, ".migrate"), { recursive: true })
  return path.join(dir, ".migrate", path.basename(statePath))
}

/** The report's load section of the qtest sink (there is one sink). */
export const qtestLoad = (report: RunReport): SinkLoadReport => {
  const l = report.load.find((x) => x.sink === "qtest")
  if (l === undefined) throw new Error(`the report has no qtest load: ${JSON.stringify(report.load)}`)
  return l
}

/** Every canonical record of an entity in a store, decoded as the sink reads them. */
export const storeRows = <E extends EntityName>(statePath: string, entity: E) =>
  Effect.scoped(Effect.flatMap(StateStore.open(statePath), (store) => store.rows(entity)))

/** The store's open intents and id map rows of the qtest sink. */
export const idMapOf = (statePath: string) =>
  Effect.scoped(
    Effect.flatMap(StateStore.open(statePath), (store) =>
      Effect.all({ rows: Effect.map(Stream.runCollect(store.mappedRows("qtest")), Chunk.toReadonlyArray), openIntents: store.openIntents("qtest") })
    )
  )
