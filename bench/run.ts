/**
 * `npm run bench [-- --scale demo|small|medium|large --edition cloud|essential|dc --rate-limit N --latency-ms N --concurrency N --seed N --json]`:
 * the end-to-end benchmark. A complete migration — Zephyr extract, qTest load, Snowflake load — of a generated
 * Zephyr tenant, against the three sandboxes served by `migrate sandbox` in a process of its own, each limited to
 * `--rate-limit` requests/s (429 beyond it) and answering after `--latency-ms`. `migrate run --json` runs in a
 * third process (so its peak RSS and CPU are its own), then runs again with nothing changed at the source.
 *
 * Per API it prints the requests made, the share answered 429, the requests the quota served (made − 429s), the
 * minimum the data needs (bench/minimumRequests.ts says how each is defined), and the floor: served ÷ rate, the
 * time that API needs at its quota. Then the run's wall (spawn to exit), the **pipelined floor** (the largest
 * floor: the slowest API alone, which no run can beat), **wall ÷ pipelined floor** (1.0 is perfect pipelining),
 * the sequential floor (the sum: phases one after the other) for comparison, migrate's peak RSS and CPU time, and
 * the second run's writes (must be 0: the bench fails otherwise) and requests. `--json` prints one JSON object on
 * stdout (the table then goes to stderr).
 *
 * The Snowflake sandbox has no request quota (it ignores `--rate-limit`); its floor is computed at the same rate.
 * `--client-rate-limit N` also sets `runtime.rateLimits` of all three systems to N/s in the spec. `--plan` runs
 * `migrate plan` first and prints its estimate of each system's requests against what the run made. `--edition
 * essential` serves the tenant as Zephyr Essential does (offset lists, attachment files refused): the spec reads
 * it with `edition: essential`, and its second run rereads everything; `--edition dc` serves it as Zephyr DC's REST API
 * v1 does, against DC's own minimum (bench/minimumRequests.ts). Not part of CI.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import Database from "better-sqlite3"
import { entityOrder } from "../core/index.ts"
import { snowflakeTable } from "../plugins/snowflake/dialect/index.ts"
import { arg, bin, servedSecrets, servedSpec, type ServedSandbox, startSandboxesProcess } from "./common.ts"
import { floors, type Minimum, qtestMinimum, snowflakeMinimum, zephyrDcMinimum, zephyrMinimum } from "./minimumRequests.ts"

const scale = arg("scale", "small")
const edition = arg("edition", "cloud")
const rateLimit = Number(arg("rate-limit", "50"))
const latencyMs = Number(arg("latency-ms", "0"))
const concurrency = Number(arg("concurrency", "8"))
const seed = arg("seed", "1")
const clientRateLimit = arg("client-rate-limit", "")
const json = process.argv.includes("--json")
const withPlan = process.argv.includes("--plan")
const APIS = ["zephyr", "qtest", "snowflake"] as const
const SCALES = ["demo", "small", "medium", "large"]
const EDITIONS = ["cloud", "essential", "dc"]

const usage = [
  ...(SCALES.includes(scale) ? [] : [`--scale ${scale}: expected one of ${SCALES.join(", ")}`]),
  ...(EDITIONS.includes(edition) ? [] : [`--edition ${edition}: expected one of ${EDITIONS.join(", ")}`]),
  ...(rateLimit > 0 ? [] : [`--rate-limit: expected requests per second, greater than 0`]),
  ...(latencyMs >= 0 ? [] : [`--latency-ms: expected 0 or more milliseconds`]),
  ...(Number.isInteger(concurrency) && concurrency >= 1 ? [] : [`--concurrency: expected a whole number from 1`])
]
if (usage.length > 0) {
  console.error(usage.join("\n"))
  process.exit(2)
}

interface Counters {
  readonly requests: number
  readonly retries: number
  readonly throttled: number
  readonly failed: number
  /** Requests per kind of object they were made for (core's RequestKind). */
  readonly byKind?: Readonly<Record<string, number>> | undefined
}
type Outcomes = Record<string, number>
interface Report {
  readonly status: string
  readonly startedAt: string
  readonly durationMs: number
  readonly totals: Outcomes
  readonly requests: Record<string, Counters>
  readonly load: ReadonlyArray<{ readonly sink: string; readonly durationMs: number; readonly entities: Record<string, Outcomes> }>
  /** The estimate of the `plan` that preceded the run (`--plan`), per system. */
  readonly estimate?: { readonly systems: Readonly<Record<string, { readonly requests: number }>> } | null | undefined
}

