/**
 * loadSpec against the fixture specs in test/fixtures/specs: defaults, line-accurate problems (all at once),
 * secrets resolved into Redacted and never printed, sandbox tolerance, plugin lookup.
 */
import { existsSync, readFileSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { inspect } from "node:util"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import { PluginError, SpecError } from "../../../core/errors.ts"
import type { LoadSpecOptions } from "../../../core/spec/loadSpec.ts"
import { loadSpec } from "../../../core/spec/loadSpec.ts"
import { SpecDefaults } from "../../../core/spec/SpecDefaults.ts"
import { fixturePlugins } from "./fixturePlugins.ts"

const fixtures = fileURLToPath(new URL("../../fixtures/specs/", import.meta.url))
const fixture = (name: string) => path.join(fixtures, name)
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url))

const zephyrToken = "zt-env-secret-1a2b3c4d"
const qtestToken = "qt-env-secret-5e6f7a8b"
const env = { ZEPHYR_TOKEN: zephyrToken, QTEST_TOKEN: qtestToken, SNOWFLAKE_PASSWORD: "sf-env-secret-9c0d" }

const load = (file: string, options: Partial<LoadSpecOptions> = {}) =>
  loadSpec({ file, env, resolvePlugin: fixturePlugins, ...options })

/** The SpecError of a load that must fail. */
const failure = (file: string, options: Partial<LoadSpecOptions> = {}) =>
  Effect.flip(load(file, options)).pipe(Effect.tap((error) => expect(error).toBeInstanceOf(SpecError)))

/** A temporary spec file (with optional neighbours), removed when the test ends. */
const withSpec = <A, E>(text: string, use: (file: string, dir: string) => Effect.Effect<A, E>, extra: Record<string, string> = {}) =>
  Effect.acquireUseRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "migrate-spec-"))
      await writeFile(path.join(dir, "migration.config.yaml"), text)
      for (const [name, content] of Object.entries(extra)) await writeFile(path.join(dir, name), content)
      return dir
    }),
    (dir) => use(path.join(dir, "migration.config.yaml"), dir),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

