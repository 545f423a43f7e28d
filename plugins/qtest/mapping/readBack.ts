/**
 * What qTest returns (GET) → the shape of the body we sent, so `writtenHash(projection(resource)) ===
 * writtenHash(body)` exactly when qTest still holds what we wrote (`verify`). Per object kind, only the
 * fields we write are kept; what qTest adds is dropped:
 *
 * - ids, pid, links, web_url, order of the object itself, created/modified dates, creator, version (assigned
 *   by qTest; version also moves on approval);
 * - `field_name` / `field_value_name` of properties (qTest's echo of the label and the picklist label);
 *   properties are `{field_id, field_value}`, sorted by field id, restricted to the fields we manage
 *   (`managed`: the labels our mapping writes, resolved with Vocabulary.managedFields) and without empty
 *   values (qTest lists every field, set or not). Values are normalised per field kind: id lists sorted
 *   ("[2, 1]" → "[1,2]"), dates as ISO UTC with milliseconds, numbers as decimals;
 * - test steps: `{description, expected, order, called_test_case_id?}` sorted by order, without the steps of
 *   called cases that qTest may list expanded (those with a parent_test_step_id); step ids dropped;
 * - test logs: status as `{id}`, dates normalised, step logs as written (the read-only step description and
 *   expected result dropped);
 * - text (HTML) is compared as qTest echoes it; a null description/precondition/expected reads as "".
 * `test_case_version_id` and `attachments` are excluded by writtenHash itself.
 */
import type {
  AutomationTestLogBody,
  ManualTestLogBody,
  ModuleBody,
  PropertyValue,
  ReleaseBody,
  TestCaseBody,
  TestCycleBody,
  TestRunBody,
  TestStepBody,
  TestStepLogBody
} from "../api/requests.ts"
import { idList, parseIdList, type FieldKind } from "./FieldDataType.ts"
import { isoInstant } from "./isoInstant.ts"
import type { ManagedFields } from "./Vocabulary.ts"

type Maybe<A> = A | null | undefined

export interface PropertyShape {
  readonly field_id: number
  readonly field_value?: Maybe<string>
}

export interface ModuleShape {
  readonly name: string
}

export interface TestStepShape {
  readonly description?: Maybe<string>
  readonly expected?: Maybe<string>
  readonly order?: Maybe<number>
  readonly called_test_case_id?: Maybe<number>
  readonly parent_test_step_id?: Maybe<number>
}

export interface TestCaseShape {
  readonly name: string
  readonly parent_id?: Maybe<number>
  readonly description?: Maybe<string>
  readonly precondition?: Maybe<string>
  readonly properties?: Maybe<ReadonlyArray<PropertyShape>>
  readonly test_steps?: Maybe<ReadonlyArray<TestStepShape>>
}

export interface ReleaseShape {
  readonly name: string
  readonly description?: Maybe<string>
  readonly note?: Maybe<string>
  readonly properties?: Maybe<ReadonlyArray<PropertyShape>>
}

export interface TestCycleShape {
  readonly name: string
  readonly description?: Maybe<string>
  readonly target_release_id?: Maybe<number>
}

export interface TestRunShape {
  readonly name: string
  readonly test_case?: Maybe<{ readonly id: number }>
  readonly properties?: Maybe<ReadonlyArray<PropertyShape>>
}

export interface StatusShape {
  readonly id: number
  readonly name?: Maybe<string>
}

export interface TestStepLogShape {
  readonly test_step_id?: Maybe<number>
  readonly order?: Maybe<number>
  readonly status?: Maybe<StatusShape>
  readonly description?: Maybe<string>
  readonly expected_result?: Maybe<string>
  readonly actual_result?: Maybe<string>
  readonly called_test_case_id?: Maybe<number>
  readonly parent_test_step_id?: Maybe<number>
}

export interface TestLogShape {
  readonly status: StatusShape
  readonly exe_start_date: string
  readonly exe_end_date: string
  readonly note?: Maybe<string>
  readonly properties?: Maybe<ReadonlyArray<PropertyShape>>
  readonly test_step_logs?: Maybe<ReadonlyArray<TestStepLogShape>>
}

const normaliseValue = (kind: FieldKind, value: string): string => {
  switch (kind) {
    case "multiPicklist":
    case "multiUser": {
      const ids = parseIdList(value)
      return ids === undefined ? value : ids.length === 0 ? "" : idList(ids)
    }
    case "date":
      return isoInstant(value) ?? value
    case "number": {
      const n = Number(value.trim())
      return value.trim() !== "" && Number.isFinite(n) ? String(n) : value
    }
    default:
      return value
  }
}

/** Managed, non-empty properties as `{field_id, field_value}`, normalised and sorted by field id. */
export const projectProperties = (properties: Maybe<ReadonlyArray<PropertyShape>>, managed: ManagedFields): ReadonlyArray<PropertyValue> => {
  const result: Array<PropertyValue> = []
  const seen = new Set<number>()
  for (const p of properties ?? []) {
    const kind = managed.get(p.field_id)
    if (kind === undefined || seen.has(p.field_id) || p.field_value === null || p.field_value === undefined) continue
    const value = normaliseValue(kind, p.field_value)
    if (value === "") continue
    seen.add(p.field_id)
    result.push({ field_id: p.field_id, field_value: value })
  }
  return result.sort((a, b) => a.field_id - b.field_id)
}

const byOrder = <A extends { readonly order?: Maybe<number> }>(items: ReadonlyArray<A>): ReadonlyArray<A> =>
  items.map((item, i) => [item, i] as const).sort(([a, i], [b, j]) => (a.order ?? i) - (b.order ?? j) || i - j).map(([item]) => item)

