/**
 * One project, Zephyr Cloud and Zephyr DC: the same tenant served by the Cloud sandbox and by the DC one (each in
 * its own API's shapes) extracts into canonical stores that are identical once DC's documented differences are
 * applied to the Cloud store — each difference below, each in the README (*The Zephyr editions*). A difference
 * not listed (a field mapped differently, a record lost or added) fails the test; a listed one that no longer
 * shows in this tenant fails it too, so the list cannot go stale.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { derivedId } from "../../../../core/index.ts"
import { folderId, folderSourceId, keyedId, type FolderType } from "../../../../plugins/zephyr/dc/dcIds.ts"
import { dcUserKey } from "../../../../plugins/zephyr/sandbox/dc/dcUserKey.ts"
import { demoData, startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { dumpStore, runInProcess, tempStatePath } from "../runInProcess.ts"

type Row = Record<string, unknown>
type Store = Record<string, Array<Row>>

/** What the Cloud store says about the project, to say what DC must give. */
interface Cloud {
  readonly projectKey: string
  readonly cases: ReadonlyMap<number, string>
  readonly cycles: ReadonlyMap<number, string>
  readonly plans: ReadonlyMap<number, string>
  readonly folders: ReadonlyMap<number, { readonly type: FolderType; readonly path: string }>
  /** Executions DC shows: those in a run, and the latest of a case's results when it is ad hoc. */
  readonly visibleExecutions: ReadonlySet<number>
  readonly dcOrigin: string
}

/**
 * Every documented difference, as a rule on a Cloud row. `why` is the README's reason; `shows` proves the rule
 * still changes something in this tenant.
 */
interface Difference {
  readonly why: string
  readonly table: string
  /** The row as DC gives it, or undefined when DC does not have it. */
  readonly apply: (row: Row, cloud: Cloud, table: string) => Row | undefined
}

const user = (v: unknown) => (typeof v === "string" ? dcUserKey(v) : v)
const instant = (v: unknown) => (typeof v === "string" ? new Date(Date.parse(v)).toISOString() : v)
const keyNumberOf = (map: ReadonlyMap<number, string>, entity: "TestCase" | "TestCycle" | "TestPlan", id: unknown) => {
  const key = map.get(Number(id))
  return key === undefined ? id : keyedId(entity, key)
}
const ownerId = (objectType: unknown, id: unknown, c: Cloud): unknown =>
  objectType === "TestCase" ? keyNumberOf(c.cases, "TestCase", id) : objectType === "TestCycle" ? keyNumberOf(c.cycles, "TestCycle", id) : objectType === "TestPlan" ? keyNumberOf(c.plans, "TestPlan", id) : id
const visibleOwner = (objectType: unknown, id: unknown, c: Cloud): boolean =>
  objectType !== "TestExecution" || c.visibleExecutions.has(Number(id))
const folderOf = (id: unknown, c: Cloud) => {
  const f = c.folders.get(Number(id))
  return f === undefined ? null : folderId(f.type, f.path)
}

