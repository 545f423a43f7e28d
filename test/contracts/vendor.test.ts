/**
 * The vendor descriptions the contract tests read are in the repository, intact: each file the vendor README
 * lists is there with the sha256 it names (so an edit, a truncated copy or a Git LFS pointer fails here, not as a
 * puzzling contract failure), no other file is there unlisted, and each parses as the format it claims.
 */
import { createHash } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { basename } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "yaml"
import { vendorReadme, vendorSpecs } from "./vendor.ts"

/** `file → sha256` from the README's table rows (first cell the file name, last cell the hash). */
const listed = (): ReadonlyMap<string, string> => {
  const rows = new Map<string, string>()
  for (const line of readFileSync(vendorReadme, "utf8").split("\n")) {
    const m = /^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/.exec(line)
    if (m) rows.set(m[1]!, m[2]!)
  }
  return rows
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex")

describe("vendor interface descriptions (test/contracts/vendor)", () => {
  it("the README lists every file with its sha256, and the files match", () => {
    const rows = listed()
    const files = readdirSync(new URL("vendor/", import.meta.url)).filter((f) => f !== "README.md")
    expect([...rows.keys()].sort()).toEqual(files.sort())
    expect(Object.values(vendorSpecs).map((p) => basename(p)).sort()).toEqual(files.sort())
    for (const path of Object.values(vendorSpecs)) expect(sha256(path), basename(path)).toBe(rows.get(basename(path)))
  })

  it("each parses as the description it claims to be", () => {
    const cloud = parse(readFileSync(vendorSpecs.zephyrCloud, "utf8"))
    expect(cloud.openapi).toMatch(/^3\./)
    expect(Object.keys(cloud.paths)).toContain("/testcases")
    const server = JSON.parse(readFileSync(vendorSpecs.zephyrServer, "utf8"))
    expect(server.openapi).toMatch(/^3\./)
    expect(Object.keys(server.paths).some((p) => p.startsWith("/testcase"))).toBe(true)
    const essential = JSON.parse(readFileSync(vendorSpecs.zephyrEssential, "utf8"))
    expect(essential.openapi).toMatch(/^3\./)
    expect(essential.info).toEqual({ title: "Zephyr Essential Cloud API", version: "2.9" })
    // an excerpt says so, and holds what the Essential contract test reads
    expect(essential["x-excerpt-note"]).toMatch(/EXCERPT, NOT the original/)
    expect(Object.keys(essential.components.schemas)).toEqual(expect.arrayContaining(["PagedList", "TestCase", "TestCaseList", "TestExecution", "Error"]))
    // a bundle: the 23 schema files, each an object schema or an array of one, under their file names
    const dc = JSON.parse(readFileSync(vendorSpecs.zephyrDc, "utf8"))
    expect(dc["$comment"]).toMatch(/BUNDLE of 23 JSON schema files/)
    expect(dc["$comment"]).toContain("MIT")
    expect(dc["$comment"]).toContain("Copyright (c) 2024 João Carvalho")
    expect(Object.keys(dc.schemas)).toHaveLength(23)
    expect(Object.keys(dc.schemas)).toEqual(expect.arrayContaining(["testCase.json", "step.json", "testScript.json", "testResult.json", "scriptResult.json", "testRun.schema.json", "attachment.json", "environment.schema.json"]))
    for (const [name, schema] of Object.entries<any>(dc.schemas)) {
      expect(["object", "array"], name).toContain(schema.type)
      expect(dc["$comment"], name).toContain(name)
    }
    const qtest = parse(readFileSync(vendorSpecs.qtest, "utf8"))
    expect(qtest.swagger).toBe("2.0")
    expect(Object.keys(qtest.paths)).toContain("/api/v3/projects/{projectId}/modules")
  })
})
