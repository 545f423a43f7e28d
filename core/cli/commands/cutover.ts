/**
 * `migrate cutover`: the final incremental run, every sink verified, the source read again for changes made
 * meanwhile, and the quarantine checked (pipeline/cutover.ts). Exit 0 only when all of it holds; otherwise 1,
 * with every reason. Either way it writes cutover.md, cutover.html and cutover.json beside the run's report.
 */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { cutover } from "../../pipeline/cutover.ts"
import type { Registry } from "../../plugin/Registry.ts"
import { CliExit, ExitCode } from "../ExitCode.ts"
import { loadForCommand, runSettingsFor } from "../loadRun.ts"
import { forEachProject } from "../forEachProject.ts"
import { configOption, jsonOption, projectOption, sandboxOptions, verboseOption } from "../options.ts"
import { sandboxExtras, sandboxOptionsFrom } from "../sandboxFlags.ts"

export const cutoverCommand = (registry: Registry) =>
  Command.make(
    "cutover",
    {
      config: configOption,
      project: projectOption,
      sandbox: Options.boolean("sandbox").pipe(Options.withDescription("rehearse the cut-over on the built-in sandboxes")),
      json: jsonOption,
      verbose: verboseOption,
      ...sandboxOptions,
      extras: sandboxExtras(registry)
    },
    (flags) =>
      Effect.gen(function* () {
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox)
        // every project's cut-over is judged on its own; the command passes only when each one does
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: all.spec.runtime.projects, command: "cutover", sandbox: flags.sandbox }, (loaded, out, project) =>
          Effect.gen(function* () {
            const sandbox = flags.sandbox ? sandboxOptionsFrom(flags) : undefined
            const run = { ...runSettingsFor("cutover", loaded, { dryRun: false, full: false, sandbox, progress: out.progress }), throttles: project?.throttles, project: project?.key }
            const { summary, paths } = yield* cutover({
              run,
              verify: { statePath: loaded.statePath, sinks: loaded.spec.sinks, runtime: loaded.spec.runtime, registry: loaded.registry, sandbox },
              step: (text) => out.event("cutover-step", { text }, text)
            }).pipe(Effect.scoped)
            const storeTotal = Object.values(summary.store).reduce((a, b) => a + b, 0)
            out.event("cutover", { summary, paths }, [
              "",
              `cutover: ${summary.passed ? "PASSED" : "FAILED"} — ${storeTotal.toLocaleString("en-US")} records in the store; ${summary.sinks.map((s) => `${s.sink} ${s.ok ? "matches" : "differs"}`).join(", ") || "no sinks"}`,
              ...summary.reasons.map((r) => `  ✗ ${r}`),
              `  summary to sign: ${paths.markdown} (and cutover.html beside it)`
            ].join("\n"))
            if (!summary.passed) return yield* new CliExit({ code: ExitCode.failed })
          })
        )
      }).pipe(Effect.withSpan("migrate.cutover"))
  ).pipe(Command.withDescription("final incremental run, verify every sink, check the source did not change meanwhile; exit 0 only when the targets hold exactly what the source holds"))
