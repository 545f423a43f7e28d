/**
 * The plugin's view of its spec section. config.schema.json is its one description: config.gen.ts (generated from
 * it by the repository's schemas/generate.ts) holds the section's type and defaults, and core's `decodeConfig`
 * checks a section against it, applies the defaults and makes the token `Redacted`. What is left here is what the
 * schema cannot say: where the CSV comes from as one tagged value, and the project name defaulting to the key.
 */
import { Effect, type Redacted } from "effect"
import { decodeConfig, type PluginError } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import type { CsvConfigDecoded, CsvConfigInput } from "./config.gen.ts"

/** What the spec section holds, as `make` receives it. `run --sandbox` may set `file` to undefined. */
export type { CsvConfigInput } from "./config.gen.ts"

/** Where the CSV comes from: one of the two, never both. */
export type CsvLocation = { readonly _tag: "File"; readonly file: string } | { readonly _tag: "Url"; readonly url: string; readonly token: Redacted.Redacted<string> | undefined }

export type CsvConfig = Omit<CsvConfigDecoded, "file" | "url" | "token" | "projectName"> & {
  readonly location: CsvLocation
  readonly projectName: string
}

/** The value `source_system` carries on every record this plugin emits. */
export const SOURCE_SYSTEM = "csv"

export const resolveCsvConfig = (input: CsvConfigInput): Effect.Effect<CsvConfig, PluginError> =>
  Effect.map(decodeConfig<CsvConfigDecoded>("csv", configSchema, input), ({ file, url, token, projectName, ...rest }) => ({
    ...rest,
    // A url wins: `run --sandbox` points the section at the sandbox's url even when the spec names a file.
    location: url !== undefined ? { _tag: "Url", url, token } : { _tag: "File", file: file ?? "" },
    projectName: projectName ?? rest.projectKey
  }))

export const describeLocation = (location: CsvLocation): string => (location._tag === "File" ? location.file : location.url)
