/**
 * Loads a spec file into a `LoadedSpec`: read → parse YAML (positions kept) → validate against
 * schemas/migration.schema.json → look up each section's plugin and validate the section against the plugin's
 * `configSchema` → resolve secret references into `Redacted`. Every problem of every step after parsing is
 * collected and reported at once, each at its line and column, so one run of `migrate validate` shows them all.
 */
import * as fs from "node:fs"
import { readFile, stat } from "node:fs/promises"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Either } from "effect"
import type { PluginKind } from "../plugin/Plugin.ts"
import { SpecError } from "../errors.ts"
import type { LoadedSpec, PluginConfig } from "./LoadedSpec.ts"
import type { MigrationSpec } from "./MigrationSpec.ts"
import type { ResolvePlugin, PluginOrigins } from "./ResolvePlugin.ts"
import { SpecDefaults } from "./SpecDefaults.ts"
import type { SpecDocument } from "./SpecDocument.ts"
import { parseSpecDocument, pointerOf } from "./SpecDocument.ts"
import type { SpecProblem } from "./SpecProblem.ts"
import { specErrorFrom } from "./SpecProblem.ts"
import type { SpecSchemas } from "./SpecSchemas.ts"
import { makeSpecSchemas } from "./SpecSchemas.ts"
import { didYouMean } from "./didYouMean.ts"
import { schemaProblems } from "./schemaProblems.ts"
import { locateInProject, mergeSection } from "./projectSection.ts"
import { resolveSecrets } from "./resolveSecrets.ts"
import { runtimeConfig } from "./runtimeConfig.ts"
import { embedsReference, secretReference } from "./secretReference.ts"
import { sandboxStateFile } from "./sandboxSpec.ts"

// What a command needs besides loadSpec, so it can import one module.
export { defaultSpecFile } from "./SpecDefaults.ts"
export { sandboxSpec } from "./sandboxSpec.ts"
export type { LoadedProject, LoadedSpec, PluginConfig, RuntimeConfig } from "./LoadedSpec.ts"
export type { PluginLookup, PluginOrigins, ResolvePlugin } from "./ResolvePlugin.ts"

export interface LoadSpecOptions {
  /** The spec file, as the user named it (messages repeat it as given, so terminals can link it). */
  readonly file: string
  /**
   * `run --sandbox`: unset `${env:…}` variables and missing `${file:…}` files are allowed (they become empty
   * `Redacted` values the sandboxes override), and state goes to `sandbox.db` beside the configured state file.
   */
  readonly sandbox?: boolean | undefined
  /**
   * The kinds of section whose secrets the command uses (default: all). Elsewhere an unset variable or missing
   * file is not a problem — `status` reads only the store, `verify` only the sinks — and resolves to an empty
   * value, as under `sandbox`; a reference that is malformed, or a literal secret, is still reported.
   */
  readonly secretsFor?: ReadonlyArray<PluginKind> | undefined
  /** Where `${env:NAME}` is looked up; `process.env` when absent. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly resolvePlugin: ResolvePlugin
}

/** The annotated example shipped with migrate, which a missing spec file's message tells the user to copy. */
const exampleSpec = ((): string => {
  // Found by walking up, not by a fixed relative path: this module also runs from the CLI's bundle (bin/.bundle).
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "migration.config.yaml")
    if (fs.existsSync(candidate) || path.dirname(dir) === dir) return candidate
  }
})()

