/**
 * Secrets never leak. Every credential of the three systems — the Zephyr token; the qTest API token and a qTest
 * username + password login; the Snowflake password, a key pair (plain, and encrypted under a passphrase) and an
 * OAuth token — is a recognisable fake made for this run (test/support/fakeSecrets.ts), and the sandboxes accept
 * exactly those. The real CLI runs with them through the success paths and every failure we can provoke: wrong,
 * revoked and refused credentials, an unknown warehouse, an unregistered key, a bad or missing passphrase,
 * unreachable systems, missing variables, secrets written in the spec (also in a URL, and on a line YAML cannot
 * parse), empty and unreadable secret files. `run` goes through each case in every output mode — plain,
 * `--verbose`, `MIGRATE_DEBUG=1`, `--json` — and validate, plan, verify, status and sandbox take the modes in turn.
 *
 * After each command: its stdout and stderr, and every byte under its working directory (the run reports, the
 * SQLite store and its -wal/-shm, lock files, blobs, and the HOME and TMPDIR the process was given), are scanned
 * for every secret in every encoding (test/support/secretScanner.ts); at the end, the sandboxes' saved state (the
 * qTest project files, the Snowflake DuckDB files). Each case also checks that it reached the path it is named
 * after, and the scanner is shown to find what is planted.
 *
 * Cases run concurrently, at most `PROCESSES` CLI processes at a time: there are 2 cores, and a process spends
 * about half its time waiting on the sandboxes, which run in this process.
 */
import { execFileSync, type ChildProcess } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { startQtestSandbox, type QtestSandboxOptions, type RunningQtestSandbox } from "../../plugins/qtest/sandbox/index.ts"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../plugins/snowflake/sandbox/index.ts"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"
import { SANDBOX_USER } from "../plugins/qtest/load/harness.ts"
import { fakeSecrets } from "../support/fakeSecrets.ts"
import { keySecrets, secretScanner, type Leak, type NamedSecret } from "../support/secretScanner.ts"
import { runCliProcess, tempDir, type CliResult } from "./cli.ts"
import { nobody } from "../support/unprivileged.ts"

const S = fakeSecrets()
const SITE = "acme"
const PROCESSES = 3

const scanner = secretScanner([
  ...Object.entries(S).flatMap(([name, value]): Array<NamedSecret> => (typeof value === "string" ? [{ name, value }] : [])),
  { name: "registeredKey.passphrase", value: S.registeredKey.passphrase },
  { name: "unregisteredKey.passphrase", value: S.unregisteredKey.passphrase },
  ...keySecrets("registeredKey (plain PEM)", S.registeredKey.privateKeyPem),
  ...keySecrets("registeredKey (encrypted PEM)", S.registeredKey.encryptedPem),
  ...keySecrets("unregisteredKey (plain PEM)", S.unregisteredKey.privateKeyPem)
])

interface Mode {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
}
const MODES: ReadonlyArray<Mode> = [
  { name: "plain", args: [], env: {} },
  { name: "--verbose", args: ["--verbose"], env: {} },
  { name: "MIGRATE_DEBUG=1", args: [], env: { MIGRATE_DEBUG: "1" } },
  { name: "--json", args: ["--json"], env: {} }
]

type Command = "run" | "validate" | "plan" | "verify" | "status"

interface Step {
  readonly command: Command
  readonly mode: Mode
  readonly env?: Readonly<Record<string, string>>
}

/** `run` in every mode, then each other command in the next mode in turn (counted from `turn`). */
const stepsOf = (also: ReadonlyArray<Command>, turn: number): ReadonlyArray<Step> => [
  ...MODES.map((mode): Step => ({ command: "run", mode })),
  ...also.map((command, i): Step => ({ command, mode: MODES[(turn + i) % MODES.length]! }))
]

