/**
 * Zephyr test case → canonical TestCase, its custom fields and links. The script comes from a separate call:
 * steps (STEP_BY_STEP) or `/testscript` (`plain` → PLAIN_TEXT, `bdd` → BDD, with `script_text`). Names come
 * from the lookups; `component` is the Jira component id as text; `version` is null unless asked for.
 */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import type { TestCase, TestScript } from "../api/index.ts"
import { validDateTime } from "./dateTime.ts"
import { nameOf, type Lookups } from "./Lookups.ts"
import { mapCustomFields } from "./mapCustomFields.ts"
import { mapLinks } from "./mapLinks.ts"
import { provenance } from "./provenance.ts"

export interface TestCaseExtras {
  /** The `/testscript` body when the case has no steps and the tenant returned one. */
  readonly script: TestScript | null
  readonly version: number | null
}

export const scriptTypeOf = (script: TestScript | null): "STEP_BY_STEP" | "PLAIN_TEXT" | "BDD" =>
  script === null ? "STEP_BY_STEP" : script.type === "bdd" ? "BDD" : "PLAIN_TEXT"

export const mapTestCase = (tc: TestCase, lookups: Lookups, extras: TestCaseExtras): CanonicalRecord =>
  record("TestCase", {
    ...provenance(String(tc.id), tc.key),
    test_case_id: tc.id,
    project_id: String(tc.project.id),
    folder_id: tc.folder?.id ?? null,
    key: tc.key,
    name: tc.name,
    objective: tc.objective ?? null,
    precondition: tc.precondition ?? null,
    estimated_time_ms: tc.estimatedTime ?? null,
    priority: nameOf(lookups.priorities, tc.priority),
    status: nameOf(lookups.statuses, tc.status),
    owner_id: tc.owner?.accountId ?? null,
    // not a date-time: not carried (the source notes it); core then stands in the extraction time, as for no date
    created_on: validDateTime(tc.createdOn),
    updated_at: null,
    labels: [...(tc.labels ?? [])],
    component: tc.component ? String(tc.component.id) : null,
    script_type: scriptTypeOf(extras.script),
    script_text: extras.script?.text ?? null,
    version: extras.version
  })

/** The case's own custom fields and links (steps bring theirs through mapTestStep). */
export const mapTestCaseChildren = (tc: TestCase): Array<CanonicalRecord> => [
  ...mapCustomFields("TestCase", tc.id, tc.customFields),
  ...mapLinks("TestCase", tc.id, tc.links)
]
