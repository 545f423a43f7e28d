/**
 * Canonical test case (+ steps, custom fields, unlinked coverage) → the body of `POST/PUT …/test-cases`.
 *
 * - name ← name (plain, as is); parent_id ← the module of the case's folder (never "Created via API").
 * - description ← objective; precondition ← precondition (rich text, richText.ts). Both always sent ("" when
 *   empty) so an update clears what Zephyr cleared.
 * - properties (by label, Vocabulary): the Zephyr key (fields.zephyrKey), Priority and Status (through
 *   maps.priority / maps.testCaseStatus), labels, component, estimated time (minutes), owner (a user),
 *   coverage (Jira keys without a synced requirement), then every custom field.
 * - test_steps (order from 1): description ← description + test data (stepDescription.ts) + the step's custom
 *   fields as `<strong>Name:</strong> value` lines (qTest test-step fields cannot be created through the API);
 *   expected ← expected result. A call-to-test step → `called_test_case_id` (the caller looks the key up; cases
 *   are created in call order) with the call's parameters in the description (`parameter_values` semantics are
 *   undocumented); a call to a case not in qTest is a `call` gap and becomes a text step naming the key.
 * - PLAIN_TEXT / BDD scripts → the description or one step (scriptText.ts, the `scripts` setting).
 * - A STEP_BY_STEP case without steps sends `test_steps: []`.
 */
import { otherProject } from "./otherProject.ts"
import type { TestCaseBody, TestStepBody } from "../api/requests.ts"
import type { CustomField, TestCase, TestStep } from "./canonical.ts"
import { addCustomFieldProperties, customFieldValue } from "./customFieldProperties.ts"
import { MappingNotes, type Mapped } from "./MappingGap.ts"
import { PropertyList } from "./PropertyList.ts"
import { richText } from "./richText.ts"
import { scriptToDescription, scriptToStep } from "./scriptText.ts"
import { appendLabelled, stepDescription } from "./stepDescription.ts"
import { displayValue, type Vocabulary } from "./Vocabulary.ts"

export interface TestCaseInput {
  readonly testCase: TestCase
  /** The case's steps (any order; sorted by step_order here). */
  readonly steps: ReadonlyArray<TestStep>
  /** The case's custom fields (object_type TestCase). */
  readonly customFields: ReadonlyArray<CustomField>
  /** Custom fields of its steps (object_type TestStep, object_id = step_id). */
  readonly stepCustomFields?: ReadonlyArray<CustomField> | undefined
  /** Jira issue keys the case covers that have no synced qTest requirement to link to. */
  readonly coverage?: ReadonlyArray<string> | undefined
}

export interface TestCaseIds {
  /** The qTest module of the case's folder. */
  readonly moduleId: number
  /** The qTest id of an already migrated case, by Zephyr key (for call-to-test steps). */
  readonly calledTestCaseId: (key: string) => number | undefined
  /** The Zephyr projects of this migration's store: a call into another one cannot be a qTest call. */
  readonly ownProjects?: ReadonlySet<string> | undefined
}

export interface TestCaseOptions {
  readonly scripts: "description" | "step"
}

/** Zephyr estimated time (ms) → minutes, to two decimals. */
export const estimatedMinutes = (ms: number): number => Math.round(ms / 600) / 100

type Parameters = NonNullable<TestStep["parameters"]>

/** The parameters of a call, as description lines: `name = value`, `(manual input)` for values entered at execution. */
export const callParameters = (parameters: Parameters | null): string => {
  if (parameters === null || parameters.length === 0) return ""
  const lines = parameters.map((p) => {
    const value = p.value === null || p.value === "" ? "(empty)" : p.value
    return `${richText(p.name)} = ${richText(value)}${p.type === "MANUAL_INPUT" ? " (manual input)" : ""}`
  })
  return `<strong>Parameters:</strong><br/>${lines.join("<br/>")}`
}

