/**
 * One `migrate run` of a chaos scenario, in-process: the same `runMigration` the CLI calls, with the built-in
 * registry, extracting the tenant from the Zephyr sandbox and loading both sinks, under a compressed clock
 * (CompressedClock.ts). The spec is a user's, with production backoff (`baseDelayMs` 500, `maxDelayMs` 60 s)
 * and a request timeout short enough to stay on real time (400 ms: a sandbox's slow answer outlasts it).
 * A run that fails answers its error and the report it left on disk, as the CLI would show them.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { makeRegistry } from "../../core/plugin/Registry.ts"
import { silentProgress } from "../../core/pipeline/Progress.ts"
import { runMigration, type RuntimeSettings } from "../../core/pipeline/runMigration.ts"
import type { RunReport } from "../../core/report/RunReport.ts"
import { builtinPlugins } from "../../plugins/builtins.ts"
import { DEFAULT_WAREHOUSE } from "../../plugins/snowflake/sandbox/index.ts"
import { SANDBOX_USER } from "../plugins/qtest/load/harness.ts"
import type { ChaosTargets } from "./ChaosTargets.ts"
import { makeCompressedClock, type Sleep } from "./CompressedClock.ts"

export const SNOWFLAKE_DATABASE = "MIGRATE"

export const chaosRuntime: RuntimeSettings = {
  concurrency: 4,
  requestTimeoutMs: 400,
  retry: { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000 },
  rateLimits: {}
}

export interface RunFailure {
  readonly tag: string
  readonly message: string
  readonly hint: string | undefined
}

export interface ChaosRun {
  readonly report: RunReport
  /** Set when the run failed (the report says `failed`). */
  readonly failure: RunFailure | undefined
  /** Every sleep of the run, as the compressed clock recorded it. */
  readonly sleeps: ReadonlyArray<Sleep>
  readonly realMs: number
}

export interface ChaosRunOptions {
  /** The qTest token of the spec; default the sandbox's. */
  readonly qtestToken?: string | undefined
  readonly runtime?: Partial<RuntimeSettings> | undefined
  /** No sinks: the run extracts only. */
  readonly extractOnly?: boolean | undefined
  /** The clock's compression (CompressedClock.ts); default 1000. */
  readonly compression?: number | undefined
}

/** The sinks' sections of the spec, pointed at the scenario's sandboxes. */
export const sinksOf = (t: ChaosTargets, qtestToken?: string) => {
  const q = t.qtest.current()
  const s = t.snowflake.current()
  return [
    { type: "qtest", config: { baseUrl: q.baseUrl, projectId: q.projectId, token: qtestToken ?? q.token, createMissingFields: true, maps: { users: { default: SANDBOX_USER } } } },
    {
      type: "snowflake",
      config: { account: s.account, user: s.user, password: s.password, warehouse: DEFAULT_WAREHOUSE, database: SNOWFLAKE_DATABASE, accessUrl: s.accessUrl, batch: { maxValues: 2000 } }
    }
  ]
}

/** The report a run left (the newest under `runs/`): a failed run's, or a CLI run's. */
export const lastReport = (statePath: string): RunReport => {
  const runs = path.join(path.dirname(statePath), "runs")
  const newest = fs
    .readdirSync(runs)
    .map((d) => ({ d, at: fs.statSync(path.join(runs, d, "report.json")).mtimeMs }))
    .sort((a, b) => b.at - a.at)[0]
  if (newest === undefined) throw new Error(`no report under ${runs}`)
  return JSON.parse(fs.readFileSync(path.join(runs, newest.d, "report.json"), "utf8")) as RunReport
}

export const runChaos = async (t: ChaosTargets, o: ChaosRunOptions = {}): Promise<ChaosRun> => {
  const clock = makeCompressedClock(o.compression)
  const z = t.zephyr.current()
  const started = Date.now()
  const result = await Effect.runPromise(
    runMigration({
      command: "run",
      specFile: null,
      statePath: t.statePath,
      source: { type: "zephyr", config: { baseUrl: z.baseUrl, token: z.token, projectKey: z.projectKey } },
      transforms: [],
      sinks: o.extractOnly === true ? [] : sinksOf(t, o.qtestToken),
      runtime: { ...chaosRuntime, ...o.runtime },
      dryRun: false,
      full: false,
      sandbox: undefined,
      registry: makeRegistry(builtinPlugins),
      progress: silentProgress
    }).pipe(Effect.scoped, Effect.withClock(clock), Effect.either)
  )
  const realMs = Date.now() - started
  if (result._tag === "Right") return { report: result.right.report, failure: undefined, sleeps: clock.sleeps(), realMs }
  const e = result.left
  return {
    report: lastReport(t.statePath),
    failure: { tag: e._tag, message: e.message, hint: "hint" in e ? e.hint : undefined },
    sleeps: clock.sleeps(),
    realMs
  }
}
