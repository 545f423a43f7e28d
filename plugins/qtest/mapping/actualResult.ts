/**
 * A Zephyr step result's actual result and comment → qTest's one `actual_result` (rich text):
 * `<actual result><br/><br/><strong>Comment:</strong> <comment>`, either part alone when the other is empty.
 * The log's own comment goes to its note as plain text (htmlToText.ts).
 */
import type { ExecutionStepResult } from "./canonical.ts"
import { richText } from "./richText.ts"

export const COMMENT_HEADING = "<strong>Comment:</strong> "

export const actualResult = (result: ExecutionStepResult): string => {
  const actual = richText(result.actual_result)
  const comment = richText(result.comment)
  if (comment === "") return actual
  return actual === "" ? COMMENT_HEADING + comment : `${actual}<br/><br/>${COMMENT_HEADING}${comment}`
}
