/**
 * `ResolvePlugin` over the plugin registry: the built-ins it holds, plus the external plugins the spec names under
 * `plugins:`, loaded (once per resolver) relative to the spec's directory and checked against the contract. The
 * spec loader itself stays independent of how plugins are found; this is the adapter the CLI passes it.
 */
import { Effect } from "effect"
import type { PluginError } from "../errors.ts"
import type { Plugin } from "../plugin/Plugin.ts"
import type { Registry } from "../plugin/Registry.ts"
import { loadExternalPlugin } from "../plugin/Registry.ts"
import type { PluginLookup, ResolvePlugin } from "./ResolvePlugin.ts"

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
      const externals = yield* Effect.forEach(origins.plugins, (specifier) => external(specifier, origins.specDir))
      const candidates = [...registry.all, ...externals].filter((p) => p.kind === kind)
      const plugin = candidates.find((p) => p.name === type)
      return plugin === undefined
        ? ({ _tag: "Unknown", known: [...new Set(candidates.map((p) => p.name))] } satisfies PluginLookup)
        : ({ _tag: "Found", configSchema: plugin.configSchema } satisfies PluginLookup)
    })
}
