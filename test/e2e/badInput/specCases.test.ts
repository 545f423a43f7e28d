/**
 * The bad-input catalogue, specs: each case is a spec (or a path, or a command) a user could get wrong, run through
 * the real CLI (bin/migrate.js in a child process). Every case must end with its exit code (2 for an invalid spec
 * or command line, found before any system is contacted), one line per problem naming `file:line:col`, the field
 * and the fix — no stack trace, no secret — and nothing else. A few cases are commands that must work although
 * secrets are missing (status reads only the store; verify never reads the source).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { runCliProcess, tempDir, type CliResult } from "../cli.ts"
import { expectCleanFailure } from "./expectCleanFailure.ts"
import { limit } from "./limit.ts"
import { positionOf } from "./positionOf.ts"
import { specProblemLines } from "./specProblemLines.ts"

const SECRETS = { ZEPHYR_TOKEN: "zephyr-SECRET-5e1a", QTEST_TOKEN: "qtest-SECRET-77c2", SNOWFLAKE_PASSWORD: "snowflake-SECRET-90d4" }
const SPEC = "migration.config.yaml"

/** A valid spec (no system is contacted: every case fails before, or is a command that reads no system). */
const BASE = `version: 1
source:
  type: zephyr
  baseUrl: https://api.zephyrscale.smartbear.com/v2
  projectKey: DEMO
  token: \${env:ZEPHYR_TOKEN}
sinks:
  - type: qtest
    baseUrl: https://acme.qtestnet.com
    projectId: 7
    token: \${env:QTEST_TOKEN}
`

/** BASE with one piece of text replaced (which must be there). */
const edit = (from: string, to: string, text = BASE): string => {
  if (!text.includes(from)) throw new Error(`"${from}" is not in the spec`)
  return text.replace(from, to)
}

interface Problem {
  /** Where: the first occurrence of this text in the spec, or a literal `line:col`; absent for a file-level problem. */
  readonly at?: string
  /** The JSON pointer printed after the position, when the problem has one. */
  readonly path?: string
  /** What the line must say (the cause and the fix). */
  readonly says: ReadonlyArray<string>
}

interface SpecCase {
  readonly name: string
  /** The spec file's content (written as `migration.config.yaml`); absent: no spec file. */
  readonly spec?: string | Uint8Array
  /** Other files of the working directory (content, or null for a directory). */
  readonly files?: Readonly<Record<string, string | null>>
  /** The command line (default `validate`). */
  readonly args?: ReadonlyArray<string>
  /** Over the three secrets (undefined unsets one). */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly code: number
  /** Every problem, in the order printed; the file they are reported against is `file` (default the spec). */
  readonly problems?: ReadonlyArray<Problem>
  readonly file?: string
  /** For cases that are not spec errors: what the output must say. */
  readonly output?: ReadonlyArray<string>
}

