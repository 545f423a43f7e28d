/**
 * Zephyr DC's custom fields and issue links → canonical CustomField and Link records (the shared mapping's rules,
 * mapCustomFields.ts and mapLinks.ts, with DC's differences):
 * - a map of a case, run, result or plan holds bare values: a multi-choice arrives as one `"a, b"` string and stays
 *   TEXT (nothing tells it from a text with a comma); a value shaped like a Jira user key (`JIRAUSER10412`) is USER;
 * - a step's `customFieldValues` carry the field's type: a MULTI_CHOICE one is split back into its options
 *   (MULTI_SELECT, as Cloud gives it), numbers are numbers, a USER_LIST is USER;
 * - issue links are Jira issue keys: target = the key, issue_id null (DC gives no issue id), relation COVERAGE on
 *   a test case (DC's traceability) and RELATED elsewhere; DC's v1 API has no web links.
 */
import type { CanonicalRecord } from "../../../core/index.ts"
import { inferFieldType, linkRecord, mapCustomFields, type CustomFieldObjectType, type FieldType, type LinkObjectType } from "../mapping/index.ts"
import type { DcStep } from "./api.ts"

const JIRA_USER_KEY = /^JIRAUSER\d+$/

const userKeyType = (_: string, value: unknown): FieldType | undefined => (typeof value === "string" && JIRA_USER_KEY.test(value) ? "USER" : undefined)

export const mapDcCustomFields = (objectType: CustomFieldObjectType, objectId: number, fields: Readonly<Record<string, unknown>> | null | undefined): Array<CanonicalRecord> =>
  mapCustomFields(objectType, objectId, fields, userKeyType)

/** DC's type names (the field definition a step value carries) → the canonical field type and value. */
const typedValue = (type: string | null | undefined, value: string | boolean | null | undefined): { readonly value: unknown; readonly type: FieldType | undefined } => {
  if (value === null || value === undefined) return { value: null, type: undefined }
  if (typeof value === "boolean") return { value, type: "BOOLEAN" }
  switch (type) {
    case "MULTI_CHOICE_SELECT_LIST":
      return { value: value === "" ? [] : value.split(", "), type: "MULTI_SELECT" }
    case "NUMBER":
    case "DECIMAL": {
      const n = Number(value)
      return Number.isFinite(n) && value.trim() !== "" ? { value: n, type: "NUMBER" } : { value, type: "TEXT" }
    }
    case "USER_LIST":
      return { value, type: "USER" }
    case "CHECKBOX":
      return { value: value === "true", type: "BOOLEAN" }
    case "DATE":
      return { value, type: inferFieldType(value) === "DATE" ? "DATE" : "TEXT" }
    default:
      return { value, type: "TEXT" }
  }
}

export const mapDcStepFields = (stepId: number, values: DcStep["customFieldValues"]): Array<CanonicalRecord> => {
  const fields: Record<string, unknown> = {}
  const types = new Map<string, FieldType | undefined>()
  for (const v of values ?? []) {
    const typed = typedValue(v.customField.type, v.booleanValue ?? v.stringValue)
    fields[v.customField.name] = typed.value
    types.set(v.customField.name, typed.type)
  }
  return mapCustomFields("TestStep", stepId, fields, (name) => types.get(name))
}

export const mapDcIssueLinks = (objectType: LinkObjectType, objectId: number, keys: ReadonlyArray<string> | null | undefined): Array<CanonicalRecord> =>
  [...new Set(keys ?? [])].map((key) =>
    linkRecord(objectType, objectId, "ISSUE", key, { target: key, relation: objectType === "TestCase" ? "COVERAGE" : "RELATED", issue_id: null, description: null })
  )
