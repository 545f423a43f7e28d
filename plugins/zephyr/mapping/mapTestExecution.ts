/**
 * Zephyr test execution → canonical TestExecution, its custom fields and links. The executed case is a link to
 * a case *version*: test_case_key and test_case_version are parsed from its `self`
 * (`…/testcases/{key}/versions/{n}`), the only place the key appears. The link's id names that version, which for
 * an older version is not the case's id, so test_case_id is the current case's id looked up by key; only a case
 * the extract has not seen (deleted, another project) keeps the link's id. An execution without a cycle (ad
 * hoc) has test_cycle_id null. `status` is NOT NULL: an execution whose status id is not in the project's
 * statuses cannot be stored faithfully and is quarantined instead of given an invented status.
 */
import { quarantine, record, type Extracted } from "../../../core/index.ts"
import type { TestExecution } from "../api/index.ts"
import { validDateTime } from "./dateTime.ts"
import { nameOf, type Lookups } from "./Lookups.ts"
import { mapCustomFields } from "./mapCustomFields.ts"
import { mapLinks } from "./mapLinks.ts"
import { provenance } from "./provenance.ts"
import { recordLabel } from "./recordLabel.ts"

const VERSION_SELF = /\/testcases\/([^/?#]+)\/versions\/(\d+)\/?(?:[?#].*)?$/

/** `{key, version}` from a test-case version URL; nulls when the URL has another shape. */
export const parseCaseVersionSelf = (self: string | null | undefined): { readonly key: string | null; readonly version: number | null } => {
  const m = self == null ? null : VERSION_SELF.exec(self)
  if (!m || m[1] === undefined || m[2] === undefined) return { key: null, version: null }
  let key: string
  try {
    key = decodeURIComponent(m[1])
  } catch {
    key = m[1]
  }
  return { key, version: Number(m[2]) }
}

export const mapTestExecution = (
  e: TestExecution,
  lookups: Lookups,
  raw: unknown,
  caseIdByKey: ReadonlyMap<string, number> = new Map()
): Array<Extracted> => {
  const status = nameOf(lookups.statuses, e.testExecutionStatus)
  if (status === null)
    return [
      quarantine(
        "TestExecution",
        String(e.id),
        `${recordLabel("TestExecution", e)}: its status (id ${e.testExecutionStatus.id}) is not one of the project's statuses, so its result is unknown — give it an existing status in Zephyr; the next run reads it again`,
        raw
      )
    ]
  const executed = parseCaseVersionSelf(e.testCase.self)
  return [
    record("TestExecution", {
      ...provenance(String(e.id), e.key ?? null),
      execution_id: e.id,
      test_cycle_id: e.testCycle?.id ?? null,
      test_case_id: (executed.key === null ? undefined : caseIdByKey.get(executed.key)) ?? e.testCase.id,
      status,
      executed_by_id: e.executedById ?? null,
      assigned_to_id: e.assignedToId ?? null,
      execution_time_ms: e.executionTime ?? null,
      actual_end_date: validDateTime(e.actualEndDate),
      environment: nameOf(lookups.environments, e.environment),
      comment: e.comment ?? null,
      automated: e.automated ?? false,
      created_at: null,
      updated_at: null,
      key: e.key ?? null,
      project_id: String(e.project.id),
      test_case_key: executed.key,
      test_case_version: executed.version,
      estimated_time_ms: e.estimatedTime ?? null,
      jira_project_version_id: e.jiraProjectVersion?.id ?? null
    }),
    ...mapCustomFields("TestExecution", e.id, e.customFields),
    ...mapLinks("TestExecution", e.id, e.links)
  ]
}
