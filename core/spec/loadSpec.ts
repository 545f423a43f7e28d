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
import { resolveSecrets } from "./resolveSecrets.ts"
import { runtimeConfig } from "./runtimeConfig.ts"
import { embedsReference, secretReference } from "./secretReference.ts"
import { sandboxStateFile } from "./sandboxSpec.ts"

// What a command needs besides loadSpec, so it can import one module.
export { defaultSpecFile } from "./SpecDefaults.ts"
export { sandboxSpec } from "./sandboxSpec.ts"
export type { LoadedSpec, PluginConfig, RuntimeConfig } from "./LoadedSpec.ts"
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
    problems.push(...schemaProblems(schemas.checkSpec(value), document))
    problems.push(...semanticProblems(value, document))

    const origins: PluginOrigins = {
      plugins: isRecord(value) && Array.isArray(value["plugins"]) ? value["plugins"].filter(isString) : [],
      specDir
    }
    const sections = pluginSections(value)
    const loaded: Array<PluginConfig | undefined> = []
    for (const section of sections) {
      const result = yield* loadSection(section, { options, origins, schemas, document, specDir })
      problems.push(...result.problems)
      loaded.push(result.config)
    }

    if (problems.length > 0) return yield* Effect.fail(specErrorFrom(display, problems))

    // Validated: the shape is the schema's, every section resolved.
    const spec = value as MigrationSpec
    const configs = sections.map((section, i) => ({ section, config: loaded[i] as PluginConfig }))
    const configured = path.resolve(specDir, spec.state?.path ?? SpecDefaults.statePath)
    return {
      file,
      spec,
      source: configs.find((c) => c.section.kind === "source")?.config as PluginConfig,
      transforms: configs.filter((c) => c.section.kind === "transform").map((c) => c.config),
      sinks: configs.filter((c) => c.section.kind === "sink").map((c) => c.config),
      // A rehearsal must never mix its id map with a real migration's
      // (docs/architecture.md#sandboxes-and-contract-tests).
      statePath: options.sandbox === true ? path.join(path.dirname(configured), path.basename(sandboxStateFile)) : configured,
      runtime: runtimeConfig(spec.runtime)
    } satisfies LoadedSpec
  }).pipe(Effect.withSpan("loadSpec", { attributes: { file: options.file, sandbox: options.sandbox === true } }))

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

const loadSection = (
  section: Section,
  context: SectionContext
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

    const { type: _type, ...raw } = section.raw
    const errors = context.schemas.checkSection(lookup.right.configSchema, raw)
    if (typeof errors === "string") {
      return fail({
        reason: "Plugin",
        message: `plugin "${section.type}" has an invalid config schema (${errors}) — report this to the plugin's author`
      })
    }
    const needed = context.options.secretsFor?.includes(section.kind) ?? true
    const resolved = yield* resolveSecrets(raw, section.pointer, {
      env: context.options.env ?? process.env,
      sandbox: context.options.sandbox === true || !needed,
      specDir: context.specDir,
      document
    })
    return {
      config: { type: section.type, config: resolved.value as Readonly<Record<string, unknown>> },
      problems: [...schemaProblems(errors, document, section.pointer), ...resolved.problems]
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

/** What JSON Schema cannot say: relations between values, and references where they are not resolved. */
const semanticProblems = (spec: unknown, document: SpecDocument): ReadonlyArray<SpecProblem> => {
  if (!isRecord(spec)) return []
  const problems: Array<SpecProblem> = []
  const at = (pointer: string, message: string, key = false): SpecProblem => ({
    reason: "Schema",
    at: key ? document.keyAt(pointer) : document.valueAt(pointer),
    path: pointer,
    message
  })

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
