/**
 * The Zephyr source plugin — editions Zephyr (formerly Scale Cloud), Zephyr Essential and Zephyr DC (Edition.ts) —
 * as a value: its config schema and examples, `make` (config → source instance: the Cloud editions' source, or
 * DC's, which speaks another API) and the sandbox that imitates each edition for tests and rehearsals.
 */
import { Effect } from "effect"
import { definePlugin, normalizeUrl } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import { zephyrSandboxCapability } from "./zephyrSandboxCapability.ts"
import { DcClientService } from "./dc/DcClient.ts"
import { makeDcSource } from "./dc/DcSource.ts"
import { ZephyrClient } from "./ZephyrClient.ts"
import { resolveZephyrConfig, zephyrBaseUrl, zephyrRegions, type ZephyrConfigInput } from "./ZephyrConfig.ts"
import { makeZephyrSource } from "./ZephyrSource.ts"

export default definePlugin<"source", ZephyrConfigInput>({
  name: "zephyr",
  kind: "source",
  configSchema,
  examples: [
    { baseUrl: zephyrRegions.US, projectKey: "PROJ", token: "${env:ZEPHYR_TOKEN}" },
    { baseUrl: zephyrRegions.EU, projectKey: "QA_WEB", token: "${env:ZEPHYR_TOKEN}", pageSize: 500, attachments: false, fetchVersions: true },
    { edition: "essential", projectKey: "MOBILE", token: "${env:ZEPHYR_TOKEN}", incremental: "add-only" },
    { edition: "dc", baseUrl: "https://jira.example.com/rest/atm/1.0", projectKey: "BANK", token: "${env:JIRA_PAT}" }
  ],
  make: (input, ctx) =>
    Effect.gen(function* () {
      const config = yield* resolveZephyrConfig(input)
      return config.edition.lists === "tql"
        ? yield* Effect.provide(makeDcSource(config, ctx), DcClientService.layer(config, ctx))
        : yield* Effect.provide(makeZephyrSource(config, ctx), ZephyrClient.layer(config, ctx))
    }),
  sandbox: zephyrSandboxCapability,
  scope: (input) => input.projectKey,
  projectField: "projectKey",
  identity: (input) => {
    const baseUrl = normalizeUrl(zephyrBaseUrl(input))
    return { key: { baseUrl, projectKey: input.projectKey }, description: `Zephyr project ${input.projectKey} at ${baseUrl}` }
  }
})

export { ZephyrClient, makeZephyrClient, nextStartAt } from "./ZephyrClient.ts"
export { editions, type Edition, type EditionName } from "./Edition.ts"
export { resolveZephyrConfig, zephyrBaseUrl, zephyrConfigDefaults, zephyrRegions, type ZephyrConfig, type ZephyrConfigInput } from "./ZephyrConfig.ts"
export { makeZephyrSource, toSystemError } from "./ZephyrSource.ts"
