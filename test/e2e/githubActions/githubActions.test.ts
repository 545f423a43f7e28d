/**
 * The GitHub Actions recipe (examples/github-actions/migrate.yml), executed step by step on this machine
 * (runWorkflow.ts) against the sandboxes of `migrate sandbox`, as the nightly runs of a migration would go:
 * - the first night migrates everything, saves a snapshot of the state in the cache, writes the report to the job
 *   summary and uploads the report directory (with report.html);
 * - the next night starts on a fresh runner, restores the newest snapshot by prefix, and writes nothing;
 * - a night whose qTest secret is wrong fails the job (exit 1), and still saves the state and the summary;
 * - a run with quarantined records only warns (exit 3), as does one stopped at the budget (exit 4).
 * The workflow's triggers, concurrency and permissions are checked as declared.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { servedSecrets, servedSpec } from "../../../bench/common.ts"
import { servedSandboxes } from "../../support/servedSandboxes.ts"
import type { RunReport } from "../../../core/report/RunReport.ts"
import { bin, repoRoot, tempDir } from "../cli.ts"
import { readWorkflow, runJob, type RunnerContext } from "./runWorkflow.ts"

const WORKFLOW = path.join(repoRoot, "examples/github-actions/migrate.yml")

const served = servedSandboxes()

/** A repository of a migration: its spec (pointed at the sandboxes) and `npx migrate` resolving to this CLI. */
const workspace = (extra = ""): string => {
  const dir = tempDir("migrate-gha-")
  fs.writeFileSync(path.join(dir, "migration.config.yaml"), servedSpec(served(), { extra: extra === "" ? [] : [extra] }))
  // what `npm ci` puts in place in a real repository: node_modules/.bin/migrate
  fs.mkdirSync(path.join(dir, "node_modules/.bin"), { recursive: true })
  fs.symlinkSync(bin, path.join(dir, "node_modules/.bin/migrate"))
  return dir
}

const secrets = () => servedSecrets(served())

const reportIn = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport

const written = (r: RunReport) => r.load.reduce((n, l) => n + l.totals.created + l.totals.updated, 0)

const outcome = (job: ReturnType<typeof runJob>, name: string) => job.steps.find((s) => s.name === name)?.outcome