export const loadSpec = (options: LoadSpecOptions): Effect.Effect<LoadedSpec, SpecError> =>
  Effect.gen(function* () {
    const display = options.file
    const file = path.resolve(options.file)
    const specDir = path.dirname(file)
    const text = yield* readSpecFile(file, display)
    const document = yield* parseSpecDocument(text).pipe(Effect.mapError((problems) => specErrorFrom(display, problems)))
    const value = document.value
    if (value === null || value === undefined) {
      return yield* Effect.fail(
        specErrorFrom(display, [
          {
            reason: "Schema",
            at: { line: 1, col: 1 },
            path: "/",
            message: `the spec is empty — start from the annotated example: cp ${exampleSpec} ${display}`
          }
        ])
      )
    }

    const schemas = makeSpecSchemas()
    const problems: Array<SpecProblem> = []
    const projectEntries = isRecord(value) && isRecord(value["projects"]) ? Object.entries(value["projects"]).filter(([, entry]) => isRecord(entry)) : []
    // With `projects:` the source and sinks are checked as each project sees them (below): the shared section
    // alone may lack what every project adds (the project key, a qTest project id).
    const perProject = projectEntries.length > 0
    const sections = pluginSections(value)
    const sharedOnly = (p: SpecProblem) =>
      !(perProject && sections.some((s) => s.kind !== "transform" && (p.path === s.pointer || p.path.startsWith(`${s.pointer}/`))))
    problems.push(...schemaProblems(schemas.checkSpec(value), document).filter(sharedOnly))
    problems.push(...semanticProblems(value, document))

    const origins: PluginOrigins = {
      plugins: isRecord(value) && Array.isArray(value["plugins"]) ? value["plugins"].filter(isString) : [],
      specDir
    }
    const context: SectionContext = { options, origins, schemas, document, specDir }
    const loaded: Array<PluginConfig | undefined> = []
    for (const section of sections) {
      if (perProject && section.kind !== "transform") {
        loaded.push(undefined)
        continue
      }
      const result = yield* loadSection(section, context)
      problems.push(...result.problems)
      loaded.push(result.config)
    }
    const projects: Array<{ readonly key: string; readonly configs: ReadonlyArray<PluginConfig | undefined> }> = []
    if (perProject) {
      problems.push(...(yield* projectProblems(value as Readonly<Record<string, unknown>>, sections, context)))
      for (const [key, entry] of projectEntries) {
        const configs: Array<PluginConfig | undefined> = []
        for (const section of sections) {
          if (section.kind === "transform") {
            configs.push(undefined)
            continue
          }
          const result = yield* loadSection(section, context, { key, entry: entry as Readonly<Record<string, unknown>> })
          problems.push(...result.problems)
          configs.push(result.config)
        }
        projects.push({ key, configs })
      }
    }

    if (problems.length > 0) return yield* Effect.fail(specErrorFrom(display, dedupe(problems)))

    // Validated: the shape is the schema's, every section resolved.
    const spec = value as MigrationSpec
    const configured = path.resolve(specDir, spec.state?.path ?? SpecDefaults.statePath)
    // A rehearsal must never mix its id map with a real migration's
    // (docs/architecture.md#sandboxes-and-contract-tests).
    const statePath = options.sandbox === true ? path.join(path.dirname(configured), path.basename(sandboxStateFile)) : configured
    const transforms = sections.flatMap((section, i) => (section.kind === "transform" ? [loaded[i] as PluginConfig] : []))
    const split = (configs: ReadonlyArray<PluginConfig | undefined>) => ({
      source: configs[sections.findIndex((s) => s.kind === "source")] as PluginConfig,
      sinks: sections.flatMap((section, i) => (section.kind === "sink" ? [configs[i] as PluginConfig] : []))
    })
    const loadedProjects = projects.map((p) => ({ key: p.key, ...split(p.configs), statePath: projectStatePath(statePath, p.key) }))
    return {
      file,
      spec,
      ...(loadedProjects[0] ?? split(loaded)),
      transforms,
      statePath: loadedProjects[0]?.statePath ?? statePath,
      stateDir: path.dirname(statePath),
      runtime: runtimeConfig(spec.runtime),
      ...(perProject ? { projects: loadedProjects } : {})
    } satisfies LoadedSpec
  }).pipe(Effect.withSpan("loadSpec", { attributes: { file: options.file, sandbox: options.sandbox === true } }))

/** A project's state file: `projects/<KEY>/` beside the configured one, so each project resumes on its own. */
export const projectStatePath = (statePath: string, key: string): string =>
  path.join(path.dirname(statePath), "projects", key, path.basename(statePath))

