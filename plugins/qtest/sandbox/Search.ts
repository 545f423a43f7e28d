/**
 * `POST /api/v3/projects/{id}/search` (docs/vendors/qtest.md §4.11): objects of one type that pass every criterion of
 * the query (SearchQuery.ts), rendered as their GET resources and narrowed to `fields` unless `["*"]`.
 * Criteria are the object's name (`Name`), its PID or id (`Id`), dates (`Created Date`, `Last Modified Date`;
 * `Execution Start Date` / `Execution End Date` for test logs) and its fields by label or field id — a
 * picklist matches by value label or value id, a text field by its text. An unknown criterion is a 400.
 */
import type { FieldObjectType, PropertyValue } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { fieldsOf, valueName } from "./Properties.ts"
import { currentVersion, latestLog } from "./Queries.ts"
import type { Renderer } from "./Render.ts"
import { fail } from "./Reply.ts"
import { matches, parseQuery, type Criterion } from "./SearchQuery.ts"

export const SEARCH_OBJECT_TYPES = ["requirements", "test-cases", "test-runs", "test-suites", "test-cycles", "test-logs", "releases", "builds", "defects"] as const

export interface SearchOptions {
  readonly appendTestSteps: boolean
  readonly includeTestLogProperties: boolean
}

interface Candidate {
  readonly id: number
  readonly pid?: string
  readonly name: string
  readonly createdDate: string
  readonly lastModifiedDate: string
  readonly properties: ReadonlyArray<PropertyValue>
  /** Extra criteria of the type (lower-case name → values). */
  readonly extra: Readonly<Record<string, ReadonlyArray<string>>>
  readonly render: () => Record<string, unknown>
}

const GENERIC_CRITERIA = ["name", "id", "pid", "created date", "last modified date"]

/** The criteria beyond the generic ones and the fields, per object type (keys of `Candidate.extra`). */
const EXTRA_CRITERIA: Readonly<Record<string, ReadonlyArray<string>>> = {
  "test-cases": ["description", "precondition", "version", "module id"],
  "test-runs": ["test case id"],
  "test-logs": ["execution start date", "execution end date", "status", "test run id", "note"],
  "test-cycles": ["description", "target release"]
}

const fieldTypeOf = (objectType: string): FieldObjectType | undefined =>
  objectType === "test-logs" ? "test-runs" : objectType === "test-cycles" ? undefined : (objectType as FieldObjectType)

const candidates = (state: ProjectState, render: Renderer, objectType: string, options: SearchOptions): Array<Candidate> => {
  const statusName = (id: number | undefined) => state.statuses.find((s) => s.id === id)?.name ?? ""
  switch (objectType) {
    case "test-cases":
      return state.testCases
        .values()
        .sort((a, b) => a.seq - b.seq)
        .map((tc) => {
          const v = currentVersion(state, tc)
          return {
            id: tc.id,
            pid: tc.pid,
            name: v.name,
            createdDate: tc.createdDate,
            lastModifiedDate: tc.lastModifiedDate,
            properties: v.properties,
            extra: { description: [v.description], precondition: [v.precondition], version: [`${v.major}.${v.minor}`], "module id": [String(tc.parentId)] },
            render: () => render.testCase(tc, { steps: options.appendTestSteps })
          }
        })
    case "test-runs":
      return state.testRuns
        .values()
        .sort((a, b) => a.seq - b.seq)
        .map((r) => {
          const statusField = state.fields.find((f) => f.objectType === "test-runs" && f.derived === true)
          const statusId = latestLog(state, r.id)?.statusId ?? state.statuses.find((s) => s.isDefault)?.id
          const derived = statusField === undefined || statusId === undefined ? [] : [{ fieldId: statusField.id, value: String(statusId) }]
          return {
            id: r.id,
            pid: r.pid,
            name: r.name,
            createdDate: r.createdDate,
            lastModifiedDate: r.lastModifiedDate,
            properties: [...derived, ...r.properties],
            extra: { "test case id": [String(r.testCaseId)] },
            render: () => render.testRun(r)
          }
        })
    case "test-logs":
      return state.testLogs
        .values()
        .sort((a, b) => a.id - b.id)
        .map((l) => ({
          id: l.id,
          name: l.name,
          createdDate: l.createdDate,
          lastModifiedDate: l.lastModifiedDate,
          properties: l.properties,
          extra: {
            "execution start date": [l.exeStartDate],
            "execution end date": [l.exeEndDate],
            status: [statusName(l.statusId), String(l.statusId)],
            "test run id": [String(l.runId)],
            note: [l.note]
          },
          render: () => render.testLog(l, { details: options.includeTestLogProperties })
        }))
    case "test-cycles":
      return state.testCycles
        .values()
        .sort((a, b) => a.seq - b.seq)
        .map((c) => ({
          id: c.id,
          pid: c.pid,
          name: c.name,
          createdDate: c.createdDate,
          lastModifiedDate: c.lastModifiedDate,
          properties: [],
          extra: { description: [c.description], "target release": c.targetReleaseId === undefined ? [] : [String(-c.targetReleaseId)] },
          render: () => render.testCycle(c)
        }))
    case "test-suites":
      return state.testSuites
        .values()
        .sort((a, b) => a.seq - b.seq)
        .map((t) => ({ id: t.id, pid: t.pid, name: t.name, createdDate: t.createdDate, lastModifiedDate: t.lastModifiedDate, properties: t.properties, extra: {}, render: () => render.testSuite(t) }))
    case "requirements":
      return state.requirements
        .values()
        .sort((a, b) => a.seq - b.seq)
        .map((r) => ({ id: r.id, pid: r.pid, name: r.name, createdDate: r.createdDate, lastModifiedDate: r.lastModifiedDate, properties: r.properties, extra: {}, render: () => render.requirement(r) }))
    case "releases":
      return state.releases
        .values()
        .sort((a, b) => a.seq - b.seq)
        .map((r) => ({ id: r.id, pid: r.pid, name: r.name, createdDate: r.createdDate, lastModifiedDate: r.lastModifiedDate, properties: r.properties, extra: {}, render: () => render.release(r) }))
    default:
      // builds, defects: the sandbox has none.
      return []
  }
}

