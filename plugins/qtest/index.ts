/**
 * The qTest Manager sink plugin, as a value: its config schema and examples, `make` (config → sink instance)
 * and the sandbox that imitates qTest for tests and rehearsals.
 */
import { Effect } from "effect"
import { definePlugin, normalizeUrl } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import { makeQtestClient } from "./QtestClient.ts"
import { resolveQtestConfig, type QtestConfigInput } from "./QtestConfig.ts"
import { qtestSandboxCapability } from "./qtestSandboxCapability.ts"
import { makeQtestSink } from "./QtestSink.ts"

export default definePlugin<"sink", QtestConfigInput>({
  name: "qtest",
  kind: "sink",
  configSchema,
  examples: [
    { baseUrl: "https://acme.qtestnet.com", projectId: 12345, token: "${env:QTEST_TOKEN}" },
    {
      baseUrl: "https://acme.qtestnet.com",
      projectId: 12345,
      username: "migration-bot@acme.com",
      password: "${env:QTEST_PASSWORD}",
      createMissingFields: true,
      maps: { executionStatus: { Pass: "Passed", Fail: "Failed", default: "Unexecuted" }, users: { "5b10a2844c20165700ede21g": "jane@acme.com" } }
    }
  ],
  make: (input, ctx) =>
    Effect.gen(function* () {
      const config = yield* resolveQtestConfig(input)
      const client = makeQtestClient({ baseUrl: config.baseUrl, projectId: config.projectId, auth: config.auth }, ctx)
      return makeQtestSink(client, config, ctx)
    }),
  sandbox: qtestSandboxCapability,
  identity: (input) => {
    const baseUrl = normalizeUrl(input.baseUrl)
    return { key: { baseUrl, projectId: String(input.projectId) }, description: `qTest project ${input.projectId} at ${baseUrl}` }
  }
})

export { makeQtestClient, QtestClient } from "./QtestClient.ts"
export { resolveQtestConfig, qtestConfigDefaults, type QtestConfig, type QtestConfigInput } from "./QtestConfig.ts"
export { makeQtestSink } from "./QtestSink.ts"
