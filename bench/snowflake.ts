/**
 * `npm run bench:snowflake [-- --scale small --max-values 90000 --max-bytes 8388608]`: the Snowflake load through the real driver.
 * A generated Zephyr tenant is served by a sandbox process; the Snowflake-protocol sandbox on DuckDB runs in this
 * process; migrate runs in a process of its own with a snowflake sink (password auth), twice: the first run loads
 * every canonical record, the second finds nothing changed. Prints rows per second through snowflake-sdk, the
 * statements sent, the batches (rows bound per array INSERT) and migrate's peak RSS. Not part of CI.
 * The sandbox is DuckDB, not Snowflake: the figure measures the sink and the driver, not a warehouse.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { startSnowflakeSandbox } from "../plugins/snowflake/sandbox/index.ts"
import { arg, bin, startZephyrProcess } from "./common.ts"

const scale = arg("scale", "small")
const seed = arg("seed", "1")
const maxValues = Number(arg("max-values", "90000"))
const maxBytes = Number(arg("max-bytes", "8388608"))

interface Load {
  readonly sink: string
  readonly durationMs: number
  readonly entities: Record<string, Record<string, number>>
}

const runOnce = async (label: string, dir: string, password: string) => {
  // bin/migrate.js runs with its shebang's heap flags; /usr/bin/time (when present) gives the peak RSS
  const timed = fs.existsSync("/usr/bin/time")
  const child = spawn(timed ? "/usr/bin/time" : bin, timed ? ["-f", "%M", bin, "run", "--json"] : ["run", "--json"], {
    cwd: dir,
    env: { ...process.env, ZEPHYR_TOKEN: "sandbox-token", SNOWFLAKE_PASSWORD: password, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()))
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()))
  const code: number = await new Promise((r) => child.on("exit", (c) => r(c ?? 1)))
  const rssKb = timed ? Number(err.trim().split("\n").pop()) : Number.NaN
  const summary = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; report?: { load: ReadonlyArray<Load>; requests: Record<string, { requests: number; retries: number }> } })
    .find((e) => e.event === "summary")
  if (code !== 0 || !summary?.report) throw new Error(`${label}: migrate run exited with ${code}\n${err}`)
  const load = summary.report.load.find((l) => l.sink === "snowflake")!
  const sum = (k: string) => Object.values(load.entities).reduce((n, c) => n + (c[k] ?? 0), 0)
  const written = sum("created") + sum("updated")
  const rows = written + sum("unchanged")
  const seconds = load.durationMs / 1000
  const statements = summary.report.requests["snowflake"]?.requests ?? 0
  console.log(`\n${label}: ${rows.toLocaleString("en-US")} records, ${written.toLocaleString("en-US")} written in ${seconds.toFixed(1)} s`)
  console.log(`  ${(rows / seconds).toFixed(0)} records/s compared, ${(written / seconds).toFixed(0)} rows/s written; ${statements} statements; peak RSS ${(rssKb / 1024).toFixed(0)} MB`)
  return { written, seconds }
}

const main = async () => {
  const zephyr = await startZephyrProcess(["--scale", scale, "--seed", seed])
  const scope = Effect.runSync(Scope.make())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-bench-snowflake-"))
  try {
    const sf = await Effect.runPromise(Scope.extend(startSnowflakeSandbox({}), scope))
    fs.writeFileSync(
      path.join(dir, "migration.config.yaml"),
      [
        "version: 1",
        `source: { type: zephyr, baseUrl: ${zephyr.baseUrl}, projectKey: GEN, token: "\${env:ZEPHYR_TOKEN}" }`,
        "sinks:",
        `  - { type: snowflake, accessUrl: ${sf.accessUrl}, account: ${sf.account}, user: ${sf.user}, password: "\${env:SNOWFLAKE_PASSWORD}", warehouse: SANDBOX_WH, database: BENCH, batch: { maxValues: ${maxValues}, maxBytes: ${maxBytes} } }`,
        ""
      ].join("\n")
    )
    console.log(`Zephyr ${scale} (seed ${seed}) → Snowflake-protocol sandbox on DuckDB through snowflake-sdk, batch.maxValues ${maxValues}, maxBytes ${maxBytes}`)
    await runOnce("first run", dir, sf.password)
    const stats = sf.stats()
    console.log(`  sandbox: ${stats.queries} query-requests, ${stats.boundRows.toLocaleString("en-US")} rows array-bound`)
    await runOnce("second run (nothing changed)", dir, sf.password)
    const counts = await sf.query(
      `SELECT (SELECT COUNT(*) FROM "BENCH"."PUBLIC"."TESTEXECUTION") AS executions, (SELECT COUNT(*) FROM "BENCH"."PUBLIC"."EXECUTIONSTEPRESULT") AS step_results`
    )
    console.log(`  Snowflake sandbox holds ${JSON.stringify(counts[0], (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`)
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    zephyr.child.kill("SIGINT")
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
