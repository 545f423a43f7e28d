/**
 * The explicit plugin registry: built-ins are imported values in one list (the composition root passes them);
 * external plugins named in the spec's `plugins:` are loaded by path or package name and checked against the
 * contract before anything runs. An unknown `type:` fails with the list of known ones.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Effect } from "effect"
import { PluginError } from "../errors.ts"
import { isDeno } from "../isDeno.ts"
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

const describe = (v: unknown): string => (v === undefined ? "missing" : v === null ? "null" : typeof v === "string" ? `"${v}"` : typeof v)

/** Every way a value can fail the contract, as plain sentences naming the field. */
export const contractProblems = (value: unknown): ReadonlyArray<string> => {
  if (typeof value !== "object" || value === null) return ["the module's default export is not an object (export default definePlugin({...}))"]
  const p = value as Record<string, unknown>
  const problems: Array<string> = []
  if (typeof p["name"] !== "string" || p["name"] === "") problems.push("`name` is missing (a non-empty string, used as `type:` in the spec)")
  if (p["kind"] !== "source" && p["kind"] !== "transform" && p["kind"] !== "sink")
    problems.push(`\`kind\` must be "source", "transform" or "sink" (it is ${describe(p["kind"])})`)
  if (typeof p["configSchema"] !== "object" || p["configSchema"] === null) problems.push("`configSchema` is missing (a JSON Schema object for the plugin's spec section)")
  if (typeof p["make"] !== "function") problems.push("`make` is missing (a function (config, ctx) => Effect of the instance)")
  if (p["examples"] !== undefined && !Array.isArray(p["examples"])) problems.push("`examples` must be an array of example configs")
  for (const member of ["identity", "scope"] as const)
    if (p[member] !== undefined && typeof p[member] !== "function") problems.push(`\`${member}\` must be a function of the plugin's config`)
  if (p["sandbox"] !== undefined) {
    const s = p["sandbox"] as Record<string, unknown> | null
    if (typeof s !== "object" || s === null || typeof s["start"] !== "function" || !Array.isArray(s["options"]))
      problems.push("`sandbox` must be { options: [...], start: (options) => Effect }")
  }
  return problems
}

/**
 * What `make` must produce for each kind: the instance's members, and whether each is an Effect or a function.
 * Checked when an external plugin's `make` runs, so a missing method is named before the pipeline calls it.
 */
const instanceShape: Readonly<Record<PluginKind, ReadonlyArray<readonly [member: string, type: "effect" | "function"]>>> = {
  source: [["check", "effect"], ["estimate", "effect"], ["extract", "function"]],
  transform: [["apply", "function"]],
  sink: [["check", "effect"], ["load", "function"]]
}

export const instanceProblems = (kind: PluginKind, instance: unknown): ReadonlyArray<string> => {
  if (typeof instance !== "object" || instance === null) return [`\`make\` must succeed with a ${kind} instance object (it gave ${describe(instance)})`]
  const i = instance as Record<string, unknown>
  return instanceShape[kind].flatMap(([member, type]) => {
    const ok = type === "effect" ? Effect.isEffect(i[member]) : typeof i[member] === "function"
    return ok ? [] : [`the ${kind} instance's \`${member}\` is ${describe(i[member])} (must be ${type === "effect" ? "an Effect" : "a function"})`]
  })
}

const isPathSpecifier = (specifier: string) =>
  specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:") || /^[A-Za-z]:[\\/]/.test(specifier)

/** `@scope/name/sub/path` → ["@scope/name", "./sub/path"]; `name` → ["name", "."]. */
const splitPackageSpecifier = (specifier: string): readonly [name: string, subpath: string] => {
  const parts = specifier.split("/")
  const n = specifier.startsWith("@") ? 2 : 1
  const rest = parts.slice(n).join("/")
  return [parts.slice(0, n).join("/"), rest === "" ? "." : `./${rest}`]
}


/** Picks the ESM target of a package.json `exports` entry (a string, an array, or a map of conditions). */
const exportTarget = (entry: unknown): string | undefined => {
  if (typeof entry === "string") return entry
  if (Array.isArray(entry)) return entry.map(exportTarget).find((t) => t !== undefined)
  if (typeof entry !== "object" || entry === null) return undefined
  const conditions = entry as Record<string, unknown>
  for (const c of [...(isDeno() ? ["deno"] : []), "import", "node", "default"]) {
    if (c in conditions) {
      const target = exportTarget(conditions[c])
      if (target !== undefined) return target
    }
  }
  return undefined
}

/** The file a package's `exports` (or `module`/`main`) names for `subpath`, or undefined if it exports none. */
const packageEntry = (pkgDir: string, subpath: string): string | undefined => {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as Record<string, unknown>
  const exportsField = pkg["exports"]
  if (exportsField !== undefined) {
    const map =
      typeof exportsField === "object" && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith("."))
        ? (exportsField as Record<string, unknown>)
        : { ".": exportsField }
    const target = exportTarget(map[subpath])
    return target === undefined ? undefined : path.join(pkgDir, target)
  }
  if (subpath !== ".") return path.join(pkgDir, subpath)
  const main = typeof pkg["module"] === "string" ? pkg["module"] : typeof pkg["main"] === "string" ? pkg["main"] : "index.js"
  return path.join(pkgDir, main)
}

