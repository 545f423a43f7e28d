/** `migrate validate`: the spec, every plugin's config, and `check()` of each system (reachability, permissions). */
import * as path from "node:path"
import { Command } from "@effect/cli"
import { Effect } from "effect"
import type { SinkInstance, SourceInstance } from "../../plugin/Plugin.ts"
import { makePluginContext } from "../../plugin/PluginContext.ts"
import type { Registry } from "../../plugin/Registry.ts"
import { loadForCommand } from "../loadRun.ts"
import { configOption, jsonOption, verboseOption } from "../options.ts"
import { makeOutput } from "../Output.ts"

export const validateCommand = (registry: Registry) =>
  Command.make("validate", { config: configOption, json: jsonOption, verbose: verboseOption }, (flags) =>
    Effect.gen(function* () {
      const out = makeOutput({ json: flags.json })
      const { spec, specFile, registry: withExternals } = yield* loadForCommand(registry, flags.config, false)
      out.event("specValid", { file: specFile }, `✓ spec ${specFile ?? ""} is valid`)
      // a spec of several projects: each project's sections, since each points at its own source project and targets
      const units = spec.projects ?? [{ key: undefined, source: spec.source, sinks: spec.sinks, statePath: spec.statePath }]
      for (const unit of units) {
        const stateDir = path.dirname(unit.statePath)
        const sections = [
          { kind: "source" as const, ...unit.source },
          ...unit.sinks.map((s) => ({ kind: "sink" as const, ...s }))
        ]
        for (const section of sections) {
          const plugin = withExternals.get(section.kind, section.type)
          if (!plugin) continue
          const ctx = yield* makePluginContext({ system: plugin.name, stateDir, dryRun: true, retry: { maxAttempts: 2 } })
          const instance = (yield* plugin.make(section.config, ctx)) as SourceInstance | SinkInstance
          yield* instance.check
          const project = unit.key === undefined ? "" : `${unit.key}: `
          out.event("checked", { plugin: plugin.name, kind: section.kind, ...(unit.key === undefined ? {} : { project: unit.key }) }, `✓ ${project}${section.kind} ${plugin.name}: reachable, credentials accepted`)
        }
      }
    }).pipe(Effect.scoped)
  ).pipe(Command.withDescription("check the spec, each plugin's configuration, and that every system answers"))
