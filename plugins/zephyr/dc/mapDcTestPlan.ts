/**
 * A Zephyr DC test plan → canonical TestPlan, its custom fields, issue links and a TEST_CYCLE link per run it
 * lists (target = the run's canonical id as text, as Cloud's plan → cycle links; source id by the run's key).
 */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import { linkRecord, provenance, validDateTime } from "../mapping/index.ts"
import type { DcTestPlan } from "./api.ts"
import { keyedId } from "./dcIds.ts"
import { mapDcCustomFields, mapDcIssueLinks } from "./mapDcFields.ts"

export const mapDcTestPlan = (plan: DcTestPlan, context: { readonly projectId: string; readonly folderId: number | null }): Array<CanonicalRecord> => {
  const id = keyedId("TestPlan", plan.key)
  return [
    record("TestPlan", {
      ...provenance(plan.key, plan.key),
      test_plan_id: id,
      project_id: context.projectId,
      folder_id: context.folderId,
      key: plan.key,
      name: plan.name,
      objective: plan.objective ?? null,
      status: plan.status ?? null,
      owner_id: plan.owner ?? null,
      labels: [...(plan.labels ?? [])],
      created_at: validDateTime(plan.createdOn),
      updated_at: validDateTime(plan.updatedOn)
    }),
    ...mapDcCustomFields("TestPlan", id, plan.customFields),
    ...mapDcIssueLinks("TestPlan", id, plan.issueLinks),
    ...[...new Set((plan.testRuns ?? []).map((r) => r.key))].map((runKey) =>
      linkRecord("TestPlan", id, "TEST_CYCLE", runKey, { target: String(keyedId("TestCycle", runKey)), relation: "RELATED", issue_id: null, description: null })
    )
  ]
}
