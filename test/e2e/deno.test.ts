/**
 * The Deno smoke check: the Deno binary from the `deno` npm package runs the CLI's source (bin/main.ts, no
 * build step) — `run --sandbox` extracting the Zephyr sandbox into the store through libsql, a second run that
 * reads the store back, and the example external plugin loaded by path. The store is then read with
 * better-sqlite3 from this (Node) process, so both drivers agree on the file. `--verbose` makes the CLI say which
 * driver and runtime it ran on: the assertion that this really ran under Deno, not Node.
 *
 * Skipped — saying so in its name — only when the deno binary is genuinely absent (a platform the npm package
 * ships no binary for); on CI's machines `npm ci` installs it.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { DEMO_COUNTS } from "../fixtures/demoCounts.ts"
import { repoRoot, tempDir, type CliResult } from "./cli.ts"

/** The binary the npm package placed beside its package.json (postinstall), or asks its installer for it. */
const findDeno = (): { readonly bin: string | undefined; readonly why: string } => {
  const require = createRequire(import.meta.url)
  try {
    const dir = path.dirname(require.resolve("deno/package.json"))
    const bin = path.join(dir, process.platform === "win32" ? "deno.exe" : "deno")
    if (fs.existsSync(bin)) return { bin, why: "" }
    const installed = (require("deno/install_api.cjs") as { runInstall: () => string }).runInstall()
    return fs.existsSync(installed) ? { bin: installed, why: "" } : { bin: undefined, why: `the deno npm package placed no binary at ${bin}` }
  } catch (e) {
    return { bin: undefined, why: `no deno binary: ${e instanceof Error ? e.message : String(e)} (run npm ci)` }
  }
}

const deno = findDeno()

/** TOOLCHAIN.md: the permissions the CLI needs — files, env, loopback (sandboxes), FFI (libsql's addon), sys info. */
const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-net=127.0.0.1", "--allow-ffi", "--allow-sys"]

const runDeno = (args: ReadonlyArray<string>, cwd: string): Promise<CliResult & { readonly ms: number }> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
    // Deno's cache of transpiled modules under node_modules: writable wherever the repo is, kept between runs.
    Object.assign(env, { CI: "true", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_DIR: path.join(repoRoot, "node_modules/.cache/deno") })
    const child = spawn(deno.bin!, ["run", "--config", path.join(repoRoot, "deno.json"), ...flags, path.join(repoRoot, "bin/main.ts"), ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started })
    })
  })

const count = (dbFile: string, table: string) => {
  const db = new Database(dbFile, { readonly: true })
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

const zephyrData = path.join(repoRoot, "test/fixtures/zephyr/demo.json")

describe("Deno", () => {
  it.skipIf(deno.bin === undefined)(
    deno.bin === undefined ? `runs migrate run --sandbox — SKIPPED: ${deno.why}` : "runs migrate run --sandbox with the libsql driver, and a second run reads the store back",
    { timeout: 180_000 },
    async () => {
      const cwd = tempDir("migrate-deno-")
      const first = await runDeno(["run", "--sandbox", "--zephyr-data", zephyrData, "--verbose"], cwd)
      expect(first.code, `signal ${first.signal}\n${first.stderr}${first.stdout}`).toBe(0)
      expect(first.stdout).toMatch(/SQLite driver libsql on Deno 2\.\d+\.\d+/)
      expect(first.stdout).toMatch(/run \S+: succeeded/)
      process.stdout.write(`deno smoke: first run ${first.ms} ms\n`)

      const db = path.join(cwd, ".migrate/sandbox.db")
      const expected = DEMO_COUNTS
      expect(Object.fromEntries(Object.keys(expected).map((t) => [t, count(db, t)]))).toEqual(expected)
      expect(count(db, "quarantine")).toBe(0)
      expect(fs.readdirSync(path.join(cwd, ".migrate/blobs")).length).toBeGreaterThan(0)

      const second = await runDeno(["run", "--sandbox", "--zephyr-data", zephyrData], cwd)
      expect(second.code, `signal ${second.signal}\n${second.stderr}${second.stdout}`).toBe(0)
      // Full or incremental (whichever the pipeline chooses), nothing changed at the source: nothing new, nothing changed.
      expect(second.stdout).toMatch(/total\s+\d+ extracted\s+0 new\s+0 changed\s+\d+ unchanged/)
      expect(Object.fromEntries(Object.keys(expected).map((t) => [t, count(db, t)]))).toEqual(expected)
      process.stdout.write(`deno smoke: second run ${second.ms} ms\n`)
    }
  )

  it.skipIf(deno.bin === undefined)(
    deno.bin === undefined ? `loads an external plugin by path — SKIPPED: ${deno.why}` : "loads the example external plugin by path and runs it against its sandbox",
    { timeout: 120_000 },
    async () => {
      const cwd = tempDir("migrate-deno-plugin-")
      fs.writeFileSync(
        path.join(cwd, "migration.config.yaml"),
        `version: 1\nsource:\n  type: csv\n  file: ./cases.csv\n  projectKey: DEMO\nplugins:\n  - ${path.join(repoRoot, "examples/csv-source/index.ts")}\n`
      )
      const r = await runDeno(["run", "--sandbox", "--verbose"], cwd)
      expect(r.code, r.stderr + r.stdout).toBe(0)
      expect(r.stdout).toMatch(/SQLite driver libsql on Deno/)
      const db = path.join(cwd, ".migrate/sandbox.db")
      expect({ TestCase: count(db, "TestCase"), TestStep: count(db, "TestStep") }).toEqual({ TestCase: 40, TestStep: 78 })
    }
  )
})
