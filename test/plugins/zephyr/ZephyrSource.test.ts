/**
 * The Zephyr source against the real sandbox over loopback: the demo project extracted and compared with the
 * sandbox's own data (`demoData()`) field by field — counts, names resolved from lookups, folder paths, steps
 * and call-to-test, scripts, custom fields of every type, links, execution history and step results,
 * attachments byte for byte — plus scoping (OTHER is never read), pagination under a server cap, quarantine of
 * malformed records, a tenant without attachment endpoints, and every record passing the canonical schema.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import type { CanonicalRecord, Extracted } from "../../../core/index.ts"
import { prepareRecord } from "../../../core/pipeline/prepareRecord.ts"
import { demoData } from "../../../plugins/zephyr/sandbox/index.ts"
import { extractAll, harness, quarantined, rows } from "./harness.ts"

const data = demoData()
const DEMO = data.projects.find((p) => p.key === "DEMO")!
const OTHER = data.projects.find((p) => p.key === "OTHER")!
const inDemo = (x: { readonly project: { readonly id: number } }) => x.project.id === DEMO.id
const names = (list: ReadonlyArray<{ readonly id: number; readonly name: string }>) => new Map(list.map((x) => [x.id, x.name]))
const statusName = names(data.statuses)
const priorityName = names(data.priorities)
const environmentName = names(data.environments)
const demoCases = data.testcases.filter(inDemo)
const demoPlans = data.testplans.filter(inDemo)
const demoCycles = data.testcycles.filter(inDemo)
const demoExecutions = data.testexecutions.filter(inDemo)
const demoFolders = data.folders.filter(inDemo)
/** Attachment lists of DEMO's cases and executions (the data file also has OTHER's). */
const demoAttachmentFiles = Object.entries(data.attachments)
  .filter(([owner]) => demoCases.some((tc) => owner === `testcases/${tc.key}`) || demoExecutions.some((e) => owner === `testexecutions/${e.id}`))
  .reduce((n, [, list]) => n + list.length, 0)
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** The extraction of the demo project, shared by the comparisons below (one sandbox, one run). */
const demo = Effect.gen(function* () {
  const h = yield* harness()
  h.sandbox.resetStats()
  const records = yield* extractAll(h.source)
  return { ...h, records, requests: h.ctx.requestCount() }
})

