/**
 * The plugin's `sandbox` capability: starts the Zephyr simulator (./sandbox) and tells core how to point the
 * spec at it (`configOverrides`). Declares `--zephyr-data` and `--zephyr-projects`, which the CLI surfaces
 * without knowing Zephyr.
 */
import { Effect, Redacted } from "effect"
import { PluginError } from "../../core/index.ts"
import { type SandboxCapability, sandboxStartError, transportOptionsOf } from "../../core/sandbox.ts"
import { DEFAULT_SLOW_RESPONSE_MS, loadZephyrData, ORGANISATION_MAX_PROJECTS, organisationData, startZephyrSandbox, type ZephyrData } from "./sandbox/index.ts"

const configError = (message: string) => new PluginError({ plugin: "zephyr", reason: "Config", message })

export const zephyrSandboxCapability: SandboxCapability = {
  options: [
    { name: "zephyr-data", type: "file", description: "serve the Zephyr project described by this JSON data file (each entity in the API's own response shape)" },
    {
      name: "zephyr-projects",
      type: "integer",
      description: `serve a generated organisation of N small projects (ORGA, ORGB, …, 1 to ${ORGANISATION_MAX_PROJECTS}) whose second project calls the first's cases and whose third runs them in a cycle`
    },
    { name: "zephyr-no-attachments", type: "boolean", description: "answer 404 on the attachment endpoints, like an older Zephyr tenant" }
  ],
  start: (o) =>
    Effect.gen(function* () {
      const file = o.extra["zephyr-data"]
      const projects = o.extra["zephyr-projects"]
      const hasFile = typeof file === "string" && file !== ""
      if (hasFile && projects !== undefined) return yield* configError("--zephyr-data and --zephyr-projects both say what to serve: give one of them")
      let data: ZephyrData | undefined
      if (hasFile) data = yield* Effect.mapError(loadZephyrData(file), (e) => configError(`--zephyr-data ${e.message}`))
      else if (projects !== undefined) {
        if (typeof projects !== "number" || !Number.isInteger(projects) || projects < 1 || projects > ORGANISATION_MAX_PROJECTS)
          return yield* configError(`--zephyr-projects must be an integer from 1 to ${ORGANISATION_MAX_PROJECTS}, got ${String(projects)}`)
        // the common --seed varies the organisation's content, as it does a --scale tenant's
        data = organisationData(projects, o.seed)
      }
      const running = yield* startZephyrSandbox({
        ...transportOptionsOf(o),
        data,
        // a data file or an organisation wins; otherwise a generated tenant of the asked scale (the demo by default)
        scale: o.scale,
        // some faults are responses slower than the client's default 30 s timeout
        slowResponseMs: o.faultRate !== undefined && o.faultRate > 0 ? DEFAULT_SLOW_RESPONSE_MS : undefined,
        attachments: o.extra["zephyr-no-attachments"] === true ? false : undefined
      }).pipe(Effect.mapError(sandboxStartError("zephyr", "Zephyr")))
      return {
        baseUrl: running.baseUrl,
        configOverrides: { baseUrl: running.baseUrl, token: Redacted.make(running.token), projectKey: running.projectKey },
        identity: { key: { sandbox: "zephyr", projectKey: running.projectKey }, description: `the Zephyr sandbox's project ${running.projectKey}` },
        // every project a client may point at; `projectKey` (the first) is the one `run --sandbox` reads
        connect: { token: running.token, projectKey: running.projectKey, projectKeys: running.projectKeys.join(",") }
      }
    })
}