describe("GitHub Actions recipe", () => {
  it("declares a nightly schedule, a manual dispatch, one concurrency group per spec and read-only permissions", () => {
    const w = readWorkflow(WORKFLOW)
    expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"])
    expect(w.concurrency?.group).toContain("migration.config.yaml")
    expect(w.concurrency?.["cancel-in-progress"]).toBe(false)
    const steps = w.jobs["migrate"]!.steps
    // the state is saved, the summary written and the verdict given whatever happened before
    for (const name of ["Snapshot the state", "Save the state", "Summary", "Verdict"]) expect(steps.find((s) => s.name === name)?.if, name).toMatch(/^always\(\)/)
    // secrets come from the CI store only
    expect(JSON.stringify(w.jobs["migrate"]!.env)).toMatch(/secrets\.QTEST_TOKEN/)
  })

  it("nightly runs: migrate, save the state, restore it on a fresh runner, write nothing; a failure still saves", () => {
    const workflow = readWorkflow(WORKFLOW)
    const cacheDir = path.join(tempDir("migrate-gha-cache-"), "cache")
    fs.mkdirSync(cacheDir)
    const night = (runId: number, ctx: Partial<RunnerContext> = {}) => runJob(workflow, "migrate", { workspace: workspace(), cacheDir, secrets: secrets(), runId, ...ctx })

    // night 1: nothing cached yet
    const first = night(1)
    expect(first.success, JSON.stringify(first.steps.map((s) => [s.name, s.outcome, s.stderr.slice(-500)]))).toBe(true)
    expect(first.restoredKey).toBeUndefined()
    expect(first.outputs["migrate"]?.["exit-code"]).toBe("0")
    expect(first.summary).toMatch(/^# migrate run \S+/)
    expect(first.artifacts).toHaveLength(1)
    const firstReport = reportIn(first.artifacts[0]!.path)
    expect(fs.existsSync(path.join(first.artifacts[0]!.path, "report.html"))).toBe(true)
    expect(written(firstReport)).toBeGreaterThan(0)
    expect(fs.readdirSync(cacheDir)).toEqual(["migrate-state-migration.config.yaml-1-1"])
    // the cached state is a snapshot: one store file, no WAL
    expect(fs.readdirSync(path.join(cacheDir, "migrate-state-migration.config.yaml-1-1")).sort()).toEqual(["blobs", "runs", "state.db"])

    // night 2, on a fresh runner: the state comes back from the cache, and nothing is written twice
    const second = night(2)
    expect(second.success).toBe(true)
    expect(second.restoredKey).toBe("migrate-state-migration.config.yaml-1-1")
    const secondReport = reportIn(second.artifacts[0]!.path)
    expect(secondReport.extract.mode).toBe("incremental")
    expect(written(secondReport)).toBe(0)
    expect(secondReport.totals.created).toBe(0)

    // night 3: a wrong qTest secret fails the job; the state is saved all the same, the summary written
    const third = night(3, { secrets: { ...secrets(), QTEST_TOKEN: "revoked-token" } })
    expect(third.success).toBe(false)
    expect(third.outputs["migrate"]?.["exit-code"]).toBe("1")
    expect(outcome(third, "Verdict")).toBe("failure")
    expect(outcome(third, "Save the state")).toBe("success")
    expect(third.restoredKey).toBe("migrate-state-migration.config.yaml-2-1")
    expect(fs.readdirSync(cacheDir).sort()).toEqual(["1-1", "2-1", "3-1"].map((k) => `migrate-state-migration.config.yaml-${k}`))
    expect(third.annotations.some((a) => a.startsWith("::error"))).toBe(true)
    expect(third.summary).toMatch(/^# migrate run \S+/)
    expect(reportIn(third.artifacts[0]!.path).status).toBe("failed")

    // night 4, after the secret is fixed: it continues from what night 3 saved
    const fourth = night(4)
    expect(fourth.success).toBe(true)
    expect(fourth.restoredKey).toBe("migrate-state-migration.config.yaml-3-1")
    expect(written(reportIn(fourth.artifacts[0]!.path))).toBe(0)
  }, 600_000)

  it("a plan and a cut-over on demand, and an invalid spec fails the job with a summary that says why", () => {
    const workflow = readWorkflow(WORKFLOW)
    const cacheDir = path.join(tempDir("migrate-gha-cache-"), "cache")
    fs.mkdirSync(cacheDir)
    const plan = runJob(workflow, "migrate", { workspace: workspace(), cacheDir, secrets: secrets(), runId: 1, inputs: { command: "plan" } })
    expect(plan.success, JSON.stringify(plan.steps.map((s) => [s.name, s.outcome, s.stdout.slice(-800), s.stderr.slice(-800)]))).toBe(true)
    expect(plan.steps.find((s) => s.name === "Migrate")?.stdout).toMatch(/plan|would/i)

    // cut-over day on demand: the summary leads with the verdict to sign
    const cut = runJob(workflow, "migrate", { workspace: workspace(), cacheDir, secrets: secrets(), runId: 3, inputs: { command: "cutover" } })
    expect(cut.success, JSON.stringify(cut.steps.map((s) => [s.name, s.outcome, s.stdout.slice(-400)]))).toBe(true)
    expect(cut.summary).toMatch(/^# Cut-over: PASSED/)
    expect(fs.existsSync(path.join(cut.artifacts[0]!.path, "cutover.html"))).toBe(true)

    const broken = workspace("runtime: { concurrency: many }")
    // (a cache of its own: with a snapshot to restore, the invalid spec would already stop the restore step)
    const freshCache = path.join(tempDir("migrate-gha-cache-"), "cache")
    fs.mkdirSync(freshCache)
    const bad = runJob(workflow, "migrate", { workspace: broken, cacheDir: freshCache, secrets: secrets(), runId: 4 })
    expect(bad.success).toBe(false)
    expect(bad.outputs["migrate"]?.["exit-code"]).toBe("2")
    expect(bad.summary).toContain("No report")
    expect(bad.summary).toContain("concurrency")
  }, 300_000)
})
