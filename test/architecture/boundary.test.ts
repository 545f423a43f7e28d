/**
 * The plugin boundary, held as a test: every .ts file under `plugins/` and `examples/` is parsed for its imports
 * (`import … from`, `export … from`, `import()` calls, `import("…")` types), and each violation is named as
 * file:line.
 *
 * Rules. A plugin is a folder `plugins/<name>/` or `examples/<name>/`. A relative import of a plugin file must name:
 * - a file of its own plugin folder (JSON included), or
 * - `core/index.ts` — core's API for plugins;
 * - `core/sandbox.ts` — only from the plugin's sandbox code: a file under its `sandbox/` folder, or a file at its
 *   root with "sandbox" in its name (its sandbox capability: `zephyrSandboxCapability.ts`, `CsvSandbox.ts`);
 * - `core/testing.ts` — never from plugin code; only from a test file a plugin keeps beside its code (`*.test.ts`;
 *   the built-in plugins keep theirs under test/).
 * Any other file — core's internals, another plugin, test/, bench/, bin/ — is a violation, and so is an `import()`
 * whose specifier is computed (it cannot be checked). Packages and `node:` modules are not this test's concern.
 * `plugins/builtins.ts`, the list of built-in plugins `bin/main.ts` hands the CLI, may import `core/index.ts` and
 * each plugin's `index.ts`, nothing else of a plugin.
 * Core never imports a plugin. No import cycle among the files of core, plugins and examples, type-only imports
 * included. The three entries export only what their users import: core/index.ts what some plugin imports,
 * core/sandbox.ts what some sandbox imports, core/testing.ts what some test imports.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { exportedNames, findCycles, type ImportRef, importsOf as parseImports, tsFiles } from "./importGraph.ts"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const at = (...segments: ReadonlyArray<string>) => path.join(root, ...segments)
const rel = (file: string) => path.relative(root, file)
const where = (ref: ImportRef) => `${rel(ref.file)}:${ref.line}`
const isUnder = (file: string, dir: string) => file.startsWith(dir + path.sep)

const entry = { index: at("core/index.ts"), sandbox: at("core/sandbox.ts"), testing: at("core/testing.ts") }
const pluginDirs = [at("plugins"), at("examples")]
const registry = at("plugins/builtins.ts")

const parsed = new Map<string, ReadonlyArray<ImportRef>>()
const importsOf = (file: string): ReadonlyArray<ImportRef> => {
  let refs = parsed.get(file)
  if (refs === undefined) parsed.set(file, (refs = parseImports(file)))
  return refs
}

const coreFiles = tsFiles(at("core"))
const pluginFiles = pluginDirs.flatMap(tsFiles)
const testFiles = tsFiles(at("test"))

/** The plugin folder a file belongs to (`plugins/<name>`, `examples/<name>`), or undefined (core, the registry). */
const pluginOf = (file: string): string | undefined => {
  for (const dir of pluginDirs) {
    if (!isUnder(file, dir)) continue
    const name = path.relative(dir, file).split(path.sep)[0]!
    return name.endsWith(".ts") ? undefined : path.join(dir, name)
  }
  return undefined
}

/** Sandbox code: under the plugin's `sandbox/` folder, or its sandbox capability at the plugin's root. */
const isSandboxFile = (file: string, plugin: string) =>
  isUnder(file, path.join(plugin, "sandbox")) || (path.dirname(file) === plugin && /sandbox/i.test(path.basename(file)))

const isTestFile = (file: string) => file.endsWith(".test.ts")

/** Why a plugin file's import breaks the boundary, or undefined when it does not. */
const pluginViolation = (ref: ImportRef): string | undefined => {
  if (ref.specifier === "<computed>") return "a computed import() cannot be checked: name the module by a string literal"
  const target = ref.resolved
  if (target === undefined) return undefined
  if (target === entry.index) return undefined
  const plugin = pluginOf(ref.file)
  if (target === entry.sandbox)
    return plugin !== undefined && isSandboxFile(ref.file, plugin)
      ? undefined
      : `imports core/sandbox.ts, which only sandbox code imports (a file under ${plugin === undefined ? "a plugin's" : rel(plugin) + "/"}sandbox/, or the sandbox capability)`
  if (target === entry.testing)
    return isTestFile(ref.file) ? undefined : "imports core/testing.ts, which plugin code never imports (only tests do)"
  if (isUnder(target, at("core"))) return `imports core's internal ${rel(target)}: import core/index.ts only`
  if (plugin === undefined) {
    // the registry
    const other = pluginOf(target)
    return other !== undefined && target === path.join(other, "index.ts")
      ? undefined
      : `imports ${rel(target)}: the registry imports core/index.ts and each plugin's index.ts only`
  }
  if (isUnder(target, plugin)) return undefined
  const other = pluginOf(target)
  if (other !== undefined) return `imports ${rel(target)}, a file of the plugin ${rel(other)}: plugins never import each other`
  return `imports ${rel(target)}, outside its plugin ${rel(plugin)}: a plugin imports its own files and core/index.ts only`
}

