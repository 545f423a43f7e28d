/**
 * Mutations for incremental-sync tests: what `RunningZephyrSandbox.mutate` and `POST /__sandbox/mutate` accept,
 * what they report, and the edits themselves. An edit is a pure function of the entity and the mutation's
 * `round` (its seed), so the overlay stores only `(id → rounds)` and recomputes a changed entity when it is
 * read: a generated tenant stays lazy even after half its executions changed.
 */
import { mix } from "../../../core/sandbox.ts"
import type { ZephyrTestCase, ZephyrTestCycle, ZephyrTestExecution, ZephyrTestPlan, ZephyrTestScript, ZephyrTestStep } from "./ZephyrData.ts"

export interface MutationOptions {
  /** Share (0..1) of test cases, cycles, plans and executions to edit; default 0.05. */
  readonly changeFraction?: number | undefined
  /** Share (0..1) of test cases and executions to delete; default 0.01. */
  readonly deleteFraction?: number | undefined
  /** New test cases and new executions to add (each); default 5. */
  readonly addCount?: number | undefined
  /** Chooses which entities and which edits; default: a new one per call (1, 2, 3, …). */
  readonly seed?: number | undefined
}

export interface MutationResult {
  /** The update time given to every changed and added entity (ISO, ms precision). */
  readonly at: string
  readonly seed: number
  readonly changed: {
    readonly testcases: ReadonlyArray<string>
    readonly testcycles: ReadonlyArray<string>
    readonly testplans: ReadonlyArray<string>
    readonly executions: ReadonlyArray<number>
  }
  readonly deleted: { readonly testcases: ReadonlyArray<string>; readonly executions: ReadonlyArray<number> }
  readonly added: { readonly testcases: ReadonlyArray<string>; readonly executions: ReadonlyArray<number> }
}

export const MUTATION_DEFAULTS = { changeFraction: 0.05, deleteFraction: 0.01, addCount: 5 } as const

/** Checks a value (e.g. a JSON request body); returns the options or the problems. */
export const checkMutationOptions = (value: unknown): MutationOptions | ReadonlyArray<string> => {
  if (value === undefined || value === null) return {}
  if (typeof value !== "object" || Array.isArray(value)) return ["the body must be a JSON object"]
  const o = value as Record<string, unknown>
  const problems: Array<string> = []
  for (const key of Object.keys(o))
    if (!["changeFraction", "deleteFraction", "addCount", "seed"].includes(key)) problems.push(`unknown option '${key}' (expected changeFraction, deleteFraction, addCount, seed)`)
  const fraction = (name: string) => {
    const v = o[name]
    if (v !== undefined && !(typeof v === "number" && v >= 0 && v <= 1)) problems.push(`${name} must be a number from 0 to 1`)
  }
  fraction("changeFraction")
  fraction("deleteFraction")
  const count = o["addCount"]
  if (count !== undefined && !(typeof count === "number" && Number.isInteger(count) && count >= 0 && count <= 10_000)) problems.push("addCount must be an integer from 0 to 10000")
  const seed = o["seed"]
  if (seed !== undefined && !(typeof seed === "number" && Number.isInteger(seed))) problems.push("seed must be an integer")
  // Fractions may add up to more than 1: edits then take whatever the deletions left.
  return problems.length > 0 ? problems : (value as MutationOptions)
}

/** One edit applied to one entity: the round chooses the edit; `stepId` is reserved for an added step. */
export interface Edit {
  readonly round: number
  readonly stepId: number
  readonly at: number
}

export interface CaseContent {
  readonly testCase: ZephyrTestCase
  readonly steps: ReadonlyArray<ZephyrTestStep>
  readonly script: ZephyrTestScript | undefined
}

const revised = (name: string, round: number): string => {
  const suffix = ` (rev ${round})`
  return name.slice(0, 255 - suffix.length) + suffix
}

/** Rename, rewrite the objective, or add a step (a script case gets a line instead), by round. */
export const editTestCase = (c: CaseContent, edit: Edit): CaseContent => {
  switch (mix(edit.round, c.testCase.id) % 3) {
    case 0:
      return { ...c, testCase: { ...c.testCase, name: revised(c.testCase.name, edit.round) } }
    case 1:
      return { ...c, testCase: { ...c.testCase, objective: `<p>Objective revised in change ${edit.round} ✎ — <em>révisé</em>, 改訂</p>` } }
    default:
      if (c.script !== undefined) return { ...c, script: { ...c.script, text: `${c.script.text}\n# revised in change ${edit.round}` } }
      return {
        ...c,
        steps: [
          ...c.steps,
          { id: edit.stepId, inline: { description: `<p>Verify change ${edit.round} 🔁</p>`, testData: "", expectedResult: "The change is visible", customFields: {}, reflectRef: null } }
        ]
      }
  }
}

/** A new status (another of the project's execution statuses) or a new HTML comment, by round. */
export const editExecution = (e: ZephyrTestExecution, edit: Edit, executionStatusIds: ReadonlyArray<number>): ZephyrTestExecution => {
  const others = executionStatusIds.filter((id) => id !== e.testExecutionStatus.id)
  if (mix(edit.round, e.id) % 2 === 0 && others.length > 0) {
    const id = others[mix(edit.round, e.id, 1) % others.length] ?? e.testExecutionStatus.id
    return { ...e, testExecutionStatus: { id, self: e.testExecutionStatus.self.replace(/[0-9]+$/, String(id)) } }
  }
  return { ...e, comment: `<p>Re-triaged in change ${edit.round}: <b>see</b> the linked defect 🐞</p>` }
}

export const editTestCycle = (c: ZephyrTestCycle, edit: Edit): ZephyrTestCycle =>
  mix(edit.round, c.id) % 2 === 0 ? { ...c, name: revised(c.name, edit.round) } : { ...c, description: `<p>Scope changed in change ${edit.round} — 範囲変更</p>` }

export const editTestPlan = (p: ZephyrTestPlan, edit: Edit): ZephyrTestPlan =>
  mix(edit.round, p.id) % 2 === 0 ? { ...p, name: revised(p.name, edit.round) } : { ...p, objective: `<p>Objective revised in change ${edit.round}</p>` }
