/**
 * Runs the real CLI (bin/migrate.js, exactly what `npx migrate` runs) in a child process, in a temp working
 * directory, and captures exit code, stdout and stderr.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { RunReport } from "../../core/report/RunReport.ts"

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
export const bin = path.join(repoRoot, "bin/migrate.js")

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export const tempDir = (prefix = "migrate-e2e-"): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix))

/** The report of the newest run in `cwd`'s `.migrate` (run ids sort by their start time). */
export const lastReport = (cwd: string): RunReport => {
  const runs = path.join(cwd, ".migrate/runs")
  const last = fs.readdirSync(runs).sort().at(-1)!
  return JSON.parse(fs.readFileSync(path.join(runs, last, "report.json"), "utf8")) as RunReport
}

export const runCliProcess = (
  args: ReadonlyArray<string>,
  options: {
    cwd: string
    env?: Record<string, string | undefined>
    timeoutMs?: number
    onStarted?: (child: ReturnType<typeof spawn>) => void
    /** Run the CLI as this user (a test running as root needs an unprivileged one for permission bits to count). */
    uid?: number
    gid?: number
    /** A command the CLI runs under, given `node bin/migrate.js <args>` as its arguments (e.g. `bash -c 'ulimit …; exec "$@"' bash`). */
    wrapper?: ReadonlyArray<string>
  }
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries({ ...process.env, CI: "true", ...options.env })) if (v !== undefined) env[k] = v
    const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath]
    const child = spawn(command!, [...prefix, bin, ...args], {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid })
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    options.onStarted?.(child)
  })
