/**
 * The canonical records the sink's suite loads: a small project with records of all 11 entities (tens of
 * records, so both backends stay fast), and records made awkward on purpose (keyword-like and quoted key values,
 * quotes, backslashes, line breaks, 1 MB of text, Unicode of every width). All derive from the canonical samples
 * and go through core's `prepareRecord`, so each is schema-valid and carries the content hash core would give it.
 */
import { type CanonicalRecord, derivedId, type EntityName, type EntityTypes, record } from "../../../../core/index.ts"
import { prepareRecord } from "../../../../core/pipeline/prepareRecord.ts"
import type { StoredRecord } from "../../../../core/store/StateStore.ts"
import { canonicalSamples as samples, valueJsonVariants } from "../../../fixtures/canonical-samples.ts"

/** The extraction time prepareRecord would fill in (the samples carry every timestamp, so it is never used). */
export const NOW = "2026-01-01T00:00:00.000Z"

type Unhashed<E extends EntityName> = Omit<EntityTypes[E], "content_hash">

const sample = <E extends EntityName>(entity: E): Unhashed<E> => {
  const { content_hash: _, ...rest } = samples[entity] as EntityTypes[E] & { content_hash: string }
  return rest as unknown as Unhashed<E>
}

const make = <E extends EntityName>(entity: E, data: Partial<Unhashed<E>>): CanonicalRecord => record(entity, { ...sample(entity), ...data } as never)

/** A record as the store keeps it: validated and hashed by core (fails the test when the record is invalid). */
export const stored = (r: CanonicalRecord): StoredRecord => {
  const p = prepareRecord(r, NOW)
  if (p.entity === "Quarantine") throw new Error(`test record is not canonical: ${p.data.reason}`)
  return p
}

/** The same record with some fields changed, hashed again. */
export const changed = (r: StoredRecord, fields: Readonly<Record<string, unknown>>): StoredRecord => {
  const { content_hash: _, ...data } = { ...r.data, ...fields }
  return stored(record(r.entity, data as never))
}

export const testCase = (id: number, fields: Partial<Unhashed<"TestCase">> = {}) =>
  make("TestCase", { test_case_id: id, key: `PROJ-T${id}`, name: `case ${id}`, source_id: String(id), source_key: `PROJ-T${id}`, ...fields })

export const customField = (objectId: number, fieldName: string, value: unknown, fields: Partial<Unhashed<"CustomField">> = {}) => {
  const sourceId = `TestCase/${objectId}/${fieldName}`
  return make("CustomField", {
    custom_field_id: derivedId(sourceId),
    object_id: objectId,
    field_name: fieldName,
    field_value: typeof value === "string" ? value : JSON.stringify(value),
    value_json: value,
    source_id: sourceId,
    ...fields
  })
}

