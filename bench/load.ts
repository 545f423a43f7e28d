/**
 * `npm run bench:load [-- --scale small --rate-limit 50]`: the qTest load against a rate-limited qTest sandbox.
 * A generated Zephyr tenant is served by a sandbox process; the qTest sandbox runs in this process with a
 * requests-per-second quota (429 + retry-after beyond it); migrate runs in a process of its own, once with every
 * execution as a manual test log and once with `automatedExecutions: batch` (auto-test-logs), each into a fresh
 * qTest project. Prints objects written per second, qTest requests per object, 429s, and per kind of object the
 * objects written, the requests made for them (the report's `requests.qtest.byKind`) and requests per object.
 * Not part of CI.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { startQtestSandbox } from "../plugins/qtest/sandbox/index.ts"
import { arg, bin, startZephyrProcess } from "./common.ts"

const scale = arg("scale", "small")
const seed = arg("seed", "1")
const rateLimit = Number(arg("rate-limit", "50"))
const concurrency = arg("concurrency", "8")


interface Load {
  readonly durationMs: number
  readonly totals: Record<string, number>
  readonly entities: Record<string, Record<string, number>>
}

const run = async (label: string, zephyrUrl: string, mode: "manual" | "batch") => {
  const scope = Effect.runSync(Scope.make())
  const qtest = await Effect.runPromise(Scope.extend(startQtestSandbox({ rateLimit }), scope))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-bench-load-"))
  fs.writeFileSync(
    path.join(dir, "migration.config.yaml"),
    [
      "version: 1",
      "source: { type: zephyr, baseUrl: " + zephyrUrl + ", projectKey: GEN, token: \"${env:ZEPHYR_TOKEN}\" }",
      "sinks:",
      `  - { type: qtest, baseUrl: ${qtest.baseUrl}, projectId: ${qtest.projectId}, token: \"\${env:QTEST_TOKEN}\", createMissingFields: true, automatedExecutions: ${mode}, maps: { users: { default: migration-bot@example.com } } }`,
      `runtime: { concurrency: ${concurrency} }`,
      ""
    ].join("\n")
  )
  try {
    const child = spawn(bin, ["run", "--json"], { cwd: dir, env: { ...process.env, ZEPHYR_TOKEN: "sandbox-token", QTEST_TOKEN: qtest.token, CI: "true" }, stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()))
    const code: number = await new Promise((r) => child.on("exit", (c) => r(c ?? 1)))
    const summary = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; report?: { load: ReadonlyArray<Load>; requests: Record<string, { requests: number; retries: number; throttled: number; byKind?: Record<string, number> }> } })
      .find((e) => e.event === "summary")
    if ((code !== 0 && code !== 3) || !summary?.report) throw new Error(`${label}: migrate run exited with ${code}`)
    const load = summary.report.load[0]!
    const q = summary.report.requests["qtest"]!
    const written = Object.values(load.entities).reduce((n, c) => n + (c["created"] ?? 0) + (c["updated"] ?? 0), 0)
    const seconds = load.durationMs / 1000
    console.log(`\n${label}: ${written.toLocaleString("en-US")} qTest objects written in ${seconds.toFixed(1)} s = ${(written / seconds).toFixed(1)} objects/s`)
    console.log(`  ${q.requests.toLocaleString("en-US")} qTest requests (${(q.requests / written).toFixed(2)} per object), ${q.throttled} answered 429 and retried; sandbox quota ${rateLimit}/s`)
    // per kind: the objects written and the requests made for them (core counts each request for the write in flight)
    const byKind = q.byKind ?? {}
    const writtenOf = (kind: string) => (load.entities[kind]?.["created"] ?? 0) + (load.entities[kind]?.["updated"] ?? 0)
    const kinds = [...new Set([...Object.keys(load.entities).filter((k) => writtenOf(k) > 0), ...Object.keys(byKind)])]
    console.log(`  ${"kind".padEnd(14)} ${"written".padStart(8)} ${"requests".padStart(9)} ${"per object".padStart(11)}`)
    for (const kind of kinds) {
      const w = writtenOf(kind)
      const r = byKind[kind] ?? 0
      console.log(`  ${kind.padEnd(14)} ${String(w).padStart(8)} ${String(r).padStart(9)} ${(w > 0 ? (r / w).toFixed(2) : "—").padStart(11)}`)
    }
    return { written, seconds, requests: q.requests }
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const main = async () => {
  const zephyr = await startZephyrProcess(["--scale", scale, "--seed", seed])
  try {
    console.log(`Zephyr ${scale} (seed ${seed}) → qTest sandbox limited to ${rateLimit} requests/s, concurrency ${concurrency}`)
    await run("manual test logs", zephyr.baseUrl, "manual")
    await run("automated executions through auto-test-logs (batch)", zephyr.baseUrl, "batch")
  } finally {
    zephyr.child.kill("SIGINT")
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
