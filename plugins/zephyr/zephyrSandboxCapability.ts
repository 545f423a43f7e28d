/**
 * The plugin's `sandbox` capability: starts the Zephyr simulator (./sandbox) and tells core how to point the
 * spec at it (`configOverrides`). Declares `--zephyr-data`, `--zephyr-projects`, `--zephyr-no-attachments` and
 * `--zephyr-edition`, which the CLI surfaces without knowing Zephyr. The edition may also come from the spec's
 * section (`edition`), so `run --sandbox` rehearses against the product the spec points at. `dc` serves the tenant as
 * Zephyr Scale Data Center (sandbox/dc/): a client may also log in with HTTP Basic, so `connect` names the user and
 * password besides the token.
 */
import { Effect, Redacted } from "effect"
import { PluginError } from "../../core/index.ts"
import { type SandboxCapability, sandboxStartError, transportOptionsOf } from "../../core/sandbox.ts"
import {
  DEFAULT_SLOW_RESPONSE_MS,
  isZephyrEdition,
  loadZephyrData,
  ORGANISATION_MAX_PROJECTS,
  organisationData,
  startZephyrSandbox,
  ZEPHYR_EDITIONS,
  type ZephyrData,
  type ZephyrEdition
} from "./sandbox/index.ts"

const configError = (message: string) => new PluginError({ plugin: "zephyr", reason: "Config", message })

/** `cloud, essential or dc` */
const EDITIONS = `${ZEPHYR_EDITIONS.slice(0, -1).join(", ")} or ${ZEPHYR_EDITIONS.at(-1) ?? ""}`

/** Each edition's state is another system's: only Scale Cloud keeps the key earlier sandbox states were bound to. */
const PRODUCT: Readonly<Record<ZephyrEdition, string>> = { cloud: "Zephyr", essential: "Zephyr Essential", dc: "Zephyr Data Center" }

/**
 * The edition to serve: `--zephyr-edition`, else the spec section's `edition`, else Scale Cloud. Both given and
 * different is an error rather than a silent choice: the rehearsal would not test what the spec will run against.
 */
const editionOf = (flag: unknown, spec: unknown): Effect.Effect<ZephyrEdition | undefined, PluginError> => {
  if (flag !== undefined && !isZephyrEdition(flag)) return Effect.fail(configError(`--zephyr-edition must be ${EDITIONS}, got ${JSON.stringify(flag)}`))
  if (spec !== undefined && !isZephyrEdition(spec))
    return Effect.fail(configError(`the sandbox serves edition ${EDITIONS}; the spec's zephyr section says edition: ${JSON.stringify(spec)}`))
  if (flag !== undefined && spec !== undefined && flag !== spec)
    return Effect.fail(configError(`--zephyr-edition ${flag} and the spec's edition: ${spec} disagree: drop the flag or make them the same`))
  return Effect.succeed(flag ?? spec)
}

export const zephyrSandboxCapability: SandboxCapability = {
  options: [
    { name: "zephyr-data", type: "file", description: "serve the Zephyr project described by this JSON data file (each entity in the API's own response shape: Zephyr Cloud's, or Zephyr DC's with \"format\": \"zephyr-dc\")" },
    {
      name: "zephyr-projects",
      type: "integer",
      description: `serve a generated organisation of N small projects (ORGA, ORGB, …, 1 to ${ORGANISATION_MAX_PROJECTS}) whose second project calls the first's cases and whose third runs them in a cycle`
    },
    { name: "zephyr-no-attachments", type: "boolean", description: "answer 404 on the attachment endpoints, like an older Zephyr tenant" },
    {
      name: "zephyr-edition",
      type: "string",
      description:
        "the Zephyr product to imitate: cloud (Zephyr Scale Cloud, the default), essential (Zephyr Essential Cloud) or dc (Zephyr Scale Data Center, REST API v1); the spec's edition otherwise"
    }
  ],
  start: (o) =>
    Effect.gen(function* () {
      const file = o.extra["zephyr-data"]
      const projects = o.extra["zephyr-projects"]
      const hasFile = typeof file === "string" && file !== ""
      if (hasFile && projects !== undefined) return yield* configError("--zephyr-data and --zephyr-projects both say what to serve: give one of them")
      const edition = yield* editionOf(o.extra["zephyr-edition"], o.config?.["edition"])
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
        attachments: o.extra["zephyr-no-attachments"] === true ? false : undefined,
        edition
      }).pipe(Effect.mapError(sandboxStartError("zephyr", "Zephyr")))
      return {
        baseUrl: running.baseUrl,
        // the edition too: `run --sandbox --zephyr-edition essential` reads Essential with the built-in spec
        configOverrides: { baseUrl: running.baseUrl, token: Redacted.make(running.token), projectKey: running.projectKey, edition: running.edition },
        // Essential's and DC's stores are other systems'; a Cloud sandbox keeps the key earlier states were bound to
        identity: {
          key: running.edition === "cloud" ? { sandbox: "zephyr", projectKey: running.projectKey } : { sandbox: "zephyr", projectKey: running.projectKey, edition: running.edition },
          description: `the ${PRODUCT[running.edition]} sandbox's project ${running.projectKey}`
        },
        // every project a client may point at; `projectKey` (the first) is the one `run --sandbox` reads
        connect: {
          token: running.token,
          ...(running.basicAuth === undefined ? {} : { username: running.basicAuth.username, password: running.basicAuth.password }),
          projectKey: running.projectKey,
          projectKeys: running.projectKeys.join(","),
          edition: running.edition
        }
      }
    })
}
