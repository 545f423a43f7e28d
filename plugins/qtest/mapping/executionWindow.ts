/**
 * When a Zephyr execution ran, as qTest's required exe_start_date / exe_end_date. Zephyr records the end and
 * the duration: end = actualEndDate, start = end − execution time (= end when Zephyr has no time). Both ISO 8601
 * UTC with milliseconds.
 *
 * An execution never run has no date at the source. Its log is dated by what the source does say about it — its
 * cycle's planned end, else planned start, else its test case's creation — never by the store's created_at /
 * updated_at, which core fills with the time the record was first extracted when the source has none (Zephyr
 * gives executions none): that would date the same execution differently in every state, and a state rebuilt
 * after a loss would find every such log changed.
 */
import type { TestCase, TestCycle, TestExecution } from "./canonical.ts"
import { isoInstant } from "./isoInstant.ts"

export interface ExecutionWindow {
  readonly start: string
  readonly end: string
}

/** What dates an execution that never ran. */
export interface ExecutionContext {
  readonly cycle?: Pick<TestCycle, "planned_end_date" | "planned_start_date"> | null | undefined
  readonly testCase?: Pick<TestCase, "created_on"> | null | undefined
}

export const executionWindow = (execution: TestExecution, context: ExecutionContext = {}): ExecutionWindow => {
  const end =
    isoInstant(execution.actual_end_date ?? "") ??
    isoInstant(context.cycle?.planned_end_date ?? "") ??
    isoInstant(context.cycle?.planned_start_date ?? "") ??
    isoInstant(context.testCase?.created_on ?? "") ??
    new Date(0).toISOString()
  const ms = execution.execution_time_ms ?? 0
  const start = ms > 0 ? new Date(Date.parse(end) - ms).toISOString() : end
  return { start, end }
}

/** The label of an execution in notes and gaps: its key, else its id. */
export const executionLabel = (execution: TestExecution): string => execution.key ?? `execution ${execution.execution_id}`