const stepBody = (step: TestStep, order: number, fields: ReadonlyArray<CustomField>, ids: TestCaseIds, notes: MappingNotes, object: string): TestStepBody => {
  const calledKey = step.called_test_case_key
  if (calledKey !== null) {
    const params = callParameters(step.parameters)
    const calledId = ids.calledTestCaseId(calledKey)
    if (calledId !== undefined) return { description: params, expected: "", order, called_test_case_id: calledId }
    const elsewhere = otherProject(calledKey, ids.ownProjects ?? new Set())
    notes.gap({
      kind: "call",
      value: calledKey,
      object,
      hint:
        elsewhere === undefined
          ? `step ${order} calls ${calledKey}, which is not in qTest (quarantined, filtered out or part of a call loop); written as a text step — it becomes a call once ${calledKey} is migrated`
          : `step ${order} calls ${calledKey} of project ${elsewhere}: a qTest test case can call only test cases of its own project, so the step names it as text — find it in ${elsewhere}'s qTest project by its Zephyr Key`
    })
    const text = elsewhere === undefined ? `Calls test case ${richText(calledKey)} (not migrated)` : `Calls test case ${richText(calledKey)} of project ${richText(elsewhere)}`
    return { description: params === "" ? text : `${text}<br/><br/>${params}`, expected: "", order }
  }
  const extra = [...fields]
    .filter((f) => customFieldValue(f) !== null && customFieldValue(f) !== undefined && customFieldValue(f) !== "")
    .sort((a, b) => (a.field_name < b.field_name ? -1 : a.field_name > b.field_name ? 1 : 0))
    .map((f) => [f.field_name, displayValue(customFieldValue(f))] as const)
  return {
    description: appendLabelled(stepDescription(step.description, step.test_data), extra),
    expected: richText(step.expected_result),
    order
  }
}

export const testCaseBody = (input: TestCaseInput, vocab: Vocabulary, ids: TestCaseIds, options: TestCaseOptions): Mapped<TestCaseBody> => {
  const tc = input.testCase
  const object = tc.key
  const notes = new MappingNotes()
  const labels = vocab.labels
  const properties = new PropertyList(notes, object)

  properties.add(vocab.fieldValue("test-cases", labels.zephyrKey, tc.key, object), "the Zephyr key")
  properties.add(vocab.mappedFieldValue("test-cases", "priority", tc.priority, object), "the priority")
  properties.add(vocab.mappedFieldValue("test-cases", "testCaseStatus", tc.status, object), "the status")
  properties.add(vocab.fieldValue("test-cases", labels.labels, tc.labels, object), "the labels")
  properties.add(vocab.fieldValue("test-cases", labels.component, tc.component, object), "the component")
  if (tc.estimated_time_ms !== null)
    properties.add(vocab.fieldValue("test-cases", labels.estimatedTime, estimatedMinutes(tc.estimated_time_ms), object), "the estimated time")
  properties.add(vocab.fieldValue("test-cases", labels.owner, tc.owner_id, object, "user"), "the owner")
  properties.add(vocab.fieldValue("test-cases", labels.coverage, [...(input.coverage ?? [])].sort(), object), "the coverage")
  addCustomFieldProperties(properties, "test-cases", input.customFields, vocab, object)

  let description: string
  let testSteps: ReadonlyArray<TestStepBody>
  if (tc.script_type === "STEP_BY_STEP") {
    description = richText(tc.objective)
    const fieldsByStep = new Map<number, Array<CustomField>>()
    for (const f of input.stepCustomFields ?? []) {
      const list = fieldsByStep.get(f.object_id) ?? []
      list.push(f)
      fieldsByStep.set(f.object_id, list)
    }
    testSteps = [...input.steps]
      .sort((a, b) => a.step_order - b.step_order)
      .map((step, i) => stepBody(step, i + 1, fieldsByStep.get(step.step_id) ?? [], ids, notes, object))
  } else if (options.scripts === "step") {
    description = richText(tc.objective)
    testSteps = scriptToStep(tc.script_type, tc.script_text)
  } else {
    description = scriptToDescription(tc.objective, tc.script_type, tc.script_text)
    testSteps = []
  }

  return notes.result({
    name: tc.name,
    parent_id: ids.moduleId,
    description,
    precondition: richText(tc.precondition),
    properties: properties.toArray(),
    test_steps: testSteps
  })
}
