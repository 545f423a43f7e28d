/**
 * One project, two editions: the same tenant served by the Zephyr Cloud sandbox and by the Zephyr Essential one
 * (each in its own API's shapes and behaviour) extracts into canonical stores that are identical except for the
 * differences listed below, each documented in the README (*The Zephyr editions*). A difference that is not listed — a field mapped
 * differently, a record lost or added — fails the test.
 */
import * as fs from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"
import { dumpStore, runInProcess, tempStatePath } from "./runInProcess.ts"

type Row = Record<string, unknown>

/** Every documented difference between an Essential store and a Cloud store of the same project. */
const DOCUMENTED_DIFFERENCES: ReadonlyArray<{ readonly table: string | "*"; readonly column: string; readonly cloud: (row: Row) => unknown; readonly essential: unknown; readonly why: string }> = [
  { table: "*", column: "source_system", cloud: () => "zephyr-scale-cloud", essential: "zephyr-essential-cloud", why: "provenance: which product a record came from" },
  { table: "Attachment", column: "sha256", cloud: (r) => r["sha256"], essential: null, why: "Essential refuses attachment files to an API token: the record carries the name only" },
  { table: "Attachment", column: "size_bytes", cloud: (r) => r["size_bytes"], essential: null, why: "no file, no size" },
  { table: "Attachment", column: "blob_path", cloud: (r) => r["blob_path"], essential: null, why: "no file in the blob store" },
  { table: "Attachment", column: "content_type", cloud: (r) => r["content_type"], essential: "application/octet-stream", why: "the type comes from the download's Content-Type" }
]

/** A Cloud row as the Essential edition must give it: every documented difference applied. */
const asEssential = (table: string, row: Row): Row => {
  const out = { ...row }
  for (const d of DOCUMENTED_DIFFERENCES) if ((d.table === "*" || d.table === table) && d.column in out) out[d.column] = d.essential
  return out
}

const extract = (sandbox: RunningZephyrSandbox, config: Readonly<Record<string, unknown>> = {}) =>
  Effect.promise(async () => {
    const statePath = tempStatePath()
    const report = await runInProcess(sandbox, statePath, { config })
    return { report, store: dumpStore(statePath, sandbox.baseUrl), statePath }
  })

describe("the same project in Zephyr Cloud and Zephyr Essential", () => {
  it.scopedLive("extracts into the same canonical store, apart from the documented differences", () =>
    Effect.gen(function* () {
      const cloudSandbox = yield* startZephyrSandbox({ data: demoData() })
      const essentialSandbox = yield* startZephyrSandbox({ data: demoData(), edition: "essential" })
      const cloud = yield* extract(cloudSandbox)
      const essential = yield* extract(essentialSandbox, { edition: "essential" })
      expect(cloud.report.status).toBe("succeeded")
      expect(essential.report.status).toBe("succeeded")

      // The documented differences are real: each one shows in this tenant (else the list has gone stale).
      const cloudAttachments = cloud.store["Attachment"] ?? []
      expect(cloudAttachments.length).toBeGreaterThan(0)
      for (const a of cloudAttachments) expect(a["sha256"]).toMatch(/^[0-9a-f]{64}$/)
      expect((cloud.store["CustomField"] ?? []).some((f) => f["field_type"] === "MULTI_SELECT")).toBe(true)

      for (const [table, rows] of Object.entries(cloud.store)) {
        const expected = rows.map((r) => asEssential(table, r))
        expect(essential.store[table], `${table}: the Essential store, against the Cloud store with the documented differences`).toEqual(expected)
      }
      // Multi-select options arrive as {id, name} from Essential and are carried by name, as Cloud sends them.
      const multi = (essential.store["CustomField"] ?? []).filter((f) => f["field_type"] === "MULTI_SELECT")
      for (const f of multi) expect(JSON.parse(String(f["value_json"])).every((v: unknown) => typeof v === "string")).toBe(true)

      // Each attachment whose file was not fetched is named in the report, and no file reached the blob store.
      const skipped = essential.report.notes.filter((n) => n.kind === "skip" && n.entity === "Attachment")
      expect(skipped).toHaveLength(1)
      expect(skipped[0]!.count).toBe(cloudAttachments.length)
      expect(cloudAttachments.map((a) => a["source_id"])).toEqual(expect.arrayContaining([...skipped[0]!.examples]))
      const blobs = new URL("blobs/", `file://${essential.statePath.replace(/state\.db$/, "")}`)
      expect(fs.existsSync(blobs) ? fs.readdirSync(blobs).filter((f) => f !== "tmp") : []).toEqual([])
      // Essential has no cursor endpoints: the big lists were read through the offset ones.
      expect(Object.keys(essentialSandbox.stats().byPath).filter((p) => p.includes("nextgen"))).toEqual([])
      expect(Object.keys(cloudSandbox.stats().byPath).filter((p) => p.includes("nextgen")).length).toBe(4)
    })
  )
})
