/** Zephyr test plan → canonical TestPlan, its custom fields and links (issues, web, and plan → cycle). */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import type { TestPlan } from "../api/index.ts"
import { nameOf, type Lookups } from "./Lookups.ts"
import { mapCustomFields } from "./mapCustomFields.ts"
import { mapLinks } from "./mapLinks.ts"
import { provenance } from "./provenance.ts"

export const mapTestPlan = (p: TestPlan, lookups: Lookups): Array<CanonicalRecord> => [
  record("TestPlan", {
    ...provenance(String(p.id), p.key),
    test_plan_id: p.id,
    project_id: String(p.project.id),
    folder_id: p.folder?.id ?? null,
    key: p.key,
    name: p.name,
    objective: p.objective ?? null,
    status: nameOf(lookups.statuses, p.status),
    owner_id: p.owner?.accountId ?? null,
    labels: [...(p.labels ?? [])],
    created_at: null,
    updated_at: null
  }),
  ...mapCustomFields("TestPlan", p.id, p.customFields),
  ...mapLinks("TestPlan", p.id, p.links)
]
