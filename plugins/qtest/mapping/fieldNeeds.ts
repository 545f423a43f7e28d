/**
 * Which qTest fields (and picklist values) the data in the store needs, gathered record by record so a large
 * project never has to be held in memory (only the distinct values per field are kept). missingFields.ts
 * compares the result with the project's field settings.
 *
 * Needs, per object type (README "Fields"):
 * - test-cases: fields.zephyrKey (text box, always — the recovery key), labels (text box; its values, in case
 *   the project made it a picklist), component (text box), estimatedTime (number), owner (user list),
 *   coverage (text box, when any case has Jira coverage without a requirement), every custom field;
 * - test-runs (their fields are also the test logs'): fields.executionKey (text box, always when there are
 *   executions), executedBy and assignedTo (user list), environment (combo box with the environment names),
 *   the executions' custom fields, defects (text area, when the project has no Jira defect integration and an
 *   execution links Jira issues);
 * - releases (when plans are migrated): labels, owner, the plans' custom fields.
 * A custom field is created with the type its values suggest: all numbers → number (7), all booleans → combo
 * box (3) with Yes / No, all dates → date (4), all accountIds → user list (5), any list → multi-select (17) with
 * every value seen, text → rich text (6) when any value is HTML, text area (2) when any is longer than 255
 * characters or multi-line, else text box (1); mixed types → text area.
 */
import type { CustomField, TestCase, TestExecution, TestPlan } from "./canonical.ts"
import { customFieldValue } from "./customFieldProperties.ts"
import { DataType } from "./FieldDataType.ts"
import { looksLikeHtml } from "./richText.ts"
import type { FieldObjectType, Vocabulary } from "./Vocabulary.ts"
import { nameKey } from "./Vocabulary.ts"

/** A picklist value the data needs: a label, or a boolean (matched as Yes/True or No/False, created as Yes/No). */
export type NeededValue = string | boolean

export interface FieldNeed {
  readonly objectType: FieldObjectType
  readonly label: string
  /** The data type the field is created with. */
  readonly dataType: number
  /** Values a picklist field must offer (created with the field, or added to an existing picklist). */
  readonly values: ReadonlyArray<NeededValue>
  /** Created whatever createMissingFields says (the recovery keys). */
  readonly always: boolean
  /** More distinct values than MAX_VALUES_PER_FIELD were seen; the rest were not kept. */
  readonly truncated: boolean
}

/** Distinct values kept per field: a field with more is no picklist anyone would want. */
export const MAX_VALUES_PER_FIELD = 1000

type ZephyrType = CustomField["field_type"]

interface Acc {
  readonly objectType: FieldObjectType
  readonly label: string
  dataType: number | undefined
  always: boolean
  readonly types: Set<ZephyrType>
  readonly values: Map<string, NeededValue>
  html: boolean
  long: boolean
  truncated: boolean
}

const TEXT_BOX_MAX = 255

export class FieldNeeds {
  private readonly acc = new Map<string, Acc>()

  private readonly vocab: Vocabulary
  /** `releases: false` in the spec: plans, and so their fields, are not migrated. */
  private readonly options: { readonly releases: boolean }

  constructor(vocab: Vocabulary, options: { readonly releases: boolean } = { releases: true }) {
    this.vocab = vocab
    this.options = options
  }

  private entry(objectType: FieldObjectType, label: string, dataType?: number): Acc {
    const key = `${objectType}\u0000${nameKey(label)}`
    let a = this.acc.get(key)
    if (a === undefined) {
      a = { objectType, label, dataType, always: false, types: new Set(), values: new Map(), html: false, long: false, truncated: false }
      this.acc.set(key, a)
    }
    return a
  }

  private value(a: Acc, value: NeededValue): void {
    const key = typeof value === "boolean" ? `\u0000${value}` : nameKey(value)
    if (key === "" || a.values.has(key)) return
    if (a.values.size >= MAX_VALUES_PER_FIELD) a.truncated = true
    else a.values.set(key, value)
  }

  private text(a: Acc, text: string): void {
    if (looksLikeHtml(text)) a.html = true
    if (text.length > TEXT_BOX_MAX || /[\r\n]/.test(text)) a.long = true
  }

  /** A field whose type we choose (not a custom field). */
  private fixed(objectType: FieldObjectType, label: string, dataType: number, values: ReadonlyArray<NeededValue> = []): Acc {
    const a = this.entry(objectType, label, dataType)
    for (const v of values) this.value(a, v)
    return a
  }

  addTestCase(tc: TestCase): this {
    const l = this.vocab.labels
    this.fixed("test-cases", l.zephyrKey, DataType.TextBox).always = true
    if (tc.labels.length > 0) this.fixed("test-cases", l.labels, DataType.TextBox, tc.labels)
    if (tc.component !== null) this.fixed("test-cases", l.component, DataType.TextBox, [tc.component])
    if (tc.estimated_time_ms !== null) this.fixed("test-cases", l.estimatedTime, DataType.Number)
    if (tc.owner_id !== null) this.fixed("test-cases", l.owner, DataType.UserList)
    return this
  }

