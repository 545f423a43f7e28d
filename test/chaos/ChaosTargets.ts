/**
 * The three systems of a chaos scenario, each a real sandbox over loopback that can be killed and restarted on
 * its port with its state (RestartableSandbox.ts): Zephyr serving the generated `tiny` tenant, qTest keeping its
 * project in a snapshot file and Snowflake its tables in a DuckDB file, both in the scenario's directory. A
 * scenario adds its misbehaviour as sandbox options; `heal` restarts the misbehaving ones without it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { startQtestSandbox, type QtestSandboxOptions, type RunningQtestSandbox } from "../../plugins/qtest/sandbox/index.ts"
import { startSnowflakeSandbox, type RunningSnowflakeSandbox, type SnowflakeSandboxOptions } from "../../plugins/snowflake/sandbox/index.ts"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../plugins/zephyr/sandbox/index.ts"
import { type Restartable, startRestartable } from "./RestartableSandbox.ts"

/** The generated tenant every scenario migrates. */
export const TENANT = { scale: "tiny", seed: 7 } as const

export interface Misbehaviour {
  readonly zephyr?: Partial<ZephyrSandboxOptions> | undefined
  readonly qtest?: Partial<QtestSandboxOptions> | undefined
  readonly snowflake?: Partial<SnowflakeSandboxOptions> | undefined
}

export type System = "zephyr" | "qtest" | "snowflake"
export const SYSTEMS: ReadonlyArray<System> = ["zephyr", "qtest", "snowflake"]

export interface ChaosTargets {
  /** The scenario's directory: the state store, the qTest snapshot, the DuckDB file. */
  readonly dir: string
  readonly statePath: string
  readonly zephyr: Restartable<ZephyrSandboxOptions, RunningZephyrSandbox>
  readonly qtest: Restartable<QtestSandboxOptions, RunningQtestSandbox>
  readonly snowflake: Restartable<SnowflakeSandboxOptions, RunningSnowflakeSandbox>
  /** Restarts every sandbox that misbehaves with its plain options (same port, same state). */
  readonly heal: () => Promise<void>
  readonly stop: () => Promise<void>
}

/** Options that make a sandbox misbehave; `heal` drops them (and keeps the rest, e.g. a token). */
const MISBEHAVIOURS = [
  "faultRate",
  "faultKinds",
  "slowResponseMs",
  "faultAfterWriteRate",
  "storm",
  "rateLimit",
  "tokenExpiresAfterRequests",
  "lostMergeAnswerRate",
  "sessionExpiresAfterQueries"
] as const

const plain = <O extends object>(o: O): Partial<O> => Object.fromEntries(MISBEHAVIOURS.map((k) => [k, undefined])) as Partial<O>
const misbehaves = (o: object): boolean => MISBEHAVIOURS.some((k) => (o as Record<string, unknown>)[k] !== undefined)

export const startTargets = async (m: Misbehaviour = {}): Promise<ChaosTargets> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-chaos-"))
  const zephyr = await startRestartable(startZephyrSandbox, { ...TENANT, ...m.zephyr }, (s) => s.stats().requests)
  const qtest = await startRestartable(startQtestSandbox, { persistFile: path.join(dir, "qtest-sandbox.json"), ...m.qtest }, (s) => s.stats().requests)
  const snowflake = await startRestartable(startSnowflakeSandbox, { databaseFile: path.join(dir, "snowflake-sandbox.duckdb"), ...m.snowflake }, (s) => s.stats().requests)
  const all = [zephyr, qtest, snowflake] as const
  return {
    dir,
    statePath: path.join(dir, ".migrate", "state.db"),
    zephyr,
    qtest,
    snowflake,
    heal: async () => {
      for (const r of all) {
        r.cancel()
        if (misbehaves(r.options())) await (r as Restartable<object, { port: number }>).restart(plain(r.options()), 0)
      }
    },
    stop: async () => {
      for (const r of all) {
        r.cancel()
        await r.stop()
      }
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
