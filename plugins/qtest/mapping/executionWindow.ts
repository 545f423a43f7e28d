/**
 * When a Zephyr execution ran, as qTest's required exe_start_date / exe_end_date. Zephyr records the end and
 * the duration: end = actualEndDate (else the execution's last update, for executions never run), start = end −
 * execution time (= end when Zephyr has no time). Both ISO 8601 UTC with milliseconds.
 */
import type { TestExecution } from "./canonical.ts"
import { isoInstant } from "./isoInstant.ts"

export interface ExecutionWindow {
  readonly start: string
  readonly end: string
}

export const executionWindow = (execution: TestExecution): ExecutionWindow => {
  const end = isoInstant(execution.actual_end_date ?? "") ?? isoInstant(execution.updated_at) ?? isoInstant(execution.created_at) ?? new Date(0).toISOString()
  const ms = execution.execution_time_ms ?? 0
  const start = ms > 0 ? new Date(Date.parse(end) - ms).toISOString() : end
  return { start, end }
}

/** The label of an execution in notes and gaps: its key, else its id. */
export const executionLabel = (execution: TestExecution): string => execution.key ?? `execution ${execution.execution_id}`
