/**
 * "The project arrived complete": the canonical store after a run, compared with what qTest returns through its
 * API, entity by entity and field by field. Plain values (names, keys, counts, order, dates, statuses through the
 * spec's default maps) are compared directly with the store; where the sink renders (rich text, step
 * descriptions with test data, call parameters, notes), the expectation is computed from the store with the
 * mapping's own functions. Attachment bytes are downloaded from qTest and hashed, and hashed again from the
 * blob store.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { expect } from "@effect/vitest"
import { ROOT_CASES_MODULE } from "../../../../plugins/qtest/load/loadTestDesign.ts"
import {
  actualResult,
  appendLabelled,
  callParameters,
  customFieldValue,
  displayValue,
  logNote,
  releaseNote,
  richText,
  scriptToDescription,
  sortedResults,
  stepDescription,
  type CustomField
} from "../../../../plugins/qtest/mapping/index.ts"
import { qtestConfigDefaults } from "../../../../plugins/qtest/QtestConfig.ts"
import { CREATED_VIA_API } from "../../../../plugins/qtest/sandbox/index.ts"
import { storeRows } from "./harness.ts"
import { EXECUTION_KEY, namesOf, propertyValue, readQtest, sandboxParameters, sha256, ZEPHYR_KEY, type QtestTarget } from "./qtestContents.ts"

/** How the sandbox shows its API user, to whom the spec maps every Zephyr user. */
export const SANDBOX_USER_NAME = "Migration Bot"

const mapped = (map: Readonly<Record<string, string>>, value: string | null) => (value === null ? undefined : (map[value] ?? map["default"]))

type Tree = ReadonlyArray<{ readonly name: string; readonly children: Tree }>

/** A custom field's value as qTest shows it, by the Zephyr type the extract inferred. */
const shownCustomField = (f: CustomField): string | undefined => {
  const v = customFieldValue(f)
  if (v === null || v === undefined || v === "") return undefined
  switch (f.field_type) {
    case "BOOLEAN":
      return v === true ? "Yes" : "No"
    case "MULTI_SELECT":
      return (v as ReadonlyArray<string>).map(String).sort().join(", ")
    case "USER":
      return SANDBOX_USER_NAME
    case "DATE":
      return `${String(v)}T00:00:00.000Z`
    default:
      return displayValue(v)
  }
}

const expectCustomFields = (props: Parameters<typeof propertyValue>[0], fields: ReadonlyArray<CustomField>, what: string) => {
  for (const f of fields) expect(propertyValue(props, f.field_name), `${what}: custom field "${f.field_name}" (${f.field_type})`).toBe(shownCustomField(f))
}

export interface Completeness {
  readonly cases: number
  readonly steps: number
  readonly runs: number
  readonly logs: number
  readonly stepLogs: number
  readonly attachments: number
  /** Pairs (cycle, case) with more than one execution. */
  readonly repeatedPairs: number
  readonly executionsWithoutCycle: number
  /** Cycles a test plan links, checked to target the plan's release. */
  readonly targetedCycles: number
  readonly fieldTypes: ReadonlyArray<string>
}

