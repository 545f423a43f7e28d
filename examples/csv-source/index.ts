/**
 * An external source plugin, kept in the repo as the worked example of docs/plugins.md: it reads test cases and
 * their steps from a CSV file (local, or downloaded over HTTP) into canonical records. It imports only core's
 * public API (`../../core/index.ts`; its sandbox also `../../core/sandbox.ts`) — the same surface a plugin
 * published as a package gets — and is loaded by path from a spec:
 *
 *   plugins: [./examples/csv-source/index.ts]
 *   source: { type: csv, file: ./cases.csv, projectKey: SHOP }
 */
import { Effect } from "effect"
import { definePlugin } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import { resolveCsvConfig, type CsvConfigInput } from "./CsvConfig.ts"
import { csvSandboxCapability } from "./CsvSandbox.ts"
import { makeCsvSource } from "./CsvSource.ts"

export default definePlugin<"source", CsvConfigInput>({
  name: "csv",
  kind: "source",
  configSchema,
  examples: [
    { file: "./cases.csv", projectKey: "SHOP" },
    { url: "https://exports.example.com/qa/cases.csv", token: "${env:CSV_TOKEN}", projectKey: "QA_WEB", projectName: "Web shop", delimiter: ";" }
  ],
  make: (input, ctx) => Effect.map(resolveCsvConfig(input), (config) => makeCsvSource(config, ctx)),
  scope: (input) => input.projectKey,
  sandbox: csvSandboxCapability
})

export { CsvParser } from "./CsvParser.ts"
export { demoCsv } from "./demoCsv.ts"
export { startCsvSandbox } from "./CsvSandbox.ts"
