/**
 * The setup the CLI-process tests of the qTest sink share: a demo Zephyr sandbox and a qTest sandbox started in
 * the test process (so they outlive a CLI process killed with SIGKILL), a spec pointing `bin/migrate.js` at them
 * (`token: ${env:QTEST_TOKEN}`, `createMissingFields: true`), a store extracted once and copied per scenario (a
 * scenario then costs an incremental extract and the load), the run's report, and qTest read back through its
 * API as a comparable dump (test/plugins/qtest/load/qtestContents.ts).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, expect } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { startQtestSandbox, type QtestSandboxOptions, type RunningQtestSandbox } from "../../plugins/qtest/sandbox/index.ts"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"
import { SANDBOX_USER, targetOf } from "../plugins/qtest/load/harness.ts"
import { countsOf, dumpQtest, duplicates, readQtest } from "../plugins/qtest/load/qtestContents.ts"
import { runCliProcess, tempDir, type CliResult } from "./cli.ts"

export interface Sandboxes {
  readonly zephyr: RunningZephyrSandbox
  readonly qtest: RunningQtestSandbox
}

/** Starts both sandboxes before the file's tests and stops them after; call the result inside a test. */
export const useSandboxes = (qtestOptions: QtestSandboxOptions = {}): (() => Sandboxes) => {
  let scope: Scope.CloseableScope | undefined
  let running: Sandboxes | undefined
  beforeAll(async () => {
    scope = await Effect.runPromise(Scope.make())
    running = await Effect.runPromise(
      Scope.extend(Effect.all({ zephyr: startZephyrSandbox({ data: demoData() }), qtest: startQtestSandbox(qtestOptions) }), scope)
    )
  })
  afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))
  return () => {
    if (!running) throw new Error("the sandboxes are not started yet: call this inside a test")
    return running
  }
}

/**
 * The spec: the demo project into the qTest sandbox. `sink: false` extracts only; `qtestExtra` is YAML appended
 * to the qtest section, indented by four spaces (e.g. a `maps:` block).
 */
export const qtestSpec = (s: Sandboxes, options: { readonly sink?: boolean; readonly qtestExtra?: string } = {}): string => `version: 1
source:
  type: zephyr
  baseUrl: ${s.zephyr.baseUrl}
  projectKey: ${s.zephyr.projectKey}
  token: \${env:ZEPHYR_TOKEN}
${
  options.sink === false
    ? ""
    : `sinks:
  - type: qtest
    baseUrl: ${s.qtest.baseUrl}
    projectId: ${s.qtest.projectId}
    token: \${env:QTEST_TOKEN}
    createMissingFields: true
${options.qtestExtra ?? `    maps:
      users:
        default: ${SANDBOX_USER}`}
`
}runtime:
  concurrency: 4
  retry:
    maxAttempts: 6
    baseDelayMs: 10
    maxDelayMs: 200
`

export const envOf = (s: Sandboxes, overrides: Readonly<Record<string, string>> = {}) => ({ ZEPHYR_TOKEN: s.zephyr.token, QTEST_TOKEN: s.qtest.token, ...overrides })

/** A working directory with the spec in `migration.config.yaml`. */
export const workdir = (spec: string): string => {
  const cwd = tempDir("migrate-qtest-")
  fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec)
  return cwd
}

/** `migrate <args>` in `cwd` against the sandboxes. */
export const migrate = (s: Sandboxes, cwd: string, args: ReadonlyArray<string>, options: { readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number } = {}): Promise<CliResult> =>
  runCliProcess(args, { cwd, env: { ...envOf(s), MIGRATE_FAILPOINT: undefined, ...options.env }, timeoutMs: options.timeoutMs ?? 120_000 })

/**
 * A directory whose store holds the demo project extracted (no sink ran), and a function that copies it for a
 * scenario with the given spec: the scenario's run extracts incrementally (nothing changed) and loads.
 */
export const extractOnce = async (s: Sandboxes): Promise<(spec: string) => string> => {
  const source = workdir(qtestSpec(s, { sink: false }))
  const r = await migrate(s, source, ["run"])
  expect(r.code, r.stderr + r.stdout).toBe(0)
  return (spec) => {
    const cwd = tempDir("migrate-qtest-")
    fs.cpSync(path.join(source, ".migrate"), path.join(cwd, ".migrate"), { recursive: true, filter: (p) => !p.includes(`${path.sep}runs`) })
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec)
    return cwd
  }
}

/** The report of the run whose output this is (`report: …/report.md` in its summary). */
export const reportOf = (r: CliResult): RunReport => {
  const m = /report: (\S+)report\.md/.exec(r.stdout)
  if (!m) throw new Error(`no report path in the output:\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(fs.readFileSync(`${m[1]}report.json`, "utf8")) as RunReport
}

/** What qTest holds, read through its API: the comparable dump, the duplicates and the counts. */
export const readBack = (qtest: RunningQtestSandbox) =>
  Effect.runPromise(
    Effect.scoped(Effect.map(readQtest(targetOf(qtest)), (contents) => ({ dump: dumpQtest(contents), duplicates: duplicates(contents), counts: countsOf(contents), contents })))
  )

/** Empties the qTest project (`POST /__sandbox/reset`: ids keep increasing) and its rejection rules. */
export const resetQtest = async (qtest: RunningQtestSandbox): Promise<void> => {
  const r = await fetch(`${qtest.baseUrl}/__sandbox/reset`, { method: "POST", headers: { authorization: `Bearer ${qtest.token}` } })
  expect(r.status).toBe(200)
}

/** `POST /__sandbox/reject`: the next writes of `objectType` whose name contains `nameContains` are refused. */
export const rejectNext = async (
  qtest: RunningQtestSandbox,
  rule: { readonly objectType: string; readonly nameContains?: string; readonly status: number; readonly message: string; readonly times?: number }
): Promise<void> => {
  const r = await fetch(`${qtest.baseUrl}/__sandbox/reject`, {
    method: "POST",
    headers: { authorization: `Bearer ${qtest.token}`, "content-type": "application/json" },
    body: JSON.stringify(rule)
  })
  expect(r.status, await r.text()).toBe(200)
}

/** A qTest API call as a user would make it in the UI's stead (to edit what the migration wrote). */
export const qtestApi = async (qtest: RunningQtestSandbox, method: string, apiPath: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
  const r = await fetch(`${qtest.baseUrl}/api/v3/projects/${qtest.projectId}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${qtest.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await r.text()
  return { status: r.status, json: text === "" ? undefined : JSON.parse(text) }
}
