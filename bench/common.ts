/** What the benchmarks share: their command-line flags, and a Zephyr sandbox in a process of its own. */
import { spawn, type ChildProcess } from "node:child_process"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
export const bin = path.join(root, "bin/migrate.js")

/** `--name value` from the command line, else the fallback. */
export const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback
}

/** `migrate sandbox <args>` in its own process (so the figures measured are migrate's alone); its Zephyr URL. */
export const startZephyrProcess = (args: ReadonlyArray<string>): Promise<{ child: ChildProcess; baseUrl: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "sandbox", ...args], { cwd: os.tmpdir(), stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /^zephyr (\S+)$/m.exec(out)
      if (m) resolve({ child, baseUrl: m[1]! })
    })
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)))
  })
