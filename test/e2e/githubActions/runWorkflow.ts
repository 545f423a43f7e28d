/**
 * Runs one job of a GitHub Actions workflow file on this machine, as a runner would, so that a test exercises the
 * recipe we ship rather than a copy of it: every `run:` step executes with bash, in order, in the workspace, with
 * the job's and the step's `env`, and `GITHUB_OUTPUT`, `GITHUB_ENV` and `GITHUB_STEP_SUMMARY` files read back as
 * GitHub reads them. A step after a failed one runs only under `if: always()`; a failed step fails the job.
 *
 * The `uses:` steps are the actions' documented behaviour, done locally: `actions/cache/restore` copies the entry
 * whose key matches (else the newest whose key starts with a `restore-keys` prefix) into `path`, `cache/save`
 * stores `path` under a key that must be new, `upload-artifact` records its `path`; checkout and setup-node are
 * the workspace and this Node. `npm ci` is skipped: the test runs the installed repository.
 *
 * Expressions (`${{ … }}`) are evaluated for the forms the workflow uses — contexts (`secrets`, `inputs`, `github`,
 * `env`, `steps.<id>.outputs`), string literals, `||`, `&&`, `!=`, `==` and `always()` — and anything else is an
 * error, so the recipe cannot grow past what this runner understands without the test saying so.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"

interface Step {
  readonly name?: string
  readonly id?: string
  readonly uses?: string
  readonly run?: string
  readonly if?: string
  readonly env?: Readonly<Record<string, string>>
  readonly with?: Readonly<Record<string, string>>
}

export interface Workflow {
  readonly on: Record<string, unknown>
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean }
  readonly jobs: Readonly<Record<string, { readonly env?: Readonly<Record<string, string>>; readonly steps: ReadonlyArray<Step> }>>
}

export const readWorkflow = (file: string): Workflow => parse(fs.readFileSync(file, "utf8")) as Workflow

export interface RunnerContext {
  readonly workspace: string
  /** The Actions cache, shared by every run of the workflow: one directory per key. */
  readonly cacheDir: string
  readonly secrets: Readonly<Record<string, string>>
  readonly inputs?: Readonly<Record<string, string>> | undefined
  readonly runId: number
  /** Added to every step's environment (PATH with the `migrate` under test). */
  readonly env?: Readonly<Record<string, string>> | undefined
}

export interface StepResult {
  readonly name: string
  readonly outcome: "success" | "failure" | "skipped"
  readonly stdout: string
  readonly stderr: string
}

export interface JobResult {
  readonly success: boolean
  readonly steps: ReadonlyArray<StepResult>
  readonly summary: string
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly artifacts: ReadonlyArray<{ readonly name: string; readonly path: string }>
  /** `::warning` and `::error` annotations the steps printed. */
  readonly annotations: ReadonlyArray<string>
  /** The cache key restored, if any. */
  readonly restoredKey: string | undefined
}

type Value = string | boolean | undefined

/** Evaluates one expression (the text between `${{` and `}}`). */
export const evaluate = (expression: string, contexts: Readonly<Record<string, unknown>>, jobFailed = false): Value => {
  const e = expression.trim()
  const or = splitTop(e, "||")
  if (or.length > 1) {
    for (const part of or) {
      const v = evaluate(part, contexts, jobFailed)
      if (v !== undefined && v !== "" && v !== false) return v
    }
    return evaluate(or[or.length - 1]!, contexts, jobFailed)
  }
  const and = splitTop(e, "&&")
  if (and.length > 1) return and.every((part) => truthy(evaluate(part, contexts, jobFailed)))
  for (const op of ["!=", "=="] as const) {
    const sides = splitTop(e, op)
    if (sides.length === 2) {
      const [a, b] = sides.map((x) => evaluate(x, contexts, jobFailed) ?? "")
      return op === "==" ? a === b : a !== b
    }
  }
  if (e === "always()") return true
  if (e === "success()") return !jobFailed
  if (e === "failure()") return jobFailed
  const literal = /^'((?:[^']|'')*)'$/.exec(e)
  if (literal) return literal[1]!.replace(/''/g, "'")
  if (/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(e)) {
    let v: unknown = contexts
    for (const key of e.split(".")) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[key]
    return v === undefined || v === null ? undefined : typeof v === "boolean" ? v : String(v)
  }
  throw new Error(`the workflow runner does not understand the expression \${{ ${expression} }}`)
}

const truthy = (v: Value) => v !== undefined && v !== "" && v !== false

/** Splits at `op` outside quotes. */
const splitTop = (e: string, op: string): Array<string> => {
  const parts: Array<string> = []
  let quoted = false
  let from = 0
  for (let i = 0; i < e.length; i++) {
    if (e[i] === "'") quoted = !quoted
    else if (!quoted && e.startsWith(op, i)) {
      parts.push(e.slice(from, i))
      from = i + op.length
      i += op.length - 1
    }
  }
  parts.push(e.slice(from))
  return parts.map((p) => p.trim())
}

/** Replaces every `${{ … }}` in `text`. */
const interpolate = (text: string, contexts: Readonly<Record<string, unknown>>): string =>
  text.replace(/\$\{\{(.*?)\}\}/g, (_, x: string) => {
    const v = evaluate(x, contexts)
    return v === undefined ? "" : String(v)
  })

/** `k=v` lines and `k<<EOF` blocks, as GitHub reads GITHUB_OUTPUT and GITHUB_ENV. */
const readKeyValues = (file: string): Record<string, string> => {
  const out: Record<string, string> = {}
  if (!fs.existsSync(file)) return out
  const lines = fs.readFileSync(file, "utf8").split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const body: Array<string> = []
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!)
      out[heredoc[1]!] = body.join("\n")
    } else if (line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1)
  }
  return out
}

