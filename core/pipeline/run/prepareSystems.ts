/**
 * The plugins a run uses, looked up by the spec's `type`, each with its section ready to use: pointed at its
 * sandbox when sandboxes are wanted, and with the identity the state is bound to (checkBindings.ts).
 */
import * as path from "node:path"
import { Effect } from "effect"
import { SystemError } from "../../errors.ts"
import type { Plugin, SandboxOptions, SystemIdentity } from "../../plugin/Plugin.ts"
import type { Registry } from "../../plugin/Registry.ts"
import type { Progress } from "../Progress.ts"
import type { RunSettings } from "./RunSettings.ts"

/** A plugin's section of the spec ready to use. */
export interface Prepared {
  readonly plugin: Plugin
  readonly config: Readonly<Record<string, unknown>>
  readonly identity: SystemIdentity | undefined
}

export const resolvePlugin = <K extends "source" | "transform" | "sink">(registry: Registry, kind: K, type: string) =>
  Effect.fromNullable(registry.get(kind, type)).pipe(
    Effect.mapError(
      () =>
        new SystemError({
          system: type,
          reason: "Unsupported",
          message: `no ${kind} plugin named "${type}"`,
          hint: `known ${kind}s: ${registry.known(kind).join(", ") || "none"}`
        })
    )
  )

/** With `--port P`, sandboxes take P, P+1, … in the order they start (as `migrate sandbox` does). */
interface SandboxPorts {
  next: number | undefined
}

/**
 * Starts the plugin's sandbox (if it has one and sandboxes are wanted) and merges its overrides into the config.
 * The identity the state is bound to is the sandbox's own, stable one (its URL changes with every start), else
 * what the plugin says of the config.
 */
const prepare = (plugin: Plugin, config: Readonly<Record<string, unknown>>, options: SandboxOptions | undefined, progress: Progress, ports: SandboxPorts) =>
  Effect.gen(function* () {
    const identityOf = (c: Readonly<Record<string, unknown>>) => (plugin.identity ? Effect.try(() => plugin.identity!(c)).pipe(Effect.orElseSucceed(() => undefined)) : Effect.succeed(undefined))
    if (!options || !plugin.sandbox) return { plugin, config, identity: yield* identityOf(config) } satisfies Prepared
    const s = yield* plugin.sandbox.start({ ...options, config, port: options.port ? (ports.next ?? options.port) : options.port })
    if (options.port) ports.next = Number(new URL(s.baseUrl).port) + 1
    progress.event("sandbox", { plugin: plugin.name, baseUrl: s.baseUrl })
    const merged = { ...config, ...s.configOverrides }
    return { plugin, config: merged, identity: s.identity ?? (yield* identityOf(merged)) } satisfies Prepared
  })

/** The source and the sinks of the spec, in its order; their sandboxes (if any) live as long as the scope. */
export const prepareSystems = (settings: RunSettings) =>
  Effect.gen(function* () {
    const ports: SandboxPorts = { next: undefined }
    const source = yield* prepare(yield* resolvePlugin(settings.registry, "source", settings.source.type), settings.source.config, settings.sandbox, settings.progress, ports)
    // Sinks' sandboxes keep their state beside the store, so rehearsals build on each other (and planning reads
    // the sandbox's saved project, writing nothing to it).
    const sinkSandbox = settings.sandbox && { ...settings.sandbox, stateDir: path.dirname(path.resolve(settings.statePath)) }
    const sinks: Array<Prepared> = []
    for (const section of settings.sinks) sinks.push(yield* prepare(yield* resolvePlugin(settings.registry, "sink", section.type), section.config, sinkSandbox, settings.progress, ports))
    return { source, sinks }
  })