const nonEmpty = (text: Maybe<string>): string | undefined => (text === null || text === undefined || text === "" ? undefined : text)

const idOf = (id: Maybe<number>): number | undefined => (id === null || id === undefined ? undefined : id)

const testStep = (step: TestStepShape, i: number): TestStepBody => {
  const called = idOf(step.called_test_case_id)
  return {
    description: step.description ?? "",
    expected: step.expected ?? "",
    order: step.order ?? i + 1,
    ...(called !== undefined ? { called_test_case_id: called } : {})
  }
}

const manualStepLog = (log: TestStepLogShape, i: number): TestStepLogBody => {
  const actual = nonEmpty(log.actual_result)
  const called = idOf(log.called_test_case_id)
  const parent = idOf(log.parent_test_step_id)
  return {
    test_step_id: log.test_step_id ?? 0,
    order: log.order ?? i + 1,
    status: { id: log.status?.id ?? 0 },
    ...(actual !== undefined ? { actual_result: actual } : {}),
    ...(called !== undefined ? { called_test_case_id: called } : {}),
    ...(parent !== undefined ? { parent_test_step_id: parent } : {})
  }
}

/** The part of an automation log a GET of the created test log can show: what `verify` hashes for batch logs. */
export interface AutomationTestLogWritten {
  readonly status: string
  readonly exe_start_date: string
  readonly exe_end_date: string
  readonly note?: string | undefined
  readonly properties: ReadonlyArray<PropertyValue>
  readonly test_step_logs: ReadonlyArray<{
    readonly order: number
    readonly status: string
    readonly description: string
    readonly expected_result: string
    readonly actual_result?: string | undefined
  }>
}

/**
 * What the sink hashes for a batch log: name, automation_content and module_names shape the automation case
 * and cycles qTest creates but are not part of the log a GET returns.
 */
export const automationTestLogWritten = (body: AutomationTestLogBody): AutomationTestLogWritten => ({
  status: body.status,
  exe_start_date: body.exe_start_date,
  exe_end_date: body.exe_end_date,
  ...(nonEmpty(body.note) !== undefined ? { note: body.note } : {}),
  properties: body.properties ?? [],
  test_step_logs: (body.test_step_logs ?? []).map((s) => ({
    order: s.order,
    status: s.status,
    description: s.description,
    expected_result: s.expected_result,
    ...(nonEmpty(s.actual_result) !== undefined ? { actual_result: s.actual_result } : {})
  }))
})

export const readBackProjection = {
  module: (resource: ModuleShape): ModuleBody => ({ name: resource.name }),

  testCase: (resource: TestCaseShape, managed: ManagedFields): TestCaseBody => {
    const parent = idOf(resource.parent_id)
    return {
      name: resource.name,
      ...(parent !== undefined ? { parent_id: parent } : {}),
      description: resource.description ?? "",
      precondition: resource.precondition ?? "",
      properties: projectProperties(resource.properties, managed),
      test_steps: byOrder((resource.test_steps ?? []).filter((s) => idOf(s.parent_test_step_id) === undefined)).map(testStep)
    }
  },

  release: (resource: ReleaseShape, managed: ManagedFields): ReleaseBody => ({
    name: resource.name,
    description: resource.description ?? "",
    note: resource.note ?? "",
    properties: projectProperties(resource.properties, managed)
  }),

  testCycle: (resource: TestCycleShape): TestCycleBody => {
    const release = idOf(resource.target_release_id)
    return { name: resource.name, description: resource.description ?? "", ...(release !== undefined ? { target_release_id: release } : {}) }
  },

  testRun: (resource: TestRunShape, managed: ManagedFields): TestRunBody => ({
    name: resource.name,
    test_case: { id: resource.test_case?.id ?? 0 },
    properties: projectProperties(resource.properties, managed)
  }),

  manualTestLog: (resource: TestLogShape, managed: ManagedFields): ManualTestLogBody => {
    const note = nonEmpty(resource.note)
    return {
      status: { id: resource.status.id },
      exe_start_date: isoInstant(resource.exe_start_date) ?? resource.exe_start_date,
      exe_end_date: isoInstant(resource.exe_end_date) ?? resource.exe_end_date,
      ...(note !== undefined ? { note } : {}),
      properties: projectProperties(resource.properties, managed),
      test_step_logs: byOrder(resource.test_step_logs ?? []).map(manualStepLog)
    }
  },

  /** A log created through auto-test-logs, read as a test log: statuses by name, in upper case; steps from 0. */
  automationTestLog: (resource: TestLogShape, managed: ManagedFields): AutomationTestLogWritten => {
    const note = nonEmpty(resource.note)
    return {
      status: (resource.status.name ?? "").toUpperCase(),
      exe_start_date: isoInstant(resource.exe_start_date) ?? resource.exe_start_date,
      exe_end_date: isoInstant(resource.exe_end_date) ?? resource.exe_end_date,
      ...(note !== undefined ? { note } : {}),
      properties: projectProperties(resource.properties, managed),
      test_step_logs: byOrder(resource.test_step_logs ?? []).map((s, i) => {
        const actual = nonEmpty(s.actual_result)
        return {
          order: i,
          status: (s.status?.name ?? "").toUpperCase(),
          description: s.description ?? "",
          expected_result: s.expected_result ?? "",
          ...(actual !== undefined ? { actual_result: actual } : {})
        }
      })
    }
  }
} as const
