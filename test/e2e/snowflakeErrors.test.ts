/**
 * What a user sees when the Snowflake section of the spec is wrong, through the real CLI process: a wrong password
 * and an unknown warehouse stop the run with exit 1 and Snowflake's message, code and a hint — never the password —
 * after the extract, which is kept (the next run is incremental and loads); missing or doubled credentials and an
 * unset environment variable are spec errors (exit 2) pointing at the snowflake section, before anything runs.
 * The Zephyr and Snowflake sandboxes run in the test process; each case loads into its own database.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../plugins/snowflake/sandbox/index.ts"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"
import { runCliProcess, tempDir, type CliResult } from "./cli.ts"
import { DEMO_COUNTS, DEMO_TOTAL } from "../fixtures/demoCounts.ts"
import { compareWithStore, exec, readSnowflake, readStore, snowflakeLoad, storeCounts, withDriver } from "./snowflakeHelpers.ts"

const PASSWORD = "correct-Horse-7-battery"
const WRONG_PASSWORD = "Wr0ng-Secret-9f3aQ"


interface SnowflakeSection {
  readonly database: string
  readonly warehouse?: string
  /** The credential lines, indented by four spaces; default `password: ${env:SNOWFLAKE_PASSWORD}`. */
  readonly credentials?: string
}

