/**
 * The error of a sandbox that could not start, as every sandbox capability reports it: a port that cannot be
 * listened on is the user's to change (SystemError with a hint); anything else is a bad option (PluginError).
 */
import { PluginError, SystemError } from "../errors.ts"

export const sandboxStartError =
  (plugin: string, label: string) =>
  (e: { readonly reason: string; readonly message: string }): SystemError | PluginError =>
    e.reason === "Listen"
      ? new SystemError({ system: plugin, reason: "Unreachable", message: `the ${label} sandbox could not start: ${e.message}`, hint: "choose another --port, or free the one in use" })
      : new PluginError({ plugin, reason: "Config", message: `the ${label} sandbox could not start: ${e.message}` })
