/**
 * A run of a chaos scenario through the real CLI (`bin/migrate.js run`, a process of its own) against the
 * scenario's sandboxes, which live in the test process: the spec a user would write (secrets from the
 * environment), written into the scenario's directory, so the CLI's state is the scenario's store. Answers what
 * the in-process run answers — the report the run left, and its failure as the user read it on stderr — plus the
 * process's exit code and output.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { DEFAULT_WAREHOUSE } from "../../plugins/snowflake/sandbox/index.ts"
import { runCliProcess, type CliResult } from "../e2e/cli.ts"
import { SANDBOX_USER } from "../plugins/qtest/load/harness.ts"
import type { ChaosTargets } from "./ChaosTargets.ts"
import { type ChaosRun, type ChaosRunOptions, lastReport, SNOWFLAKE_DATABASE } from "./runChaos.ts"

export const specOf = (t: ChaosTargets): string => {
  const z = t.zephyr.current()
  const q = t.qtest.current()
  const s = t.snowflake.current()
  return `version: 1
source:
  type: zephyr
  baseUrl: ${z.baseUrl}
  projectKey: ${z.projectKey}
  token: \${env:ZEPHYR_TOKEN}
sinks:
  - type: qtest
    baseUrl: ${q.baseUrl}
    projectId: ${q.projectId}
    token: \${env:QTEST_TOKEN}
    createMissingFields: true
    maps:
      users:
        default: ${SANDBOX_USER}
  - type: snowflake
    account: ${s.account}
    user: ${s.user}
    password: \${env:SNOWFLAKE_PASSWORD}
    warehouse: ${DEFAULT_WAREHOUSE}
    database: ${SNOWFLAKE_DATABASE}
    accessUrl: ${s.accessUrl}
    batch:
      maxValues: 2000
runtime:
  concurrency: 4
`
}

export interface CliChaosRun extends ChaosRun {
  readonly cli: CliResult
}

/** `migrate run` in the scenario's directory; the failure is what the CLI printed after `migrate: `. */
export const runChaosCli = async (t: ChaosTargets, o: ChaosRunOptions = {}): Promise<CliChaosRun> => {
  fs.writeFileSync(path.join(t.dir, "migration.config.yaml"), specOf(t))
  const started = Date.now()
  const cli = await runCliProcess(["run"], {
    cwd: t.dir,
    timeoutMs: 180_000,
    env: { ZEPHYR_TOKEN: t.zephyr.current().token, QTEST_TOKEN: o.qtestToken ?? t.qtest.current().token, SNOWFLAKE_PASSWORD: t.snowflake.current().password }
  })
  const report = lastReport(t.statePath)
  const printed = /\nmigrate: ([\s\S]*?)\n {2}→ ([\s\S]*)$/.exec(cli.stderr.trimEnd())
  return {
    report,
    failure:
      cli.code === 0
        ? undefined
        : { tag: report.error?.tag ?? "unknown", message: printed?.[1] ?? cli.stderr, hint: printed?.[2] },
    sleeps: [],
    realMs: Date.now() - started,
    cli
  }
}
