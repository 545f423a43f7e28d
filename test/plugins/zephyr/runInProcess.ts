/**
 * `migrate run` in-process against a sandbox: the same `runMigration` the CLI calls, with the built-in registry,
 * fast retries and silent progress, returning the report. Plus a dump of the canonical tables of a store for
 * comparing two stores (derived timestamps and the sandbox's URL left out: they differ between two runs).
 */
import Database from "better-sqlite3"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { entityOrder } from "../../../core/canonical/Canonical.ts"
import { makeRegistry } from "../../../core/plugin/Registry.ts"
import { runMigration, type RuntimeSettings } from "../../../core/pipeline/runMigration.ts"
import { silentProgress } from "../../../core/pipeline/Progress.ts"
import type { RunReport } from "../../../core/report/RunReport.ts"
import { builtinPlugins } from "../../../plugins/builtins.ts"
import type { RunningZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"

export const tempStatePath = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrate-run-")), ".migrate", "state.db")

export interface InProcessOptions {
  readonly full?: boolean
  readonly dryRun?: boolean
  readonly runtime?: Partial<RuntimeSettings>
  readonly watermarkSafetyMs?: number
  readonly config?: Readonly<Record<string, unknown>>
  readonly everyChange?: boolean
}

export const runInProcess = (sandbox: RunningZephyrSandbox, statePath: string, options: InProcessOptions = {}): Promise<RunReport> =>
  Effect.runPromise(
    Effect.scoped(
      runMigration({
        command: "run",
        specFile: null,
        statePath,
        source: { type: "zephyr", config: { baseUrl: sandbox.baseUrl, token: sandbox.token, projectKey: sandbox.projectKey, ...options.config } },
        transforms: [],
        sinks: [],
        runtime: { concurrency: 4, requestTimeoutMs: 10_000, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 10 }, rateLimits: {}, ...options.runtime },
        dryRun: options.dryRun ?? false,
        full: options.full ?? false,
        sandbox: undefined,
        registry: makeRegistry(builtinPlugins),
        progress: silentProgress,
        watermarkSafetyMs: options.watermarkSafetyMs,
        everyChange: options.everyChange
      })
    )
  ).then((r) => r.report)

type Row = Record<string, unknown>

/**
 * Every canonical table, rows by natural key; without the timestamps core derives, with `<base>` for the URL and
 * `<origin>` for its scheme, host and port (Zephyr DC's attachment URLs are on the host, outside the API's path).
 */
export const dumpStore = (dbFile: string, baseUrl?: string): Record<string, Array<Row>> => {
  const db = new Database(dbFile, { readonly: true })
  try {
    return Object.fromEntries(
      entityOrder.map((t) => [
        t,
        (db.prepare(`SELECT * FROM "${t}" ORDER BY source_system, source_id`).all() as Array<Row>).map(({ created_at, updated_at, created_on, content_hash, ...rest }) =>
          baseUrl === undefined ? rest : (JSON.parse(JSON.stringify(rest).split(baseUrl).join("<base>").split(new URL(baseUrl).origin).join("<origin>")) as Row)
        )
      ])
    )
  } finally {
    db.close()
  }
}
