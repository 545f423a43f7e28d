/**
 * `migrate verify`: reads every sink's target back and reconciles it with the id map — counts and, per object,
 * the hash of the fields the run wrote. Exit 0 when everything matches, 1 when an object differs or is missing
 * (each listed), or a write was never confirmed.
 */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import type { Registry } from "../../plugin/Registry.ts"
import { verifySinks } from "../../pipeline/verifySinks.ts"
import { CliExit, ExitCode } from "../ExitCode.ts"
import { loadForCommand } from "../loadRun.ts"
import { forEachProject } from "../forEachProject.ts"
import { configOption, jsonOption, projectOption, sandboxOptions, verboseOption } from "../options.ts"
import { sandboxExtras, sandboxOptionsFrom } from "../sandboxFlags.ts"

export const verifyCommand = (registry: Registry) =>
  Command.make(
    "verify",
    {
      config: configOption,
      project: projectOption,
      sandbox: Options.boolean("sandbox").pipe(Options.withDescription("verify the built-in sandboxes (after `run --sandbox`)")),
      json: jsonOption,
      verbose: verboseOption,
      ...sandboxOptions,
      extras: sandboxExtras(registry)
    },
    (flags) =>
      Effect.gen(function* () {
        // verify reads the sinks' targets and the store, never the source: the source's secrets may be unset
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox, ["sink"])
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: 1, command: "verify", sandbox: flags.sandbox }, ({ spec, statePath, registry: withExternals }, out) =>
          Effect.gen(function* () {
            const reports = yield* verifySinks({
              statePath,
              sinks: spec.sinks,
              runtime: spec.runtime,
              registry: withExternals,
              sandbox: flags.sandbox ? sandboxOptionsFrom(flags) : undefined
            }).pipe(Effect.scoped)
            const lines: Array<string> = []
            if (reports.length === 0) lines.push("verify: the spec has no sinks; nothing to verify")
            for (const r of reports) {
              if (!r.supported) {
                lines.push(`verify ${r.sink}: this sink cannot read its target back`)
                continue
              }
              lines.push(`verify ${r.sink}: ${r.ok ? "everything matches" : "DIFFERENCES"}`)
              for (const [e, c] of Object.entries(r.entities))
                lines.push(
                  `  ${e.padEnd(18)} ${String(c.match).padStart(7)} match  ${String(c.mismatch).padStart(5)} differ  ${String(c.missing).padStart(5)} missing${c.extra ? `  ${String(c.extra).padStart(5)} extra` : ""}`
                )
              for (const d of r.differences)
                lines.push(`  ${d.status === "missing" ? "missing" : d.status === "extra" ? "extra" : "differs"}: ${d.entity} ${d.label} (target ${d.targetId})${d.detail ? ` — ${d.detail}` : ""}`)
              if (r.openIntents > 0) lines.push(`  ${r.openIntents} writes never confirmed (open intents): run again to resolve them`)
            }
            out.event("verify", { sinks: reports }, lines.join("\n"))
            if (reports.some((r) => !r.ok)) return yield* new CliExit({ code: ExitCode.failed })
          })
        )
      }).pipe(Effect.withSpan("migrate.verify"))
  ).pipe(Command.withDescription("read every sink's target back and reconcile it with what the runs loaded"))