describe("ZephyrSource.extract on the demo project", () => {
  it.scopedLive("emits every entity of DEMO, nothing quarantined, nothing noted", () =>
    Effect.gen(function* () {
      const { records, ctx } = yield* demo
      expect(quarantined(records)).toEqual([])
      expect(ctx.notes()).toEqual([])
      expect(rows(records, "Project")).toHaveLength(1)
      expect(rows(records, "Folder")).toHaveLength(demoFolders.length)
      expect(rows(records, "TestCase")).toHaveLength(demoCases.length)
      expect(rows(records, "TestStep")).toHaveLength(demoCases.reduce((n, tc) => n + (data.teststeps[tc.key]?.length ?? 0), 0))
      expect(rows(records, "TestPlan")).toHaveLength(demoPlans.length)
      expect(rows(records, "TestCycle")).toHaveLength(demoCycles.length)
      expect(rows(records, "TestExecution")).toHaveLength(demoExecutions.length)
      expect(rows(records, "ExecutionStepResult")).toHaveLength(demoExecutions.reduce((n, e) => n + (data.executionsteps[String(e.id)]?.length ?? 0), 0))
      expect(rows(records, "Attachment")).toHaveLength(demoAttachmentFiles)
      for (const r of records) if (r.entity !== "Quarantine") expect(r.data.source_system).toBe("zephyr-scale-cloud")
    })
  )

  it.scopedLive("every record passes the canonical schema once core fills the timestamps", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const failures = records
        .filter((r): r is CanonicalRecord => r.entity !== "Quarantine")
        .map((r) => prepareRecord(r, "2024-09-01T00:00:00Z"))
        .filter((r) => r.entity === "Quarantine")
      expect(failures).toEqual([])
    })
  )

  it.scopedLive("emits records in dependency order: nothing refers to a record not yet emitted", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const seen = { folder: new Set<number>(), testCase: new Set<number>(), step: new Set<number>(), plan: new Set<number>(), cycle: new Set<number>(), execution: new Set<number>() }
      const objectSeen = (type: string, id: number) =>
        type === "TestCase" ? seen.testCase.has(id) : type === "TestStep" ? seen.step.has(id) : type === "TestPlan" ? seen.plan.has(id) : type === "TestCycle" ? seen.cycle.has(id) : seen.execution.has(id)
      let projectSeen = false
      for (const r of records as ReadonlyArray<Extracted>) {
        switch (r.entity) {
          case "Project":
            projectSeen = true
            break
          case "Folder":
            expect(projectSeen).toBe(true)
            if (r.data.parent_folder_id !== null) expect(seen.folder.has(r.data.parent_folder_id)).toBe(true)
            seen.folder.add(r.data.folder_id)
            break
          case "TestCase":
            if (r.data.folder_id !== null) expect(seen.folder.has(r.data.folder_id)).toBe(true)
            seen.testCase.add(r.data.test_case_id)
            break
          case "TestStep":
            expect(seen.testCase.has(r.data.test_case_id)).toBe(true)
            seen.step.add(r.data.step_id)
            break
          case "TestPlan":
            seen.plan.add(r.data.test_plan_id)
            break
          case "TestCycle":
            if (r.data.folder_id !== null) expect(seen.folder.has(r.data.folder_id)).toBe(true)
            seen.cycle.add(r.data.test_cycle_id)
            break
          case "TestExecution":
            if (r.data.test_cycle_id !== null) expect(seen.cycle.has(r.data.test_cycle_id)).toBe(true)
            seen.execution.add(r.data.execution_id)
            break
          case "ExecutionStepResult":
            expect(seen.execution.has(r.data.execution_id)).toBe(true)
            break
          case "CustomField":
            expect(objectSeen(r.data.object_type, r.data.object_id)).toBe(true)
            break
          case "Link":
            expect(objectSeen(r.data.object_type, r.data.object_id)).toBe(true)
            break
          case "Attachment":
            expect(objectSeen(r.data.related_type, r.data.related_id)).toBe(true)
            break
        }
      }
    })
  )

  it.scopedLive("Project: id as text, name = key (Zephyr has no name)", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      expect(rows(records, "Project")[0]).toEqual({
        source_system: "zephyr-scale-cloud",
        source_id: String(DEMO.id),
        source_key: "DEMO",
        project_id: String(DEMO.id),
        project_key: "DEMO",
        name: "DEMO",
        description: null,
        created_at: null,
        updated_at: null,
        jira_project_id: DEMO.jiraProjectId,
        enabled: DEMO.enabled
      })
    })
  )

  it.scopedLive("Folder: all three trees, paths from the tree, parents first, siblings by index", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const folders = rows(records, "Folder")
      const byId = new Map(demoFolders.map((f) => [f.id, f]))
      const pathOf = (id: number): string => {
        const f = byId.get(id)!
        return `${f.parentId === null ? "" : pathOf(f.parentId)}/${f.name}`
      }
      for (const f of demoFolders) {
        const row = folders.find((r) => r.folder_id === f.id)
        expect(row).toEqual({
          source_system: "zephyr-scale-cloud",
          source_id: String(f.id),
          source_key: null,
          folder_id: f.id,
          project_id: String(DEMO.id),
          parent_folder_id: f.parentId,
          name: f.name,
          type: f.folderType,
          created_at: null,
          updated_at: null,
          sort_order: f.index,
          path: pathOf(f.id)
        })
      }
      expect(new Set(folders.map((f) => f.type))).toEqual(new Set(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]))
      expect(folders.find((f) => f.folder_id === 1009)?.path).toBe("/Authentication/Login/Password/Edge cases ⚠️")
      // Siblings follow Zephyr's `index`, not id order: Payments (index 0) before Authentication (index 1).
      const order = folders.map((f) => f.folder_id)
      expect(order.indexOf(1002)).toBeLessThan(order.indexOf(1001))
      expect(order.indexOf(1008)).toBeLessThan(order.indexOf(1007))
    })
  )

  it.scopedLive("TestCase: every field, names resolved, HTML and Unicode byte for byte, scripts", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const cases = rows(records, "TestCase")
      for (const tc of demoCases) {
        const script = data.testscripts[tc.key]
        expect(cases.find((r) => r.key === tc.key)).toEqual({
          source_system: "zephyr-scale-cloud",
          source_id: String(tc.id),
          source_key: tc.key,
          test_case_id: tc.id,
          project_id: String(DEMO.id),
          folder_id: tc.folder?.id ?? null,
          key: tc.key,
          name: tc.name,
          objective: tc.objective ?? null,
          precondition: tc.precondition ?? null,
          estimated_time_ms: tc.estimatedTime ?? null,
          priority: priorityName.get(tc.priority.id),
          status: statusName.get(tc.status.id),
          owner_id: tc.owner?.accountId ?? null,
          created_on: tc.createdOn,
          updated_at: null,
          labels: tc.labels ?? [],
          component: tc.component ? String(tc.component.id) : null,
          script_type: script === undefined ? "STEP_BY_STEP" : script.type === "bdd" ? "BDD" : "PLAIN_TEXT",
          script_text: script?.text ?? null,
          version: null
        })
      }
      const byKey = (key: string) => cases.find((c) => c.key === key)!
      expect(byKey("DEMO-T20").script_type).toBe("PLAIN_TEXT")
      expect(byKey("DEMO-T21").script_type).toBe("BDD")
      expect(byKey("DEMO-T21").script_text).toContain("| JPY      | ¥      |")
      expect(byKey("DEMO-T22").folder_id).toBeNull()
      expect(byKey("DEMO-T15").name).toBe("واجهة عربية: اختبار تسجيل الدخول")
      expect(byKey("DEMO-T1").precondition).toBe("<ul><li>User <code>jane@example.com</code> exists</li><li>Account is <em>active</em></li></ul>")
    })
  )

  it.scopedLive("TestStep: inline steps with test data, call-to-test with parameters, ids and order", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const steps = rows(records, "TestStep")
      for (const tc of demoCases) {
        const expected = data.teststeps[tc.key] ?? []
        const actual = steps.filter((s) => s.test_case_id === tc.id).sort((a, b) => a.step_order - b.step_order)
        expect(actual).toHaveLength(expected.length)
        expected.forEach((s, order) => {
          const common = { source_system: "zephyr-scale-cloud", source_id: String(s.id), source_key: null, step_id: s.id, test_case_id: tc.id, step_order: order, created_at: null, updated_at: null }
          expect(actual[order]).toEqual(
            s.testCase
              ? { ...common, description: "", expected_result: null, test_data: null, called_test_case_key: s.testCase.testCaseKey, parameters: (s.testCase.parameters ?? []).map((p) => ({ name: p.name, type: p.type, value: p.value ?? null })) }
              : { ...common, description: s.inline?.description ?? "", expected_result: s.inline?.expectedResult ?? null, test_data: s.inline?.testData ?? null, called_test_case_key: null, parameters: null }
          )
        })
      }
      const calls = steps.filter((s) => s.called_test_case_key !== null)
      expect(calls.map((s) => s.called_test_case_key).sort()).toEqual(["DEMO-T12", "DEMO-T13"])
      expect(calls.find((s) => s.called_test_case_key === "DEMO-T12")?.parameters).toEqual([
        { name: "item", type: "DEFAULT_VALUE", value: "Blue mug ☕" },
        { name: "quantity", type: "MANUAL_INPUT", value: "2" }
      ])
    })
  )

  it.scopedLive("CustomField: one per field of cases, steps, plans, cycles and executions, every type inferred", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const fields = rows(records, "CustomField")
      const expected: Array<{ object_type: string; object_id: number; field_name: string; value: unknown }> = []
      const add = (object_type: string, object_id: number, cf: Readonly<Record<string, unknown>> | undefined) => {
        for (const [field_name, value] of Object.entries(cf ?? {})) expected.push({ object_type, object_id, field_name, value })
      }
      for (const tc of demoCases) {
        add("TestCase", tc.id, tc.customFields)
        for (const s of data.teststeps[tc.key] ?? []) if (s.inline && s.id != null) add("TestStep", s.id, s.inline.customFields)
      }
      for (const p of demoPlans) add("TestPlan", p.id, p.customFields)
      for (const c of demoCycles) add("TestCycle", c.id, c.customFields)
      for (const e of demoExecutions) add("TestExecution", e.id, e.customFields)
      expect(fields).toHaveLength(expected.length)
      for (const x of expected) {
        const row = fields.find((f) => f.object_type === x.object_type && f.object_id === x.object_id && f.field_name === x.field_name)
        expect(row?.value_json).toEqual(x.value)
        expect(row?.field_value).toBe(typeof x.value === "string" ? x.value : JSON.stringify(x.value))
        expect(row?.source_id).toBe(`${x.object_type}/${x.object_id}/${x.field_name}`)
      }
      const typeOf = (object_type: string, field_name: string) => new Set(fields.filter((f) => f.object_type === object_type && f.field_name === field_name).map((f) => f.field_type))
      expect(typeOf("TestCase", "Build Number")).toEqual(new Set(["NUMBER"]))
      expect(typeOf("TestCase", "Release Date")).toEqual(new Set(["DATE"]))
      expect(typeOf("TestCase", "Implemented")).toEqual(new Set(["BOOLEAN"]))
      expect(typeOf("TestCase", "Category")).toEqual(new Set(["MULTI_SELECT"]))
      expect(typeOf("TestCase", "Short Note")).toEqual(new Set(["TEXT"]))
      expect(typeOf("TestCase", "Pre-Condition(s)")).toEqual(new Set(["TEXT"]))
      // Every demo user id shape — classic hex, Zephyr's documented example, `<n>:<uuid>` — is a USER.
      expect(typeOf("TestCase", "Tester")).toEqual(new Set(["USER"]))
      expect(typeOf("TestPlan", "Release Manager")).toEqual(new Set(["USER"]))
      expect(typeOf("TestPlan", "Sign-off Date")).toEqual(new Set(["DATE"]))
      expect(typeOf("TestStep", "Step Type")).toEqual(new Set(["TEXT"]))
      expect(fields.find((f) => f.field_name === "Pre-Condition(s)")?.field_value).toBe(
        "User should have logged in. <br> User should have navigated to the administration panel."
      )
      expect(fields.find((f) => f.field_name === "Category" && f.object_id === 50003)?.field_value).toBe('["Performance","Regression"]')
    })
  )

  it.scopedLive("Link: issue, web and plan → cycle links with their relation", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const links = rows(records, "Link")
      type L = { object_type: string; object_id: number; kind: string; id: number; target: string; relation: string; issue_id: number | null; description: string | null }
      const expected: Array<L> = []
      const issues = (object_type: string, object_id: number, list: ReadonlyArray<{ id: number; issueId: number; target: string; type: string }> | undefined) =>
        (list ?? []).forEach((l) => expected.push({ object_type, object_id, kind: "ISSUE", id: l.id, target: l.target, relation: l.type, issue_id: l.issueId, description: null }))
      const web = (object_type: string, object_id: number, list: ReadonlyArray<{ id: number; url: string; type: string; description?: string | null | undefined }> | undefined) =>
        (list ?? []).forEach((l) => expected.push({ object_type, object_id, kind: "WEB", id: l.id, target: l.url, relation: l.type, issue_id: null, description: l.description ?? null }))
      for (const tc of demoCases) (issues("TestCase", tc.id, tc.links?.issues), web("TestCase", tc.id, tc.links?.webLinks))
      for (const p of demoPlans) {
        issues("TestPlan", p.id, p.links?.issues)
        web("TestPlan", p.id, p.links?.webLinks)
        for (const l of p.links?.testCycles ?? [])
          expected.push({ object_type: "TestPlan", object_id: p.id, kind: "TEST_CYCLE", id: l.id, target: String(l.testCycleId), relation: l.type, issue_id: null, description: null })
      }
      for (const c of demoCycles) (issues("TestCycle", c.id, c.links?.issues), web("TestCycle", c.id, c.links?.webLinks))
      for (const e of demoExecutions) issues("TestExecution", e.id, e.links?.issues)
      expect(links).toHaveLength(expected.length)
      for (const x of expected) {
        const sourceId = `${x.object_type}/${x.object_id}/${x.kind}/${x.id}`
        const row = links.find((l) => l.source_id === sourceId)
        expect(row).toMatchObject({ object_type: x.object_type, object_id: x.object_id, kind: x.kind, target: x.target, relation: x.relation, issue_id: x.issue_id, description: x.description })
      }
      expect(new Set(links.map((l) => l.kind))).toEqual(new Set(["ISSUE", "WEB", "TEST_CYCLE"]))
    })
  )

  it.scopedLive("TestPlan and TestCycle: every field", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      for (const p of demoPlans)
        expect(rows(records, "TestPlan").find((r) => r.test_plan_id === p.id)).toEqual({
          source_system: "zephyr-scale-cloud",
          source_id: String(p.id),
          source_key: p.key,
          test_plan_id: p.id,
          project_id: String(DEMO.id),
          folder_id: p.folder?.id ?? null,
          key: p.key,
          name: p.name,
          objective: p.objective ?? null,
          status: statusName.get(p.status.id),
          owner_id: p.owner?.accountId ?? null,
          labels: p.labels ?? [],
          created_at: null,
          updated_at: null
        })
      for (const c of demoCycles)
        expect(rows(records, "TestCycle").find((r) => r.test_cycle_id === c.id)).toEqual({
          source_system: "zephyr-scale-cloud",
          source_id: String(c.id),
          source_key: c.key,
          test_cycle_id: c.id,
          project_id: String(DEMO.id),
          folder_id: c.folder?.id ?? null,
          key: c.key,
          name: c.name,
          description: c.description ?? null,
          planned_start_date: c.plannedStartDate ?? null,
          planned_end_date: c.plannedEndDate ?? null,
          status: statusName.get(c.status.id),
          owner_id: c.owner?.accountId ?? null,
          created_at: null,
          updated_at: null,
          jira_project_version_id: c.jiraProjectVersion?.id ?? null
        })
    })
  )

  it.scopedLive("TestExecution: all of them (history and ad hoc), case version from the link, step results", () =>
    Effect.gen(function* () {
      const { records } = yield* demo
      const executions = rows(records, "TestExecution")
      const results = rows(records, "ExecutionStepResult")
      for (const e of demoExecutions) {
        const m = /\/testcases\/([^/]+)\/versions\/(\d+)$/.exec(e.testCase.self)!
        expect(executions.find((r) => r.execution_id === e.id)).toEqual({
          source_system: "zephyr-scale-cloud",
          source_id: String(e.id),
          source_key: e.key ?? null,
          execution_id: e.id,
          test_cycle_id: e.testCycle?.id ?? null,
          // the current case's id, also for executions of an older version (whose link id names the version)
          test_case_id: demoCases.find((c) => c.key === m[1])!.id,
          status: statusName.get(e.testExecutionStatus.id),
          executed_by_id: e.executedById ?? null,
          assigned_to_id: e.assignedToId ?? null,
          execution_time_ms: e.executionTime ?? null,
          actual_end_date: e.actualEndDate ?? null,
          environment: e.environment ? environmentName.get(e.environment.id) : null,
          comment: e.comment ?? null,
          automated: e.automated ?? false,
          created_at: null,
          updated_at: null,
          key: e.key ?? null,
          project_id: String(DEMO.id),
          test_case_key: m[1],
          test_case_version: Number(m[2]),
          estimated_time_ms: e.estimatedTime ?? null,
          jira_project_version_id: e.jiraProjectVersion?.id ?? null
        })
        const expected = data.executionsteps[String(e.id)] ?? []
        const actual = results.filter((r) => r.execution_id === e.id).sort((a, b) => a.step_order - b.step_order)
        expect(actual).toEqual(
          expected.map((s, order) => ({
            source_system: "zephyr-scale-cloud",
            source_id: String(s.id),
            source_key: null,
            step_result_id: s.id,
            execution_id: e.id,
            step_order: order,
            description: s.inline.description ?? null,
            test_data: s.inline.testData ?? null,
            expected_result: s.inline.expectedResult ?? null,
            status: statusName.get(s.inline.status.id),
            actual_result: s.inline.actualResult ?? null,
            comment: null,
            test_data_row_number: s.inline.testDataRowNumber ?? null,
            created_at: null,
            updated_at: null
          }))
        )
      }
      // History: some (cycle, case) items ran more than once, and every run is there.
      const perItem = new Map<string, number>()
      for (const r of executions) if (r.test_cycle_id !== null) perItem.set(`${r.test_cycle_id}/${r.test_case_key}`, (perItem.get(`${r.test_cycle_id}/${r.test_case_key}`) ?? 0) + 1)
      expect(Math.max(...perItem.values())).toBeGreaterThan(1)
      expect(executions.filter((r) => r.test_cycle_id === null).length).toBe(demoExecutions.filter((e) => !e.testCycle).length)
      // Older versions of DEMO-T1 were executed: the version and the version link's id come through.
      expect(executions.some((r) => r.test_case_key === "DEMO-T1" && r.test_case_version === 1)).toBe(true)
      expect(executions.some((r) => r.test_case_key === "DEMO-T1" && r.test_case_version === 3)).toBe(true)
    })
  )

  it.scopedLive("Attachment: cases and executions, bytes in the blob store equal to the data's", () =>
    Effect.gen(function* () {
      const { records, stateDir, sandbox } = yield* demo
      const attachments = rows(records, "Attachment")
      const caseId = new Map(demoCases.map((tc) => [tc.key, tc.id]))
      let n = 0
      for (const [owner, list] of Object.entries(data.attachments)) {
        const [kind, ref = ""] = owner.split("/")
        const relatedId = kind === "testcases" ? caseId.get(ref) : demoExecutions.find((e) => String(e.id) === ref)?.id
        if (relatedId === undefined) continue // OTHER's
        for (const a of list) {
          n++
          const bytes = Buffer.from(a.base64, "base64")
          const row = attachments.find((r) => r.attachment_id === a.id)
          expect(row).toEqual({
            source_system: "zephyr-scale-cloud",
            source_id: String(a.id),
            source_key: null,
            attachment_id: a.id,
            related_type: kind === "testcases" ? "TestCase" : "TestExecution",
            related_id: relatedId,
            attachment_name: a.name,
            attachment_blob: null,
            attachment_url: `${sandbox.baseUrl}/${kind}/${encodeURIComponent(ref)}/attachments/${a.id}`,
            created_at: null,
            content_type: a.contentType,
            size_bytes: bytes.byteLength,
            sha256: sha256(bytes),
            blob_path: `blobs/${sha256(bytes)}`
          })
          expect(sha256(readFileSync(path.join(stateDir, row!.blob_path!)))).toBe(sha256(bytes))
        }
      }
      expect(attachments).toHaveLength(n)
      expect(n).toBeGreaterThanOrEqual(6)
    })
  )

  it.scopedLive("reads only the configured project: no OTHER record, no project listing", () =>
    Effect.gen(function* () {
      const { records, sandbox } = yield* demo
      const json = JSON.stringify(records)
      expect(json).not.toContain("OTHER-")
      expect(json).not.toContain("other.txt")
      for (const r of records) if (r.entity !== "Quarantine" && "project_id" in r.data) expect(r.data.project_id).toBe(String(DEMO.id))
      const otherIds = new Set<number>([
        ...data.testcases.filter((t) => !inDemo(t)).map((t) => t.id),
        ...data.testcycles.filter((c) => !inDemo(c)).map((c) => c.id),
        ...data.testexecutions.filter((e) => !inDemo(e)).map((e) => e.id),
        ...data.folders.filter((f) => !inDemo(f)).map((f) => f.id)
      ])
      for (const f of rows(records, "Folder")) expect(otherIds.has(f.folder_id)).toBe(false)
      for (const e of rows(records, "TestExecution")) expect(otherIds.has(e.execution_id)).toBe(false)
      expect(OTHER.id).not.toBe(DEMO.id)
      expect(sandbox.stats().byPath["/v2/projects"]).toBeUndefined()
    })
  )

  it.scopedLive("request count of a demo extraction is one per list page and one per child call", () =>
    Effect.gen(function* () {
      const { requests, sandbox } = yield* demo
      const stats = sandbox.stats()
      expect(requests).toBe(stats.requests)
      const scripted = demoCases.filter((tc) => (data.teststeps[tc.key] ?? []).length === 0).length
      // project + folders + 3 lookups + 4 entity lists (one page each) + per case (steps, attachment list)
      // + script calls + per execution (steps, attachment list) + one download per file.
      expect(requests).toBe(1 + 1 + 3 + 4 + 2 * demoCases.length + scripted + 2 * demoExecutions.length + demoAttachmentFiles)
    })
  )
})

