/**
 * Zephyr's `links` blocks → canonical Link records: Jira issue coverage (kind ISSUE, target = the issue's REST
 * URL, issue_id = Jira's numeric id — the API gives no issue key), web links (kind WEB, target = the URL) and a
 * plan's cycles (kind TEST_CYCLE, target = the cycle id as text). The link's `type` becomes `relation`.
 * source_id = `<object_type>/<object_id>/<kind>/<Zephyr link id>`; link_id is the 48-bit hash of it.
 */
import { derivedId, record, type CanonicalRecord } from "../../../core/index.ts"
import type { IssueLink, TestCycleLink, WebLink } from "../api/index.ts"
import { provenance } from "./provenance.ts"

export type LinkObjectType = "TestCase" | "TestCycle" | "TestPlan" | "TestExecution"
type LinkKind = "ISSUE" | "WEB" | "TEST_CYCLE"

/** One Link; `zephyrLinkId` names the link among the object's links of its kind (Zephyr DC: the issue key). */
export const linkRecord = (
  objectType: LinkObjectType,
  objectId: number,
  kind: LinkKind,
  zephyrLinkId: number | string,
  fields: { readonly target: string; readonly relation: string; readonly issue_id: number | null; readonly description: string | null }
): CanonicalRecord => {
  const sourceId = `${objectType}/${objectId}/${kind}/${zephyrLinkId}`
  return record("Link", {
    ...provenance(sourceId, null),
    link_id: derivedId(sourceId),
    object_type: objectType,
    object_id: objectId,
    kind,
    ...fields,
    created_at: null,
    updated_at: null
  })
}

export interface LinkBlock {
  readonly issues?: ReadonlyArray<IssueLink> | null | undefined
  readonly webLinks?: ReadonlyArray<WebLink> | null | undefined
  readonly testCycles?: ReadonlyArray<TestCycleLink> | null | undefined
}

export const mapLinks = (objectType: LinkObjectType, objectId: number, links: LinkBlock | null | undefined): Array<CanonicalRecord> => [
  ...(links?.issues ?? []).map((l) =>
    // An issue link without `target` still names the issue by id; the id as text keeps target non-empty.
    linkRecord(objectType, objectId, "ISSUE", l.id, { target: l.target ?? String(l.issueId), relation: l.type, issue_id: l.issueId, description: null })
  ),
  ...(links?.webLinks ?? []).map((l) =>
    linkRecord(objectType, objectId, "WEB", l.id, { target: l.url, relation: l.type, issue_id: null, description: l.description ?? null })
  ),
  ...(links?.testCycles ?? []).map((l) =>
    linkRecord(objectType, objectId, "TEST_CYCLE", l.id, { target: String(l.testCycleId), relation: l.type, issue_id: null, description: null })
  )
]
