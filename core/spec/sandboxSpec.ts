/**
 * The spec `run --sandbox` uses when there is no spec file: extract the built-in Zephyr sandbox's demo project
 * into a state file of its own and load it into the qTest sandbox and the Snowflake sandbox, so a first rehearsal
 * needs neither a file nor credentials. The sandboxes supply each plugin's config (URL, token, project) through their `configOverrides`.
 */
import * as path from "node:path"
import type { LoadedSpec } from "./LoadedSpec.ts"
import type { MigrationSpec } from "./MigrationSpec.ts"
import { runtimeConfig } from "./runtimeConfig.ts"

export const sandboxStateFile = ".migrate/sandbox.db"

/** The qTest sandbox's API user: Zephyr users map to it in a rehearsal (each use is reported). */
const SANDBOX_QTEST_USER = "migration-bot@example.com"

/** @param stateDir where sandbox.db goes: `.migrate` of the current directory for the CLI. */
export const sandboxSpec = (stateDir: string = path.resolve(".migrate")): LoadedSpec => {
  const spec: MigrationSpec = { version: 1, source: { type: "zephyr" }, sinks: [{ type: "qtest", createMissingFields: true, maps: { users: { default: SANDBOX_QTEST_USER } } }, { type: "snowflake" }], state: { path: sandboxStateFile } }
  return {
    file: "<sandbox>",
    spec,
    source: { type: "zephyr", config: {} },
    transforms: [],
    // a rehearsal shows the whole migration: the fields the demo data needs are created
    sinks: [
      { type: "qtest", config: { createMissingFields: true, maps: { users: { default: SANDBOX_QTEST_USER } } } },
      // account, credentials, warehouse and database come from the sandbox (configOverrides)
      { type: "snowflake", config: {} }
    ],
    statePath: path.resolve(stateDir, path.basename(sandboxStateFile)),
    stateDir: path.resolve(stateDir),
    runtime: runtimeConfig()
  }
}
