/**
 * `npm run bench:faults [-- --scale medium --seed 7]`: the "faults change nothing" proof at scale. Two sandboxes
 * serve the same generated tenant, one healthy and one failing 10% of requests (500/502/503, dropped
 * connections, responses slower than the client's timeout) behind a 429 rate limit; migrate extracts each in a
 * process of its own, and the two stores must hold exactly the same rows (timestamps and hashes aside, the
 * sandbox's port masked). Fails otherwise. CI runs the same check on `small` (ZephyrFaults.test.ts).
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { isDeepStrictEqual } from "node:util"
import { dumpStore } from "../test/plugins/zephyr/runInProcess.ts"
import { arg, bin, startZephyrProcess } from "./common.ts"

const scale = arg("scale", "medium")
const seed = arg("seed", "7")
const faultRate = arg("fault-rate", "0.1")
// below what 8 concurrent requests ask of a healthy sandbox, so the faulty run meets 429s throughout
const rateLimit = arg("rate-limit", "60")


const extract = async (name: string, baseUrl: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migrate-faults-${name}-`))
  // A short request timeout, so that the sandbox's slow responses are timeouts the client must survive.
  fs.writeFileSync(
    path.join(dir, "migration.config.yaml"),
    `version: 1\nsource:\n  type: zephyr\n  baseUrl: ${baseUrl}\n  projectKey: GEN\n  token: \${env:ZEPHYR_TOKEN}\nruntime:\n  concurrency: 8\n  requestTimeoutMs: 3000\n  retry: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2000 }\n`
  )
  const started = Date.now()
  const run = spawn(bin, ["run", "--json"], { cwd: dir, env: { ...process.env, ZEPHYR_TOKEN: "sandbox-token", CI: "true" }, stdio: ["ignore", "pipe", "inherit"] })
  let out = ""
  run.stdout!.on("data", (d: Buffer) => (out += d.toString()))
  const code: number = await new Promise((r) => run.on("exit", (c) => r(c ?? 1)))
  const summary = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; report?: { totals: { extracted: number; quarantined: number }; requests: Record<string, { requests: number; retries: number; throttled: number; failed: number }> } })
    .find((e) => e.event === "summary")
  if (code !== 0 || !summary?.report) throw new Error(`${name}: migrate run exited with ${code}`)
  const seconds = (Date.now() - started) / 1000
  const z = summary.report.requests["zephyr"]
  console.log(
    `${name.padEnd(7)} ${summary.report.totals.extracted.toLocaleString("en-US")} entities in ${seconds.toFixed(0)} s; ${z?.requests ?? 0} requests, ${z?.retries ?? 0} retries (${z?.throttled ?? 0} after a 429), ${z?.failed ?? 0} failed attempts, ${summary.report.totals.quarantined} quarantined`
  )
  return { dir, state: path.join(dir, ".migrate", "state.db") }
}

const main = async () => {
  const faulty = await startZephyrProcess(["--scale", scale, "--seed", seed, "--fault-rate", faultRate, "--rate-limit", rateLimit])
  const clean = await startZephyrProcess(["--scale", scale, "--seed", seed])
  const dirs: Array<string> = []
  try {
    console.log(`${scale} (seed ${seed}): fault rate ${faultRate}, rate limit ${rateLimit}/s against a healthy sandbox`)
    const a = await extract("faulty", faulty.baseUrl)
    dirs.push(a.dir)
    const b = await extract("healthy", clean.baseUrl)
    dirs.push(b.dir)
    const rowsA = dumpStore(a.state, faulty.baseUrl)
    const rowsB = dumpStore(b.state, clean.baseUrl)
    let same = true
    for (const entity of Object.keys(rowsB)) {
      const equal = isDeepStrictEqual(rowsA[entity], rowsB[entity])
      same &&= equal
      console.log(`  ${entity.padEnd(20)} ${String(rowsA[entity]?.length ?? 0).padStart(8)} ${String(rowsB[entity]!.length).padStart(8)}  ${equal ? "identical" : "DIFFERENT"}`)
    }
    console.log(same ? "PASS: the faulty run stored exactly the rows of the healthy one" : "FAIL: the stores differ")
    if (!same) process.exitCode = 1
  } finally {
    faulty.child.kill("SIGINT")
    clean.child.kill("SIGINT")
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
