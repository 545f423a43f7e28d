/**
 * The plugin's `sandbox` capability: starts the Zephyr simulator (./sandbox) and tells core how to point the
 * spec at it (`configOverrides`). Declares `--zephyr-data`, which the CLI surfaces without knowing Zephyr.
 */
import { Effect, Redacted } from "effect"
import { PluginError } from "../../core/index.ts"
import { type SandboxCapability, sandboxStartError, transportOptionsOf } from "../../core/sandbox.ts"
import { DEFAULT_SLOW_RESPONSE_MS, loadZephyrData, startZephyrSandbox } from "./sandbox/index.ts"

export const zephyrSandboxCapability: SandboxCapability = {
  options: [
    { name: "zephyr-data", type: "file", description: "serve the Zephyr project described by this JSON data file (each entity in the API's own response shape)" },
    { name: "zephyr-no-attachments", type: "boolean", description: "answer 404 on the attachment endpoints, like an older Zephyr tenant" }
  ],
  start: (o) =>
    Effect.gen(function* () {
      const file = o.extra["zephyr-data"]
      const data =
        typeof file === "string" && file !== ""
          ? yield* Effect.mapError(loadZephyrData(file), (e) => new PluginError({ plugin: "zephyr", reason: "Config", message: `--zephyr-data ${e.message}` }))
          : undefined
      const running = yield* startZephyrSandbox({
        ...transportOptionsOf(o),
        data,
        // a data file wins; otherwise a generated tenant of the asked scale (the demo by default)
        scale: o.scale,
        // some faults are responses slower than the client's default 30 s timeout
        slowResponseMs: o.faultRate !== undefined && o.faultRate > 0 ? DEFAULT_SLOW_RESPONSE_MS : undefined,
        attachments: o.extra["zephyr-no-attachments"] === true ? false : undefined
      }).pipe(Effect.mapError(sandboxStartError("zephyr", "Zephyr")))
      return {
        baseUrl: running.baseUrl,
        configOverrides: { baseUrl: running.baseUrl, token: Redacted.make(running.token), projectKey: running.projectKey },
        identity: { key: { sandbox: "zephyr", projectKey: running.projectKey }, description: `the Zephyr sandbox's project ${running.projectKey}` },
        connect: { token: running.token, projectKey: running.projectKey }
      }
    })
}
