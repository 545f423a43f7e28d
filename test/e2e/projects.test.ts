/**
 * A spec of three projects (`projects:`) against `migrate sandbox --zephyr-projects 3 --qtest-projects N`: a
 * generated organisation where ORGB-T3 calls ORGA-T1 and ORGC's cycle runs ORGA's test cases. Checked through the
 * CLI, as a user runs it:
 * - `run` migrates each Zephyr project into its own qTest project and all three into one Snowflake schema
 *   (`sharedSchema`), two projects at a time; the cross-project call and executions are reported, not dropped;
 *   a second run writes nothing; `verify` passes per project; `--project` narrows a command to one;
 * - a project that fails (not in Zephyr) is reported, the others go on, the exit code says so;
 * - a run killed while two projects load resumes, per project, to the store and targets of a clean run.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import type { ServedSandbox } from "../../bench/common.ts"
import { servedSecrets } from "../../bench/common.ts"
import type { RunReport } from "../../core/report/RunReport.ts"
import type { ProjectsReport } from "../../core/report/ProjectsReport.ts"
import { dumpStore } from "../plugins/zephyr/runInProcess.ts"
import { connectPromise, destroy, execPromise } from "../plugins/snowflake/sandbox/helpers.ts"
import { servedSandboxes } from "../support/servedSandboxes.ts"
import { runCliProcess, tempDir } from "./cli.ts"

const PROJECTS = ["ORGA", "ORGB", "ORGC"] as const

const organisation = servedSandboxes(["--zephyr-projects", "3", "--qtest-projects", "3"])
// the kill test's own: a little latency so that the kill lands while projects load, and qTest projects for two
// migrations (the killed one and a clean one to compare it with)
const slow = servedSandboxes(["--zephyr-projects", "3", "--qtest-projects", "6", "--latency-ms", "8"])

type Served = Readonly<Record<string, ServedSandbox>>

/** The spec: one Zephyr source, each project into the qTest project `qtestIds[i]`, all into one Snowflake schema. */
const projectsSpec = (s: Served, o: { readonly qtestIds: ReadonlyArray<string>; readonly schema: string; readonly extraProjects?: ReadonlyArray<string> }): string => {
  const z = s["zephyr"]!
  const q = s["qtest"]!
  const f = s["snowflake"]!
  return [
    "version: 1",
    `source: { type: zephyr, baseUrl: "${z.baseUrl}", token: "\${env:ZEPHYR_TOKEN}" }`,
    "sinks:",
    `  - { type: qtest, baseUrl: "${q.baseUrl}", token: "\${env:QTEST_TOKEN}", createMissingFields: true, maps: { users: { default: migration-bot@example.com } } }`,
    `  - { type: snowflake, accessUrl: "${f.connect["accessUrl"]}", account: ${f.connect["account"]}, user: ${f.connect["user"]}, password: "\${env:SNOWFLAKE_PASSWORD}", warehouse: ${f.connect["warehouse"]}, database: ${f.connect["database"]}, schema: ${o.schema}, sharedSchema: true }`,
    "projects:",
    ...PROJECTS.map((key, i) => `  ${key}: { qtest: { projectId: ${o.qtestIds[i]} } }`),
    ...(o.extraProjects ?? []).map((key) => `  ${key}: { qtest: { projectId: ${o.qtestIds[0]} } }`),
    "runtime: { projects: 2 }",
    ""
  ].join("\n")
}

const migration = (spec: string): string => {
  const dir = tempDir("migrate-projects-")
  fs.writeFileSync(path.join(dir, "migration.config.yaml"), spec)
  return dir
}

interface JsonEvent {
  readonly event: string
  readonly project?: string
  readonly [key: string]: unknown
}

const eventsOf = (stdout: string): ReadonlyArray<JsonEvent> =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as JsonEvent)

/** Each project's run report, from `run --json`'s summary events. */
const reportsOf = (stdout: string): Readonly<Record<string, RunReport>> =>
  Object.fromEntries(eventsOf(stdout).flatMap((e) => (e.event === "summary" && e.project !== undefined ? [[e.project, e["report"] as RunReport]] : [])))

const writes = (r: RunReport): number => r.load.reduce((n, l) => n + l.totals.created + l.totals.updated + l.totals.rejected, 0)

const stateOf = (dir: string, key: string) => path.join(dir, ".migrate", "projects", key, "state.db")

/** The test cases of a qTest project, through the API (every page). */
const qtestCases = async (s: Served, projectId: string): Promise<ReadonlyArray<{ readonly id: number; readonly name: string }>> => {
  const q = s["qtest"]!
  const all: Array<{ id: number; name: string }> = []
  for (let page = 1; ; page++) {
    for (let attempt = 0; ; attempt++) {
      const r = await fetch(`${q.baseUrl}/api/v3/projects/${projectId}/test-cases?page=${page}&size=100`, { headers: { authorization: `Bearer ${q.connect["token"]}` } })
      if (r.status === 429 && attempt < 10) {
        await new Promise((done) => setTimeout(done, 1000 * Number(r.headers.get("retry-after") ?? "1")))
        continue
      }
      expect(r.status).toBe(200)
      const items = (await r.json()) as Array<{ id: number; name: string }>
      all.push(...items)
      if (items.length < 100) return all
      break
    }
  }
}