/** The values a criterion sees on a candidate, or undefined when the type has no such criterion. */
const valuesFor = (state: ProjectState, objectType: string, c: Candidate, name: string): ReadonlyArray<string> | undefined => {
  const key = name.toLowerCase()
  if (key === "name") return [c.name]
  if (key === "id" || key === "pid") return [c.pid ?? "", String(c.id)].filter((v) => v !== "")
  if (key === "created date") return [c.createdDate]
  if (key === "last modified date") return [c.lastModifiedDate]
  const extra = c.extra[key]
  if (extra !== undefined) return extra
  const fieldType = fieldTypeOf(objectType)
  if (fieldType === undefined) return undefined
  const field = fieldsOf(state, fieldType).find((f) => (/^[0-9]+$/.test(name) ? f.id === Number(name) : f.label.toLowerCase() === key))
  if (field === undefined) return undefined
  const p = c.properties.find((x) => x.fieldId === field.id)
  return p === undefined ? [] : [p.value, valueName(state, field, p.value)]
}

export const search = (state: ProjectState, render: Renderer, objectType: string, query: string | undefined, fields: ReadonlyArray<string>, options: SearchOptions) => {
  if (!(SEARCH_OBJECT_TYPES as ReadonlyArray<string>).includes(objectType)) return fail(400, `Invalid object_type '${objectType}': use one of ${SEARCH_OBJECT_TYPES.join(", ")}`)
  const criteria: Array<Criterion> = parseQuery(query)
  const all = candidates(state, render, objectType, options)
  const fieldType = fieldTypeOf(objectType)
  for (const c of criteria) {
    const key = c.name.toLowerCase()
    const known =
      GENERIC_CRITERIA.includes(key) ||
      (EXTRA_CRITERIA[objectType] ?? []).includes(key) ||
      (fieldType !== undefined && fieldsOf(state, fieldType).some((f) => (/^[0-9]+$/.test(c.name) ? f.id === Number(c.name) : f.label.toLowerCase() === key)))
    if (!known) fail(400, `Invalid query: '${c.name}' is not a criterion of ${objectType}`)
  }
  const hits = all.filter((cand) => criteria.every((c) => matches(valuesFor(state, objectType, cand, c.name) ?? [], c)))
  const everything = fields.length === 0 || fields.includes("*")
  return hits.map((h) => {
    const full = h.render()
    if (everything) return full
    const picked: Record<string, unknown> = { links: full.links, id: full.id }
    for (const f of fields) if (f in full) picked[f] = full[f]
    return picked
  })
}