describe("the plugin boundary", () => {
  it("reads the plugins' imports (the test is not vacuous)", () => {
    expect(pluginFiles.length).toBeGreaterThan(50)
    expect(pluginFiles).toContain(registry)
    const zephyrIndex = importsOf(at("plugins/zephyr/index.ts"))
    expect(zephyrIndex.some((r) => r.resolved === entry.index)).toBe(true)
    const sandboxCapability = importsOf(at("plugins/snowflake/snowflakeSandboxCapability.ts"))
    expect(sandboxCapability.some((r) => r.form === "dynamic" && r.resolved === at("plugins/snowflake/sandbox/index.ts"))).toBe(true)
  })

  it("plugins import core/index.ts (their sandboxes core/sandbox.ts), their own files and packages — nothing else", () => {
    const violations = pluginFiles.flatMap((file) =>
      importsOf(file).flatMap((ref) => {
        const why = pluginViolation(ref)
        return why === undefined ? [] : [`${where(ref)}  "${ref.specifier}": ${why}`]
      })
    )
    expect(violations, violations.join("\n")).toEqual([])
  })

  it("core never imports a plugin", () => {
    const violations = coreFiles.flatMap((file) =>
      importsOf(file).flatMap((ref) =>
        ref.resolved !== undefined && pluginDirs.some((dir) => isUnder(ref.resolved!, dir)) ? [`${where(ref)}  "${ref.specifier}": core imports a plugin`] : []
      )
    )
    expect(violations, violations.join("\n")).toEqual([])
  })

  it("no import cycle among core, plugins and examples", () => {
    const files = [...coreFiles, ...pluginFiles]
    const known = new Set(files)
    const graph = new Map(files.map((file) => [file, new Set(importsOf(file).flatMap((r) => (r.resolved !== undefined && known.has(r.resolved) ? [r.resolved] : [])))]))
    const cycles = findCycles(graph).map((c) => {
      const others = c.component.length - (c.path.length - 1)
      const group = c.component.slice(0, 8).map(rel).join(", ") + (c.component.length > 8 ? ", …" : "")
      return `${c.path.map(rel).join(" → ")}${others > 0 ? `  (one cycle of a group of ${c.component.length} files that import each other: ${group})` : ""}`
    })
    expect(cycles, cycles.join("\n")).toEqual([])
  })

  it.each([
    { name: "core/index.ts", file: entry.index, users: "plugins", importers: pluginFiles },
    // the kit's types (its hooks, requests, replies) describe it to a sandbox outside this repository too: only
    // its values must each be used by one of ours
    { name: "core/sandbox.ts", file: entry.sandbox, users: "sandboxes", importers: pluginFiles, valuesOnly: true },
    { name: "core/testing.ts", file: entry.testing, users: "tests", importers: testFiles }
  ])("$name exports only what $users import", ({ file, importers, ...o }) => {
    const used = new Set<string>()
    let all = false
    for (const importer of importers)
      for (const ref of importsOf(importer)) {
        if (ref.resolved !== file) continue
        if (ref.names === "*") all = true
        else for (const name of ref.names) used.add(name)
      }
    const unused = all ? [] : exportedNames(file, "valuesOnly" in o && o.valuesOnly === true).filter((name) => !used.has(name))
    expect(unused, `exported but imported by none: ${unused.join(", ")}`).toEqual([])
  })
})

describe("findCycles", () => {
  it("finds a cycle and names its files, and none in a tree", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c", "d"])],
      ["c", new Set(["a"])],
      ["d", new Set<string>()],
      ["e", new Set(["e"])]
    ])
    expect(findCycles(graph)).toEqual([
      { path: ["a", "b", "c", "a"], component: ["a", "b", "c"] },
      { path: ["e", "e"], component: ["e"] }
    ])
    expect(findCycles(new Map([["a", new Set(["b"])], ["b", new Set<string>()]]))).toEqual([])
  })
})
