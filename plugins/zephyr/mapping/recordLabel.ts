/**
 * How a quarantine reason names a Zephyr record, so the user can find it in Zephyr: its key when it has one
 * (`test case PROJ-T12`), else its id; and the one fix the migrator cannot apply for them. A malformed record is
 * not repaired or guessed at: once it is corrected in Zephyr its update time changes, and the next run reads it.
 */
import type { EntityName } from "../../../core/index.ts"

const NOUNS: Partial<Record<EntityName, string>> = {
  Folder: "folder",
  TestCase: "test case",
  TestStep: "test step",
  TestPlan: "test plan",
  TestCycle: "test cycle",
  TestExecution: "test execution",
  ExecutionStepResult: "step result",
  Attachment: "attachment"
}

export const FIX_IN_ZEPHYR = "fix it in Zephyr; the next run reads it again"

/** `test case PROJ-T12`, `test execution 4711` — from a raw item's `key`, else its `id`, else its name. */
export const recordLabel = (entity: EntityName, raw: unknown): string => {
  const r = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {}
  const named = [r["key"], r["id"], r["name"]].find((v) => (typeof v === "string" && v !== "") || typeof v === "number")
  return `${NOUNS[entity] ?? entity}${named === undefined ? " without id or key" : ` ${String(named)}`}`
}

/** `test case PROJ-T12 is malformed (name: is missing) — fix it in Zephyr; …`. */
export const malformedReason = (label: string, problem: string): string => `${label} is malformed (${problem}) — ${FIX_IN_ZEPHYR}`
