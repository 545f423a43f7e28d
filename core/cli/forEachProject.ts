/**
 * How every command treats a spec with `projects:`: it runs once per project (or for the one `--project` names),
 * each time on a spec narrowed to that project — its merged sections and its own state — with output marked by the
 * project's key. A project's failure is reported and the others go on; the command then ends with the worst exit
 * code and a line per project. A single-project spec runs the command once, exactly as before.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { SpecError } from "../errors.ts"
import { makeSystemThrottles, type SystemThrottles } from "../policy/SystemThrottles.ts"
import { didYouMean } from "../spec/didYouMean.ts"
import type { LoadedProject } from "../spec/LoadedSpec.ts"
import { CliExit, describeFailure, ExitCode } from "./ExitCode.ts"
import type { loadForCommand } from "./loadRun.ts"
import { makeOutput, type Output } from "./Output.ts"

type Loaded = Effect.Effect.Success<ReturnType<typeof loadForCommand>>

/** The project a command is run for, when the spec has `projects:`. */
export interface ProjectUnit {
  readonly key: string
  /** Shared by the projects that run at once: each system's pace, requests in flight and budget. */
  readonly throttles: SystemThrottles
}

/** The exit code that says most about several: a failure before an invalid spec, before a budget stop, before quarantine. */
const SEVERITY: ReadonlyArray<number> = [ExitCode.failed, ExitCode.locked, ExitCode.invalid, ExitCode.budget, ExitCode.quarantined, ExitCode.ok]
export const worstExitCode = (codes: ReadonlyArray<number>): number => {
  // lower is worse; a code not listed (an interruption) is worst of all
  const rank = (code: number) => SEVERITY.indexOf(code)
  return codes.reduce((worst, code) => (rank(code) < rank(worst) ? code : worst), ExitCode.ok as number)
}

/** The spec as one project sees it: its sections and its state, no other project. */
export const narrowTo = (loaded: Loaded, project: LoadedProject): Loaded => ({
  ...loaded,
  statePath: project.statePath,
  spec: { ...loaded.spec, source: project.source, sinks: project.sinks, statePath: project.statePath, projects: undefined }
})

/** The projects `--project` selects: all of them, or the one it names (a clear error for any other name). */
export const selectProjects = (loaded: Loaded, only: Option.Option<string>): Effect.Effect<ReadonlyArray<LoadedProject> | undefined, SpecError> => {
  const projects = loaded.spec.projects
  if (Option.isNone(only)) return Effect.succeed(projects)
  const usage = (message: string) => Effect.fail(new SpecError({ reason: "Usage", file: loaded.specFile ?? "<sandbox>", problems: [message] }))
  if (projects === undefined) return usage(`--project ${only.value}: this spec migrates one project — --project narrows a spec with projects: to one of them`)
  const found = projects.find((p) => p.key === only.value)
  if (found !== undefined) return Effect.succeed([found])
  const keys = projects.map((p) => p.key)
  const suggestion = didYouMean(only.value, keys)
  return usage(`--project ${only.value}: no such project in the spec${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`} — its projects: ${keys.join(", ")}`)
}

/** How one project's command ended: its exit code, the failure's first line, and what the command returned. */
export interface ProjectOutcome<A> {
  readonly key: string
  readonly code: number
  readonly message: string
  readonly value: A | undefined
}

/**
 * @param concurrency how many projects at once (`runtime.projects` for commands that migrate; 1 for the others)
 * @param body the command for one spec; it gets the narrowed spec, an output marked with the project, and the
 * project (undefined for a single-project spec)
 * @param after with several projects, once all have ended: e.g. writes the report over them; its lines are printed
 */
export const forEachProject = <A, E, R, E2 = never>(
  loaded: Loaded,
  only: Option.Option<string>,
  options: {
    readonly json: boolean
    readonly concurrency: number
    readonly command: string
    readonly sandbox?: boolean | undefined
    /** The exit code a finished project's result means (default 0): e.g. 3 for a run with quarantined records. */
    readonly codeOf?: ((value: A) => number) | undefined
    readonly after?: ((outcomes: ReadonlyArray<ProjectOutcome<A>>) => Effect.Effect<ReadonlyArray<string>, E2>) | undefined
  },
  body: (loaded: Loaded, out: Output, project: ProjectUnit | undefined) => Effect.Effect<A, E, R>
): Effect.Effect<void, E | E2 | SpecError | CliExit, R> =>
  Effect.gen(function* () {
    const projects = yield* selectProjects(loaded, only)
    if (projects !== undefined && options.sandbox === true)
      return yield* new SpecError({
        reason: "Usage",
        file: loaded.specFile ?? "<sandbox>",
        problems: [
          `--sandbox starts one demo project per system, but this spec has projects: — serve an organisation with \`npx migrate sandbox --zephyr-projects ${projects.length} --qtest-projects ${projects.length}\` and point the spec's URLs at it`
        ]
      })
    if (projects === undefined) {
      const value = yield* body(loaded, makeOutput({ json: options.json }), undefined)
      const code = options.codeOf?.(value) ?? ExitCode.ok
      if (code !== ExitCode.ok) return yield* new CliExit({ code })
      return
    }
    const throttles = makeSystemThrottles(loaded.spec.runtime)
    const concurrency = Math.min(options.concurrency, projects.length)
    const summary = makeOutput({ json: options.json })
    const outcomes: ReadonlyArray<ProjectOutcome<A>> = yield* Effect.forEach(
      projects,
      (project) => {
        // several projects at once cannot share one live terminal line: each prints plain lines, marked
        const out = makeOutput({ json: options.json, project: project.key, mark: projects.length > 1, live: concurrency === 1 })
        return body(narrowTo(loaded, project), out, { key: project.key, throttles }).pipe(
          Effect.exit,
          Effect.map((exit): ProjectOutcome<A> => {
            if (Exit.isSuccess(exit)) return { key: project.key, code: options.codeOf?.(exit.value) ?? ExitCode.ok, message: "", value: exit.value }
            if (Cause.isInterruptedOnly(exit.cause)) return { key: project.key, code: ExitCode.interrupted, message: "interrupted", value: undefined }
            const described = describeFailure(exit.cause, false)
            if (described.message !== "") out.line(`migrate: ${described.message}`)
            return { key: project.key, code: described.code, message: described.message.split("\n")[0] ?? "", value: undefined }
          })
        )
      },
      { concurrency }
    )
    const extra = options.after === undefined ? [] : yield* options.after(outcomes)
    if (outcomes.some((o) => o.code === ExitCode.interrupted)) return yield* Effect.interrupt
    const meaning = (code: number) =>
      code === ExitCode.ok ? "ok" : code === ExitCode.quarantined ? "done, with quarantined or refused records (exit 3)" : `FAILED (exit ${code})`
    summary.event(
      "projects",
      { command: options.command, projects: outcomes.map(({ key, code, message }) => ({ key, code, message })) },
      [
        "",
        `${options.command}: ${outcomes.filter((o) => o.code === ExitCode.ok || o.code === ExitCode.quarantined).length} of ${outcomes.length} projects done`,
        ...outcomes.map((o) => `  ${o.key.padEnd(12)} ${meaning(o.code)}${o.code !== ExitCode.ok && o.code !== ExitCode.quarantined && o.message ? ` — ${o.message}` : ""}`),
        ...extra
      ].join("\n")
    )
    const worst = worstExitCode(outcomes.map((o) => o.code))
    if (worst !== ExitCode.ok) return yield* new CliExit({ code: worst })
  })