/** At most `n` at a time. */
const semaphore = (n: number) => {
  let free = n
  const waiting: Array<() => void> = []
  return async <A>(f: () => Promise<A>): Promise<A> => {
    if (free > 0) free--
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await f()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
}
const processSlot = semaphore(PROCESSES)

/** A port nothing listens on (the OS picked it, and it was closed again). */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Root reads any file whatever its mode: to meet an unreadable secret file, the CLI runs as `nobody` then. */
const unprivileged = (): { readonly uid?: number; readonly gid?: number } => nobody() ?? {}

const show = (leaks: ReadonlyArray<Leak>) => leaks.map((l) => `${l.secret} as ${l.form} in ${l.where} at byte ${l.offset}`)

/** The PEM as a YAML block scalar, for a key at four spaces' indentation (a key pasted into the spec). */
const pemBlock = (pem: string) => `|\n${pem.trim().split("\n").map((l) => `      ${l}`).join("\n")}`

describe("secrets never leak", () => {
  let scope: Scope.CloseableScope
  let zephyr: RunningZephyrSandbox
  /** One qTest project per success case (they run concurrently), one for the failures, one whose token was revoked. */
  let qtest: Record<"env" | "login" | "file" | "failures" | "revoked", RunningQtestSandbox>
  /** Likewise one Snowflake per success case: the sandbox's INFORMATION_SCHEMA spans every database it holds. */
  let snowflake: Record<"env" | "login" | "encrypted" | "oauth" | "failures", RunningSnowflakeSandbox>
  let sandboxDir: string
  let secretDir: string
  let baseState: string
  let closed: string

  const secretFile = (name: string) => path.join(secretDir, name)

  beforeAll(async () => {
    // Secret files live outside every working directory: a scan must not find them as themselves.
    secretDir = tempDir("migrate-secrets-files-")
    fs.chmodSync(secretDir, 0o755)
    const write = (name: string, content: string) => fs.writeFileSync(secretFile(name), content, { mode: 0o644 })
    write("zephyr-token", `${S.zephyrToken}\n`)
    write("qtest-token", S.qtestToken)
    write("rsa_key.p8", S.registeredKey.privateKeyPem)
    write("rsa_key_encrypted.p8", S.registeredKey.encryptedPem)
    write("empty-secret", "")
    write("not-a-key.p8", `${S.notAKey}\n`)
    write("unreadable-token", `${S.qtestToken}\n`)
    fs.chmodSync(secretFile("unreadable-token"), 0o000)
    fs.mkdirSync(secretFile("a-directory"))

    sandboxDir = tempDir("migrate-secrets-sandboxes-")
    scope = await Effect.runPromise(Scope.make())
    const start = <A, E>(e: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Scope.extend(e, scope))
    zephyr = await start(startZephyrSandbox({ data: demoData(), token: S.zephyrToken }))
    const qtestSandbox = (name: string, o: QtestSandboxOptions = {}) =>
      start(
        startQtestSandbox({
          token: S.qtestToken,
          password: S.qtestPassword,
          siteName: SITE,
          requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"],
          persistFile: path.join(sandboxDir, `qtest-${name}.json`),
          ...o
        })
      )
    qtest = {
      env: await qtestSandbox("env"),
      login: await qtestSandbox("login"),
      file: await qtestSandbox("file"),
      failures: await qtestSandbox("failures"),
      revoked: await qtestSandbox("revoked", { token: S.qtestRevokedToken })
    }
    // qTest's API token "never expires unless the Client calls Revoke Token API": this one was revoked
    const revoke = await fetch(`${qtest.revoked.baseUrl}/oauth/revoke`, { method: "POST", headers: { authorization: `Bearer ${S.qtestRevokedToken}` } })
    expect(revoke.status).toBe(200)
    const snowflakeSandbox = (name: string) =>
      start(
        startSnowflakeSandbox({
          password: S.snowflakePassword,
          publicKeyPem: S.registeredKey.publicKeyPem,
          oauthToken: S.snowflakeOauthToken,
          databaseFile: path.join(sandboxDir, `snowflake-${name}.duckdb`)
        })
      )
    snowflake = {
      env: await snowflakeSandbox("env"),
      login: await snowflakeSandbox("login"),
      encrypted: await snowflakeSandbox("encrypted"),
      oauth: await snowflakeSandbox("oauth"),
      failures: await snowflakeSandbox("failures")
    }
    closed = `http://127.0.0.1:${await closedPort()}`

    // The extract every later case starts from (a copy), so that each spends its time on what it tests.
    baseState = workdir(spec({ sinks: [] }), false)
    const base = await cli(baseState, ["run"])
    expect(base.code, base.stderr + base.stdout).toBe(0)
    expect(show(leaksOf("extract-only run", baseState, base))).toEqual([])
  }, 180_000)

  // the last test closes the scope to read what the sandboxes saved; this is for a run that stops before it
  afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))

  // ---- specs --------------------------------------------------------------------------------------------------

  type SinkName = "qtest" | "snowflake"

  interface SpecOptions {
    /** The YAML value of source.token. */
    readonly zephyrToken?: string
    readonly zephyrUrl?: string
    /** Lines added to the source section, indented by two spaces. */
    readonly sourceExtra?: string
    /** Sinks in the order they load: a failing one goes first, so the run stops there. */
    readonly sinks?: ReadonlyArray<SinkName>
    readonly qtest?: RunningQtestSandbox
    readonly qtestUrl?: string
    /** The qtest section's credential lines, indented by four spaces. */
    readonly qtestAuth?: string
    readonly snowflake?: RunningSnowflakeSandbox
    readonly accessUrl?: string
    /** The snowflake section's credential lines, indented by four spaces. */
    readonly snowflakeAuth?: string
    readonly warehouse?: string
    readonly database?: string
  }

  const spec = (o: SpecOptions = {}): string => {
    const sinks = o.sinks ?? ["qtest", "snowflake"]
    const q = o.qtest ?? qtest.failures
    const sf = o.snowflake ?? snowflake.failures
    const section: Record<SinkName, string> = {
      qtest: `  - type: qtest
    baseUrl: ${o.qtestUrl ?? q.baseUrl}
    projectId: ${q.projectId}
${o.qtestAuth ?? "    token: ${env:QTEST_TOKEN}"}
    createMissingFields: true
    maps:
      users:
        default: ${SANDBOX_USER}
`,
      snowflake: `  - type: snowflake
    account: ${sf.account}
    user: ${sf.user}
${o.snowflakeAuth ?? "    password: ${env:SNOWFLAKE_PASSWORD}"}
    warehouse: ${o.warehouse ?? DEFAULT_WAREHOUSE}
    database: ${o.database ?? "SECRETS_FAILURES"}
    accessUrl: ${o.accessUrl ?? sf.accessUrl}
`
    }
    return `version: 1
source:
  type: zephyr
  baseUrl: ${o.zephyrUrl ?? zephyr.baseUrl}
  projectKey: ${zephyr.projectKey}
  token: ${o.zephyrToken ?? "${env:ZEPHYR_TOKEN}"}
${o.sourceExtra ?? ""}${sinks.length === 0 ? "" : `sinks:\n${sinks.map((s) => section[s]).join("")}`}runtime:
  concurrency: 4
  retry:
    maxAttempts: 3
    baseDelayMs: 10
    maxDelayMs: 100
`
  }

  const qtestLogin = (password = "${env:QTEST_PASSWORD}") => `    username: ${SANDBOX_USER}\n    password: ${password}\n    siteName: ${SITE}`
  const keyPairAuth = (file: string, passphrase?: string) =>
    `    privateKey: \${file:${secretFile(file)}}${passphrase === undefined ? "" : `\n    privateKeyPassphrase: ${passphrase}`}`

  // ---- running and scanning -----------------------------------------------------------------------------------

  /** The right secrets, exported as a user would: a case overrides what it breaks. */
  const secretEnv: Readonly<Record<string, string | undefined>> = {
    ZEPHYR_TOKEN: S.zephyrToken,
    QTEST_TOKEN: S.qtestToken,
    QTEST_PASSWORD: S.qtestPassword,
    SNOWFLAKE_PASSWORD: S.snowflakePassword,
    SNOWFLAKE_OAUTH_TOKEN: S.snowflakeOauthToken,
    SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: S.registeredKey.passphrase,
    MIGRATE_DEBUG: undefined,
    MIGRATE_FAILPOINT: undefined,
    MIGRATE_FAILPOINT_TRACE: undefined
  }

  interface CliOptions {
    readonly env?: Readonly<Record<string, string | undefined>>
    readonly uid?: number | undefined
    readonly gid?: number | undefined
    readonly onStarted?: (child: ChildProcess) => void
  }

  /** The CLI in `cwd` with the secrets exported, and HOME and TMPDIR inside `cwd`, so what lands there is scanned too. */
  const cli = (cwd: string, args: ReadonlyArray<string>, o: CliOptions = {}): Promise<CliResult> =>
    processSlot(() => {
      for (const d of ["home", "tmp"]) fs.mkdirSync(path.join(cwd, d), { recursive: true })
      if (o.uid !== undefined) execFileSync("chown", ["-R", `${o.uid}:${o.gid}`, cwd])
      return runCliProcess(args, {
        cwd,
        env: { ...secretEnv, HOME: path.join(cwd, "home"), TMPDIR: path.join(cwd, "tmp"), ...o.env },
        timeoutMs: 120_000,
        ...(o.uid === undefined || o.gid === undefined ? {} : { uid: o.uid, gid: o.gid }),
        ...(o.onStarted === undefined ? {} : { onStarted: o.onStarted })
      })
    })

  /** Leaks in a command's output and anywhere under its working directory, but the spec (which may hold a literal on purpose). */
  const leaksOf = (label: string, cwd: string, r: CliResult): ReadonlyArray<Leak> => {
    const { leaks } = scanner.scanPaths([cwd], { skip: [path.join(cwd, "migration.config.yaml")], label: (f) => `${label}: ${path.relative(cwd, f)}` })
    return [...scanner.scanText(`${label}: stdout`, r.stdout), ...scanner.scanText(`${label}: stderr`, r.stderr), ...leaks]
  }

  /** A fresh working directory holding `specText`, and a copy of the extract-only state when asked. */
  const workdir = (specText: string, withState: boolean): string => {
    const cwd = tempDir("migrate-secrets-")
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), specText)
    if (withState) fs.cpSync(path.join(baseState, ".migrate"), path.join(cwd, ".migrate"), { recursive: true, filter: (p) => !p.includes(`${path.sep}runs`) })
    return cwd
  }

  interface Outcome {
    /** null: killed (by a failpoint). */
    readonly code: number | null
    /** What stderr says: proof that the case reached the path it is named after. */
    readonly says: ReadonlyArray<RegExp>
  }
  const succeeds: Outcome = { code: 0, says: [] }

  /**
   * Runs the steps in `cwd`, in order. After each: no secret anywhere (checked first — it is what this file is
   * about), then the expected exit code and message, and in JSON mode one JSON object per line of stdout.
   */
  const runSteps = async (name: string, cwd: string, steps: ReadonlyArray<Step>, outcome: (s: Step) => Outcome, o: CliOptions = {}): Promise<void> => {
    for (const step of steps) {
      const label = `${name} — ${step.command} ${step.mode.name}${step.env === undefined ? "" : ` ${JSON.stringify(step.env)}`}`
      const r = await cli(cwd, [step.command, ...step.mode.args], { ...o, env: { ...o.env, ...step.mode.env, ...step.env } })
      expect(show(leaksOf(label, cwd, r)), `${label}\n${r.stderr}`).toEqual([])
      const expected = outcome(step)
      expect(r.code, `${label}\n${r.stderr}\n${r.stdout}`).toBe(expected.code)
      for (const says of expected.says) expect(r.stderr, `${label}\n${r.stdout}`).toMatch(says)
      if (step.mode.args.includes("--json")) for (const line of r.stdout.split("\n").filter((l) => l !== "")) expect(() => JSON.parse(line), `${label}: ${line}`).not.toThrow()
    }
  }

  // ---- the scanner can fail -----------------------------------------------------------------------------------

  it("the scanner finds a planted secret in every form, in text and binary files, and nothing in clean ones", () => {
    const dir = tempDir("migrate-secrets-selfcheck-")
    const secret = S.snowflakePassword
    const filler = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919) % 251))
    const plant = (name: string, bytes: Buffer) => fs.writeFileSync(path.join(dir, name), Buffer.concat([filler(4099), bytes, filler(777)]))
    fs.mkdirSync(path.join(dir, "nested/deeper"), { recursive: true })
    const pemLines = S.registeredKey.privateKeyPem.split("\n")
    plant("utf8.bin", Buffer.from(`password=${secret};`))
    plant("utf16.db-wal", Buffer.from(`"${secret}"`, "utf16le"))
    plant("upper.duckdb", Buffer.from(secret.toUpperCase()))
    // inside a longer base64 value, at each alignment: what a Basic header or a base64 attachment would hold
    plant("b64-0", Buffer.from(Buffer.from(`${secret}:tail`).toString("base64")))
    plant("nested/b64-1", Buffer.from(Buffer.from(`x${secret}:tail`).toString("base64")))
    plant("nested/deeper/b64-2", Buffer.from(Buffer.from(`xy${secret}`).toString("base64url")))
    // a line with + or /, which URL encoding changes
    plant("url.log", Buffer.from(`privateKey=${encodeURIComponent(pemLines.find((l) => /^[A-Za-z0-9+/]{64}$/.test(l) && /[+/]/.test(l))!)}`))
    plant("hex.txt", Buffer.from(Buffer.from(secret).toString("hex")))
    plant("der.blob", Buffer.from(pemLines.slice(1, -2).join(""), "base64").subarray(40, 200))
    plant("clean.bin", Buffer.from("zsec-00000000000000000000000000000000 and nothing else"))
    const { leaks, files } = scanner.scanPaths([dir])
    expect(files.length).toBe(10)
    expect([...new Set(leaks.map((l) => path.relative(dir, l.where)))].sort()).toEqual([
      "b64-0",
      "der.blob",
      "hex.txt",
      "nested/b64-1",
      "nested/deeper/b64-2",
      "upper.duckdb",
      "url.log",
      "utf16.db-wal",
      "utf8.bin"
    ])
    expect(leaks.find((l) => l.where.endsWith("utf8.bin"))).toMatchObject({ secret: "snowflakePassword", form: "UTF-8", offset: 4099 + "password=".length })
    const formsIn = (name: string) => leaks.filter((l) => l.where === path.join(dir, name)).map((l) => l.form)
    expect(formsIn("utf16.db-wal")).toContain("UTF-16LE")
    expect(formsIn("upper.duckdb")).toContain("UTF-8 upper-cased")
    expect(formsIn("b64-0")).toContain("base64 (+0)")
    expect(formsIn("nested/b64-1")).toContain("base64 (+1)")
    // base64url is the same text as base64 when the encoding has no + or /: then it is found as the latter
    expect(formsIn("nested/deeper/b64-2")).toEqual([expect.stringMatching(/^base64(url)? \(\+2\)$/)])
    expect(formsIn("url.log")).toContain("URL-encoded")
    expect(formsIn("hex.txt")).toContain("hex")
    expect(formsIn("der.blob")).toContain("raw bytes")
    // a row of a SQLite store in WAL mode, still open: the secret is in the -wal file's frames, not yet in the db
    fs.mkdirSync(path.join(dir, "sqlite"))
    const db = new Database(path.join(dir, "sqlite/state.db"))
    try {
      db.pragma("journal_mode = WAL")
      db.exec("CREATE TABLE events (message TEXT)")
      db.prepare("INSERT INTO events VALUES (?)").run(`login failed for token ${S.qtestRevokedToken}`)
      expect(scanner.scanPaths([path.join(dir, "sqlite")]).leaks.map((l) => [path.basename(l.where), l.secret])).toEqual([["state.db-wal", "qtestRevokedToken"]])
    } finally {
      db.close()
    }
    expect(scanner.scanText("text", `… ${S.zephyrWrongToken} …`).map((l) => l.secret)).toEqual(["zephyrWrongToken"])
    expect(scanner.scanText("text", "no secret here")).toEqual([])
    expect(scanner.scanPaths([dir], { skip: [path.join(dir, "nested"), path.join(dir, "sqlite")] }).files.length).toBe(8)
  })

  // ---- success ------------------------------------------------------------------------------------------------

  // the groups below run side by side (describe.concurrent): the success group's long first case must not leave the cores idle
  describe.concurrent("success", () => {
    it.concurrent(
      "the Zephyr token, qTest API token and Snowflake password from the environment: run in every mode; plan, verify, validate and status in two each",
      async ({ expect }) => {
        const cwd = workdir(spec({ qtest: qtest.env, snowflake: snowflake.env, database: "SECRETS_ENV" }), false)
        await runSteps("env", cwd, stepsOf([], 0), () => succeeds)
        // what this case must have scanned: a clean scan of nothing would prove nothing
        expect(scanner.scanPaths([cwd]).files.map((f) => path.relative(cwd, f))).toEqual(
          expect.arrayContaining([
            ".migrate/state.db",
            ".migrate/state.db.lock",
            expect.stringMatching(/^\.migrate\/blobs\/./),
            expect.stringMatching(/^\.migrate\/runs\/.+\/report\.json$/),
            expect.stringMatching(/^\.migrate\/runs\/.+\/report\.md$/)
          ])
        )
        // each of the other commands in two modes, each mode twice
        const others = (["plan", "verify", "validate", "status"] as const).flatMap((command, i): Array<Step> => [
          { command, mode: MODES[i]! },
          { command, mode: MODES[(i + 2) % MODES.length]! }
        ])
        await runSteps("env", cwd, others, () => succeeds)
      },
      300_000
    )

    it.concurrent(
      "a qTest username + password login, the Zephyr token and a Snowflake private key from files: run killed mid-load, run again, verify, validate",
      async ({ expect }) => {
        const cwd = workdir(
          spec({
            qtest: qtest.login,
            qtestAuth: qtestLogin(),
            zephyrToken: `\${file:${secretFile("zephyr-token")}}`,
            snowflake: snowflake.login,
            snowflakeAuth: keyPairAuth("rsa_key.p8"),
            database: "SECRETS_LOGIN"
          }),
          true
        )
        // the first run is killed mid-load (SIGKILL): the store's -wal and -shm and the lock file are left to scan
        const killed: Step = { command: "run", mode: MODES[0]!, env: { MIGRATE_FAILPOINT: "confirmed@test-case:3" } }
        await runSteps("login", cwd, [killed], () => ({ code: null, says: [] }))
        expect(fs.readdirSync(path.join(cwd, ".migrate"))).toEqual(expect.arrayContaining(["state.db", "state.db-shm", "state.db-wal", "state.db.lock", "state.db.lock.json"]))
        const steps: ReadonlyArray<Step> = [
          { command: "run", mode: MODES[1]! },
          { command: "verify", mode: MODES[2]! },
          { command: "validate", mode: MODES[3]! }
        ]
        await runSteps("login", cwd, steps, () => succeeds)
      },
      300_000
    )

    it.concurrent(
      "a Snowflake key encrypted under a passphrase, the qTest token from a file: run, plan, validate",
      async ({ expect }) => {
        const cwd = workdir(
          spec({
            qtest: qtest.file,
            qtestAuth: `    token: \${file:${secretFile("qtest-token")}}`,
            snowflake: snowflake.encrypted,
            snowflakeAuth: keyPairAuth("rsa_key_encrypted.p8", "${env:SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}"),
            database: "SECRETS_ENCRYPTED",
            sinks: ["snowflake", "qtest"]
          }),
          true
        )
        const steps: ReadonlyArray<Step> = [
          { command: "run", mode: MODES[3]! },
          { command: "plan", mode: MODES[1]! },
          { command: "validate", mode: MODES[2]! }
        ]
        await runSteps("encrypted key", cwd, steps, () => succeeds)
      },
      300_000
    )

    it.concurrent(
      "a Snowflake OAuth token: run, verify",
      async ({ expect }) => {
        const cwd = workdir(spec({ sinks: ["snowflake"], snowflake: snowflake.oauth, snowflakeAuth: "    oauthToken: ${env:SNOWFLAKE_OAUTH_TOKEN}", database: "SECRETS_OAUTH" }), true)
        const steps: ReadonlyArray<Step> = [
          { command: "run", mode: MODES[2]! },
          { command: "verify", mode: MODES[0]! }
        ]
        await runSteps("oauth", cwd, steps, () => succeeds)
      },
      300_000
    )

    it.concurrent(
      "sandbox, with the spec's secrets exported: serves, and stops on Ctrl-C",
      async ({ expect }) => {
        const cwd = workdir(spec(), true)
        for (const mode of [MODES[0]!, MODES[3]!]) {
          const r = await cli(cwd, ["sandbox", "--port", "0", ...mode.args], {
            env: mode.env,
            onStarted: (child) => {
              let out = ""
              child.stdout?.on("data", (d: Buffer) => {
                out += d.toString()
                if (/serving until stopped|"event":"ready"/.test(out)) child.kill("SIGINT")
              })
            }
          })
          expect(r.stdout, r.stderr).toMatch(/serving until stopped|"event":"ready"/)
          expect(r.stdout).toMatch(/qtest http:\/\/127\.0\.0\.1|"plugin":"qtest"/)
          expect(show(leaksOf(`sandbox ${mode.name}`, cwd, r))).toEqual([])
        }
        // it served the state of the spec's directory, and saved the qTest project there on the way out
        expect(fs.existsSync(path.join(cwd, ".migrate/qtest-sandbox.json")) || fs.readdirSync(path.join(cwd, ".migrate")).some((f) => f.endsWith(".duckdb"))).toBe(true)
      },
      300_000
    )
  })

  // ---- failures -----------------------------------------------------------------------------------------------

  interface FailureCase {
    readonly name: string
    readonly spec: () => string
    readonly env?: Readonly<Record<string, string | undefined>>
    /** Without the extract-only state: the case fails before any extract (or its source is another URL). */
    readonly fresh?: boolean
    readonly asNobody?: boolean
    readonly outcome: Outcome
    /** Where a command ends otherwise than `run` (verify resolves only the sinks' secrets). */
    readonly outcomeOf?: Partial<Record<Command, Outcome>>
    /** Commands besides `run` (which runs in every mode); each takes the next mode in turn. */
    readonly also: ReadonlyArray<Command>
  }

  const failureTest = (c: FailureCase, turn: number) =>
    it.concurrent(
      c.name,
      async ({ expect }) => {
        const cwd = workdir(c.spec(), c.fresh !== true)
        const as = c.asNobody === true ? unprivileged() : {}
        // `status` reads the state only: it fails only when the spec does
        const outcome = (s: Step): Outcome => c.outcomeOf?.[s.command] ?? (s.command === "status" && c.outcome.code !== 2 ? succeeds : c.outcome)
        await runSteps(c.name, cwd, stepsOf(c.also, turn), outcome, { env: c.env ?? {}, ...as })
      },
      300_000
    )

  /** Cases in order, each taking the modes of its other commands where the one before left off. */
  const failureTests = (cases: ReadonlyArray<FailureCase>, start: number) => {
    let turn = start
    for (const c of cases) {
      failureTest(c, turn)
      turn += c.also.length
    }
  }

  const refused = (says: RegExp): Outcome => ({ code: 1, says: [says] })

  describe.concurrent("a system refuses, or does not answer: exit 1", () => {
    failureTests(
      [
        { name: "Zephyr: a wrong token (401)", spec: () => spec(), env: { ZEPHYR_TOKEN: S.zephyrWrongToken }, fresh: true, outcome: refused(/zephyr: .*401/), also: ["validate"] },
        { name: "Zephyr: unreachable", spec: () => spec({ zephyrUrl: `${closed}/v2` }), fresh: true, outcome: refused(/zephyr: cannot reach Zephyr/), also: ["plan"] },
        { name: "qTest: a wrong API token (401)", spec: () => spec(), env: { QTEST_TOKEN: S.qtestWrongToken }, outcome: refused(/qtest: .*401/), also: ["verify"] },
        { name: "qTest: a revoked (expired) API token (401)", spec: () => spec({ qtest: qtest.revoked }), env: { QTEST_TOKEN: S.qtestRevokedToken }, outcome: refused(/qtest: .*Invalid or expired access token/), also: ["validate"] },
        { name: "qTest: the login refused (wrong password)", spec: () => spec({ qtestAuth: qtestLogin() }), env: { QTEST_PASSWORD: S.qtestWrongPassword }, outcome: refused(/qTest refused the login of user/), also: ["plan"] },
        { name: "Snowflake: a wrong password", spec: () => spec({ sinks: ["snowflake", "qtest"] }), env: { SNOWFLAKE_PASSWORD: S.snowflakeWrongPassword }, outcome: refused(/snowflake: Incorrect username or password.*390100/), also: ["verify"] },
        { name: "Snowflake: an unknown warehouse", spec: () => spec({ sinks: ["snowflake", "qtest"], warehouse: "NO_SUCH_WH" }), outcome: refused(/warehouse does not exist.*390201/), also: ["validate"] },
        {
          name: "Snowflake: a private key whose public key is not registered",
          spec: () => spec({ sinks: ["snowflake", "qtest"], snowflakeAuth: "    privateKey: ${env:SNOWFLAKE_PRIVATE_KEY}" }),
          env: { SNOWFLAKE_PRIVATE_KEY: S.unregisteredKey.privateKeyPem },
          outcome: refused(/JWT token is invalid.*390144/),
          also: ["plan"]
        },
        {
          name: "Snowflake: an encrypted private key with a wrong passphrase",
          spec: () => spec({ sinks: ["snowflake", "qtest"], snowflakeAuth: keyPairAuth("rsa_key_encrypted.p8", "${env:SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}") }),
          env: { SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: S.wrongPassphrase },
          outcome: refused(/snowflake: the private key could not be decrypted .*privateKeyPassphrase is wrong/),
          also: ["validate"]
        },
        {
          name: "Snowflake: an encrypted private key without its passphrase",
          spec: () => spec({ sinks: ["snowflake", "qtest"], snowflakeAuth: keyPairAuth("rsa_key_encrypted.p8") }),
          outcome: refused(/snowflake: the private key could not be decrypted .*privateKeyPassphrase is wrong, or missing/),
          also: ["verify"]
        },
        {
          name: "Snowflake: a wrong OAuth token",
          spec: () => spec({ sinks: ["snowflake", "qtest"], snowflakeAuth: "    oauthToken: ${env:SNOWFLAKE_OAUTH_TOKEN}" }),
          env: { SNOWFLAKE_OAUTH_TOKEN: S.snowflakeWrongOauthToken },
          outcome: refused(/Invalid OAuth access token.*390303/),
          also: ["validate"]
        },
        // the driver words a refused connection either way (a loaded machine lets its login retry time out first);
        // what matters is that the message says Snowflake could not be reached and what to check
        { name: "Snowflake: unreachable", spec: () => spec({ sinks: ["snowflake", "qtest"], accessUrl: closed }), outcome: { code: 1, says: [/snowflake: (connect ECONNREFUSED|Request to Snowflake failed)/, /Snowflake could not be reached: check account \(or accessUrl\)/] }, also: ["plan"] }
      ],
      0
    )
  })

  const invalid = (...says: ReadonlyArray<RegExp>): Outcome => ({ code: 2, says })

  describe.concurrent("the spec or a secret is wrong: exit 2, before any system is asked", () => {
    failureTests(
      [
        {
          name: "every secret written in the spec, a key pasted in, one under a misspelled key: refused, none echoed",
          spec: () =>
            spec({
              zephyrToken: S.zephyrToken,
              sourceExtra: `  tokn: ${S.zephyrWrongToken}\n`,
              qtestAuth: `    token: ${S.qtestToken}\n${qtestLogin(S.qtestPassword)}`,
              snowflakeAuth: `    password: ${S.snowflakePassword}\n    privateKey: ${pemBlock(S.registeredKey.encryptedPem)}\n    privateKeyPassphrase: ${S.registeredKey.passphrase}\n    oauthToken: ${S.snowflakeOauthToken}`
            }),
          fresh: true,
          outcome: invalid(/\/source\/token {2}secrets must not be written in the spec/, /\/sinks\/0\/password {2}secrets must not be written/, /\/sinks\/1\/privateKeyPassphrase {2}secrets must not be written/, /unknown key "tokn"/),
          also: ["validate", "status"]
        },
        {
          name: "a secret on a line YAML cannot parse",
          spec: () => spec({ zephyrToken: `"${S.zephyrToken}` }),
          fresh: true,
          outcome: invalid(/migration\.config\.yaml:\d+:\d+ {2}Missing closing "quote/),
          also: ["status"]
        },
        {
          name: "a password in a URL (user:password@host) of each system",
          spec: () =>
            spec({
              zephyrUrl: zephyr.baseUrl.replace("://", `://migration-bot:${S.urlPassword}@`),
              qtestUrl: qtest.failures.baseUrl.replace("://", `://${SANDBOX_USER.replace("@", "%40")}:${S.urlPassword}@`),
              accessUrl: snowflake.failures.accessUrl.replace("://", `://LOADER:${S.urlPassword}@`)
            }),
          fresh: true,
          outcome: invalid(/\/source\/baseUrl {2}.*user or password/, /\/sinks\/0\/baseUrl {2}.*user or password/, /\/sinks\/1\/accessUrl {2}.*user or password/),
          also: ["validate"]
        },
        {
          name: "variables unset or empty, the others exported",
          spec: () => spec({ qtestAuth: qtestLogin(), snowflakeAuth: keyPairAuth("rsa_key_encrypted.p8", "${env:SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}") }),
          env: { ZEPHYR_TOKEN: undefined, QTEST_PASSWORD: "", SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: undefined },
          outcome: invalid(/environment variable ZEPHYR_TOKEN is not set/, /environment variable QTEST_PASSWORD is empty/, /environment variable SNOWFLAKE_PRIVATE_KEY_PASSPHRASE is not set/),
          // verify asks no source: the source's token is not needed, the sinks' are; status reads the state only
          outcomeOf: { verify: invalid(/environment variable QTEST_PASSWORD is empty/, /environment variable SNOWFLAKE_PRIVATE_KEY_PASSPHRASE is not set/), status: succeeds },
          also: ["validate", "plan", "verify", "status"]
        },
        {
          name: "secret files that cannot be read: no permission, a directory, missing",
          spec: () =>
            spec({
              zephyrToken: `\${file:${secretFile("unreadable-token")}}`,
              qtestAuth: `    token: \${file:${secretFile("a-directory")}}`,
              snowflakeAuth: `    password: \${file:${secretFile("no-such-file")}}`
            }),
          fresh: true,
          asNobody: true,
          outcome: invalid(/secret file \S+unreadable-token \(EACCES.* make it readable/, /secret file \S+a-directory \(EISDIR.* name the file/, /secret file \S+no-such-file \(ENOENT.* create it/),
          also: ["validate"]
        },
        {
          name: "empty secret files",
          spec: () => spec({ zephyrToken: `\${file:${secretFile("empty-secret")}}`, snowflakeAuth: `    password: \${file:${secretFile("empty-secret")}}` }),
          fresh: true,
          outcome: invalid(/\/source\/token {2}secret file \S+empty-secret is empty/, /\/sinks\/1\/password {2}secret file \S+empty-secret is empty/),
          also: ["plan"]
        },
        {
          name: "a file given as the private key that holds a token, not a key",
          spec: () => spec({ sinks: ["snowflake", "qtest"], snowflakeAuth: keyPairAuth("not-a-key.p8") }),
          outcome: invalid(/privateKey is not a PEM private key/),
          also: ["validate"]
        }
      ],
      2
    )
  })

  // ---- what the sandboxes keep --------------------------------------------------------------------------------

  describe("afterwards", () => {
    it("the sandboxes' saved state holds no secret — nor the session tokens a qTest login hands out", async () => {
      // a login's tokens, used for a write that is saved: they must stay in memory
      const login = await fetch(`${qtest.login.baseUrl}/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${SITE}:`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: SANDBOX_USER, password: S.qtestPassword }).toString()
      })
      expect(login.status).toBe(200)
      const session = (await login.json()) as { access_token: string; refresh_token: string }
      const created = await fetch(`${qtest.login.baseUrl}/api/v3/projects/${qtest.login.projectId}/modules`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "written with a session token" })
      })
      expect(created.status).toBe(201)
      // stopping the sandboxes saves what is pending and closes DuckDB (its WAL checkpointed into the files)
      await Effect.runPromise(Scope.close(scope, Exit.void))
      const issued = secretScanner([
        { name: "qTest session access_token", value: session.access_token },
        { name: "qTest session refresh_token", value: session.refresh_token }
      ])
      const saved = scanner.scanPaths([sandboxDir])
      const files = saved.files.map((f) => path.relative(sandboxDir, f))
      expect(files).toEqual(expect.arrayContaining(["qtest-env.json", "qtest-login.json", "qtest-file.json", "snowflake-env.SECRETS_ENV.duckdb", "snowflake-oauth.SECRETS_OAUTH.duckdb"]))
      expect(fs.readFileSync(path.join(sandboxDir, "qtest-login.json"), "utf8")).toContain("written with a session token")
      expect([...show(saved.leaks), ...show(issued.scanPaths([sandboxDir]).leaks)]).toEqual([])
    })
  })
})
