/**
 * The one error of a sandbox that could not start, whatever the sandbox: `Listen` (the port cannot be listened
 * on — the kit's own), `Config` (a bad option; Zephyr's sandbox has always called it `Options`), `Data` (bad
 * tenant data) or `Database` (a store the sandbox needs would not open); and how every sandbox capability
 * reports it: a port that cannot be listened on is the user's to change (SystemError with a hint); anything else
 * is a bad option (PluginError).
 */
import { Data } from "effect"
import { PluginError, SystemError } from "../errors.ts"

export class SandboxStartError extends Data.TaggedError("SandboxStartError")<{
  readonly reason: "Listen" | "Config" | "Options" | "Data" | "Database"
  readonly message: string
}> {}

export const sandboxStartError =
  (plugin: string, label: string) =>
  (e: { readonly reason: string; readonly message: string }): SystemError | PluginError =>
    e.reason === "Listen"
      ? new SystemError({ system: plugin, reason: "Unreachable", message: `the ${label} sandbox could not start: ${e.message}`, hint: "choose another --port, or free the one in use" })
      : new PluginError({ plugin, reason: "Config", message: `the ${label} sandbox could not start: ${e.message}` })
