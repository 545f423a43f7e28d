/**
 * `npm run bench:extract [-- --scale large --seed 1]`: a full extract of a generated Zephyr tenant, the sandbox and
 * migrate each in a process of its own (so the figures are migrate's alone). Prints entities per second, requests
 * made versus the minimum the API allows, and migrate's peak RSS (VmHWM), and fails if the peak exceeds 256 MB.
 * Not part of CI: `large` takes minutes.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { arg, bin, startZephyrProcess } from "./common.ts"

const scale = arg("scale", "large")
const seed = arg("seed", "1")
const concurrency = arg("concurrency", "8")
const RSS_LIMIT_MB = 256

/** Peak resident set size of a live process, from the kernel's high-water mark. */
const vmHwmKb = (pid: number): number | undefined => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}


const main = async () => {
  const sandboxStart = Date.now()
  const { child: sandbox, baseUrl } = await startZephyrProcess(["--scale", scale, "--seed", seed])
  console.log(`sandbox ${scale} (seed ${seed}) at ${baseUrl}, ready in ${((Date.now() - sandboxStart) / 1000).toFixed(1)} s`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-bench-"))
  fs.writeFileSync(
    path.join(dir, "migration.config.yaml"),
    `version: 1\nsource:\n  type: zephyr\n  baseUrl: ${baseUrl}\n  projectKey: ${arg("project", "GEN")}\n  token: \${env:ZEPHYR_TOKEN}\nruntime:\n  concurrency: ${concurrency}\n`
  )
  try {
    const started = Date.now()
    let peakKb = 0
    // Through the bin's shebang, exactly as `npx migrate` starts it (its node flags included).
    const run = spawn(bin, ["run", "--json"], { cwd: dir, env: { ...process.env, ZEPHYR_TOKEN: "sandbox-token", CI: "true" }, stdio: ["ignore", "pipe", "inherit"] })
    const poll = setInterval(() => (peakKb = Math.max(peakKb, vmHwmKb(run.pid!) ?? 0)), 100)
    let out = ""
    run.stdout!.on("data", (d: Buffer) => (out += d.toString()))
    const code: number = await new Promise((r) => run.on("exit", (c) => r(c ?? 1)))
    clearInterval(poll)
    const seconds = (Date.now() - started) / 1000
    const summary = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; report?: { totals: { extracted: number }; entities: Record<string, { extracted: number }>; requests: Record<string, { requests: number; retries: number }> } })
      .find((e) => e.event === "summary")
    if (code !== 0 || !summary?.report) throw new Error(`migrate run exited with ${code}`)
    const { entities, totals, requests } = summary.report
    const count = (e: string) => entities[e]?.extracted ?? 0
    const pages = (n: number) => Math.max(1, Math.ceil(n / 1000))
    // The fewest requests the API allows for a full extract with attachments: list pages, one child call per case
    // (steps) and per execution (step results), one attachment list per case and execution, one download each.
    const minimum =
      1 + pages(count("Folder")) + 3 + pages(count("TestCase")) + pages(count("TestPlan")) + pages(count("TestCycle")) + pages(count("TestExecution")) +
      count("TestCase") * 2 + count("TestExecution") * 2 + count("Attachment")
    const made = requests["zephyr"]?.requests ?? 0
    console.log(`\nextract of ${scale}: ${totals.extracted.toLocaleString("en-US")} entities in ${seconds.toFixed(1)} s = ${Math.round(totals.extracted / seconds).toLocaleString("en-US")} entities/s`)
    for (const [e, c] of Object.entries(entities)) console.log(`  ${e.padEnd(20)} ${c.extracted.toLocaleString("en-US").padStart(9)}`)
    console.log(`requests: ${made.toLocaleString("en-US")} made (${requests["zephyr"]?.retries ?? 0} retries), minimum ${minimum.toLocaleString("en-US")} (${((made / minimum) * 100).toFixed(1)}%)`)
    console.log(`peak RSS of migrate: ${(peakKb / 1024).toFixed(0)} MB (limit ${RSS_LIMIT_MB} MB)`)
    if (peakKb / 1024 > RSS_LIMIT_MB) {
      console.error(`FAIL: peak RSS above ${RSS_LIMIT_MB} MB`)
      process.exitCode = 1
    }
  } finally {
    sandbox.kill("SIGINT")
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
