/**
 * Zephyr's identifiers as distinct types: numeric ids (cases, cycles, executions, folders, statuses, …) and
 * test case keys (`PROJ-T12`). Branding keeps a key from being passed where an id is expected — the API
 * addresses test cases by key but everything else by id, an easy mix-up.
 */
import { Schema } from "effect"

export const ZephyrId = Schema.Int.pipe(Schema.nonNegative(), Schema.brand("ZephyrId"))
export type ZephyrId = typeof ZephyrId.Type

/** `.+-T[0-9]+` is the API's own pattern for test case keys. */
export const ZephyrTestCaseKey = Schema.String.pipe(
  Schema.pattern(/^.+-T[0-9]+$/, { message: () => "expected a test case key like PROJ-T12" }),
  Schema.brand("ZephyrTestCaseKey")
)
export type ZephyrTestCaseKey = typeof ZephyrTestCaseKey.Type
