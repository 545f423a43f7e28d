/**
 * Why a store cannot be loaded into a shared schema (`sharedSchema: true`): the schema was loaded before in
 * one-project mode and holds rows nobody can attribute to a project, or the store has no single project to scope
 * its rows by. It is the spec's problem, not Snowflake's: a PluginError with reason Config (exit 2). Core's
 * PluginError has no hint of its own and the CLI prints its message, so the hint is both in the message, in core's
 * `→` form, and a field of its own.
 */
import { PluginError } from "../../../core/index.ts"

export class SharedSchemaError extends PluginError {
  readonly hint: string
  constructor(p: { readonly message: string; readonly hint: string }) {
    super({ plugin: "snowflake", reason: "Config", message: `${p.message}\n  → ${p.hint}` })
    this.hint = p.hint
  }
}
