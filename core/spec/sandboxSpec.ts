/**
 * The spec `run --sandbox` uses when there is no spec file: extract the built-in Zephyr sandbox's demo project
 * into a state file of its own, so a first rehearsal needs neither a file nor credentials. The sandbox supplies
 * the zephyr config (URL, token, project) through its `configOverrides`.
 */
import * as path from "node:path"
import type { LoadedSpec } from "./LoadedSpec.ts"
import type { MigrationSpec } from "./MigrationSpec.ts"
import { runtimeConfig } from "./runtimeConfig.ts"

export const sandboxStateFile = ".migrate/sandbox.db"

/** @param stateDir where sandbox.db goes: `.migrate` of the current directory for the CLI. */
export const sandboxSpec = (stateDir: string = path.resolve(".migrate")): LoadedSpec => {
  const spec: MigrationSpec = { version: 1, source: { type: "zephyr" }, state: { path: sandboxStateFile } }
  return {
    file: "<sandbox>",
    spec,
    source: { type: "zephyr", config: {} },
    transforms: [],
    sinks: [],
    statePath: path.resolve(stateDir, path.basename(sandboxStateFile)),
    runtime: runtimeConfig()
  }
}
