/**
 * The explicit plugin registry: built-ins are imported values in one list (the composition root passes them);
 * external plugins named in the spec's `plugins:` are loaded by path or package name and checked against the
 * contract before anything runs. An unknown `type:` fails with the list of known ones.
 */
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect } from "effect"
import { PluginError } from "../errors.ts"
import type { Plugin, PluginKind } from "./Plugin.ts"

export interface Registry {
  readonly get: (kind: PluginKind, type: string) => Plugin | undefined
  readonly known: (kind: PluginKind) => ReadonlyArray<string>
  readonly all: ReadonlyArray<Plugin>
}

export const makeRegistry = (plugins: ReadonlyArray<Plugin>): Registry => ({
  get: (kind, type) => plugins.find((p) => p.kind === kind && p.name === type),
  known: (kind) => plugins.filter((p) => p.kind === kind).map((p) => p.name),
  all: plugins
})

/** Every way a value can fail the contract, as plain sentences naming the field. */
export const contractProblems = (value: unknown): ReadonlyArray<string> => {
  if (typeof value !== "object" || value === null) return ["the module's default export is not an object (export default definePlugin({...}))"]
  const p = value as Record<string, unknown>
  const problems: Array<string> = []
  if (typeof p["name"] !== "string" || p["name"] === "") problems.push("`name` is missing (a non-empty string, used as `type:` in the spec)")
  if (p["kind"] !== "source" && p["kind"] !== "transform" && p["kind"] !== "sink")
    problems.push("`kind` must be \"source\", \"transform\" or \"sink\"")
  if (typeof p["configSchema"] !== "object" || p["configSchema"] === null) problems.push("`configSchema` is missing (a JSON Schema object for the plugin's spec section)")
  if (typeof p["make"] !== "function") problems.push("`make` is missing (a function (config, ctx) => Effect of the instance)")
  if (p["sandbox"] !== undefined) {
    const s = p["sandbox"] as Record<string, unknown> | null
    if (typeof s !== "object" || s === null || typeof s["start"] !== "function" || !Array.isArray(s["options"]))
      problems.push("`sandbox` must be { options: [...], start: (options) => Effect }")
  }
  return problems
}

/** Loads an external plugin module: a path (relative to the spec's directory) or a package name. */
export const loadExternalPlugin = (specifier: string, baseDir: string): Effect.Effect<Plugin, PluginError> =>
  Effect.gen(function* () {
    const isPath = specifier.startsWith(".") || specifier.startsWith("/") || /^[A-Za-z]:[\\/]/.test(specifier)
    const target = isPath ? pathToFileURL(path.resolve(baseDir, specifier)).href : specifier
    const mod = yield* Effect.tryPromise({
      try: () => import(target) as Promise<Record<string, unknown>>,
      catch: (e) =>
        new PluginError({
          plugin: specifier,
          reason: "Load",
          message: `cannot load plugin ${specifier}${isPath ? ` (${path.resolve(baseDir, specifier)})` : ""}: ${e instanceof Error ? e.message : String(e)}`
        })
    })
    const value = mod["default"] ?? mod["plugin"]
    const problems = contractProblems(value)
    if (problems.length > 0)
      return yield* Effect.fail(
        new PluginError({ plugin: specifier, reason: "Contract", message: `plugin ${specifier} does not satisfy the plugin contract:\n  - ${problems.join("\n  - ")}` })
      )
    return value as Plugin
  })