const cases: ReadonlyArray<SpecCase> = [
  // ---- YAML syntax -------------------------------------------------------------------------------------------
  {
    name: "an unclosed flow sequence",
    spec: edit("projectKey: DEMO", "projectKey: [DEMO"),
    code: 2,
    problems: [{ at: "[DEMO", says: ["the [ opened here is never closed — end it with ] on the same line"] }]
  },
  {
    name: "a tab used for indentation",
    spec: edit("  type: zephyr", "\ttype: zephyr"),
    code: 2,
    problems: [{ at: "3:1", says: ["Tabs are not allowed as indentation — indent with spaces"] }]
  },
  {
    name: "an unclosed double quote",
    spec: edit("projectKey: DEMO", 'projectKey: "DEMO'),
    code: 2,
    problems: [{ at: '"DEMO', says: ["Missing closing \"quote — the string opened here never ends; close it on the same line"] }]
  },
  {
    name: "a duplicate key",
    spec: `${BASE}version: 1\n`,
    code: 2,
    problems: [{ at: "12:1", says: ['duplicate key "version" — a key may appear once per map: remove one, or merge their values'] }]
  },
  {
    name: "an unquoted ${env:…} inside a { } flow map (was ~20 tokenizer errors)",
    spec: edit(
      "  - type: qtest\n    baseUrl: https://acme.qtestnet.com\n    projectId: 7\n    token: ${env:QTEST_TOKEN}\n",
      "  - { type: qtest, baseUrl: https://acme.qtestnet.com, projectId: 7, token: ${env:QTEST_TOKEN} }\n"
    ),
    code: 2,
    problems: [
      {
        at: "${env:QTEST_TOKEN}",
        path: "/sinks/0/token",
        says: ['${env:QTEST_TOKEN} is not quoted inside { }, where YAML reads its braces as a map — quote it: token: "${env:QTEST_TOKEN}"']
      }
    ]
  },
  {
    name: "the brief's one-liner: sinks: [{ type: qtest, token: ${env:QTEST_TOKEN} }], and a ${file:…} in a flow map",
    spec: `version: 1\nsource: { type: zephyr, projectKey: DEMO, token: \${file:secrets/zephyr.token} }\nsinks: [{ type: qtest, token: \${env:QTEST_TOKEN} }]\n`,
    code: 2,
    problems: [
      { at: "${file:", path: "/source/token", says: ['quote it: token: "${file:secrets/zephyr.token}"'] },
      { at: "${env:", path: "/sinks/0/token", says: ['quote it: token: "${env:QTEST_TOKEN}"'] }
    ]
  },
  {
    name: "two YAML documents",
    spec: `${BASE}---\nversion: 1\n`,
    code: 2,
    problems: [{ at: "12:1", says: ["the file holds more than one YAML document", "remove the --- and what follows"] }]
  },
  {
    name: "an alias bomb (billion laughs)",
    spec: `${BASE}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
    code: 2,
    problems: [{ at: "1:1", says: ["Excessive alias count", "write the values out, or use fewer aliases"] }]
  },

  // ---- the file itself ---------------------------------------------------------------------------------------
  { name: "an empty file", spec: "", code: 2, problems: [{ at: "1:1", path: "/", says: ["the spec is empty — start from the annotated example: cp "] }] },
  {
    name: "a file in Latin-1, not UTF-8",
    spec: Uint8Array.from([...Buffer.from("version: 1\nsource:\n  type: z"), 0xe9, ...Buffer.from("phyr\n")]),
    code: 2,
    problems: [{ says: ["is not UTF-8 text (invalid byte 0xe9 on line 3) — save it as UTF-8"] }]
  },
  {
    name: "a huge file (5 MiB)",
    spec: `${BASE}# ${"x".repeat(5 * 1024 * 1024)}\n`,
    code: 2,
    problems: [{ says: ["is 5.0 MiB, but a spec is a few kilobytes of YAML (at most 4 MiB) — is -c pointing at the right file?"] }]
  },
  {
    name: "a directory given as the spec (-c somedir)",
    files: { somedir: null },
    args: ["validate", "-c", "somedir"],
    file: "somedir",
    code: 2,
    problems: [{ says: ["is a directory — pass the spec file itself with -c FILE"] }]
  },
  {
    name: "a spec file that does not exist (-c)",
    args: ["run", "-c", "nope.yaml"],
    file: "nope.yaml",
    code: 2,
    problems: [{ says: ["no spec file here — create one by copying the annotated example: cp ", "(or pass another with -c FILE)"] }]
  },
  {
    name: "no spec file in the directory",
    args: ["plan"],
    code: 2,
    problems: [{ says: ["no spec file here — create one by copying the annotated example"] }]
  },

  // ---- wrong types -------------------------------------------------------------------------------------------
  {
    name: "a word where a number belongs",
    spec: `${BASE}runtime:\n  concurrency: four\n`,
    code: 2,
    problems: [{ at: "four", path: "/runtime/concurrency", says: ["expected an integer, got a string — write a whole number from 1 to 64"] }]
  },
  {
    name: "a quoted number",
    spec: edit("version: 1", 'version: "1"'),
    code: 2,
    problems: [{ at: '"1"', path: "/version", says: ["must be 1 — write it without quotes"] }]
  },
  {
    name: "a map where a list belongs",
    spec: edit("  - type: qtest\n    baseUrl", "  type: qtest\n  baseUrl").replace("    projectId: 7\n    token", "  projectId: 7\n  token"),
    code: 2,
    problems: [{ at: "type: qtest", path: "/sinks", says: ["expected a list, got a map — write it as a list: one item per line, each starting with '- '"] }]
  },
  {
    name: "a list as the whole spec",
    spec: "- version: 1\n- source: zephyr\n",
    code: 2,
    problems: [{ at: "1:1", path: "/", says: ["expected a map, got a list — write key: value lines, not '- ' items"] }]
  },
  {
    name: "a project key in lower case",
    spec: edit("projectKey: DEMO", "projectKey: demo"),
    code: 2,
    problems: [{ at: "demo", path: "/source/projectKey", says: ["has the wrong form — write it like PROJ"] }]
  },

  // ---- unknown and missing keys --------------------------------------------------------------------------------
  {
    name: "a misspelt top-level key",
    spec: `${BASE}runtim:\n  concurrency: 2\n`,
    code: 2,
    problems: [{ at: "runtim:", path: "/runtim", says: ['unknown key "runtim" (did you mean "runtime"?)'] }]
  },
  {
    name: "a misspelt key of a sink",
    spec: `${BASE}    createMissingField: true\n`,
    code: 2,
    problems: [{ at: "createMissingField", path: "/sinks/0/createMissingField", says: ['unknown key "createMissingField" (did you mean "createMissingFields"?)'] }]
  },
  {
    name: "a key no plugin has",
    spec: `${BASE}    colour: blue\n`,
    code: 2,
    problems: [{ at: "colour", path: "/sinks/0/colour", says: ['unknown key "colour" — remove it; allowed keys: baseUrl, projectId, token'] }]
  },
  {
    name: "a required key missing",
    spec: edit("  projectKey: DEMO\n", ""),
    code: 2,
    problems: [{ at: "source:", path: "/source", says: ['missing required key "projectKey" — add it: The Jira project key'] }]
  },

  // ---- secrets ------------------------------------------------------------------------------------------------
  {
    name: "Zephyr DC without its base URL (DC has no default: it runs inside your Jira)",
    spec: edit("  baseUrl: https://api.zephyrscale.smartbear.com/v2\n", "  edition: dc\n"),
    code: 2,
    problems: [{ at: "source:", path: "/source", says: ['missing required key "baseUrl" — add it: Zephyr DC runs inside your Jira, so edition: dc needs your Jira\'s API, https://<your jira>/rest/atm/1.0.'] }]
  },
  {
    name: "an environment variable that is not set",
    spec: BASE,
    env: { QTEST_TOKEN: undefined },
    code: 2,
    problems: [{ at: "${env:QTEST_TOKEN}", path: "/sinks/0/token", says: ["environment variable QTEST_TOKEN is not set — export it, or use run --sandbox"] }]
  },
  {
    name: "an environment variable that is empty",
    spec: BASE,
    env: { ZEPHYR_TOKEN: "" },
    code: 2,
    problems: [{ at: "${env:ZEPHYR_TOKEN}", path: "/source/token", says: ["environment variable ZEPHYR_TOKEN is empty — export its value"] }]
  },
  {
    name: "a ${file:…} secret that does not exist",
    spec: edit("${env:ZEPHYR_TOKEN}", "${file:secrets/zephyr.token}"),
    code: 2,
    problems: [{ at: "${file:", path: "/source/token", says: ["cannot read secret file secrets/zephyr.token (ENOENT, looked at ", "— create it, or use run --sandbox"] }]
  },
  {
    name: "a malformed reference",
    spec: edit("${env:ZEPHYR_TOKEN}", "${env:ZEPHYR-TOKEN}"),
    code: 2,
    problems: [{ at: "${env:", path: "/source/token", says: ['"${env:ZEPHYR-TOKEN}" is not a valid variable reference — use letters, digits and _'] }]
  },
  {
    name: "a literal token where a reference is required (never echoed)",
    spec: edit("${env:QTEST_TOKEN}", "qtest-SECRET-77c2"),
    code: 2,
    problems: [{ at: "qtest-SECRET", path: "/sinks/0/token", says: ["secrets must not be written in the spec — use ${env:NAME} (or ${file:PATH}) and keep the value outside"] }]
  },
  {
    name: "a reference inside other text",
    spec: edit("${env:QTEST_TOKEN}", "Bearer ${env:QTEST_TOKEN}"),
    code: 2,
    problems: [{ at: "Bearer", path: "/sinks/0/token", says: ["a ${env:…} or ${file:…} reference must be the whole value — references inside text are not expanded"] }]
  },
  {
    name: "a reference where none is resolved (state.path)",
    spec: `${BASE}state:\n  path: \${env:STATE_FILE}\n`,
    code: 2,
    problems: [{ at: "${env:STATE", path: "/state/path", says: ["${env:…} and ${file:…} are resolved only in source, transforms and sinks — write the value here"] }]
  },

  // ---- URLs ---------------------------------------------------------------------------------------------------
  {
    name: "a URL that is no URL",
    spec: edit("baseUrl: https://acme.qtestnet.com", "baseUrl: acme.qtestnet"),
    code: 2,
    problems: [{ at: "acme.qtestnet", path: "/sinks/0/baseUrl", says: ["is not a valid URL — write an absolute URL like https://acme.qtestnet.com"] }]
  },
  {
    name: "an ftp: URL (was accepted, then refused after '✓ spec is valid' without a position)",
    spec: edit("baseUrl: https://api.zephyrscale.smartbear.com/v2", "baseUrl: ftp://api.zephyrscale.smartbear.com/v2"),
    code: 2,
    problems: [{ at: "ftp:", path: "/source/baseUrl", says: ["must be an http:// or https:// URL — write it like https://api.zephyrscale.smartbear.com/v2"] }]
  },
  {
    name: "a URL with trailing garbage",
    spec: edit("baseUrl: https://api.zephyrscale.smartbear.com/v2", "baseUrl: https://api.zephyrscale.smartbear.com/v2 (EU)"),
    code: 2,
    problems: [{ at: "https://api.zephyr", path: "/source/baseUrl", says: ["is not a valid URL — write an absolute URL like https://api.zephyrscale.smartbear.com/v2"] }]
  },
  {
    name: "a URL with an impossible port (was an internal error with a stack trace)",
    spec: edit("baseUrl: https://acme.qtestnet.com", "baseUrl: https://acme.qtestnet.com:99999"),
    code: 2,
    problems: [{ at: "https://acme", path: "/sinks/0/baseUrl", says: ["is not a valid URL"] }]
  },

  // ---- maps ---------------------------------------------------------------------------------------------------
  {
    name: "a map value that is not a string",
    spec: `${BASE}    maps:\n      priority: { High: 1, Low: Low }\n`,
    code: 2,
    problems: [{ at: "1, Low", path: "/sinks/0/maps/priority/High", says: ["expected a string, got an integer — put it in quotes to make it text"] }]
  },
  {
    name: "a map default of the wrong type",
    spec: `${BASE}    maps:\n      executionStatus:\n        default: [Passed, Failed]\n`,
    code: 2,
    problems: [{ at: "[Passed", path: "/sinks/0/maps/executionStatus/default", says: ["expected a string, got a list — write one value on the line"] }]
  },
  {
    name: "a map the sink does not have",
    spec: `${BASE}    maps:\n      prority: { High: High }\n`,
    code: 2,
    problems: [{ at: "prority", path: "/sinks/0/maps/prority", says: ['unknown key "prority" (did you mean "priority"?)'] }]
  },

  // ---- plugins ------------------------------------------------------------------------------------------------
  {
    name: "an external plugin path that does not exist",
    spec: `${BASE}plugins:\n  - ./plugins/testrail.ts\n`,
    code: 2,
    problems: [{ at: "./plugins", path: "/plugins/0", says: ["cannot load plugin ./plugins/testrail.ts: there is no file ", "— check the path (a relative path starts from the spec's directory"] }]
  },
  {
    name: "an external plugin that exports garbage",
    spec: `${BASE}plugins:\n  - ./garbage.mjs\n`,
    files: { "garbage.mjs": "export default 42\n" },
    code: 2,
    problems: [{ at: "./garbage", path: "/plugins/0", says: ["does not satisfy the plugin contract", "the module's default export is not an object (export default definePlugin({...}))"] }]
  },
  {
    name: "an external plugin without make and configSchema",
    spec: `${BASE}plugins:\n  - ./half.mjs\n`,
    files: { "half.mjs": 'export default { name: "testrail", kind: "sink" }\n' },
    code: 2,
    problems: [{ at: "./half", path: "/plugins/0", says: ["`configSchema` is missing", "`make` is missing"] }]
  },
  {
    name: "an external plugin that throws when imported",
    spec: `${BASE}plugins:\n  - ./throws.mjs\n`,
    files: { "throws.mjs": 'throw new Error("TESTRAIL_URL is not configured")\n' },
    code: 2,
    problems: [{ at: "./throws", path: "/plugins/0", says: ["cannot load plugin ./throws.mjs", "TESTRAIL_URL is not configured — check the plugins entry and the module it names"] }]
  },
  {
    name: "an external plugin package that is not installed",
    spec: `${BASE}plugins:\n  - migrate-plugin-testrail\n`,
    code: 2,
    problems: [{ at: "migrate-plugin", path: "/plugins/0", says: ["no package of that name is installed in node_modules from ", "npm install migrate-plugin-testrail"] }]
  },
  {
    name: "an unknown sink type",
    spec: edit("type: qtest", "type: qtset"),
    code: 2,
    problems: [{ at: "qtset", path: "/sinks/0/type", says: ['unknown sink type "qtset" (did you mean "qtest"?) — known sink types: qtest, snowflake; others can be loaded under plugins:'] }]
  },
  {
    name: "an unknown source type",
    spec: edit("type: zephyr", "type: testrail"),
    code: 2,
    problems: [{ at: "testrail", path: "/source/type", says: ['unknown source type "testrail" — known source types: zephyr; others can be loaded under plugins:'] }]
  },

  // ---- runtime ------------------------------------------------------------------------------------------------
  {
    name: "concurrency below range",
    spec: `${BASE}runtime:\n  concurrency: 0\n`,
    code: 2,
    problems: [{ at: "concurrency: |0", path: "/runtime/concurrency", says: ["must be between 1 and 64"] }]
  },
  {
    name: "a retry delay ceiling below its base",
    spec: `${BASE}runtime:\n  retry:\n    baseDelayMs: 2000\n    maxDelayMs: 100\n`,
    code: 2,
    problems: [{ at: "maxDelayMs: |100", path: "/runtime/retry/maxDelayMs", says: ["must be at least baseDelayMs (2000)"] }]
  },
  {
    name: "a rate limit in the wrong form",
    spec: `${BASE}runtime:\n  rateLimits:\n    zephyr: fast\n`,
    code: 2,
    problems: [{ at: "fast", path: "/runtime/rateLimits/zephyr", says: ["has the wrong form — write it like 10/s, 600/min, 3600/h"] }]
  },
  {
    name: "a rate limit for a system the spec does not use",
    spec: `${BASE}runtime:\n  rateLimits:\n    zephir: 10/s\n`,
    code: 2,
    problems: [{ at: "zephir", path: "/runtime/rateLimits/zephir", says: ['no section of this spec uses a system "zephir" (did you mean "zephyr"?) — systems here: zephyr, qtest'] }]
  },
  {
    name: "several problems at once: one line each, in file order",
    spec: edit("projectKey: DEMO", "projectKey: demo\n  pagesize: 100", `${BASE}runtime:\n  concurrency: 0\n`),
    env: { QTEST_TOKEN: undefined },
    code: 2,
    problems: [
      { at: "demo", path: "/source/projectKey", says: ["has the wrong form"] },
      { at: "pagesize", path: "/source/pagesize", says: ["did you mean \"pageSize\""] },
      { at: "${env:QTEST_TOKEN}", path: "/sinks/0/token", says: ["QTEST_TOKEN is not set"] },
      { at: "concurrency: |0", path: "/runtime/concurrency", says: ["must be between 1 and 64"] }
    ]
  },

  // ---- commands and the secrets they need -----------------------------------------------------------------------
  {
    name: "status with no secret set: reads the state path from the spec (was: exit 2, every secret demanded)",
    spec: `${BASE}state:\n  path: elsewhere/state.db\n`,
    args: ["status"],
    env: { ZEPHYR_TOKEN: undefined, QTEST_TOKEN: undefined },
    code: 0,
    output: ["no state yet at ", `${path.sep}elsewhere${path.sep}state.db — run \`npx migrate run\` first`]
  },
  {
    name: "verify without the source's secret: gets past the spec to the store (was: exit 2 for ZEPHYR_TOKEN)",
    spec: BASE,
    args: ["verify"],
    env: { ZEPHYR_TOKEN: undefined },
    code: 1,
    output: ["no state store at ", "run `migrate run` first"]
  },
  {
    name: "verify still needs the sinks' secrets",
    spec: BASE,
    args: ["verify"],
    env: { ZEPHYR_TOKEN: undefined, QTEST_TOKEN: undefined },
    code: 2,
    problems: [{ at: "${env:QTEST_TOKEN}", path: "/sinks/0/token", says: ["environment variable QTEST_TOKEN is not set"] }]
  },
  {
    name: "plan extracts, so it needs every secret",
    spec: BASE,
    args: ["plan"],
    env: { ZEPHYR_TOKEN: undefined, QTEST_TOKEN: undefined },
    code: 2,
    problems: [
      { at: "${env:ZEPHYR_TOKEN}", path: "/source/token", says: ["environment variable ZEPHYR_TOKEN is not set"] },
      { at: "${env:QTEST_TOKEN}", path: "/sinks/0/token", says: ["environment variable QTEST_TOKEN is not set"] }
    ]
  }
]

