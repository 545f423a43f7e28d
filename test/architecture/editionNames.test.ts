/**
 * The source editions are the source plugin's business: core and the sinks work on canonical records and must not
 * learn any edition's name. Every file of core/ (the canonical schemas it embeds included) and of the qTest and
 * Snowflake plugins is searched for them; each hit is named as file:line. When a sink needs to treat some records
 * differently, the canonical contract says so (e.g. an Attachment may come without its file), not an edition.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** Names and hosts of the Zephyr editions a source may read; "Zephyr" itself is the plugin's name, and allowed. */
const EDITION_NAMES = /essential|squad|zephyr4jiracloud|zephyrscale|zephyr[ -]?scale|data[ -]?cent(er|re)|zephyr[-_ ]?dc\b|rest\/atm/i

const files = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === "node_modules" ? [] : files(p)
    return /\.(ts|json|md)$/.test(e.name) ? [p] : []
  })

const hits = (dirs: ReadonlyArray<string>): ReadonlyArray<string> =>
  dirs.flatMap((dir) => files(path.join(root, dir))).flatMap((file) =>
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (EDITION_NAMES.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim().slice(0, 120)}`] : []))
  )

describe("no source edition is named outside its plugin", () => {
  it("core (with the canonical schemas) and the sinks never name a Zephyr edition", () => {
    expect(hits(["core", "schemas/canonical", "plugins/qtest", "plugins/snowflake"])).toEqual([])
  })

  it("the search finds them where they belong (so it can fail)", () => {
    const inZephyr = hits(["plugins/zephyr"])
    expect(inZephyr.some((h) => /essential/i.test(h))).toBe(true)
    expect(inZephyr.some((h) => /zephyrscale/i.test(h))).toBe(true)
  })
})
