/**
 * Zephyr test cycle → canonical TestCycle, its custom fields and links. The cycle's `links.testPlans` is not
 * mapped: it is the plan's `testCycles` link seen from the other side, emitted once with the plan.
 */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import type { TestCycle } from "../api/index.ts"
import { validDateTime } from "./dateTime.ts"
import { nameOf, type Lookups } from "./Lookups.ts"
import { mapCustomFields } from "./mapCustomFields.ts"
import { mapLinks } from "./mapLinks.ts"
import { provenance } from "./provenance.ts"

export const mapTestCycle = (c: TestCycle, lookups: Lookups): Array<CanonicalRecord> => [
  record("TestCycle", {
    ...provenance(String(c.id), c.key),
    test_cycle_id: c.id,
    project_id: String(c.project.id),
    folder_id: c.folder?.id ?? null,
    key: c.key,
    name: c.name,
    description: c.description ?? null,
    planned_start_date: validDateTime(c.plannedStartDate),
    planned_end_date: validDateTime(c.plannedEndDate),
    status: nameOf(lookups.statuses, c.status),
    owner_id: c.owner?.accountId ?? null,
    created_at: null,
    updated_at: null,
    jira_project_version_id: c.jiraProjectVersion?.id ?? null
  }),
  ...mapCustomFields("TestCycle", c.id, c.customFields),
  ...mapLinks("TestCycle", c.id, { issues: c.links?.issues, webLinks: c.links?.webLinks })
]
