/**
 * A Zephyr step's description and test data → one qTest step description (qTest steps have no test-data
 * column). The format, quoted in the README:
 *
 *     <description><br/><br/><strong>Test data:</strong><br/><test data>
 *
 * Without test data it is the description alone; without a description, the test-data block alone. Both
 * parts are rich text (richText.ts: HTML kept, plain text converted, `[~` escaped).
 */
import { richText } from "./richText.ts"

export const TEST_DATA_HEADING = "<strong>Test data:</strong><br/>"

export const stepDescription = (description: string | null | undefined, testData: string | null | undefined): string => {
  const d = richText(description)
  const t = richText(testData)
  if (t === "") return d
  return d === "" ? TEST_DATA_HEADING + t : `${d}<br/><br/>${TEST_DATA_HEADING}${t}`
}

/** Extra lines appended to a step's description, e.g. the step's Zephyr custom fields: `<strong>Name:</strong> value`. */
export const appendLabelled = (html: string, entries: ReadonlyArray<readonly [label: string, value: string]>): string => {
  if (entries.length === 0) return html
  const lines = entries.map(([label, value]) => `<strong>${richText(label)}:</strong> ${richText(value)}`).join("<br/>")
  return html === "" ? lines : `${html}<br/><br/>${lines}`
}