export const expectArrivedComplete = (statePath: string, target: QtestTarget) =>
  Effect.gen(function* () {
    const folders = yield* storeRows(statePath, "Folder")
    const cases = yield* storeRows(statePath, "TestCase")
    const steps = yield* storeRows(statePath, "TestStep")
    const customFields = yield* storeRows(statePath, "CustomField")
    const cycles = yield* storeRows(statePath, "TestCycle")
    const executions = yield* storeRows(statePath, "TestExecution")
    const results = yield* storeRows(statePath, "ExecutionStepResult")
    const attachments = yield* storeRows(statePath, "Attachment")
    const plans = yield* storeRows(statePath, "TestPlan")
    const links = yield* storeRows(statePath, "Link")
    const q = yield* readQtest(target)
    const names = namesOf(q)
    const fieldsOf = (type: CustomField["object_type"], id: number) => customFields.filter((f) => f.object_type === type && f.object_id === id)

    // ---- Test Design: the module tree is the TEST_CASE folder tree (names, nesting, sibling order) ----------
    const byOrder = <F extends { sort_order: number; folder_id: number }>(a: F, b: F) => a.sort_order - b.sort_order || a.folder_id - b.folder_id
    const caseFolders = folders.filter((f) => f.type === "TEST_CASE")
    const folderTree = (parent: number | null): Tree =>
      caseFolders.filter((f) => f.parent_folder_id === parent).sort(byOrder).map((f) => ({ name: f.name, children: folderTree(f.folder_id) }))
    const moduleTree = (list: ReadonlyArray<{ name: string; children?: ReadonlyArray<unknown> | null | undefined }>): Tree =>
      list.map((m) => ({ name: m.name, children: moduleTree((m.children ?? []) as typeof list) }))
    const roots = q.modules.filter((m) => m.path.split("/").length === 2).map((m) => m.raw)
    const withoutFolder = cases.some((c) => c.folder_id === null)
    expect(moduleTree(roots)).toEqual([...folderTree(null), ...(withoutFolder ? [{ name: ROOT_CASES_MODULE, children: [] }] : [])])
    expect(q.modules.map((m) => m.raw.name)).not.toContain(CREATED_VIA_API)

    // ---- test cases, field by field -------------------------------------------------------------------------
    expect(q.cases).toHaveLength(cases.length)
    const qCase = new Map(q.cases.map((c) => [propertyValue(c.raw.properties, ZEPHYR_KEY), c]))
    expect([...qCase.keys()].sort()).toEqual(cases.map((c) => c.key).sort())
    const qIdOf = (key: string) => qCase.get(key)?.raw.id
    const caseByKey = new Map(cases.map((c) => [c.key, c]))
    const stepsOf = (caseId: number) => steps.filter((s) => s.test_case_id === caseId).sort((a, b) => a.step_order - b.step_order)
    let stepCount = 0
    for (const tc of cases) {
      const got = qCase.get(tc.key)!
      const folder = folders.find((f) => f.folder_id === tc.folder_id)
      expect(got.modulePath, tc.key).toBe(folder ? folder.path : `/${ROOT_CASES_MODULE}`)
      expect(got.raw.name, tc.key).toBe(tc.name)
      expect(got.raw.version, `${tc.key}: the migrated version is approved`).toBe("1.0")
      const scripted = tc.script_type !== "STEP_BY_STEP"
      expect(got.raw.description, tc.key).toBe(scripted ? scriptToDescription(tc.objective, tc.script_type as "BDD" | "PLAIN_TEXT", tc.script_text) : richText(tc.objective))
      expect(got.raw.precondition, tc.key).toBe(richText(tc.precondition))
      expect(propertyValue(got.raw.properties, "Priority"), tc.key).toBe(mapped(qtestConfigDefaults.maps.priority, tc.priority))
      expectCustomFields(got.raw.properties, fieldsOf("TestCase", tc.test_case_id), tc.key)
      const own = stepsOf(tc.test_case_id)
      const qs = got.raw.test_steps ?? []
      expect(qs, `${tc.key}: steps`).toHaveLength(scripted ? 0 : own.length)
      stepCount += qs.length
      if (scripted) continue
      own.forEach((s, i) => {
        const qStep = qs[i]!
        const at = `${tc.key} step ${i + 1}`
        expect(qStep.order, at).toBe(i + 1)
        if (s.called_test_case_key !== null) {
          expect(qStep.called_test_case_id, `${at} calls ${s.called_test_case_key}`).toBe(qIdOf(s.called_test_case_key))
          expect(qStep.description, at).toBe(callParameters(s.parameters))
          return
        }
        const extra = fieldsOf("TestStep", s.step_id)
          .filter((f) => shownCustomField(f) !== undefined)
          .sort((a, b) => (a.field_name < b.field_name ? -1 : 1))
          .map((f) => [f.field_name, displayValue(customFieldValue(f))] as const)
        expect(qStep.called_test_case_id ?? null, at).toBeNull()
        expect(qStep.description, at).toBe(appendLabelled(stepDescription(s.description, s.test_data), extra))
        expect(qStep.expected, at).toBe(richText(s.expected_result))
      })
    }
    // literal `[~` is escaped: qTest made no parameter of it
    expect(yield* sandboxParameters(target)).toEqual([])

    // ---- Test Execution: cycle folders and cycles, nested the same way --------------------------------------
    const cycleFolders = folders.filter((f) => f.type === "TEST_CYCLE")
    const withoutCycleName = qtestConfigDefaults.executionsWithoutCycle
    const cyclePath = (cycleId: number | null): string => {
      if (cycleId === null) return `/${withoutCycleName}`
      const c = cycles.find((x) => x.test_cycle_id === cycleId)!
      const folder = cycleFolders.find((f) => f.folder_id === c.folder_id)
      return `${folder?.path ?? ""}/${c.name}`
    }
    // children: the folders in Zephyr's order first (created one after another), then the cycles (by name: they
    // are created concurrently)
    const expectedChildren = (folderId: number | null): ReadonlyArray<string> => [
      ...cycleFolders.filter((f) => f.parent_folder_id === folderId).sort(byOrder).map((f) => f.name),
      ...[
        ...cycles.filter((c) => c.folder_id === folderId).map((c) => c.name),
        ...(folderId === null && executions.some((e) => e.test_cycle_id === null) ? [withoutCycleName] : [])
      ].sort()
    ]
    const actualChildren = (list: ReadonlyArray<string>, folderCount: number) => [...list.slice(0, folderCount), ...list.slice(folderCount).sort()]
    const rootCycles = q.cycles.filter((c) => c.path.split("/").length === 2).map((c) => c.raw.name)
    const rootFolders = cycleFolders.filter((f) => f.parent_folder_id === null).length
    expect(actualChildren(rootCycles, rootFolders), "root of Test Execution").toEqual(expectedChildren(null))
    for (const f of cycleFolders) {
      const node = q.cycles.find((c) => c.path === f.path)
      expect(node, `cycle folder ${f.path}`).toBeDefined()
      expect(node!.raw.description ?? "", f.path).toBe("")
      expect(actualChildren(node!.children, cycleFolders.filter((x) => x.parent_folder_id === f.folder_id).length), f.path).toEqual(expectedChildren(f.folder_id))
    }
    for (const c of cycles) {
      const node = q.cycles.find((x) => x.path === cyclePath(c.test_cycle_id))
      expect(node, c.key).toBeDefined()
      expect(node!.raw.description ?? "", c.key).toBe(richText(c.description))
    }
    expect(q.cycles).toHaveLength(cycleFolders.length + cycles.length + (executions.some((e) => e.test_cycle_id === null) ? 1 : 0))

    // ---- test plans → releases; a cycle a plan links targets the plan's release ------------------------------
    expect(q.releases).toHaveLength(plans.length)
    let targetedCycles = 0
    for (const p of plans) {
      const release = q.releases.filter((r) => r.note === releaseNote(p.key))
      expect(release, p.key).toHaveLength(1)
      expect(release[0]!.name, p.key).toBe(p.name)
      expect(release[0]!.description ?? "", p.key).toBe(richText(p.objective))
      for (const l of links.filter((x) => x.object_type === "TestPlan" && x.object_id === p.test_plan_id && x.kind === "TEST_CYCLE")) {
        const node = q.cycles.find((c) => c.path === cyclePath(Number(l.target)))
        expect(node?.raw.target_release_id, `${p.key} links cycle ${l.target}`).toBe(release[0]!.id)
        targetedCycles++
      }
    }

    // ---- one test run per (cycle, case) pair ----------------------------------------------------------------
    const keyOfCase = (id: number) => cases.find((c) => c.test_case_id === id)!.key
    const pairOf = (e: (typeof executions)[number]) => `${cyclePath(e.test_cycle_id)} :: ${keyOfCase(e.test_case_id)}`
    const pairs = [...new Set(executions.map(pairOf))].sort()
    expect(q.runs.map((r) => names.runName.get(r.raw.id)).sort()).toEqual(pairs)
    for (const r of q.runs) expect(r.raw.name).toBe(caseByKey.get(names.case(r.raw.test_case?.id) ?? "")?.name)

    // ---- one test log per execution, in time order ----------------------------------------------------------
    const statusMap = qtestConfigDefaults.maps.executionStatus
    const expandedSteps = (key: string, seen: ReadonlyArray<string> = []): number => {
      const tc = caseByKey.get(key)
      if (tc === undefined || tc.script_type !== "STEP_BY_STEP") return 0
      return stepsOf(tc.test_case_id).reduce(
        (n, s) => n + (s.called_test_case_key === null ? 1 : seen.includes(s.called_test_case_key) ? 0 : expandedSteps(s.called_test_case_key, [...seen, key])),
        0
      )
    }
    // the steps a log reports against, from the store: the case's steps with every call expanded; a step of a
    // called case names that case and the calling step (the immediate one)
    interface StepRef {
      readonly step: string
      readonly calledCase: string | null
      readonly parentStep: string | null
    }
    const executedSteps = (key: string, call: { readonly owner: string; readonly parent: string } | null = null, seen: ReadonlyArray<string> = []): ReadonlyArray<StepRef> => {
      const tc = caseByKey.get(key)
      if (tc === undefined || tc.script_type !== "STEP_BY_STEP") return []
      return stepsOf(tc.test_case_id).flatMap((s, i) => {
        const ref = `${key}#${i + 1}`
        if (s.called_test_case_key !== null)
          return seen.includes(s.called_test_case_key) ? [] : executedSteps(s.called_test_case_key, { owner: s.called_test_case_key, parent: ref }, [...seen, key])
        return [{ step: ref, calledCase: call?.owner ?? null, parentStep: call?.parent ?? null }]
      })
    }
    const time = (e: (typeof executions)[number]) => (e.actual_end_date === null ? -Infinity : Date.parse(e.actual_end_date))
    let stepLogs = 0
    for (const r of q.runs) {
      const pair = names.runName.get(r.raw.id)
      const expected = executions.filter((e) => pairOf(e) === pair).sort((a, b) => time(a) - time(b) || a.execution_id - b.execution_id)
      const logs = q.logs.filter((l) => l.runId === r.raw.id).map((l) => l.raw)
      expect(logs.map((l) => propertyValue(l.properties, EXECUTION_KEY)), `${pair}: one log per execution, in time order`).toEqual(expected.map((e) => e.key))
      expected.forEach((e, i) => {
        const log = logs[i]!
        const at = `${e.key}`
        expect(log.status.name, at).toBe(mapped(statusMap, e.status))
        if (e.actual_end_date !== null) expect(Date.parse(log.exe_end_date), at).toBe(Date.parse(e.actual_end_date))
        expect(Date.parse(log.exe_end_date) - Date.parse(log.exe_start_date), `${at}: start = end − execution time`).toBe(e.execution_time_ms ?? 0)
        expect(log.note ?? "", at).toBe(logNote(e.comment) ?? "")
        const own = sortedResults(results.filter((x) => x.execution_id === e.execution_id))
        const refs = executedSteps(keyOfCase(e.test_case_id))
        expect(refs).toHaveLength(expandedSteps(keyOfCase(e.test_case_id)))
        const stepLogsOf = log.test_step_logs ?? []
        expect(stepLogsOf, `${at}: step logs`).toHaveLength(Math.min(own.length, refs.length))
        stepLogsOf.forEach((sl, j) => {
          const where = `${at} step log ${j + 1}`
          expect({ order: sl.order, step: names.step(sl.test_step_id), calledCase: names.case(sl.called_test_case_id), parentStep: names.step(sl.parent_test_step_id) }, where).toEqual({
            order: j + 1,
            ...refs[j]
          })
          expect(sl.status?.name, where).toBe(mapped(statusMap, own[j]!.status))
          expect(sl.actual_result ?? "", where).toBe(actualResult(own[j]!))
        })
        stepLogs += stepLogsOf.length
        expectCustomFields(log.properties, fieldsOf("TestExecution", e.execution_id), at)
      })
    }
    expect(q.logs).toHaveLength(executions.length)

    // ---- attachments: same names, same bytes as the blob store; one the source gave no file for is not there ---
    const withFiles = attachments.filter((a) => a.sha256 !== null)
    expect(q.attachments).toHaveLength(withFiles.length)
    for (const a of attachments) {
      const owner =
        a.related_type === "TestCase"
          ? { objectType: "test-cases", objectId: qIdOf(cases.find((c) => c.test_case_id === a.related_id)!.key) }
          : a.related_type === "TestExecution"
            ? { objectType: "test-logs", objectId: q.logs.find((l) => propertyValue(l.raw.properties, EXECUTION_KEY) === executions.find((e) => e.execution_id === a.related_id)!.key)?.raw.id }
            : { objectType: "test-steps", objectId: undefined }
      const got = q.attachments.filter((x) => x.objectType === owner.objectType && x.objectId === owner.objectId && x.name === a.attachment_name)
      if (a.sha256 === null || a.blob_path === null) {
        expect(got, `${a.attachment_name} on ${a.related_type} ${a.related_id}: no file at the source`).toHaveLength(0)
        continue
      }
      expect(got, `${a.attachment_name} on ${a.related_type} ${a.related_id}`).toHaveLength(1)
      const blob = sha256(fs.readFileSync(path.join(path.dirname(statePath), a.blob_path)))
      expect(blob).toBe(a.sha256)
      expect(got[0]!.sha256, a.attachment_name).toBe(blob)
      expect(got[0]!.size).toBe(a.size_bytes)
    }

    const repeated = new Map<string, number>()
    for (const e of executions) if (e.test_cycle_id !== null) repeated.set(pairOf(e), (repeated.get(pairOf(e)) ?? 0) + 1)
    return {
      cases: q.cases.length,
      steps: stepCount,
      runs: q.runs.length,
      logs: q.logs.length,
      stepLogs,
      attachments: q.attachments.length,
      repeatedPairs: [...repeated.values()].filter((n) => n > 1).length,
      executionsWithoutCycle: executions.filter((e) => e.test_cycle_id === null).length,
      targetedCycles,
      fieldTypes: [...new Set(customFields.map((f) => f.field_type))].sort()
    } satisfies Completeness
  })
