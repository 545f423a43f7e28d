/**
 * A Zephyr test plan → the body of `POST/PUT …/releases` (when `releases: true`). name ← name, description ←
 * objective (rich text), note ← "Zephyr test plan <key>" (the key, where a user and a resumed run can find it:
 * releases have no Zephyr Key field). properties (release fields, by label): labels, owner, custom fields.
 * Zephyr plans have no dates, so start_date / end_date are not written; the plan's status is not carried.
 */
import type { ReleaseBody } from "../api/requests.ts"
import type { CustomField, TestPlan } from "./canonical.ts"
import { addCustomFieldProperties } from "./customFieldProperties.ts"
import { MappingNotes, type Mapped } from "./MappingGap.ts"
import { PropertyList } from "./PropertyList.ts"
import { richText } from "./richText.ts"
import type { Vocabulary } from "./Vocabulary.ts"

export const releaseNote = (planKey: string): string => `Zephyr test plan ${planKey}`

export const releaseBody = (plan: TestPlan, customFields: ReadonlyArray<CustomField>, vocab: Vocabulary): Mapped<ReleaseBody> => {
  const notes = new MappingNotes()
  const properties = new PropertyList(notes, plan.key)
  properties.add(vocab.fieldValue("releases", vocab.labels.labels, plan.labels, plan.key), "the labels")
  properties.add(vocab.fieldValue("releases", vocab.labels.owner, plan.owner_id, plan.key, "user"), "the owner")
  addCustomFieldProperties(properties, "releases", customFields, vocab, plan.key)
  return notes.result({
    name: plan.name,
    description: richText(plan.objective),
    note: releaseNote(plan.key),
    properties: properties.toArray()
  })
}
