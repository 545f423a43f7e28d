/**
 * The plugin's view of its spec section: what `make` receives (already validated against config.schema.json,
 * `${env:…}` references resolved to `Redacted`) and the same with defaults applied.
 */
import { Redacted } from "effect"

/** What the spec section holds, as `make` receives it. `run --sandbox` may set `file` to undefined. */
export interface CsvConfigInput {
  readonly file?: string | undefined
  readonly url?: string | undefined
  readonly token?: Redacted.Redacted<string> | string | undefined
  readonly projectKey: string
  readonly projectName?: string | undefined
  readonly delimiter?: string | undefined
}

/** Where the CSV comes from: one of the two, never both. */
export type CsvLocation = { readonly _tag: "File"; readonly file: string } | { readonly _tag: "Url"; readonly url: string; readonly token: Redacted.Redacted<string> | undefined }

export interface CsvConfig {
  readonly location: CsvLocation
  readonly projectKey: string
  readonly projectName: string
  readonly delimiter: string
}

/** The value `source_system` carries on every record this plugin emits. */
export const SOURCE_SYSTEM = "csv"

export const resolveCsvConfig = (input: CsvConfigInput): CsvConfig => ({
  // A url wins: `run --sandbox` points the section at the sandbox's url even when the spec names a file.
  location:
    input.url !== undefined
      ? {
          _tag: "Url",
          url: input.url,
          token: input.token === undefined ? undefined : Redacted.isRedacted(input.token) ? input.token : Redacted.make(input.token)
        }
      : { _tag: "File", file: input.file ?? "" },
  projectKey: input.projectKey,
  projectName: input.projectName ?? input.projectKey,
  delimiter: input.delimiter ?? ","
})

export const describeLocation = (location: CsvLocation): string => (location._tag === "File" ? location.file : location.url)