  /** A case has Jira coverage that no synced requirement takes: it goes into fields.coverage. */
  addCoverage(): this {
    this.fixed("test-cases", this.vocab.labels.coverage, DataType.TextBox)
    return this
  }

  /** An execution links Jira issues the project cannot link as defects: they go into fields.defects. */
  addDefects(): this {
    this.fixed("test-runs", this.vocab.labels.defects, DataType.TextArea)
    return this
  }

  addExecution(e: TestExecution): this {
    const l = this.vocab.labels
    this.fixed("test-runs", l.executionKey, DataType.TextBox).always = true
    if (e.executed_by_id !== null) this.fixed("test-runs", l.executedBy, DataType.UserList)
    if (e.assigned_to_id !== null) this.fixed("test-runs", l.assignedTo, DataType.UserList)
    if (e.environment !== null) this.fixed("test-runs", l.environment, DataType.ComboBox, [e.environment])
    return this
  }

  addPlan(p: TestPlan): this {
    if (!this.options.releases) return this
    const l = this.vocab.labels
    if (p.labels.length > 0) this.fixed("releases", l.labels, DataType.TextBox, p.labels)
    if (p.owner_id !== null) this.fixed("releases", l.owner, DataType.UserList)
    return this
  }

  /** A custom field of a test case, execution or plan (those of cycles and steps have no qTest field). */
  addCustomField(f: CustomField): this {
    const objectType: FieldObjectType | undefined =
      f.object_type === "TestCase" ? "test-cases" : f.object_type === "TestExecution" ? "test-runs" : f.object_type === "TestPlan" ? "releases" : undefined
    if (objectType === undefined || f.field_type === "NULL" || (objectType === "releases" && !this.options.releases)) return this
    const a = this.entry(objectType, this.vocab.customFieldLabel(f.field_name))
    a.types.add(f.field_type)
    const value = customFieldValue(f)
    const items = Array.isArray(value) ? value : [value]
    for (const item of items) {
      if (item === null || item === undefined) continue
      if (typeof item === "boolean") this.value(a, item)
      else if (f.field_type !== "USER") {
        const text = typeof item === "string" ? item : JSON.stringify(item)
        this.text(a, text)
        this.value(a, text)
      }
    }
    return this
  }

  needs(): ReadonlyArray<FieldNeed> {
    return [...this.acc.values()]
      .map(
        (a): FieldNeed => ({
          objectType: a.objectType,
          label: a.label,
          dataType: a.dataType ?? customFieldType(a),
          values: [...a.values.values()],
          always: a.always,
          truncated: a.truncated
        })
      )
      .sort((x, y) => (x.objectType < y.objectType ? -1 : x.objectType > y.objectType ? 1 : x.label < y.label ? -1 : x.label > y.label ? 1 : 0))
  }
}

const customFieldType = (a: Acc): number => {
  const types = a.types
  if (types.has("MULTI_SELECT")) return DataType.MultiSelect
  if (types.size === 1) {
    if (types.has("NUMBER")) return DataType.Number
    if (types.has("BOOLEAN")) return DataType.ComboBox
    if (types.has("DATE")) return DataType.Date
    if (types.has("USER")) return DataType.UserList
  }
  if (types.size > 1 && !(types.size === 2 && types.has("TEXT") && types.has("DATE"))) return DataType.TextArea
  return a.html ? DataType.RichText : a.long ? DataType.TextArea : DataType.TextBox
}

export interface FieldNeedsInput {
  readonly testCases: Iterable<TestCase>
  readonly customFields: Iterable<CustomField>
  readonly executions: Iterable<TestExecution>
  readonly plans: Iterable<TestPlan>
  /** The spec's `releases` (default true): when false, plans and their custom fields need nothing. */
  readonly releases?: boolean | undefined
  /** Whether any case has Jira coverage no synced requirement takes. */
  readonly coverage?: boolean | undefined
  /** Whether any execution links Jira issues that go into the defects field (no Jira defect integration). */
  readonly defects?: boolean | undefined
}

/** All needs of a set of records at once (tests and small projects; the sink may feed FieldNeeds record by record). */
export const fieldNeeds = (input: FieldNeedsInput, vocab: Vocabulary): ReadonlyArray<FieldNeed> => {
  const needs = new FieldNeeds(vocab, { releases: input.releases ?? true })
  for (const tc of input.testCases) needs.addTestCase(tc)
  for (const e of input.executions) needs.addExecution(e)
  for (const p of input.plans) needs.addPlan(p)
  for (const f of input.customFields) needs.addCustomField(f)
  if (input.coverage === true) needs.addCoverage()
  if (input.defects === true) needs.addDefects()
  return needs.needs()
}