interface Measured {
  readonly code: number
  readonly wallS: number
  readonly peakRssKb: number
  readonly cpuS: number | null
  readonly report: Report
  /** When each sink's `loaded` event came, by sink. */
  readonly loadedAt: Readonly<Record<string, string>>
}

/** Peak resident set size of a live process, from the kernel's high-water mark. */
const vmHwmKb = (pid: number): number => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/**
 * One `migrate run --json`, through the bin's shebang as `npx migrate` starts it. Under /usr/bin/time when there
 * is one (the exact peak RSS and CPU time at exit); otherwise the peak is polled from /proc.
 */
const runMigrate = async (dir: string, env: NodeJS.ProcessEnv, label: string, command: "run" | "plan" = "run"): Promise<Measured> => {
  const timeFile = path.join(dir, `time-${label}.txt`)
  const timed = fs.existsSync("/usr/bin/time")
  const started = performance.now()
  const child = spawn(timed ? "/usr/bin/time" : bin, timed ? ["-f", "%M %U %S", "-o", timeFile, bin, command, "--json"] : [command, "--json"], {
    cwd: dir,
    env: { ...process.env, ...env, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let peakKb = 0
  const poll = timed ? undefined : setInterval(() => (peakKb = Math.max(peakKb, vmHwmKb(child.pid!))), 100)
  let out = ""
  let err = ""
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()))
  child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-8000)))
  const code: number = await new Promise((r) => child.on("exit", (c) => r(c ?? 1)))
  const wallS = (performance.now() - started) / 1000
  if (poll) clearInterval(poll)
  let cpuS: number | null = null
  if (timed && fs.existsSync(timeFile)) {
    const [rss, user, sys] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number)
    peakKb = rss!
    cpuS = user! + sys!
  }
  const events = out
    .trim()
    .split("\n")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { event: string; at?: string; sink?: string; report?: Report }]
      } catch {
        return []
      }
    })
  const summary = events.find((e) => e.event === (command === "plan" ? "plan" : "summary"))
  const loadedAt = Object.fromEntries(events.flatMap((e) => (e.event === "loaded" && e.sink !== undefined && e.at !== undefined ? [[e.sink, e.at]] : [])))
  // 3: finished with quarantined records, which a generated tenant may hold on purpose
  if ((code !== 0 && code !== 3) || !summary?.report) throw new Error(`${label} run: migrate exited with ${code}\n${err}`)
  return { code, wallS, peakRssKb: peakKb, cpuS, report: summary.report, loadedAt }
}

/** What the minimums need from the store the first run filled. */
const readStore = (statePath: string) => {
  const db = new Database(statePath, { readonly: true })
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n
    const childCounts = (parent: string, key: string, child: string) =>
      (db.prepare(`SELECT COUNT(c."${key}") AS n FROM "${parent}" p LEFT JOIN "${child}" c ON c."${key}" = p."${key}" GROUP BY p."${key}"`).all() as Array<{ n: number }>).map((r) => r.n)
    const zephyr = {
      folders: count("Folder"),
      testPlans: count("TestPlan"),
      testCycles: count("TestCycle"),
      attachments: count("Attachment"),
      stepsPerCase: childCounts("TestCase", "test_case_id", "TestStep"),
      stepResultsPerExecution: childCounts("TestExecution", "execution_id", "ExecutionStepResult")
    }
    const snowflake = entityOrder.map((entity) => ({
      table: entity,
      rows: count(entity),
      // the Snowflake sink's default leaves the attachment bytes out (attachmentBytes: false); +1: the staging sequence
      boundValuesPerRow: snowflakeTable(entity, entity === "Attachment" ? { omit: ["attachment_blob"] } : {}).columns.length + 1
    }))
    return { zephyr, snowflake }
  } finally {
    db.close()
  }
}

const loadOf = (report: Report, sink: string) => report.load.find((l) => l.sink === sink)
const writtenBy = (report: Report, sink: string): Outcomes =>
  Object.fromEntries(Object.entries(loadOf(report, sink)?.entities ?? {}).map(([kind, c]) => [kind, (c["created"] ?? 0) + (c["updated"] ?? 0) + (c["removed"] ?? 0)]))
/** A sink's load as seconds from the run's start: its `loaded` event's time, less the load's duration. */
const loadSpan = (m: Measured, sink: string): readonly [number, number] | null => {
  const load = loadOf(m.report, sink)
  const at = m.loadedAt[sink]
  if (load === undefined || at === undefined) return null
  const end = (Date.parse(at) - Date.parse(m.report.startedAt)) / 1000
  return [end - load.durationMs / 1000, end]
}
const sum = (o: Outcomes) => Object.values(o).reduce((a, b) => a + b, 0)

