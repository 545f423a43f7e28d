/**
 * Zephyr cycle folders and test cycles → bodies of `POST/PUT …/test-cycles` (the parent goes in the
 * `parentId`/`parentType` query: root, a release, or the cycle of the parent folder). qTest test cycles carry
 * only a name, a description and target release/build, so:
 * - a cycle folder → `{name, description: ""}`;
 * - a test cycle → `{name, description ← description (rich text), target_release_id ← the release of a plan
 *   linking the cycle, when the sink gives one}`. Its custom fields have nowhere to go and are reported as
 *   `unsupported` gaps; its status, owner, planned dates and Jira version are not carried (README).
 * - the cycle that collects executions without a cycle (`executionsWithoutCycle`).
 * description is always sent ("" when empty) so an update clears it.
 */
import type { TestCycleBody } from "../api/requests.ts"
import type { CustomField, Folder, TestCycle } from "./canonical.ts"
import { customFieldValue } from "./customFieldProperties.ts"
import { MappingNotes, type Mapped } from "./MappingGap.ts"
import { richText } from "./richText.ts"
import { displayValue } from "./Vocabulary.ts"

export const cycleFolderBody = (folder: Folder): TestCycleBody => ({ name: folder.name, description: "" })

export interface TestCycleIds {
  /** The release the cycle is targeted at (a test plan that links it), if any. */
  readonly targetReleaseId?: number | undefined
}

export const testCycleBody = (cycle: TestCycle, customFields: ReadonlyArray<CustomField>, ids: TestCycleIds = {}): Mapped<TestCycleBody> => {
  const notes = new MappingNotes()
  for (const f of customFields) {
    const value = customFieldValue(f)
    if (value === null || value === undefined || value === "") continue
    notes.gap({
      kind: "unsupported",
      field: f.field_name,
      value: displayValue(value),
      object: cycle.key,
      hint: "qTest test cycles have no custom fields; the value is not migrated"
    })
  }
  return notes.result({
    name: cycle.name,
    description: richText(cycle.description),
    ...(ids.targetReleaseId !== undefined ? { target_release_id: ids.targetReleaseId } : {})
  })
}

export const executionsWithoutCycleBody = (name: string): TestCycleBody => ({
  name,
  description: "Test runs of the Zephyr executions that belong to no test cycle."
})