const DIFFERENCES: ReadonlyArray<Difference> = [
  {
    why: "ids: DC numbers no project, folder, case, run or plan — their ids are derived from the key or the folder path, and so are the references to them and the ids of what hangs off them",
    table: "*",
    apply: (r, c) => r
  },
  {
    why: "the project is known by its key only: project_id is the key, no Jira project id",
    table: "Project",
    apply: (r, c) => ({ ...r, project_id: c.projectKey, source_id: c.projectKey, jira_project_id: null })
  },
  {
    why: "folders come from paths: derived ids, source id type:path, no sibling order (sort_order 0); an empty folder is not seen",
    table: "Folder",
    apply: (r, c) => {
      const f = c.folders.get(Number(r["folder_id"]))!
      return { ...r, folder_id: folderId(f.type, f.path), parent_folder_id: folderOf(r["parent_folder_id"], c), sort_order: 0, source_id: folderSourceId(f.type, f.path) }
    }
  },
  {
    why: "test cases: id from the key (source_id the key), owner a Jira user key, the component by name",
    table: "TestCase",
    apply: (r, c) => ({
      ...r,
      test_case_id: keyNumberOf(c.cases, "TestCase", r["test_case_id"]),
      folder_id: folderOf(r["folder_id"], c),
      owner_id: user(r["owner_id"]),
      component: r["component"] === null ? null : `Component ${String(r["component"])}`,
      source_id: r["key"]
    })
  },
  { why: "steps belong to the case's derived id", table: "TestStep", apply: (r, c) => ({ ...r, test_case_id: keyNumberOf(c.cases, "TestCase", r["test_case_id"]) }) },
  {
    why: "plans: id from the key, owner a Jira user key",
    table: "TestPlan",
    apply: (r, c) => ({ ...r, test_plan_id: keyNumberOf(c.plans, "TestPlan", r["test_plan_id"]), folder_id: folderOf(r["folder_id"], c), owner_id: user(r["owner_id"]), source_id: r["key"] })
  },
  {
    why: "runs (cycles): id from the key, owner a Jira user key, no Jira version; DC writes dates with milliseconds",
    table: "TestCycle",
    apply: (r, c) => ({
      ...r,
      test_cycle_id: keyNumberOf(c.cycles, "TestCycle", r["test_cycle_id"]),
      folder_id: folderOf(r["folder_id"], c),
      owner_id: user(r["owner_id"]),
      jira_project_version_id: null,
      planned_start_date: instant(r["planned_start_date"]),
      planned_end_date: instant(r["planned_end_date"]),
      source_id: r["key"]
    })
  },
  {
    why: "results (executions): only each case's latest ad hoc result is visible; users are Jira user keys; no case version, estimated time or Jira version on a result",
    table: "TestExecution",
    apply: (r, c) =>
      c.visibleExecutions.has(Number(r["execution_id"]))
        ? {
            ...r,
            test_cycle_id: r["test_cycle_id"] === null ? null : keyNumberOf(c.cycles, "TestCycle", r["test_cycle_id"]),
            test_case_id: keyNumberOf(c.cases, "TestCase", r["test_case_id"]),
            executed_by_id: user(r["executed_by_id"]),
            assigned_to_id: user(r["assigned_to_id"]),
            test_case_version: null,
            estimated_time_ms: null,
            jira_project_version_id: null,
            actual_end_date: instant(r["actual_end_date"])
          }
        : undefined
  },
  {
    why: "step results have no id on DC (derived from the result and the order) and no test data row number",
    table: "ExecutionStepResult",
    apply: (r, c) => {
      if (!c.visibleExecutions.has(Number(r["execution_id"]))) return undefined
      const sourceId = `${String(r["execution_id"])}#${String(r["step_order"])}`
      return { ...r, step_result_id: derivedId(sourceId), source_id: sourceId, test_data_row_number: null }
    }
  },
  {
    why: "custom fields: a multi-choice of a case, run, result or plan arrives as one \"a, b\" text (a step's keeps its options: DC sends its type); a user is a Jira user key; an unset field is left out",
    table: "CustomField",
    apply: (r, c) => {
      if (!visibleOwner(r["object_type"], r["object_id"], c) || r["field_type"] === "NULL") return undefined
      const objectId = ownerId(r["object_type"], r["object_id"], c)
      const sourceId = `${String(r["object_type"])}/${String(objectId)}/${String(r["field_name"])}`
      let out: Row = { ...r, object_id: objectId, source_id: sourceId, custom_field_id: derivedId(sourceId) }
      if (r["field_type"] === "MULTI_SELECT" && r["object_type"] !== "TestStep") {
        const text = (JSON.parse(String(r["value_json"])) as Array<string>).join(", ")
        out = { ...out, field_type: "TEXT", field_value: text, value_json: JSON.stringify(text) }
      }
      if (r["field_type"] === "USER") {
        const key = dcUserKey(String(r["field_value"]))
        out = { ...out, field_value: key, value_json: JSON.stringify(key) }
      }
      return out
    }
  },
  {
    why: "links: an issue is named by its key (target the key, no issue id; relation COVERAGE on a case, RELATED elsewhere); DC's API shows no web links and no links of a run",
    table: "Link",
    apply: (r, c) => {
      if (r["kind"] === "WEB" || r["object_type"] === "TestCycle" || !visibleOwner(r["object_type"], r["object_id"], c)) return undefined
      const objectId = ownerId(r["object_type"], r["object_id"], c)
      const [target, name, relation] =
        r["kind"] === "ISSUE"
          ? [`${c.projectKey}-${String(r["issue_id"])}`, `${c.projectKey}-${String(r["issue_id"])}`, r["object_type"] === "TestCase" ? "COVERAGE" : "RELATED"]
          : [String(keyNumberOf(c.cycles, "TestCycle", r["target"])), c.cycles.get(Number(r["target"])), r["relation"]]
      const sourceId = `${String(r["object_type"])}/${String(objectId)}/${String(r["kind"])}/${String(name)}`
      return { ...r, object_id: objectId, target, relation, issue_id: null, source_id: sourceId, link_id: derivedId(sourceId) }
    }
  },
  {
    why: "attachments are downloaded from Jira's attachment servlet, the URL DC gives",
    table: "Attachment",
    apply: (r, c) =>
      visibleOwner(r["related_type"], r["related_id"], c)
        ? { ...r, related_id: ownerId(r["related_type"], r["related_id"], c), attachment_url: `${c.dcOrigin}/rest/tests/1.0/attachment/${String(r["attachment_id"])}` }
        : undefined
  },
  {
    why: "DC leaves an empty text out of its answers: an empty string arrives as null",
    table: "*",
    apply: (r, _, table) => emptyAsNull(table, r)
  },
  {
    why: "provenance, and the project's id (its key) in every record that names it",
    table: "*",
    apply: (r, c) => ({ ...r, source_system: "zephyr-dc", ...("project_id" in r ? { project_id: c.projectKey } : {}) })
  }
]