/** Two CLI processes at a time: the catalogue shares two cores with everything else. */
const slot = limit(2)

const run = (c: SpecCase): Promise<{ readonly r: CliResult; readonly cwd: string }> =>
  slot(async () => {
    const cwd = tempDir("migrate-badspec-")
    if (c.spec !== undefined) fs.writeFileSync(path.join(cwd, SPEC), c.spec)
    for (const [name, content] of Object.entries(c.files ?? {})) {
      if (content === null) fs.mkdirSync(path.join(cwd, name), { recursive: true })
      else fs.writeFileSync(path.join(cwd, name), content)
    }
    const r = await runCliProcess(c.args ?? ["validate"], { cwd, env: { ...SECRETS, MIGRATE_DEBUG: undefined, ...c.env }, timeoutMs: 30_000 })
    return { r, cwd }
  })

describe("bad input: specs", () => {
  it("has at least 50 cases, each with a unique name", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
    expect(cases.length).toBeGreaterThanOrEqual(50)
  })

  it.concurrent.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const { r } = await run(c)
    const context = `${r.stderr}\n${r.stdout}`
    expect(r.code, context).toBe(c.code)
    expectCleanFailure(r, Object.values(SECRETS))
    for (const text of c.output ?? []) expect(r.stdout + r.stderr).toContain(text)
    if (c.problems === undefined) return
    const lines = specProblemLines(r.stderr)
    expect(lines, context).toBeDefined()
    const text = typeof c.spec === "string" ? c.spec : ""
    const file = c.file ?? SPEC
    expect(lines, context).toHaveLength(c.problems.length)
    c.problems.forEach((p, i) => {
      const line = lines![i]!
      const where = p.at === undefined ? `${file}  ` : `${file}:${/^\d+:\d+$/.test(p.at) ? p.at : positionOf(text, p.at)}  ${p.path === undefined ? "" : `${p.path}  `}`
      expect(line.startsWith(where), `"${line}" should start with "${where}"`).toBe(true)
      for (const says of p.says) expect(line).toContain(says)
      // the fix: every line says what to do
      expect(line, "a problem without its fix").toMatch(/ — |did you mean|must be /)
    })
    // nothing but the problems: one line each, under one heading
    expect(r.stderr.trim().split("\n")).toEqual(["migrate: the spec is invalid:", ...lines!.map((l) => `  ${l}`)])
  })
})
