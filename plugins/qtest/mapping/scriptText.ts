/**
 * Zephyr plain-text and BDD scripts (TestCase.script_text) have no step structure. The spec's `scripts`
 * setting places them:
 *
 * - `description` (default): appended to the case description after the objective:
 *   `<objective><br/><br/><strong>Test script (BDD):</strong><br/><script>` (`(plain text)` for PLAIN_TEXT);
 *   the case then has no steps.
 * - `step`: one step, order 1, description = the script, expected result empty.
 *
 * A BDD script is plain Gherkin: converted line by line with its indentation kept. A plain-text script is
 * usually HTML already (Zephyr's editor is rich text) and kept as is.
 */
import type { TestStepBody } from "../api/requests.ts"
import { escapeParameters } from "./escapeParameters.ts"
import { plainToHtml, richText } from "./richText.ts"

export type ScriptType = "PLAIN_TEXT" | "BDD"
export type ScriptPlacement = "description" | "step"

/** The script as rich text. BDD is always treated as plain text (Gherkin may contain `<placeholders>`). */
export const scriptHtml = (type: ScriptType, text: string): string => (type === "BDD" ? escapeParameters(plainToHtml(text)) : richText(text))

export const scriptHeading = (type: ScriptType): string => `<strong>Test script (${type === "BDD" ? "BDD" : "plain text"}):</strong><br/>`

/** The description of a case whose script goes into the description. */
export const scriptToDescription = (objective: string | null | undefined, type: ScriptType, text: string | null | undefined): string => {
  const o = richText(objective)
  if (text === null || text === undefined || text.trim() === "") return o
  const block = scriptHeading(type) + scriptHtml(type, text)
  return o === "" ? block : `${o}<br/><br/>${block}`
}

/** The single step of a case whose script goes into a step; none for an empty script. */
export const scriptToStep = (type: ScriptType, text: string | null | undefined): ReadonlyArray<TestStepBody> =>
  text === null || text === undefined || text.trim() === "" ? [] : [{ description: scriptHtml(type, text), expected: "", order: 1 }]