/** Tens of records, every entity represented, values varied (nulls, booleans both ways, every JSON shape). */
export const smallProject = (): ReadonlyArray<StoredRecord> => {
  const records: Array<CanonicalRecord> = []
  for (const id of ["10001", "10002"]) records.push(make("Project", { project_id: id, project_key: `P${id}`, name: `Project ${id}`, enabled: id === "10001", jira_project_id: id === "10001" ? 10001 : null, source_id: id, source_key: `P${id}` }))
  for (const id of [501, 502, 503]) records.push(make("Folder", { folder_id: id, parent_folder_id: id === 501 ? null : 501, name: `folder ${id}`, path: `/folder ${id}`, sort_order: id - 501, source_id: String(id) }))
  for (let id = 9001; id <= 9008; id++)
    records.push(
      testCase(id, {
        estimated_time_ms: id % 2 === 0 ? null : id * 10,
        labels: id % 3 === 0 ? [] : ["smoke", `l${id}`],
        version: id - 9000,
        // a test data table (an object column) on one case, none on the others
        test_data: id === 9002 ? { variables: [{ name: "amount", type: "FREE_TEXT" }], entries: [{ amount: "10.00" }, { amount: "999.99 ✓" }] } : null
      })
    )
  for (let c = 9001; c <= 9005; c++)
    for (const order of [1, 2]) records.push(make("TestStep", { step_id: c * 10 + order, test_case_id: c, step_order: order, description: `step ${order} of ${c}`, parameters: order === 1 ? null : [{ name: "p", type: "DEFAULT_VALUE", value: String(c) }], source_id: `PROJ-T${c}#${order}` }))
  for (const id of [77, 78]) records.push(make("TestPlan", { test_plan_id: id, key: `PROJ-P${id}`, name: `plan ${id}`, labels: id === 77 ? ["release"] : [], source_id: String(id), source_key: `PROJ-P${id}` }))
  for (const id of [3301, 3302]) records.push(make("TestCycle", { test_cycle_id: id, key: `PROJ-R${id}`, name: `cycle ${id}`, planned_end_date: id === 3302 ? "2024-04-01T12:30:45.678Z" : null, source_id: String(id), source_key: `PROJ-R${id}` }))
  for (let n = 0; n < 5; n++) {
    const id = 880_001 + n
    records.push(make("TestExecution", { execution_id: id, test_case_id: 9001 + n, automated: n % 2 === 0, execution_time_ms: n === 4 ? null : 1000 * n, key: `PROJ-E${id}`, source_id: String(id), source_key: `PROJ-E${id}` }))
    records.push(make("ExecutionStepResult", { step_result_id: 990_001 + n, execution_id: id, step_order: n, status: n % 2 === 0 ? "Pass" : "Fail", source_id: String(990_001 + n) }))
  }
  // every JSON shape value_json can take: text, empty text, numbers, booleans, null, arrays, objects
  valueJsonVariants.forEach((value, i) => records.push(customField(9001, `field ${i}`, value)))
  for (let n = 0; n < 3; n++) records.push(make("Link", { link_id: 42_424_200 + n, issue_id: n === 0 ? null : 10_000 + n, source_id: `TestCase/9001/ISSUE/${n}` }))
  for (const id of [6001, 6002]) records.push(make("Attachment", { attachment_id: id, attachment_name: `file-${id}.png`, source_id: String(id) }))
  return records.map(stored)
}

/** 1 MiB and a bit: a text field far above anything a VARCHAR bind usually carries. */
export const ONE_MB = "0123456789abcdef".repeat(65_536) + "…end ✓"

/** Awkward text: quotes, backslashes, line breaks and tabs, and Unicode of 1 to 4 UTF-8 bytes, RTL and combining. */
export const TRICKY = [
  `it's "quoted" 'twice'`,
  "back\\slash \\n not a newline, C:\\path\\",
  "line1\nline2\r\nline3\rline4",
  "tab\there\tand\ttrailing\t",
  "emoji 🧪🚀👩‍🔬 CJK 测试 日本語 한국어",
  "RTL שלום עולם مرحبا بالعالم",
  "combining e\u0301 a\u0308 n\u0303 Z\u0351\u0362",
  "4-byte 𝄞 𠜎 \u{1F600}",
  "JSON-ish {\"a\": [1, 2]} and SQL-ish '); DROP TABLE \"TESTCASE\"; --",
  "$$ dollar quoted $$ and ? a bind marker and :1"
] as const

/**
 * Records whose values are awkward everywhere, keys included: custom fields named like SQL keywords or holding
 * quotes (the natural key of CustomField is (object_type, object_id, field_name)), a test case with every
 * tricky string and a 1 MB objective, and JSON values carrying the same strings.
 */
export const trickyRecords = (): ReadonlyArray<StoredRecord> => {
  const records: Array<CanonicalRecord> = []
  const names = ["select", "ORDER", '"quoted"', "it's", "back\\slash", "new\nline", "🧪 test", "שדה", "e\u0301", "𝄞"]
  names.forEach((name, i) => records.push(customField(9101, name, i % 2 === 0 ? TRICKY[i] : { text: TRICKY[i], list: [...TRICKY], n: i })))
  records.push(
    testCase(9101, {
      name: TRICKY.join(" | "),
      objective: ONE_MB,
      precondition: TRICKY[2],
      priority: TRICKY[0],
      status: TRICKY[1],
      owner_id: TRICKY[6],
      component: TRICKY[7],
      script_text: TRICKY.join("\n"),
      labels: [...TRICKY],
      key: "PROJ-T9101",
      source_key: "PROJ-T9101 \"quoted\" 🧪"
    })
  )
  TRICKY.forEach((text, i) =>
    records.push(make("TestStep", { step_id: 91010 + i, test_case_id: 9101, step_order: i, description: text, expected_result: TRICKY[(i + 1) % TRICKY.length]!, parameters: [{ name: text, type: "MANUAL_INPUT", value: text }], source_id: `PROJ-T9101#${text}` }))
  )
  return records.map(stored)
}