export const runJob = (workflow: Workflow, job: string, ctx: RunnerContext): JobResult => {
  const definition = workflow.jobs[job]
  if (definition === undefined) throw new Error(`no job ${job}`)
  const runnerDir = fs.mkdtempSync(path.join(path.dirname(ctx.cacheDir), "runner-"))
  const summaryFile = path.join(runnerDir, "summary.md")
  fs.writeFileSync(summaryFile, "")
  const github = { run_id: String(ctx.runId), run_attempt: "1", ref: "refs/heads/main", workspace: ctx.workspace, event_name: ctx.inputs ? "workflow_dispatch" : "schedule" }
  const contexts: Record<string, unknown> = { secrets: ctx.secrets, inputs: ctx.inputs ?? {}, github, steps: {}, env: {} }
  // the job's env, evaluated once (it may read secrets and inputs), then what steps add through GITHUB_ENV
  const jobEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries(definition.env ?? {})) jobEnv[k] = interpolate(String(v), contexts)
  contexts["env"] = jobEnv
  const steps: Array<StepResult> = []
  const outputs: Record<string, Record<string, string>> = {}
  const artifacts: Array<{ name: string; path: string }> = []
  const annotations: Array<string> = []
  let failed = false
  let restoredKey: string | undefined
  definition.steps.forEach((step, index) => {
    const name = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${index + 1}`
    const condition = step.if ?? "success()"
    if (!truthy(evaluate(condition.replace(/^\$\{\{(.*)\}\}$/, "$1"), contexts, failed))) {
      steps.push({ name, outcome: "skipped", stdout: "", stderr: "" })
      return
    }
    const withs: Record<string, string> = {}
    for (const [k, v] of Object.entries(step.with ?? {})) withs[k] = interpolate(String(v), contexts)
    const ok = (stdout = "") => steps.push({ name, outcome: "success", stdout, stderr: "" })
    if (step.uses !== undefined) {
      const action = step.uses.replace(/@.*$/, "")
      if (action === "actions/checkout" || action === "actions/setup-node") return ok()
      if (action === "actions/cache/restore") {
        const keys = [withs["key"]!, ...(withs["restore-keys"] ?? "").split("\n").map((k) => k.trim()).filter((k) => k !== "")]
        const entries = fs.existsSync(ctx.cacheDir) ? fs.readdirSync(ctx.cacheDir).map((k) => ({ k, t: fs.statSync(path.join(ctx.cacheDir, k)).mtimeMs })) : []
        const exact = entries.find((x) => x.k === keys[0])
        const hit = exact ?? keys.slice(1).map((p) => entries.filter((x) => x.k.startsWith(p)).sort((a, b) => b.t - a.t)[0]).find((x) => x !== undefined)
        if (hit) {
          fs.cpSync(path.join(ctx.cacheDir, hit.k), path.join(ctx.workspace, withs["path"]!), { recursive: true })
          restoredKey = hit.k
        }
        return ok(hit ? `Cache restored from key: ${hit.k}` : "Cache not found")
      }
      if (action === "actions/cache/save") {
        const from = path.join(ctx.workspace, withs["path"]!)
        const key = withs["key"]!
        // the action warns and saves nothing when the path is missing; a key is never overwritten
        if (!fs.existsSync(from)) return ok(`Warning: Path Validation Error: ${withs["path"]} does not exist`)
        if (fs.existsSync(path.join(ctx.cacheDir, key))) throw new Error(`cache key ${key} already exists: GitHub would refuse to save it`)
        fs.cpSync(from, path.join(ctx.cacheDir, key), { recursive: true })
        return ok(`Cache saved with key: ${key}`)
      }
      if (action === "actions/upload-artifact") {
        const p = path.resolve(ctx.workspace, withs["path"]!)
        if (!fs.existsSync(p)) throw new Error(`upload-artifact: ${withs["path"]} does not exist`)
        artifacts.push({ name: withs["name"]!, path: p })
        return ok()
      }
      throw new Error(`the workflow runner does not know the action ${step.uses}`)
    }
    if (step.run === undefined) throw new Error(`step ${name} has neither run nor uses`)
    if (step.run.trim() === "npm ci") return ok("skipped: the test runs the installed repository")
    const outputFile = path.join(runnerDir, `output-${index}`)
    const envFile = path.join(runnerDir, `env-${index}`)
    fs.writeFileSync(outputFile, "")
    fs.writeFileSync(envFile, "")
    const stepEnv: Record<string, string> = {}
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = interpolate(String(v), contexts)
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], {
      cwd: ctx.workspace,
      encoding: "utf8",
      env: { ...process.env, ...ctx.env, ...jobEnv, ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_ENV: envFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: ctx.workspace },
      timeout: 300_000
    })
    for (const l of `${r.stdout}\n${r.stderr}`.split("\n")) if (/^::(warning|error)/.test(l)) annotations.push(l)
    if (step.id !== undefined) {
      outputs[step.id] = readKeyValues(outputFile)
      ;(contexts["steps"] as Record<string, unknown>)[step.id] = { outputs: outputs[step.id] }
    }
    Object.assign(jobEnv, readKeyValues(envFile))
    const success = r.status === 0
    if (!success) failed = true
    steps.push({ name, outcome: success ? "success" : "failure", stdout: r.stdout, stderr: r.stderr })
  })
  return { success: !failed, steps, summary: fs.readFileSync(summaryFile, "utf8"), outputs, artifacts, annotations, restoredKey }
}
