/**
 * `ResolvePlugin` over the plugin registry: the built-ins it holds, plus the external plugins the spec names under
 * `plugins:`, loaded (once per resolver) relative to the spec's directory and checked against the contract. The
 * spec loader itself stays independent of how plugins are found; this is the adapter the CLI passes it.
 */
import { Effect } from "effect"
import { PluginError } from "../errors.ts"
import type { Plugin } from "../plugin/Plugin.ts"
import type { Registry } from "../plugin/Registry.ts"
import { loadExternalPlugin } from "../plugin/Registry.ts"
import type { PluginLookup, ResolvePlugin } from "./ResolvePlugin.ts"

/**
 * Two plugins of one kind under one name would make `type:` ambiguous, and whichever came first would win
 * silently; an external plugin may therefore neither shadow a built-in nor another external one.
 */
const nameClash = (builtins: ReadonlyArray<Plugin>, externals: ReadonlyArray<readonly [string, Plugin]>): PluginError | undefined => {
  const taken = new Map<string, string>(builtins.map((p) => [`${p.kind}\0${p.name}`, "the built-in plugin"]))
  for (const [specifier, plugin] of externals) {
    const key = `${plugin.kind}\0${plugin.name}`
    const owner = taken.get(key)
    if (owner !== undefined)
      return new PluginError({
        plugin: specifier,
        reason: "Contract",
        message: `plugin ${specifier} is a ${plugin.kind} named "${plugin.name}", a name ${owner} already has: rename it (its \`name\`) so \`type:\` is unambiguous`
      })
    taken.set(key, `the plugin ${specifier}`)
  }
  return undefined
}

export const registryResolver = (registry: Registry): ResolvePlugin => {
  const loaded = new Map<string, Effect.Effect<Plugin, PluginError>>()
  const external = (specifier: string, specDir: string) => {
    const key = `${specDir}\0${specifier}`
    let plugin = loaded.get(key)
    if (plugin === undefined) {
      plugin = Effect.runSync(Effect.cached(loadExternalPlugin(specifier, specDir)))
      loaded.set(key, plugin)
    }
    return plugin
  }
  return (kind, type, origins) =>
    Effect.gen(function* () {
      const externals = yield* Effect.forEach(origins.plugins, (specifier) => Effect.map(external(specifier, origins.specDir), (p) => [specifier, p] as const))
      const clash = nameClash(registry.all, externals)
      if (clash !== undefined) return yield* Effect.fail(clash)
      const candidates = [...registry.all, ...externals.map(([, p]) => p)].filter((p) => p.kind === kind)
      const plugin = candidates.find((p) => p.name === type)
      return plugin === undefined
        ? ({ _tag: "Unknown", known: [...new Set(candidates.map((p) => p.name))] } satisfies PluginLookup)
        : ({ _tag: "Found", configSchema: plugin.configSchema, projectField: plugin.projectField } satisfies PluginLookup)
    })
}