const specFor = (s: Readonly<Record<string, ServedSandbox>>): string =>
  servedSpec(s, {
    extra: ["runtime:", `  concurrency: ${concurrency}`, ...(clientRateLimit === "" ? [] : [`  rateLimits: { ${APIS.map((a) => `${a}: ${clientRateLimit}/s`).join(", ")} }`])]
  })

const n = (x: number) => x.toLocaleString("en-US")
const s1 = (x: number) => x.toFixed(1)
const pct = (x: number) => `${(x * 100).toFixed(1)}%`

const main = async () => {
  const log = (line: string) => (json ? process.stderr : process.stdout).write(line + "\n")
  // other work on the machine skews the wall: the 1-minute load average before and after goes with the figures
  const loadBefore = os.loadavg()[0]!
  const readyStart = performance.now()
  const { child: sandboxProcess, sandboxes } = await startSandboxesProcess(["--scale", scale, "--seed", seed, "--rate-limit", String(rateLimit), "--latency-ms", String(latencyMs), "--zephyr-edition", edition])
  const sandboxReadyS = (performance.now() - readyStart) / 1000
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-bench-run-"))
  try {
    for (const api of APIS) if (sandboxes[api] === undefined) throw new Error(`migrate sandbox served no ${api} sandbox`)
    fs.writeFileSync(path.join(dir, "migration.config.yaml"), specFor(sandboxes))
    log(`bench: ${scale} tenant (seed ${seed}${edition === "cloud" ? "" : `, Zephyr ${edition}`}) → qTest + Snowflake; sandboxes at ${rateLimit} requests/s, latency ${latencyMs} ms, ready in ${s1(sandboxReadyS)} s; concurrency ${concurrency}${clientRateLimit ? `, client rate ${clientRateLimit}/s` : ""}`)
    const env = servedSecrets(sandboxes)
    // `--plan`: a plan first, so the run's report sets the plan's estimate against what it made
    if (withPlan) log(`plan: done in ${s1((await runMigrate(dir, env, "plan", "plan")).wallS)} s`)
    const first = await runMigrate(dir, env, "first")
    log(`first run: ${first.report.status} in ${s1(first.wallS)} s`)
    const data = readStore(path.join(dir, ".migrate", "state.db"))
    const second = await runMigrate(dir, env, "second")
    log(`second run: ${second.report.status} in ${s1(second.wallS)} s`)

    const minimum: Record<string, Minimum> = {
      // an edition that refuses attachment files to the token needs no download
      zephyr: edition === "dc" ? zephyrDcMinimum(data.zephyr) : zephyrMinimum(data.zephyr, edition !== "essential"),
      qtest: qtestMinimum(writtenBy(first.report, "qtest")),
      snowflake: snowflakeMinimum(data.snowflake)
    }
    const counters = (api: string) => first.report.requests[api] ?? { requests: 0, retries: 0, throttled: 0, failed: 0 }
    const f = floors(APIS.map((api) => ({ api, served: counters(api).requests - counters(api).throttled })), rateLimit)
    const slowest = APIS.reduce((a, b) => (f.perApi[b]! > f.perApi[a]! ? b : a))
    const apis = Object.fromEntries(
      APIS.map((api) => {
        const c = counters(api)
        return [
          api,
          {
            requests: c.requests,
            throttled: c.throttled,
            throttledShare: c.requests === 0 ? 0 : c.throttled / c.requests,
            served: c.requests - c.throttled,
            minimum: minimum[api]!.total,
            minimumParts: minimum[api]!.parts,
            servedOverMinimum: minimum[api]!.total === 0 ? null : (c.requests - c.throttled) / minimum[api]!.total,
            floorS: f.perApi[api]!,
            minimumFloorS: minimum[api]!.total / rateLimit,
            loadS: loadOf(first.report, api) === undefined ? null : loadOf(first.report, api)!.durationMs / 1000,
            /** Seconds from the run's start: when the sink's load began and ended. */
            loadSpanS: loadSpan(first, api)
          }
        ]
      })
    )
    const secondWrites = { qtest: sum(writtenBy(second.report, "qtest")), snowflake: sum(writtenBy(second.report, "snowflake")), store: (second.report.totals["created"] ?? 0) + (second.report.totals["updated"] ?? 0) }
    const result = {
      scale,
      edition,
      seed: Number(seed),
      rateLimit,
      latencyMs,
      concurrency,
      clientRateLimit: clientRateLimit === "" ? null : Number(clientRateLimit),
      sandboxReadyS,
      cores: os.cpus().length,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
      apis,
      qtestWrittenByKind: writtenBy(first.report, "qtest"),
      qtestRequestsByKind: first.report.requests["qtest"]?.byKind ?? {},
      qtestRequestsPerObjectWritten: sum(writtenBy(first.report, "qtest")) === 0 ? null : counters("qtest").requests / sum(writtenBy(first.report, "qtest")),
      wallS: first.wallS,
      reportDurationS: first.report.durationMs / 1000,
      pipelinedFloorS: f.pipelined,
      slowestApi: slowest,
      wallOverPipelinedFloor: f.pipelined === 0 ? null : first.wallS / f.pipelined,
      sequentialFloorS: f.sequential,
      wallOverSequentialFloor: f.sequential === 0 ? null : first.wallS / f.sequential,
      peakRssMb: first.peakRssKb / 1024,
      cpuS: first.cpuS,
      secondRun: {
        wallS: second.wallS,
        writes: secondWrites.qtest + secondWrites.snowflake + secondWrites.store,
        writesBy: secondWrites,
        requests: Object.fromEntries(APIS.map((api) => [api, second.report.requests[api]?.requests ?? 0])),
        peakRssMb: second.peakRssKb / 1024
      }
    }

    // the table always (on stderr under --json), so a JSON run shows its figures too
    {
      const row = (cells: ReadonlyArray<string>) => cells.map((c, i) => (i === 0 ? c.padEnd(10) : c.padStart(10))).join(" ")
      log("")
      log(row(["API", "requests", "429s", "served", "minimum", "served÷min", "floor s", "min floor"]))
      for (const api of APIS) {
        const a = apis[api]!
        log(row([api, n(a.requests), pct(a.throttledShare), n(a.served), n(a.minimum), a.servedOverMinimum === null ? "-" : a.servedOverMinimum.toFixed(2), s1(a.floorS), s1(a.minimumFloorS)]))
      }
      log("")
      log(`wall ${s1(result.wallS)} s · pipelined floor ${s1(f.pipelined)} s (${slowest}) · wall ÷ pipelined floor ${result.wallOverPipelinedFloor?.toFixed(2) ?? "-"}`)
      log(`sequential floor ${s1(f.sequential)} s · wall ÷ sequential floor ${result.wallOverSequentialFloor?.toFixed(2) ?? "-"}`)
      log(`machine: ${result.cores} cores, load average ${result.loadAverage.before.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`)
      log(`loads (from the run's start): ${APIS.filter((a) => apis[a]!.loadS !== null).map((a) => `${a} ${s1(apis[a]!.loadS!)} s${apis[a]!.loadSpanS === null ? "" : ` (${s1(apis[a]!.loadSpanS![0])}–${s1(apis[a]!.loadSpanS![1])} s)`}`).join(", ")} · peak RSS of migrate ${result.peakRssMb.toFixed(0)} MB${result.cpuS === null ? "" : ` · CPU ${s1(result.cpuS)} s`}`)
      log(`qTest written per kind: ${Object.entries(result.qtestWrittenByKind).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`).join(", ")}; requests per object written ${result.qtestRequestsPerObjectWritten?.toFixed(2) ?? "-"}`)
      log(`qTest requests per kind: ${Object.entries(result.qtestRequestsByKind).map(([k, v]) => `${k} ${n(v)}${(result.qtestWrittenByKind[k] ?? 0) > 0 ? ` (${(v / result.qtestWrittenByKind[k]!).toFixed(2)} per object)` : ""}`).join(", ")}`)
      const estimate = first.report.estimate
      if (estimate)
        log(`plan's estimate vs made: ${APIS.map((a) => { const e = estimate.systems[a]?.requests ?? 0; const m = counters(a).requests - counters(a).retries; return `${a} ${n(e)} / ${n(m)} (${m === 0 ? "-" : `${(((e - m) / m) * 100).toFixed(1)}%`})` }).join(", ")}`)
      log(`minimum parts: zephyr ${Object.entries(minimum["zephyr"]!.parts).map(([k, v]) => `${k} ${n(v)}`).join(", ")}`)
      log(
        `second run (nothing changed): ${result.secondRun.writes} writes (qtest ${secondWrites.qtest}, snowflake ${secondWrites.snowflake}, store ${secondWrites.store}); requests ${APIS.map((a) => `${a} ${n(result.secondRun.requests[a]!)}`).join(", ")}; wall ${s1(second.wallS)} s`
      )
    }
    if (json) process.stdout.write(JSON.stringify(result) + "\n")
    if (result.secondRun.writes > 0) {
      log("FAIL: the second run, with nothing changed at the source, wrote something")
      process.exitCode = 1
    }
  } finally {
    sandboxProcess.kill("SIGINT")
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