/** The same problem found once per project (a bad value in a shared section) is reported once. */
const dedupe = (problems: ReadonlyArray<SpecProblem>): ReadonlyArray<SpecProblem> => {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** What JSON Schema cannot say about `projects:`: which sections its keys name, and who names the project. */
const projectProblems = (spec: Readonly<Record<string, unknown>>, sections: ReadonlyArray<Section>, context: SectionContext) =>
  Effect.gen(function* () {
    const { document } = context
    const problems: Array<SpecProblem> = []
    const at = problemAt(document)
    const source = sections.find((s) => s.kind === "source")
    const sinkTypes = sections.filter((s) => s.kind === "sink").map((s) => s.type)
    const names = ["source", ...new Set(sinkTypes)]
    if (source !== undefined) {
      const lookup = yield* Effect.either(context.options.resolvePlugin("source", source.type, context.origins))
      const field = Either.isRight(lookup) && lookup.right._tag === "Found" ? lookup.right.projectField : undefined
      if (Either.isRight(lookup) && lookup.right._tag === "Found" && field === undefined)
        problems.push(at("/projects", `the ${source.type} source does not say which of its keys names a project, so it migrates one project per spec — remove projects: and write a spec per project`, true))
      if (field !== undefined && Object.hasOwn(source.raw, field))
        problems.push(at(pointerOf(["source", field]), `with projects:, each project's key names the ${source.type} project — remove ${field} here`, true))
      for (const [key, entry] of Object.entries(isRecord(spec["projects"]) ? spec["projects"] : {})) {
        const own = isRecord(entry) ? entry["source"] : undefined
        if (field !== undefined && isRecord(own) && Object.hasOwn(own, field))
          problems.push(at(pointerOf(["projects", key, "source", field]), `the project's key (${key}) names it — remove ${field} here`, true))
      }
    }
    for (const [key, entry] of Object.entries(isRecord(spec["projects"]) ? spec["projects"] : {})) {
      if (!isRecord(entry)) continue
      for (const name of Object.keys(entry)) {
        const pointer = pointerOf(["projects", key, name])
        if (!names.includes(name)) {
          const suggestion = didYouMean(name, names)
          problems.push(at(pointer, `no section of this spec is "${name}"${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`} — a project overrides: ${names.join(", ")}`, true))
        } else if (sinkTypes.filter((t) => t === name).length > 1)
          problems.push(at(pointer, `the spec has ${sinkTypes.filter((t) => t === name).length} sinks of type ${name}, so "${name}" here names none of them in particular — write a spec per target instead`, true))
      }
    }
    return problems
  })

/** A spec is a few kilobytes; anything this large is another file given by mistake (a dump, a log, an export). */
export const MAX_SPEC_BYTES = 4 * 1024 * 1024

const readSpecFile = (file: string, display: string): Effect.Effect<string, SpecError> =>
  Effect.gen(function* () {
    const problem = (text: string) => new SpecError({ reason: "File", file: display, problems: [`${display}  ${text}`] })
    const size = yield* Effect.tryPromise(() => stat(file)).pipe(
      Effect.map((s) => (s.isDirectory() ? -1 : s.size)),
      Effect.mapError((error) => {
        const code = (error.cause as NodeJS.ErrnoException | undefined)?.code
        return problem(
          code === "ENOENT"
            ? `no spec file here — create one by copying the annotated example: cp ${exampleSpec} ${display} (or pass another with -c FILE)`
            : `cannot be read (${code ?? String(error.cause)}) — check the path and its permissions`
        )
      })
    )
    if (size < 0) return yield* problem("is a directory — pass the spec file itself with -c FILE")
    // Checked before reading: a multi-gigabyte file must not be pulled into memory to be rejected.
    if (size > MAX_SPEC_BYTES)
      return yield* problem(`is ${(size / 1024 / 1024).toFixed(1)} MiB, but a spec is a few kilobytes of YAML (at most ${MAX_SPEC_BYTES / 1024 / 1024} MiB) — is -c pointing at the right file?`)
    const bytes = yield* Effect.tryPromise(() => readFile(file)).pipe(
      Effect.mapError((error) => problem(`cannot be read (${(error.cause as NodeJS.ErrnoException | undefined)?.code ?? String(error.cause)}) — check the path and its permissions`))
    )
    // YAML is text: a NUL byte or bytes that are not UTF-8 mean a binary file (or another encoding), which the
    // parser would otherwise read as one long nonsense string ("expected a map, got a string").
    const nul = bytes.indexOf(0)
    if (nul >= 0) return yield* problem(`is not a text file (a NUL byte at offset ${nul}) — pass the YAML spec, e.g. a copy of ${exampleSpec}`)
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)
    } catch {
      const at = firstInvalidUtf8(bytes)
      return yield* problem(`is not UTF-8 text (invalid byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, "0")} on line ${lineOf(bytes, at)}) — save it as UTF-8`)
    }
  })

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  const decoder = new TextDecoder("utf-8", { fatal: true })
  // Binary search on prefixes would mis-split sequences; a linear scan of sequence lengths is exact and cheap here.
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0
    if (length === 0) return i
    try {
      decoder.decode(bytes.subarray(i, i + length))
    } catch {
      return i
    }
    i += length
  }
  return bytes.length
}

const lineOf = (bytes: Uint8Array, offset: number): number => {
  let line = 1
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++
  return line
}

interface Section {
  readonly kind: PluginKind
  readonly pointer: string
  readonly type: string
  readonly raw: Readonly<Record<string, unknown>>
}

/** The sections that name a plugin; malformed ones are left to the schema's messages. */
const pluginSections = (spec: unknown): ReadonlyArray<Section> => {
  if (!isRecord(spec)) return []
  const sections: Array<Section> = []
  const add = (kind: PluginKind, pointer: string, raw: unknown) => {
    if (isRecord(raw) && typeof raw["type"] === "string" && raw["type"] !== "") {
      sections.push({ kind, pointer, type: raw["type"], raw })
    }
  }
  add("source", "/source", spec["source"])
  const list = (key: string, kind: PluginKind) => {
    const items = spec[key]
    if (Array.isArray(items)) items.forEach((item, i) => add(kind, pointerOf([key, i]), item))
  }
  list("transforms", "transform")
  list("sinks", "sink")
  return sections
}

interface SectionContext {
  readonly options: LoadSpecOptions
  readonly origins: PluginOrigins
  readonly schemas: SpecSchemas
  readonly document: SpecDocument
  readonly specDir: string
}

/** A project of `projects:` that a section is loaded for: its key and its entry. */
interface ProjectOf {
  readonly key: string
  readonly entry: Readonly<Record<string, unknown>>
}

const loadSection = (
  section: Section,
  context: SectionContext,
  project?: ProjectOf
): Effect.Effect<{ readonly config: PluginConfig | undefined; readonly problems: ReadonlyArray<SpecProblem> }> =>
  Effect.gen(function* () {
    const { document } = context
    const typePointer = `${section.pointer}/type`
    const fail = (problem: Omit<SpecProblem, "at" | "path">, pointer = typePointer) => ({
      config: undefined,
      problems: [{ ...problem, at: document.valueAt(pointer), path: pointer }]
    })
    const lookup = yield* Effect.either(context.options.resolvePlugin(section.kind, section.type, context.origins))
    if (Either.isLeft(lookup)) {
      const error = lookup.left
      const index = context.origins.plugins.indexOf(error.plugin)
      return fail(
        // A problem is one line; the registry lists contract failures on several.
        {
          reason: "Plugin",
          message: ((oneLine) => (oneLine.includes(" — ") ? oneLine : `${oneLine} — check the plugins entry and the module it names`))(
            error.message.replace(/:?\s*\n\s*(- )?/g, "; ")
          )
        },
        index >= 0 ? pointerOf(["plugins", index]) : typePointer
      )
    }
    if (lookup.right._tag === "Unknown") {
      return fail({ reason: "Plugin", message: unknownType(section, lookup.right.known) })
    }

    const { type: _type, ...shared } = section.raw
    // A project's section: its own keys over the shared ones, the project key in the source's project field.
    const own = project === undefined ? undefined : project.entry[section.kind === "source" ? "source" : section.type]
    const ownPointer = project === undefined ? "" : isRecord(own) ? pointerOf(["projects", project.key, section.kind === "source" ? "source" : section.type]) : pointerOf(["projects", project.key])
    const field = lookup.right.projectField
    const override = project === undefined ? {} : { ...(isRecord(own) ? own : {}), ...(section.kind === "source" && field !== undefined ? { [field]: project.key } : {}) }
    const raw = project === undefined ? shared : mergeSection(shared, override)
    const errors = context.schemas.checkSection(lookup.right.configSchema, raw)
    if (typeof errors === "string") {
      return fail({
        reason: "Plugin",
        message: `plugin "${section.type}" has an invalid config schema (${errors}) — report this to the plugin's author`
      })
    }
    const needed = context.options.secretsFor?.includes(section.kind) ?? true
    const secrets = {
      env: context.options.env ?? process.env,
      sandbox: context.options.sandbox === true || !needed,
      specDir: context.specDir,
      document
    }
    // Secrets are resolved where they are written, so a problem names the right line; the values merge after.
    const resolvedShared = yield* resolveSecrets(shared, section.pointer, secrets)
    const resolvedOwn = project === undefined ? undefined : yield* resolveSecrets(override, ownPointer, secrets)
    const value =
      resolvedOwn === undefined
        ? (resolvedShared.value as Readonly<Record<string, unknown>>)
        : mergeSection(resolvedShared.value as Readonly<Record<string, unknown>>, resolvedOwn.value as Readonly<Record<string, unknown>>)
    return {
      config: { type: section.type, config: value },
      problems: [
        ...schemaProblems(errors, document, project === undefined ? section.pointer : locateInProject(shared, section.pointer, override, ownPointer)).map((p) =>
          // found at the project's entry, which has no part for this section: say which section lacks it
          project !== undefined && !isRecord(own) && p.path === ownPointer
            ? { ...p, message: `${section.type}: ${p.message.replace(" — add it", ` — add it in a ${section.kind === "source" ? "source" : section.type}: part of this project`)}` }
            : p
        ),
        ...resolvedShared.problems,
        ...(resolvedOwn?.problems ?? [])
      ]
    }
  })

