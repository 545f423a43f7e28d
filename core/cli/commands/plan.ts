/**
 * `migrate plan`: what a run would do, per sink and target object kind — creates, updates, unchanged — and
 * every mapping gap (a status, priority, user or field value the spec does not map). It extracts into a
 * throw-away copy of the store and runs each sink with a write that sends nothing: the real store and the
 * targets are untouched. Exit 0 whether or not there are gaps; the gaps are the output. It ends with the estimate
 * of the run — requests and duration per system, budgets it would cross — kept beside the state for the next
 * run's report (report/RunEstimate.ts).
 */
import { Command } from "@effect/cli"
import { Effect } from "effect"
import type { Registry } from "../../plugin/Registry.ts"
import { runMigration } from "../../pipeline/runMigration.ts"
import { estimateLines } from "../../report/RunEstimate.ts"
import { loadForCommand, runSettingsFor } from "../loadRun.ts"
import { forEachProject } from "../forEachProject.ts"
import { configOption, jsonOption, projectOption, sandboxOptions, verboseOption } from "../options.ts"
import { sandboxExtras, sandboxOptionsFrom } from "../sandboxFlags.ts"
import { Options } from "@effect/cli"
import { loadLines } from "./run.ts"

export const planCommand = (registry: Registry) =>
  Command.make(
    "plan",
    {
      config: configOption,
      project: projectOption,
      full: Options.boolean("full").pipe(Options.withDescription("plan after a complete pass instead of an incremental one")),
      rebind: Options.boolean("rebind").pipe(Options.withDescription("plan as `run --rebind` would run: the state following the spec to another source project or target")),
      sandbox: Options.boolean("sandbox").pipe(Options.withDescription("plan against the built-in sandboxes")),
      json: jsonOption,
      verbose: verboseOption,
      ...sandboxOptions,
      extras: sandboxExtras(registry)
    },
    (flags) =>
      Effect.gen(function* () {
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox)
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: all.spec.runtime.projects, command: "plan", sandbox: flags.sandbox }, (loaded, out, project) =>
          Effect.gen(function* () {
            // a dry run: the extract goes to a throw-away copy of the store, the sinks plan and send nothing
            const { report } = yield* runMigration({
              ...runSettingsFor("plan", loaded, { dryRun: true, full: flags.full, rebind: flags.rebind, sandbox: flags.sandbox ? sandboxOptionsFrom(flags) : undefined, progress: out.progress }),
              keepEstimate: true,
              throttles: project?.throttles,
              project: project?.key
            }).pipe(Effect.scoped)
            const nothing = report.load.every((l) => l.totals.created + l.totals.updated + l.totals.stale === 0 && l.gaps.length === 0)
            out.event("plan", { report }, [
              "",
              `plan: ${report.extract.description}; nothing was written`,
              ...(report.load.length === 0 ? ["  the spec has no sinks: a run would only extract into the store"] : loadLines(report)),
              ...(report.load.length > 0 && nothing ? ["  nothing to do: every target is up to date"] : []),
              ...(report.estimate ? estimateLines(report.estimate) : [])
            ].join("\n"))
          })
        )
      }).pipe(Effect.withSpan("migrate.plan"))
  ).pipe(Command.withDescription("show what a run would create, update and skip in each sink, and every mapping gap; writes nothing"))