describe("ZephyrSource.extract under other tenant behaviours", () => {
  it.scopedLive("a server that caps maxResults at 3 yields the same records", () =>
    Effect.gen(function* () {
      const full = yield* demo
      const capped = yield* harness({ maxResultsCap: 3 })
      const records = yield* extractAll(capped.source)
      const normalise = (rs: ReadonlyArray<Extracted>, baseUrl: string) => JSON.parse(JSON.stringify(rs).split(baseUrl).join("<base>")) as unknown
      expect(normalise(records, capped.sandbox.baseUrl)).toEqual(normalise(full.records, full.sandbox.baseUrl))
      // 25 cases at 3 per page: 9 cursor pages (the last one short, with `next: null`).
      expect(capped.sandbox.stats().byPath["/v2/testcases/nextgen"]).toBe(9)
    })
  )

  it.scopedLive("a small configured pageSize pages through and yields the same records", () =>
    Effect.gen(function* () {
      const full = yield* demo
      const paged = yield* harness({}, { pageSize: 7 })
      const records = yield* extractAll(paged.source)
      expect(records.length).toBe(full.records.length)
      expect(paged.sandbox.stats().byPath["/v2/testexecutions/nextgen"]).toBe(Math.ceil(demoExecutions.length / 7))
    })
  )

  it.scopedLive("a malformed test case, step or execution is quarantined and the rest extracted", () =>
    Effect.gen(function* () {
      const bad = demoData()
      const h = yield* harness({ data: bad })
      // The sandbox validates data files when it starts; corrupting the served objects afterwards is how a real
      // tenant's odd record reaches the client without a validator in the way.
      const t2 = bad.testcases.find((t) => t.key === "DEMO-T2")! as { name: unknown }
      t2.name = 42
      const t5step = (bad.teststeps["DEMO-T5"]![0]! as { inline: { description: unknown } }).inline
      t5step.description = { html: "not a string" }
      const exec = bad.testexecutions.find((e) => inDemo(e))! as { testExecutionStatus: { id: number; self: string } }
      exec.testExecutionStatus = { ...exec.testExecutionStatus, id: 999999 }
      const t3 = bad.testcases.find((t) => t.key === "DEMO-T3")! as { priority: { id: number; self: string } }
      t3.priority = { ...t3.priority, id: 424242 }

      const records = yield* extractAll(h.source)
      const q = quarantined(records)
      expect(q.map((x) => [x.of, x.source_id])).toEqual([
        ["TestCase", "50002"],
        ["TestStep", String(bad.teststeps["DEMO-T5"]![0]!.id)],
        ["TestExecution", String(bad.testexecutions.find((e) => inDemo(e))!.id)]
      ])
      expect(q[0]?.reason).toBe("test case DEMO-T2 is malformed (name: Expected string, actual 42) — fix it in Zephyr; the next run reads it again")
      expect((q[0]?.payload as { name: unknown }).name).toBe(42)
      expect(q[1]?.reason).toMatch(/^step 1 of test case DEMO-T5 is malformed \(.*description.*\) — fix it in Zephyr/)
      expect(q[2]?.reason).toContain("999999")
      expect(rows(records, "TestCase")).toHaveLength(demoCases.length - 1)
      expect(rows(records, "TestStep").filter((s) => s.test_case_id === 50005)).toHaveLength(1)
      expect(rows(records, "TestExecution")).toHaveLength(demoExecutions.length - 1)
      // A link the lookups cannot resolve is not a malformed record: null name, and a warning in the report.
      expect(rows(records, "TestCase").find((t) => t.key === "DEMO-T3")?.priority).toBeNull()
      expect(h.ctx.notes()).toMatchObject([
        { kind: "warning", entity: "TestCase", sourceId: "DEMO-T3", message: "priority id 424242 is not in the project's priority list (deleted in Zephyr?): stored as null", count: 1 },
        // executions of the quarantined DEMO-T2 cannot be resolved to a case id, and say so
        { kind: "warning", entity: "TestExecution", message: expect.stringContaining("not in the project's test cases") }
      ])
    })
  )

  it.scopedLive("a tenant without attachment endpoints: one skip note, no attachments, no failure", () =>
    Effect.gen(function* () {
      const h = yield* harness({ attachments: false })
      const records = yield* extractAll(h.source)
      expect(rows(records, "Attachment")).toEqual([])
      expect(rows(records, "TestExecution")).toHaveLength(demoExecutions.length)
      expect(h.ctx.notes()).toMatchObject([
        { kind: "skip", system: "zephyr", entity: "Attachment", message: "this Zephyr tenant has no attachment endpoints (404): attachments not extracted", count: 1 }
      ])
      // It stops asking: at most the calls that were already in flight when the first 404 came back.
      const asked = (h.sandbox.stats().byPath["/v2/testcases/{testCaseKey}/attachments"] ?? 0) + (h.sandbox.stats().byPath["/v2/testexecutions/{testExecutionIdOrKey}/attachments"] ?? 0)
      expect(asked).toBeGreaterThanOrEqual(1)
      expect(asked).toBeLessThanOrEqual(h.ctx.concurrency)
    })
  )

  it.scopedLive("attachments: false in the config asks no attachment endpoint", () =>
    Effect.gen(function* () {
      const h = yield* harness({}, { attachments: false })
      const records = yield* extractAll(h.source)
      expect(rows(records, "Attachment")).toEqual([])
      expect(Object.keys(h.sandbox.stats().byPath).filter((p) => p.includes("attachments"))).toEqual([])
    })
  )

  it.scopedLive("fetchVersions: one extra request per case gives the current version number", () =>
    Effect.gen(function* () {
      const h = yield* harness({}, { fetchVersions: true, attachments: false })
      const records = yield* extractAll(h.source)
      const versions = Object.fromEntries(rows(records, "TestCase").map((tc) => [tc.key, tc.version]))
      for (const tc of demoCases) expect(versions[tc.key]).toBe(data.versions?.[tc.key] ?? 1)
      expect(h.sandbox.stats().byPath["/v2/testcases/{testCaseKey}/versions"]).toBe(demoCases.length)
    })
  )

  it.scopedLive("survives injected faults and throttling (core retries), with the same records", () =>
    Effect.gen(function* () {
      const full = yield* demo
      // 25/s is below any machine's pace (150/s was not on a loaded CI machine), so 429s are certain.
      const h = yield* harness({ faultRate: 0.05, seed: 7, rateLimit: 25 }, {}, { maxAttempts: 10 })
      const records = yield* extractAll(h.source)
      const normalise = (rs: ReadonlyArray<Extracted>, baseUrl: string) => JSON.parse(JSON.stringify(rs).split(baseUrl).join("<base>")) as unknown
      expect(normalise(records, h.sandbox.baseUrl)).toEqual(normalise(full.records, full.sandbox.baseUrl))
      expect(h.sandbox.stats().faults).toBeGreaterThan(0)
      expect(h.sandbox.stats().throttled).toBeGreaterThan(0)
    })
  )
})