/**
 * Where a plugin specifier points. A path is relative to the spec's directory. A package name is looked up in
 * the `node_modules` folders from the spec's directory upwards — the user's project, not migrate's own install —
 * like ESLint resolves plugins relative to its config; a package found nowhere there is left to the runtime's
 * own resolution (a plugin installed beside migrate).
 */
export const resolvePluginModule = (specifier: string, baseDir: string): { readonly url: string; readonly file: string | undefined } => {
  if (specifier.startsWith("file:")) return { url: specifier, file: fileURLToPath(specifier) }
  if (isPathSpecifier(specifier)) {
    const file = path.resolve(baseDir, specifier)
    return { url: pathToFileURL(file).href, file }
  }
  const [name, subpath] = splitPackageSpecifier(specifier)
  for (let dir = path.resolve(baseDir); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, "node_modules", name)
    if (fs.existsSync(path.join(pkgDir, "package.json"))) {
      const file = packageEntry(pkgDir, subpath)
      if (file !== undefined) return { url: pathToFileURL(file).href, file }
    }
    if (path.dirname(dir) === dir) return { url: specifier, file: undefined }
  }
}

/**
 * An external plugin as the registry holds it: the module's value, with `make` checking the instance it builds,
 * so a plugin whose `make` forgets a method fails with the member named and the module file, not later with
 * "x is not a function" somewhere in the pipeline.
 */
const guarded = (plugin: Plugin, where: string): Plugin => ({
  ...plugin,
  make: (config, ctx) =>
    Effect.flatMap(plugin.make(config, ctx), (instance) => {
      const problems = instanceProblems(plugin.kind, instance)
      return problems.length === 0
        ? Effect.succeed(instance)
        : Effect.fail(
            new PluginError({ plugin: plugin.name, reason: "Contract", message: `plugin ${where} does not satisfy the plugin contract:\n  - ${problems.join("\n  - ")}` })
          )
    })
})

/**
 * Imports a plugin module. Node (before 22.6) cannot import TypeScript, and the CLI runs precompiled (bin/bundle.js),
 * so a `.ts` plugin goes through tsx's `tsImport`, which compiles that module tree only; Deno and JavaScript
 * plugins import directly.
 */
const importModule = async (url: string, file: string | undefined): Promise<Record<string, unknown>> => {
  if (file !== undefined && /\.[mc]?ts$/.test(file) && !isDeno()) {
    const { tsImport } = await import("tsx/esm/api")
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>
  }
  return (await import(url)) as Record<string, unknown>
}

/** Why the module file of a path specifier cannot be imported (absent, a directory), or undefined. */
const missingModule = (specifier: string, file: string, baseDir: string): string | undefined => {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (stat === undefined)
    return `cannot load plugin ${specifier}: there is no file ${file} — check the path (a relative path starts from the spec's directory, ${baseDir})`
  if (stat.isDirectory())
    return `cannot load plugin ${specifier}: ${file} is a directory — name the plugin's module file itself (e.g. ${path.join(specifier, "index.ts")})`
  return undefined
}

/** Loads an external plugin module: a path (relative to the spec's directory) or a package name. */
export const loadExternalPlugin = (specifier: string, baseDir: string): Effect.Effect<Plugin, PluginError> =>
  Effect.gen(function* () {
    const target = yield* Effect.try({
      try: () => resolvePluginModule(specifier, baseDir),
      catch: (e) => new PluginError({ plugin: specifier, reason: "Load", message: `cannot resolve plugin ${specifier} from ${baseDir}: ${e instanceof Error ? e.message : String(e)}` })
    })
    const where = target.file === undefined ? specifier : `${specifier} (${target.file})`
    // Said before importing: the runtime's own messages name migrate's bundle as the importer, not the spec.
    const missing = target.file === undefined ? undefined : missingModule(specifier, target.file, baseDir)
    if (missing !== undefined) return yield* Effect.fail(new PluginError({ plugin: specifier, reason: "Load", message: missing }))
    const mod = yield* Effect.tryPromise({
      try: () => importModule(target.url, target.file),
      catch: (e) =>
        new PluginError({
          plugin: specifier,
          reason: "Load",
          message:
            target.file === undefined && (e as NodeJS.ErrnoException | undefined)?.code === "ERR_MODULE_NOT_FOUND"
              ? `cannot load plugin ${specifier}: no package of that name is installed in node_modules from ${baseDir} upwards — install it there (npm install ${splitPackageSpecifier(specifier)[0]}), or name the plugin's file by its path`
              : `cannot load plugin ${where}: ${e instanceof Error ? e.message : String(e)}`
        })
    })
    const value = mod["default"] ?? mod["plugin"]
    const problems = contractProblems(value)
    if (problems.length > 0)
      return yield* Effect.fail(
        new PluginError({
          plugin: specifier,
          reason: "Contract",
          message: `plugin ${specifier} does not satisfy the plugin contract${target.file === undefined ? "" : ` (module ${target.file})`}:\n  - ${problems.join("\n  - ")}`
        })
      )
    return guarded(value as Plugin, where)
  })
