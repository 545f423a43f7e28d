/** What the benchmarks share: their command-line flags, and sandboxes in a process of their own. */
import { spawn, type ChildProcess } from "node:child_process"
import * as fs from "node:fs"
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

/** A system `migrate sandbox --json` serves: its base URL and what a client needs to connect. */
export interface ServedSandbox {
  readonly baseUrl: string
  readonly connect: Readonly<Record<string, string>>
}

/**
 * `migrate sandbox --json <args>` in its own process, from an empty directory (no spec: every built-in sandbox;
 * no `.migrate`: nothing kept from a rehearsal). Resolves when it is ready, with each plugin's sandbox.
 */
export const startSandboxesProcess = (args: ReadonlyArray<string>): Promise<{ child: ChildProcess; sandboxes: Readonly<Record<string, ServedSandbox>> }> =>
  new Promise((resolve, reject) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-bench-sandboxes-"))
    // stderr kept for a failure: stopping the sandboxes (SIGINT) makes them say "interrupted" there
    const child = spawn(process.execPath, [bin, "sandbox", "--json", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] })
    const sandboxes: Record<string, ServedSandbox> = {}
    let out = ""
    let err = ""
    child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)))
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const lines = out.split("\n")
      out = lines.pop()!
      for (const line of lines) {
        const e = JSON.parse(line) as { event: string; plugin?: string; baseUrl?: string; connect?: Record<string, string> }
        if (e.event === "sandbox" && e.plugin !== undefined) sandboxes[e.plugin] = { baseUrl: e.baseUrl!, connect: e.connect ?? {} }
        if (e.event === "ready") resolve({ child, sandboxes })
      }
    })
    child.on("exit", (code) => {
      fs.rmSync(cwd, { recursive: true, force: true })
      reject(new Error(`migrate sandbox exited with ${code}\n${err}`))
    })
  })

/** Options of `servedSpec`: the qTest project and Snowflake schema to use, and YAML lines to append. */
export interface ServedSpecOptions {
  readonly qtestProjectId?: string | undefined
  readonly snowflakeSchema?: string | undefined
  readonly extra?: ReadonlyArray<string> | undefined
}

/**
 * A spec that migrates the Zephyr sandbox `migrate sandbox` served into its qTest and Snowflake sandboxes, its
 * secrets as `${env:…}` references (`servedSecrets` has their values).
 */
export const servedSpec = (s: Readonly<Record<string, ServedSandbox>>, o: ServedSpecOptions = {}): string => {
  const z = s["zephyr"]!
  const q = s["qtest"]!
  const f = s["snowflake"]!
  return [
    "version: 1",
    `source: { type: zephyr, edition: ${z.connect["edition"] ?? "cloud"}, baseUrl: ${z.baseUrl}, projectKey: ${z.connect["projectKey"]}, token: "\${env:ZEPHYR_TOKEN}" }`,
    "sinks:",
    `  - { type: qtest, baseUrl: ${q.baseUrl}, projectId: ${o.qtestProjectId ?? q.connect["projectId"]}, token: "\${env:QTEST_TOKEN}", createMissingFields: true, maps: { users: { default: migration-bot@example.com } } }`,
    `  - { type: snowflake, accessUrl: ${f.connect["accessUrl"]}, account: ${f.connect["account"]}, user: ${f.connect["user"]}, password: "\${env:SNOWFLAKE_PASSWORD}", warehouse: ${f.connect["warehouse"]}, database: ${f.connect["database"]}${o.snowflakeSchema ? `, schema: ${o.snowflakeSchema}` : ""} }`,
    ...(o.extra ?? []),
    ""
  ].join("\n")
}

/** The values of the secrets `servedSpec` references. */
export const servedSecrets = (s: Readonly<Record<string, ServedSandbox>>): Record<string, string> => ({
  ZEPHYR_TOKEN: s["zephyr"]!.connect["token"]!,
  QTEST_TOKEN: s["qtest"]!.connect["token"]!,
  SNOWFLAKE_PASSWORD: s["snowflake"]!.connect["password"]!
})
