/**
 * Bad input, as a user meets it through the real CLI: one clear message naming the cause and the fix, the exit
 * code of core/cli/ExitCode.ts, no stack trace — and nothing already migrated is lost.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"
import { runCliProcess, tempDir } from "./cli.ts"

let scope: Scope.CloseableScope
let sandbox: RunningZephyrSandbox

beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
  sandbox = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: demoData() }), scope))
})
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

const writeSpec = (dir: string, body: string) => {
  const file = path.join(dir, "migration.config.yaml")
  fs.writeFileSync(file, body)
  return file
}

const zephyrSpec = (overrides: { baseUrl?: string; projectKey?: string; extra?: string } = {}) => `version: 1
source:
  type: zephyr
  baseUrl: ${overrides.baseUrl ?? sandbox.baseUrl}
  projectKey: ${overrides.projectKey ?? "DEMO"}
  token: \${env:ZEPHYR_TOKEN}
${overrides.extra ?? ""}`

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

describe("bad input", () => {
  it("malformed YAML: exit 2, file:line:col", async () => {
    const cwd = tempDir()
    writeSpec(cwd, "version: 1\nsource:\n  type: zephyr\n  projectKey: [DEMO\n")
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/migration\.config\.yaml:\d+:\d+/)
    noStackTrace(r.stderr)
  })

  it("an unknown key: exit 2, names the key, its line and a suggestion", async () => {
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec({ extra: "runtim:\n  concurrency: 2\n" }))
    const r = await runCliProcess(["run"], { cwd, env: { ZEPHYR_TOKEN: "x" } })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("migration.config.yaml:7:1")
    expect(r.stderr).toContain('"runtim"')
    expect(r.stderr).toContain('did you mean "runtime"')
    noStackTrace(r.stderr)
  })

  it("a missing environment variable: exit 2, names the variable", async () => {
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec())
    const r = await runCliProcess(["run"], { cwd, env: { ZEPHYR_TOKEN: undefined } })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("ZEPHYR_TOKEN")
    expect(r.stderr).toContain("migration.config.yaml:6:")
    noStackTrace(r.stderr)
  })

  it("a wrong token (401): exit 1, says how to get a new one, never prints the token", async () => {
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec())
    const r = await runCliProcess(["run"], { cwd, env: { ZEPHYR_TOKEN: "not-the-right-token-123" } })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("401")
    expect(r.stderr).toContain("ZEPHYR_TOKEN")
    expect(r.stderr + r.stdout).not.toContain("not-the-right-token-123")
    noStackTrace(r.stderr)
  })

  it("a wrong project key: exit 1, lists the projects the token can see", async () => {
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec({ projectKey: "NOPE" }))
    const r = await runCliProcess(["run"], { cwd, env: { ZEPHYR_TOKEN: sandbox.token } })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("NOPE")
    expect(r.stderr).toContain("DEMO")
    noStackTrace(r.stderr)
  })

  it("a wrong region URL (404 everywhere): exit 1, names the region URLs", async () => {
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec({ baseUrl: sandbox.baseUrl.replace(/\/v2$/, "/eu/v2") }))
    const r = await runCliProcess(["validate"], { cwd, env: { ZEPHYR_TOKEN: sandbox.token } })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("eu.api.zephyrscale.smartbear.com")
    noStackTrace(r.stderr)
  })

  it("validate passes against a reachable tenant, and --verbose shows a trace on failure", async () => {
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec())
    const ok = await runCliProcess(["validate"], { cwd, env: { ZEPHYR_TOKEN: sandbox.token } })
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain("✓ source zephyr")
    const bad = await runCliProcess(["validate", "--verbose"], { cwd, env: { ZEPHYR_TOKEN: "wrong" } })
    expect(bad.code).toBe(1)
  })

  it("a bad command line: exit 2", async () => {
    const r = await runCliProcess(["run", "--no-such-flag"], { cwd: tempDir() })
    expect(r.code).toBe(2)
    const f = await runCliProcess(["sandbox", "--fault-rate", "3"], { cwd: tempDir() })
    expect(f.code).toBe(2)
    expect(f.stderr).toContain("--fault-rate")
  })
})

describe("a malformed source record", () => {
  it("is quarantined and named in the report while the rest is extracted; exit 3", async () => {
    const data = demoData()
    const bad = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data }), scope))
    // The sandbox checks data files at start; corrupting the served object afterwards is how a tenant's odd
    // record reaches the client.
    ;(data.testcases.find((t) => t.key === "DEMO-T2") as { name: unknown }).name = 42
    const cwd = tempDir()
    writeSpec(cwd, zephyrSpec({ baseUrl: bad.baseUrl }))
    const r = await runCliProcess(["run"], { cwd, env: { ZEPHYR_TOKEN: bad.token } })
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain("quarantined TestCase")
    const [runId] = fs.readdirSync(path.join(cwd, ".migrate/runs"))
    const report = JSON.parse(fs.readFileSync(path.join(cwd, ".migrate/runs", runId!, "report.json"), "utf8"))
    expect(report.status).toBe("succeeded-with-quarantine")
    expect(report.quarantined).toEqual([expect.objectContaining({ entity: "TestCase", sourceId: String(data.testcases.find((t) => t.key === "DEMO-T2")!.id) })])
    expect(report.entities.TestCase.created).toBe(data.testcases.filter((t) => t.project.id === 10000).length - 1)
    expect(fs.readFileSync(path.join(cwd, ".migrate/runs", runId!, "report.md"), "utf8")).toContain("## Quarantined records")
    const status = await runCliProcess(["status"], { cwd, env: { ZEPHYR_TOKEN: bad.token } })
    expect(status.stdout).toContain("quarantined records: 1")
  })
})