describe("Snowflake sink: wrong credentials and settings", () => {
  let scope: Scope.CloseableScope
  let zephyr: RunningZephyrSandbox
  let sb: RunningSnowflakeSandbox

  beforeAll(async () => {
    scope = await Effect.runPromise(Scope.make())
    zephyr = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: demoData() }), scope))
    sb = await Effect.runPromise(Scope.extend(startSnowflakeSandbox({ password: PASSWORD }), scope))
  })
  afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))

  const spec = (s: SnowflakeSection): string => `version: 1
source:
  type: zephyr
  baseUrl: ${zephyr.baseUrl}
  projectKey: ${zephyr.projectKey}
  token: \${env:ZEPHYR_TOKEN}
sinks:
  - type: snowflake
    account: ${sb.account}
    user: ${sb.user}
${s.credentials ?? "    password: ${env:SNOWFLAKE_PASSWORD}"}
    warehouse: ${s.warehouse ?? DEFAULT_WAREHOUSE}
    database: ${s.database}
    accessUrl: ${sb.accessUrl}
`

  const workdir = (s: SnowflakeSection): string => {
    const cwd = tempDir("migrate-snowflake-err-")
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec(s))
    return cwd
  }

  const migrate = (cwd: string, password: string | undefined): Promise<CliResult> =>
    runCliProcess(["run"], { cwd, timeoutMs: 90_000, env: { ZEPHYR_TOKEN: zephyr.token, SNOWFLAKE_PASSWORD: password, MIGRATE_FAILPOINT: undefined } })

  /** Every file under `.migrate` that contains `needle` (reports, the store, blobs). */
  const filesContaining = (cwd: string, needle: string): ReadonlyArray<string> => {
    const dir = path.join(cwd, ".migrate")
    if (!fs.existsSync(dir)) return []
    return (fs.readdirSync(dir, { recursive: true }) as Array<string>)
      .map((f) => path.join(dir, f))
      .filter((f) => fs.statSync(f).isFile() && fs.readFileSync(f).includes(needle))
  }

  /** `<file>:<line>:<column>` of the first occurrence of `text` in the spec, as the CLI reports positions. */
  const positionOf = (cwd: string, text: string): string => {
    const lines = fs.readFileSync(path.join(cwd, "migration.config.yaml"), "utf8").split("\n")
    const line = lines.findIndex((l) => l.includes(text))
    expect(line, text).toBeGreaterThanOrEqual(0)
    return `migration.config.yaml:${line + 1}:${lines[line]!.indexOf(text) + 1}`
  }

  it(
    "a wrong password: exit 1 with Snowflake's message, code 390100 and a hint, never the password; the extract is kept and the next run loads",
    async () => {
      const cwd = workdir({ database: "ERRORS_PASSWORD" })
      const failedLogins = sb.stats().failedLogins
      const r = await migrate(cwd, WRONG_PASSWORD)
      expect(r.code, r.stderr + r.stdout).toBe(1)
      expect(r.signal).toBeNull()
      expect(r.stderr).toContain("migrate: snowflake: Incorrect username or password was specified. (code 390100)")
      expect(r.stderr).toContain("→ check user and the credential (password, privateKey registered with ALTER USER … SET RSA_PUBLIC_KEY, or a current oauthToken)")
      expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace without --verbose
      expect(r.stdout + r.stderr).not.toContain(WRONG_PASSWORD)
      expect(filesContaining(cwd, WRONG_PASSWORD)).toEqual([])
      // one login tried, and refused: not retried as if it were the network
      expect(sb.stats().failedLogins - failedLogins).toBe(1)

      // the extract ran before the login and is kept
      expect(r.stderr).toMatch(/extract zephyr \(full\): done/)
      expect(storeCounts(readStore(path.join(cwd, ".migrate/state.db")))).toEqual(DEMO_COUNTS)
      // nothing was written to Snowflake
      await withDriver(sb, { password: PASSWORD, database: "ERRORS_PASSWORD" }, async (conn) =>
        expect(await exec(conn, "SHOW TABLES")).toEqual([])
      )

      // with the right password the next run extracts incrementally (nothing new) and loads everything
      const fixed = await migrate(cwd, PASSWORD)
      expect(fixed.code, fixed.stderr + fixed.stdout).toBe(0)
      expect(fixed.stderr).toMatch(/extract zephyr \(incremental since /)
      expect(fixed.stdout).toMatch(/total\s+\d+ extracted\s+0 new\s+0 changed/)
      expect(snowflakeLoad(fixed).totals).toMatchObject({ created: DEMO_TOTAL, updated: 0, unchanged: 0, rejected: 0 })
      const store = readStore(path.join(cwd, ".migrate/state.db"))
      const tables = await withDriver(sb, { password: PASSWORD, database: "ERRORS_PASSWORD" }, (conn) => readSnowflake(conn))
      expect(compareWithStore(store, tables).problems).toEqual([])
    },
    120_000
  )

  it("an unknown warehouse: exit 1 naming the warehouse problem (code 390201) with a hint; the extract is kept", async () => {
    const cwd = workdir({ database: "ERRORS_WAREHOUSE", warehouse: "NO_SUCH_WH" })
    const r = await migrate(cwd, PASSWORD)
    expect(r.code, r.stderr + r.stdout).toBe(1)
    expect(r.stderr).toContain(
      "migrate: snowflake: The requested warehouse does not exist or not authorized. (asked for warehouse NO_SUCH_WH, database ERRORS_WAREHOUSE, schema PUBLIC) (code 390201, SQL state 08004)"
    )
    expect(r.stderr).toContain("→ check that warehouse, database, schema and role exist and are granted to the user")
    expect(r.stdout + r.stderr).not.toContain(PASSWORD)
    expect(storeCounts(readStore(path.join(cwd, ".migrate/state.db")))).toEqual(DEMO_COUNTS)
  }, 90_000)

  it("no credential: exit 2, a spec error at the snowflake section naming the three ways to log in; nothing runs", async () => {
    const cwd = workdir({ database: "ERRORS_SPEC", credentials: "    role: LOADER" })
    const r = await migrate(cwd, PASSWORD)
    expect(r.code, r.stderr + r.stdout).toBe(2)
    const out = r.stdout + r.stderr
    expect(out).toContain("the spec is invalid")
    expect(out).toContain(`${positionOf(cwd, "type: snowflake")}  /sinks/0  does not match any of the allowed forms (password; privateKey (key pair, JWT); oauthToken)`)
    expect(out).not.toContain("extract zephyr")
    expect(fs.existsSync(path.join(cwd, ".migrate/state.db"))).toBe(false)
  })

  it("two credentials, one written in the spec: exit 2, give exactly one, and keep the secret out of the spec (not echoed)", async () => {
    const cwd = workdir({ database: "ERRORS_SPEC", credentials: "    password: ${env:SNOWFLAKE_PASSWORD}\n    oauthToken: literal-token-abc" })
    const r = await migrate(cwd, PASSWORD)
    expect(r.code, r.stderr + r.stdout).toBe(2)
    const out = r.stdout + r.stderr
    expect(out).toContain(`${positionOf(cwd, "type: snowflake")}  /sinks/0  matches 2 of the allowed forms (password; privateKey (key pair, JWT); oauthToken) — give exactly one`)
    expect(out).toContain(`${positionOf(cwd, "literal-token-abc")}  /sinks/0/oauthToken  secrets must not be written in the spec`)
    expect(out).not.toContain(PASSWORD)
    expect(out).not.toContain("literal-token-abc")
  })

  it("the password's environment variable unset: exit 2 pointing at the password line", async () => {
    const cwd = workdir({ database: "ERRORS_SPEC" })
    const r = await migrate(cwd, undefined)
    expect(r.code, r.stderr + r.stdout).toBe(2)
    expect(r.stdout + r.stderr).toContain(`${positionOf(cwd, "${env:SNOWFLAKE_PASSWORD}")}  /sinks/0/password  environment variable SNOWFLAKE_PASSWORD is not set`)
    expect(fs.existsSync(path.join(cwd, ".migrate/state.db"))).toBe(false)
  })
})