describe("loadSpec", () => {
  it.effect("loads a valid spec with every default applied", () =>
    Effect.gen(function* () {
      const loaded = yield* load(fixture("minimal.yaml"))
      expect(loaded.file).toBe(fixture("minimal.yaml"))
      expect(loaded.source.type).toBe("zephyr")
      expect(Object.keys(loaded.source.config).sort()).toEqual(["baseUrl", "projectKey", "token"])
      expect(loaded.source.config["projectKey"]).toBe("PROJ")
      const token = loaded.source.config["token"]
      expect(Redacted.isRedacted(token) && Redacted.value(token as Redacted.Redacted<string>)).toBe(zephyrToken)
      expect(loaded.transforms).toEqual([])
      expect(loaded.sinks).toEqual([])
      expect(loaded.statePath).toBe(path.join(fixtures, ".migrate/state.db"))
      expect(loaded.runtime).toEqual({
        concurrency: 4,
        projects: 1,
        requestTimeoutMs: 30000,
        retry: { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60000 },
        rateLimits: {},
        budget: {}
      })
      // The raw spec keeps the reference as written.
      expect(loaded.spec.source["token"]).toBe("${env:ZEPHYR_TOKEN}")
    }))

  it.effect("resolves sinks, ${file:…} secrets, a relative state path and partial runtime settings", () =>
    Effect.gen(function* () {
      const loaded = yield* load(fixture("full.yaml"))
      expect(Redacted.value(loaded.source.config["token"] as Redacted.Redacted<string>)).toBe("file-token-value-3c1d")
      expect(loaded.sinks).toHaveLength(1)
      const [qtest] = loaded.sinks
      expect(qtest?.type).toBe("qtest")
      expect(Redacted.value(qtest?.config["token"] as Redacted.Redacted<string>)).toBe(qtestToken)
      expect(qtest?.config["maps"]).toEqual({ executionStatus: { Pass: "Passed", default: "Unexecuted" } })
      expect(loaded.statePath).toBe(path.resolve(fixtures, "../state/run.db"))
      expect(loaded.runtime.concurrency).toBe(8)
      expect(loaded.runtime.retry).toEqual({ maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 60000 })
      expect(loaded.runtime.rateLimits).toEqual({ zephyr: "10/s", qtest: "600/min" })
    }))

  it.effect("never shows a resolved secret when the loaded spec is printed", () =>
    Effect.gen(function* () {
      const loaded = yield* load(fixture("full.yaml"))
      const printed = [
        JSON.stringify(loaded),
        String(loaded),
        String(loaded.source.config["token"]),
        `${String(loaded.sinks[0]?.config["token"])}`,
        inspect(loaded, { depth: null })
      ].join("\n")
      expect(printed).toContain("<redacted>")
      for (const secret of [zephyrToken, qtestToken, "file-token-value-3c1d"]) expect(printed).not.toContain(secret)
    }))

  it.effect("reports a missing spec file with how to create one", () =>
    Effect.gen(function* () {
      const error = yield* failure(fixture("nope.yaml"))
      expect(error.reason).toBe("File")
      expect(error.message).toContain("nope.yaml")
      expect(error.message).toContain("cp ")
      expect(error.message).toContain(path.join(repoRoot, "migration.config.yaml"))
    }))

  it.effect("reports an empty spec at 1:1", () =>
    Effect.gen(function* () {
      const error = yield* failure(fixture("empty.yaml"))
      expect(error.reason).toBe("Schema")
      expect(error.problems).toEqual([expect.stringMatching(/empty\.yaml:1:1 {2}\/ {2}the spec is empty/)])
    }))

  it.effect("reports malformed YAML at file:line:col", () =>
    Effect.gen(function* () {
      const file = fixture("malformed.yaml")
      const error = yield* failure(file)
      expect(error.reason).toBe("Yaml")
      expect(error.file).toBe(file)
      expect(error.problems.length).toBeGreaterThan(0)
      expect(error.problems[0]).toMatch(new RegExp(`^${escape(file)}:4:12 {2}\\S`))
      // One line per problem: prettyErrors' excerpt is dropped, the position is in the prefix.
      for (const problem of error.problems) expect(problem).not.toContain("\n")
    }))

  it.effect("reports unknown keys, top level and inside a plugin section, with line and suggestion", () =>
    Effect.gen(function* () {
      const file = fixture("unknown-keys.yaml")
      const error = yield* failure(file)
      expect(error.reason).toBe("Schema")
      expect(error.problems).toContain(`${file}:7:1  /sinkz  unknown key "sinkz" (did you mean "sinks"?)`)
      expect(error.problems).toContain(`${file}:5:3  /source/projectKy  unknown key "projectKy" (did you mean "projectKey"?)`)
      expect(error.problems).toContainEqual(expect.stringMatching(/:2:1 {2}\/source {2}missing required key "projectKey" — add it/))
      // Sorted by position.
      expect(error.problems.map((p) => Number(p.slice(file.length + 1).split(":")[0]))).toEqual([2, 5, 7])
    }))

  it.effect("reports every problem at once, each at its own line", () =>
    Effect.gen(function* () {
      const file = fixture("many-errors.yaml")
      const error = yield* failure(file)
      expect(error.problems).toEqual([
        `${file}:1:10  /version  must be 1`,
        `${file}:4:12  /source/baseUrl  is not a valid URL — write an absolute URL like https://example.com`,
        `${file}:7:13  /source/pageSize  expected an integer, got a string — write it without quotes`,
        `${file}:10:3  /state/dir  unknown key "dir" — remove it; allowed keys: path`,
        `${file}:12:16  /runtime/concurrency  must be between 1 and 64`,
        `${file}:14:18  /runtime/retry/maxAttempts  must be between 1 and 20`,
        `${file}:16:13  /runtime/rateLimits/zephyr  has the wrong form — write it like 10/s, 600/min, 3600/h`
      ])
    }))

  it.effect("names an unset environment variable and its line, and tolerates it in sandbox mode", () =>
    Effect.gen(function* () {
      const file = fixture("minimal.yaml")
      const error = yield* failure(file, { env: {} })
      expect(error.reason).toBe("Env")
      expect(error.problems).toEqual([
        `${file}:6:10  /source/token  environment variable ZEPHYR_TOKEN is not set — export it, or use run --sandbox`
      ])

      const sandboxed = yield* load(file, { env: {}, sandbox: true })
      expect(Redacted.value(sandboxed.source.config["token"] as Redacted.Redacted<string>)).toBe("")
      // A rehearsal keeps its own state file beside the configured one.
      expect(sandboxed.statePath).toBe(path.join(fixtures, ".migrate/sandbox.db"))
    }))

  it.effect("treats an empty variable as unset", () =>
    Effect.gen(function* () {
      const error = yield* failure(fixture("minimal.yaml"), { env: { ZEPHYR_TOKEN: "" } })
      expect(error.message).toContain("environment variable ZEPHYR_TOKEN is empty")
    }))

  it.effect("reports a missing ${file:…} secret, tolerated in sandbox mode", () =>
    withSpec(
      minimalWith("token: ${file:missing-token.txt}"),
      (file) =>
        Effect.gen(function* () {
          const error = yield* failure(file)
          expect(error.reason).toBe("File")
          expect(error.problems).toEqual([expect.stringMatching(/:6:10 {2}\/source\/token {2}cannot read secret file missing-token\.txt \(ENOENT/)])
          const sandboxed = yield* load(file, { sandbox: true })
          expect(Redacted.value(sandboxed.source.config["token"] as Redacted.Redacted<string>)).toBe("")
        })
    ))

  it.effect("reports an empty ${file:…} secret as the empty variable it stands for, tolerated in sandbox mode", () =>
    withSpec(
      minimalWith("token: ${file:token.txt}"),
      (file) =>
        Effect.gen(function* () {
          const error = yield* failure(file)
          expect(error.reason).toBe("File")
          expect(error.problems).toEqual([expect.stringMatching(/:6:10 {2}\/source\/token {2}secret file token\.txt is empty \(looked at .+token\.txt\) — write the secret into it/)])
          const sandboxed = yield* load(file, { sandbox: true })
          expect(Redacted.value(sandboxed.source.config["token"] as Redacted.Redacted<string>)).toBe("")
        }),
      { "token.txt": " \n" }
    ))

  it.effect("rejects a literal secret without repeating it", () =>
    Effect.gen(function* () {
      const file = fixture("literal-secret.yaml")
      const error = yield* failure(file)
      expect(error.reason).toBe("Schema")
      expect(error.problems).toEqual([
        `${file}:6:10  /source/token  secrets must not be written in the spec — use \${env:NAME} (or \${file:PATH}) and keep the value outside`
      ])
      expect(error.message).not.toContain("zt-literal-secret-9f8e7d")
    }))

  it.effect("rejects a URL that carries a user or password, without repeating it", () =>
    withSpec(
      `version: 1\nsource:\n  type: zephyr\n  baseUrl: https://bot:zt-url-secret-31c2@api.zephyrscale.smartbear.com/v2\n  projectKey: PROJ\n  token: \${env:ZEPHYR_TOKEN}\nsinks:\n  - type: qtest\n    baseUrl: https://qt-url-user-7a@acme.qtestnet.com\n    projectId: 1\n    token: \${env:QTEST_TOKEN}\n`,
      (file) =>
        Effect.gen(function* () {
          const error = yield* failure(file)
          expect(error.problems).toEqual([
            expect.stringMatching(/:4:12 {2}\/source\/baseUrl {2}a URL must not carry a user or password \(user:password@host\)/),
            expect.stringMatching(/:9:14 {2}\/sinks\/0\/baseUrl {2}a URL must not carry a user or password/)
          ])
          expect(inspect(error, { depth: null })).not.toMatch(/zt-url-secret-31c2|qt-url-user-7a/)
        })
    ))

  it.effect("never puts a resolved secret into an error", () =>
    withSpec(
      `${minimalWith("token: ${env:ZEPHYR_TOKEN}")}  pageSize: \${env:ZEPHYR_TOKEN}\n  extra: \${file:token.txt}\nsinks:\n  - type: qtest\n    baseUrl: https://q.example.com\n    projectId: nope\n    token: \${env:QTEST_TOKEN}\n`,
      (file) =>
        Effect.gen(function* () {
          const error = yield* failure(file)
          const everything = [error.message, JSON.stringify(error), String(error), inspect(error, { depth: null })].join("\n")
          expect(error.problems.length).toBeGreaterThanOrEqual(3)
          for (const secret of [zephyrToken, qtestToken, "from-a-file-77"]) expect(everything).not.toContain(secret)
        }),
      { "token.txt": "from-a-file-77\n" }
    ))

  it.effect("rejects references embedded in text and references outside plugin sections", () =>
    withSpec(
      `${minimalWith("token: Bearer ${env:ZEPHYR_TOKEN}")}state:\n  path: \${env:STATE_PATH}\n`,
      (file) =>
        Effect.gen(function* () {
          const error = yield* failure(file)
          expect(error.problems).toEqual([
            expect.stringMatching(/:6:10 {2}\/source\/token {2}a \$\{env:…\} or \$\{file:…\} reference must be the whole value/),
            expect.stringMatching(/:8:9 {2}\/state\/path {2}\$\{env:…\} and \$\{file:…\} are resolved only in source, transforms and sinks/)
          ])
        })
    ))

  it.effect("lists the known plugins for an unknown type", () =>
    Effect.gen(function* () {
      const file = fixture("unknown-type.yaml")
      const error = yield* failure(file)
      expect(error.reason).toBe("Plugin")
      expect(error.problems).toEqual([
        `${file}:3:9  /source/type  unknown source type "zephyr-server" — known source types: zephyr; others can be loaded under plugins:`,
        `${file}:6:11  /sinks/0/type  unknown sink type "snowflak" (did you mean "snowflake"?) — known sink types: qtest, snowflake; others can be loaded under plugins:`
      ])
    }))

  it.effect("passes the spec's plugins to the resolver and reports its failure at the plugins entry", () =>
    withSpec(
      `${minimalWith("token: ${env:ZEPHYR_TOKEN}")}plugins:\n  - ./testrail.ts\n`,
      (file, dir) =>
        Effect.gen(function* () {
          const seen: Array<unknown> = []
          const error = yield* failure(file, {
            resolvePlugin: (kind, type, origins) => {
              seen.push({ kind, type, origins })
              return Effect.fail(new PluginError({ plugin: "./testrail.ts", reason: "Load", message: "cannot load ./testrail.ts: ENOENT" }))
            }
          })
          expect(seen).toEqual([{ kind: "source", type: "zephyr", origins: { plugins: ["./testrail.ts"], specDir: dir } }])
          expect(error.reason).toBe("Plugin")
          expect(error.problems).toEqual([expect.stringMatching(/:8:5 {2}\/plugins\/0 {2}cannot load \.\/testrail\.ts: ENOENT/)])
        })
    ))

  it.effect("catches a rate limit for a system the spec does not use", () =>
    withSpec(
      `${minimalWith("token: ${env:ZEPHYR_TOKEN}")}runtime:\n  rateLimits:\n    zephyrr: 10/s\n    zephyr: 0/s\n  retry: { baseDelayMs: 1000, maxDelayMs: 10 }\n`,
      (file) =>
        Effect.gen(function* () {
          const error = yield* failure(file)
          expect(error.problems).toEqual([
            expect.stringMatching(/:9:5 {2}\/runtime\/rateLimits\/zephyrr {2}no section of this spec uses a system "zephyrr" \(did you mean "zephyr"\?\)/),
            expect.stringMatching(/:10:13 {2}\/runtime\/rateLimits\/zephyr {2}must allow more than 0 requests/),
            expect.stringMatching(/:11:43 {2}\/runtime\/retry\/maxDelayMs {2}must be at least baseDelayMs \(1000\)/)
          ])
        })
    ))

  // The example is checked against the plugins' real schemas (the fixtures' are deliberately smaller).
  const realSchema = (plugin: string) => JSON.parse(readFileSync(path.join(repoRoot, `plugins/${plugin}/config.schema.json`), "utf8")) as Record<string, unknown>
  const realPlugins: LoadSpecOptions["resolvePlugin"] = (kind, type) =>
    Effect.succeed(
      kind === "source" && type === "zephyr"
        ? { _tag: "Found", configSchema: realSchema("zephyr") }
        : kind === "sink" && (type === "qtest" || type === "snowflake")
          ? { _tag: "Found", configSchema: realSchema(type) }
          : { _tag: "Unknown", known: ["zephyr", "qtest", "snowflake"] }
    )

  it.effect("loads the repository's annotated migration.config.yaml", () =>
    Effect.gen(function* () {
      const loaded = yield* load(path.join(repoRoot, "migration.config.yaml"), { resolvePlugin: realPlugins })
      expect(loaded.source.type).toBe("zephyr")
      expect(loaded.sinks.map((s) => s.type)).toEqual(["qtest", "snowflake"])
      expect(loaded.sinks[0]?.config["projectId"]).toBe(12345)
      expect(loaded.runtime.rateLimits).toEqual({}) // neither vendor publishes a fixed quota: the example leaves them commented out
      expect(loaded.runtime).toMatchObject({ concurrency: SpecDefaults.concurrency, retry: SpecDefaults.retry })
      expect(loaded.statePath).toBe(path.join(repoRoot, ".migrate/state.db"))
    }))

  it.effect("the example's sections carry the plugins' settings", () =>
    Effect.gen(function* () {
      const loaded = yield* load(path.join(repoRoot, "migration.config.yaml"), { resolvePlugin: realPlugins })
      expect(loaded.source.config["projectKey"]).toBe("PROJ")
      expect(loaded.sinks[0]?.config["createMissingFields"]).toBe(true)
      expect(loaded.sinks[1]?.config).toMatchObject({ account: "acme-analytics", warehouse: "LOAD_WH", database: "QA_HISTORY", schema: "ZEPHYR" })
      expect(Redacted.isRedacted(loaded.sinks[1]?.config["password"])).toBe(true)
    }))

  it.effect("fails with Either, never a defect, for every fixture", () =>
    Effect.forEach(["malformed.yaml", "unknown-keys.yaml", "many-errors.yaml", "literal-secret.yaml", "unknown-type.yaml", "empty.yaml"], (name) =>
      Effect.map(Effect.either(load(fixture(name))), (result) => expect(Either.isLeft(result)).toBe(true))
    ))
})

const minimalWith = (tokenLine: string) =>
  `version: 1\nsource:\n  type: zephyr\n  baseUrl: https://api.zephyrscale.smartbear.com/v2\n  projectKey: PROJ\n  ${tokenLine}\n`

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