/** `""` → null, in a row and in a call step's parameters (TestStep.description stays `''`: it is NOT NULL). */
const emptyAsNull = (table: string, r: Row): Row => {
  const out: Row = {}
  for (const [k, v] of Object.entries(r)) out[k] = v === "" && !(table === "TestStep" && k === "description") ? null : v
  if (table === "TestStep" && typeof r["parameters"] === "string")
    out["parameters"] = JSON.stringify((JSON.parse(r["parameters"]) as Array<Row>).map((p) => ({ ...p, value: p["value"] === "" ? null : p["value"] })))
  return out
}

const cloudFacts = (store: Store, dcOrigin: string): Cloud => {
  const folders = new Map<number, { type: FolderType; path: string }>()
  for (const f of store["Folder"] ?? []) folders.set(Number(f["folder_id"]), { type: f["type"] as FolderType, path: String(f["path"]) })
  const byKey = (table: string, id: string) => new Map((store[table] ?? []).map((r) => [Number(r[id]), String(r["key"])]))
  // DC's latest result of a case: the latest actual end date, then the highest id (the sandbox's rule, like DC's)
  const latest = new Map<string, Row>()
  for (const e of store["TestExecution"] ?? []) {
    const key = String(e["test_case_key"])
    const at = (r: Row | undefined) => (r === undefined || r["actual_end_date"] === null ? Number.NEGATIVE_INFINITY : Date.parse(String(r["actual_end_date"])))
    const before = latest.get(key)
    if (before === undefined || at(e) > at(before) || (at(e) === at(before) && Number(e["execution_id"]) > Number(before["execution_id"]))) latest.set(key, e)
  }
  const latestIds = new Set([...latest.values()].map((e) => Number(e["execution_id"])))
  const visibleExecutions = new Set((store["TestExecution"] ?? []).filter((e) => e["test_cycle_id"] !== null || latestIds.has(Number(e["execution_id"]))).map((e) => Number(e["execution_id"])))
  return {
    projectKey: String(store["Project"]![0]!["project_key"]),
    cases: byKey("TestCase", "test_case_id"),
    cycles: byKey("TestCycle", "test_cycle_id"),
    plans: byKey("TestPlan", "test_plan_id"),
    folders,
    visibleExecutions,
    dcOrigin
  }
}

const sorted = (rows: ReadonlyArray<Row>) => rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort()

const extract = (sandbox: Parameters<typeof runInProcess>[0], config: Readonly<Record<string, unknown>> = {}) =>
  Effect.promise(async () => {
    const statePath = tempStatePath()
    const report = await runInProcess(sandbox, statePath, { config })
    return { report, store: dumpStore(statePath, sandbox.baseUrl) }
  })

describe("the same project in Zephyr Cloud and Zephyr DC", () => {
  it.scopedLive("extracts into the same canonical store, apart from the documented differences", () =>
    Effect.gen(function* () {
      const cloudSandbox = yield* startZephyrSandbox({ data: demoData() })
      const dcSandbox = yield* startZephyrSandbox({ data: demoData(), edition: "dc" })
      const cloud = yield* extract(cloudSandbox)
      const dc = yield* extract(dcSandbox, { edition: "dc" })
      expect(cloud.report.status).toBe("succeeded")
      expect(dc.report.status).toBe("succeeded")
      const facts = cloudFacts(cloud.store, "<origin>")

      const unused = new Set(DIFFERENCES.map((d) => d.why))
      for (const [table, rows] of Object.entries(cloud.store)) {
        const expected = rows.flatMap((row) => {
          let r: Row | undefined = row
          for (const d of DIFFERENCES) {
            if (r === undefined || (d.table !== "*" && d.table !== table)) continue
            const next: Row | undefined = d.apply(r, facts, table)
            if (next === undefined || JSON.stringify(next) !== JSON.stringify(r)) unused.delete(d.why)
            r = next
          }
          return r === undefined ? [] : [r]
        })
        expect(sorted(dc.store[table] ?? []), `${table}: the DC store, against the Cloud store with the documented differences`).toEqual(sorted(expected))
      }
      // every documented difference shows in this tenant, but the first (a heading for the id rules that follow)
      expect([...unused]).toEqual([DIFFERENCES[0]!.why])
      // an ad hoc result hidden behind a later one of its case is the gap DC's API leaves; the report says so
      expect(facts.visibleExecutions.size).toBeLessThan((cloud.store["TestExecution"] ?? []).length)
      const adHoc = dc.report.notes.filter((n) => n.entity === "TestExecution" && n.message.includes("only the latest result"))
      expect(adHoc).toHaveLength(1)
      expect(adHoc[0]!.count).toBe((dc.store["TestExecution"] ?? []).filter((e) => e["test_cycle_id"] === null).length)
    })
  )
})