/** Rows per `_PROJECT` of a table in the shared Snowflake schema, through the real driver. */
const snowflakeRowsPerProject = async (s: Served, schema: string, table: string): Promise<Record<string, number>> => {
  const f = s["snowflake"]!.connect
  const conn = await connectPromise({ accessUrl: f["accessUrl"]!, account: f["account"]!, username: f["user"]!, password: f["password"]!, database: f["database"]!, schema, warehouse: f["warehouse"]! } as never)
  try {
    const rows = await execPromise(conn, `SELECT "_PROJECT" AS P, COUNT(*) AS N FROM "${f["database"]}"."${schema}"."${table}" GROUP BY 1`)
    return Object.fromEntries(rows.map((r) => [String(r["P"]), Number(r["N"])]))
  } finally {
    await destroy(conn).catch(() => undefined)
  }
}

const storeCount = (dbFile: string, entity: string): number => dumpStore(dbFile)[entity]?.length ?? 0

describe("a spec of several projects", () => {
  it("migrates each project into its own qTest project and one Snowflake schema; a second run writes nothing; verify passes per project", async () => {
    const served = organisation()
    const env = servedSecrets(served)
    const cwd = migration(projectsSpec(served, { qtestIds: served["qtest"]!.connect["projectIds"]!.split(","), schema: "ORG" }))

    const first = await runCliProcess(["run", "--json"], { cwd, env, timeoutMs: 240_000 })
    expect(first.code, first.stderr).toBe(0)
    const reports = reportsOf(first.stdout)
    expect(Object.keys(reports).sort()).toEqual([...PROJECTS])

    // each store holds its own project; each qTest project its own test cases, once each
    const qtestIds = served["qtest"]!.connect["projectIds"]!.split(",")
    for (const [i, key] of PROJECTS.entries()) {
      const store = dumpStore(stateOf(cwd, key))
      expect(store["Project"]!.map((p) => p["project_key"])).toEqual([key])
      const cases = await qtestCases(served, qtestIds[i]!)
      expect(cases.length).toBe(store["TestCase"]!.length)
      expect(cases.length).toBeGreaterThan(0)
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
    }
    // one Snowflake schema, each project's rows under its key, as many as its store holds
    const perProject = await snowflakeRowsPerProject(served, "ORG", "TESTEXECUTION")
    expect(perProject).toEqual(Object.fromEntries(PROJECTS.map((key) => [key, storeCount(stateOf(cwd, key), "TestExecution")])))

    // the references across projects are reported where qTest cannot hold them, and kept in the warehouse
    const callGap = reports["ORGB"]!.load.find((l) => l.sink === "qtest")!.gaps.find((g) => g.kind === "call")
    expect(callGap?.value).toBe("ORGA-T1")
    expect(callGap?.hint).toContain("of project ORGA")
    const crossRuns = reports["ORGC"]!.load.find((l) => l.sink === "qtest")!.skipped.filter((s) => s.reason.includes("of project ORGA"))
    expect(crossRuns.length).toBeGreaterThan(0)
    const orgcExecutions = dumpStore(stateOf(cwd, "ORGC"))["TestExecution"]!.filter((e) => String(e["test_case_key"]).startsWith("ORGA-"))
    expect(orgcExecutions.length).toBe(crossRuns.length)

    // the report over the projects: a section per project, links to their own reports
    const projectsEvent = eventsOf(first.stdout).find((e) => e.event === "projects")!
    expect((projectsEvent["projects"] as ReadonlyArray<{ key: string; code: number }>).map((p) => [p.key, p.code])).toEqual(PROJECTS.map((k) => [k, 0]))
    const runsDir = path.join(cwd, ".migrate", "runs")
    const [orgRun] = fs.readdirSync(runsDir)
    const orgReport = JSON.parse(fs.readFileSync(path.join(runsDir, orgRun!, "report.json"), "utf8")) as ProjectsReport
    expect(orgReport.projects.map((p) => [p.key, p.outcome])).toEqual(PROJECTS.map((k) => [k, "ok"]))
    for (const p of orgReport.projects) expect(fs.existsSync(path.join(runsDir, orgRun!, p.report!))).toBe(true)
    expect(fs.readFileSync(path.join(runsDir, orgRun!, "report.html"), "utf8")).toContain('id="project-ORGC"')

    const second = await runCliProcess(["run", "--json"], { cwd, env, timeoutMs: 240_000 })
    expect(second.code, second.stderr).toBe(0)
    const again = reportsOf(second.stdout)
    expect(Object.fromEntries(PROJECTS.map((k) => [k, writes(again[k]!)]))).toEqual({ ORGA: 0, ORGB: 0, ORGC: 0 })

    const verify = await runCliProcess(["verify", "--json"], { cwd, env, timeoutMs: 240_000 })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    const verified = eventsOf(verify.stdout).filter((e) => e.event === "verify")
    expect(verified.map((e) => [e.project, (e["sinks"] as ReadonlyArray<{ sink: string; ok: boolean }>).map((s) => [s.sink, s.ok])])).toEqual(
      PROJECTS.map((k) => [k, [["qtest", true], ["snowflake", true]]])
    )

    // --project narrows any command to one project
    const one = await runCliProcess(["status", "--project", "ORGB", "--json"], { cwd, env, timeoutMs: 60_000 })
    expect(one.code, one.stderr).toBe(0)
    expect(eventsOf(one.stdout).filter((e) => e.event === "status").map((e) => e.project)).toEqual(["ORGB"])
    const typo = await runCliProcess(["status", "--project", "ORG_B"], { cwd, env, timeoutMs: 60_000 })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain("did you mean ORGB?")

    // a project Zephyr does not have fails alone: the others run (and write nothing), the exit code says so
    fs.writeFileSync(path.join(cwd, "with-missing.yaml"), projectsSpec(served, { qtestIds, schema: "ORG", extraProjects: ["ORGX"] }).replace("runtime:", "state: { path: .migrate/state.db }\nruntime:"))
    const failing = await runCliProcess(["run", "-c", "with-missing.yaml", "--json"], { cwd, env, timeoutMs: 240_000 })
    expect(failing.code).toBe(1)
    const outcome = eventsOf(failing.stdout).find((e) => e.event === "projects")!["projects"] as ReadonlyArray<{ key: string; code: number; message: string }>
    expect(outcome.map((p) => [p.key, p.code])).toEqual([...PROJECTS.map((k) => [k, 0]), ["ORGX", 1]])
    expect(outcome.find((p) => p.key === "ORGX")!.message).toContain("ORGX")
    const untouched = reportsOf(failing.stdout)
    expect(PROJECTS.map((k) => writes(untouched[k]!))).toEqual([0, 0, 0])
  }, 600_000)

  it("a run killed while two projects load resumes, per project, to what a clean run makes", async () => {
    const served = slow()
    const env = servedSecrets(served)
    const ids = served["qtest"]!.connect["projectIds"]!.split(",")
    const killedDir = migration(projectsSpec(served, { qtestIds: ids.slice(0, 3), schema: "KILLED" }))
    const cleanDir = migration(projectsSpec(served, { qtestIds: ids.slice(3, 6), schema: "CLEAN" }))

    // killed once the second project's qTest load has begun, while the first still runs beside it
    let seen = ""
    const killed = await runCliProcess(["run", "--json"], {
      cwd: killedDir,
      env,
      timeoutMs: 240_000,
      onStarted: (child) =>
        child.stdout!.on("data", (d: Buffer) => {
          seen += d.toString()
          if (/"project":"ORGB","phase":"load qtest"/.test(seen.replace(/"event":"phase","at":"[^"]*",/g, ""))) child.kill("SIGKILL")
        })
    })
    expect(killed.signal, killed.stdout.slice(-2000)).toBe("SIGKILL")
    expect(eventsOf(killed.stdout).some((e) => e.event === "projects")).toBe(false)
    // ORGB was killed during its load, its run unfinished
    expect(reportsOf(killed.stdout)["ORGB"]).toBeUndefined()

    const resumed = await runCliProcess(["run", "--json"], { cwd: killedDir, env, timeoutMs: 240_000 })
    expect(resumed.code, resumed.stderr).toBe(0)
    const clean = await runCliProcess(["run", "--json"], { cwd: cleanDir, env, timeoutMs: 240_000 })
    expect(clean.code, clean.stderr).toBe(0)

    for (const [i, key] of PROJECTS.entries()) {
      expect(dumpStore(stateOf(killedDir, key)), key).toEqual(dumpStore(stateOf(cleanDir, key)))
      const killedCases = await qtestCases(served, ids[i]!)
      const cleanCases = await qtestCases(served, ids[i + 3]!)
      expect(killedCases.map((c) => c.name).sort(), key).toEqual(cleanCases.map((c) => c.name).sort())
    }
    expect(await snowflakeRowsPerProject(served, "KILLED", "TESTCASE")).toEqual(await snowflakeRowsPerProject(served, "CLEAN", "TESTCASE"))
    const verify = await runCliProcess(["verify"], { cwd: killedDir, env, timeoutMs: 240_000 })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
  }, 600_000)
})
