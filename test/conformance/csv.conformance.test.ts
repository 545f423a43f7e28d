/**
 * The example external plugin (examples/csv-source) against the conformance kit — loaded the way the CLI loads
 * it (by path, through the registry's contract check), run against its sandbox (the `url` path, over loopback),
 * and once more against a local file (the `file` path).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { loadExternalPlugin } from "../../core/plugin/Registry.ts"
import { CsvParser, demoCsv } from "../../examples/csv-source/index.ts"
import { describeSourceConformance } from "./sourceConformance.ts"

const repoRoot = fileURLToPath(new URL("../../", import.meta.url))
const load = loadExternalPlugin("./examples/csv-source/index.ts", repoRoot)

/** What the sandbox's demo CSV (seed 1, 40 cases) holds. */
const demoCounts = { Project: 1, Folder: 6, TestCase: 40, TestStep: 78 }
/** Pins ids, hashes and parsing of the demo CSV (quoted commas, doubled quotes, line breaks in cells). */
const fingerprint = "92537c713f213b6f43edc2db36e93a5782101acefdec8cd793eef908237ddf7d"

describeSourceConformance("csv (sandbox, url)", () =>
  Effect.gen(function* () {
    const plugin = yield* load
    const sandbox = yield* plugin.sandbox!.start({ extra: {} })
    const config = { projectKey: "DEMO", ...sandbox.configOverrides }
    return { plugin, config, badConfig: { ...config, token: Redacted.make("not-the-token") }, expected: { counts: demoCounts, fingerprint } }
  })
)

describeSourceConformance("csv (local file)", () =>
  Effect.gen(function* () {
    const plugin = yield* load
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "csv-conformance-"))),
      (d) => Effect.sync(() => fs.rmSync(d, { recursive: true, force: true }))
    )
    const file = path.join(dir, "cases.csv")
    fs.writeFileSync(file, demoCsv())
    return {
      plugin,
      config: { file, projectKey: "DEMO" },
      badConfig: { file: path.join(dir, "missing.csv"), projectKey: "DEMO" },
      expected: { counts: demoCounts, fingerprint }
    }
  })
)

/** Beyond the kit: the CSV parser's own promises, which the kit's fingerprint relies on. */
describe("csv source: CsvParser", () => {
  it("gives the same rows whatever the chunk boundaries (one character at a time, or whole)", () => {
    const text = demoCsv({ cases: 15 })
    const whole = new CsvParser()
    const expected = [...whole.feed(text), ...whole.end()]
    const bytewise = new CsvParser()
    const rows = [...[...text].flatMap((ch) => bytewise.feed(ch)), ...bytewise.end()]
    expect(rows).toEqual(expected)
    expect(expected.length).toBeGreaterThan(15)
  })

  it("reads quoted delimiters, doubled quotes and line breaks, and counts lines for messages", () => {
    const parser = new CsvParser(";")
    const rows = [...parser.feed('key;name\r\nA-1;"one; ""two""\nthree"\r\n\r\nA-2;plain'), ...parser.end()]
    expect(rows).toEqual([
      { line: 1, fields: ["key", "name"] },
      { line: 2, fields: ["A-1", 'one; "two"\nthree'] },
      { line: 5, fields: ["A-2", "plain"] }
    ])
    expect(() => {
      const p = new CsvParser()
      p.feed('a,"never closed\n')
      p.end()
    }).toThrow(/line 1 is never closed/)
  })
})