const unknownType = (section: Section, known: ReadonlyArray<string>): string => {
  const suggestion = didYouMean(section.type, known)
  const mean = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`
  const list =
    known.length === 0
      ? `no ${section.kind} plugins are known — add one under plugins:`
      : `known ${section.kind} types: ${known.join(", ")}; others can be loaded under plugins:`
  return `unknown ${section.kind} type "${section.type}"${mean} — ${list}`
}

/** A problem at a JSON pointer: at its value, or (`key`) at the key naming it. */
const problemAt =
  (document: SpecDocument) =>
  (pointer: string, message: string, key = false): SpecProblem => ({
    reason: "Schema",
    at: key ? document.keyAt(pointer) : document.valueAt(pointer),
    path: pointer,
    message
  })

/** What JSON Schema cannot say: relations between values, and references where they are not resolved. */
const semanticProblems = (spec: unknown, document: SpecDocument): ReadonlyArray<SpecProblem> => {
  if (!isRecord(spec)) return []
  const problems: Array<SpecProblem> = []
  const at = problemAt(document)

  const runtime = spec["runtime"]
  if (isRecord(runtime)) {
    const retry = runtime["retry"]
    if (isRecord(retry)) {
      const base = retry["baseDelayMs"] ?? SpecDefaults.retry.baseDelayMs
      const max = retry["maxDelayMs"] ?? SpecDefaults.retry.maxDelayMs
      if (typeof base === "number" && typeof max === "number" && max < base) {
        problems.push(at("/runtime/retry/maxDelayMs", `must be at least baseDelayMs (${base})`))
      }
    }
    const rateLimits = runtime["rateLimits"]
    if (isRecord(rateLimits)) {
      // Keys are plugin names; a typo would silently leave a system unthrottled.
      const systems = pluginSections(spec).map((s) => s.type)
      for (const [system, text] of Object.entries(rateLimits)) {
        const pointer = pointerOf(["runtime", "rateLimits", system])
        if (typeof text === "string" && /^0+(\.0+)?\//.test(text)) {
          problems.push(at(pointer, "must allow more than 0 requests — remove the entry to leave the system unlimited"))
        }
        if (systems.length > 0 && !systems.includes(system)) {
          const suggestion = didYouMean(system, systems)
          const mean = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`
          problems.push(
            at(pointer, `no section of this spec uses a system "${system}"${mean} — systems here: ${[...new Set(systems)].join(", ")}`, true)
          )
        }
      }
    }
  }

  // References are secrets for plugins; elsewhere they would be taken literally (a state file named "${env:X}").
  const scan = (value: unknown, pointer: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => scan(item, pointer + pointerOf([i])))
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) scan(item, pointer + pointerOf([key]))
    else if (secretReference(value) !== undefined || embedsReference(value)) {
      problems.push(at(pointer, "${env:…} and ${file:…} are resolved only in source, transforms and sinks — write the value here"))
    }
  }
  for (const key of ["state", "runtime", "plugins"]) scan(spec[key], pointerOf([key]))
  return problems
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isString = (value: unknown): value is string => typeof value === "string"
