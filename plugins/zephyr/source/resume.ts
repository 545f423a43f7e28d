/**
 * Where an extract resumes: the checkpoint state the source writes after every item and page of the cursor lists,
 * and reading it back. Its shape is persisted in users' state stores: it must not change.
 */
import { Effect, Either, Schema } from "effect"
import type { PluginContext } from "../../../core/index.ts"
import type { CursorList } from "../ZephyrClient.ts"

/** The cursor lists in dependency order: cases (with steps) before plans, cycles, and executions of them. */
export const PHASES = ["TestCase", "TestPlan", "TestCycle", "TestExecution"] as const
export type Phase = (typeof PHASES)[number]
export const phaseList: Readonly<Record<Phase, CursorList>> = { TestCase: "testcases", TestPlan: "testplans", TestCycle: "testcycles", TestExecution: "testexecutions" }

/**
 * The source's checkpoint state: every list before `phase` is done, and in `phase` every item with an id below
 * `startAtId` (the cursor lists are in id order). `done`: all lists are. Project, folders and lookups are read
 * again on resume — a handful of requests, and the lookups are needed to map what follows.
 */
export const ResumeState = Schema.Struct({
  v: Schema.Literal(1),
  phase: Schema.Literal(...PHASES, "done"),
  startAtId: Schema.Number
})
export type ResumeState = typeof ResumeState.Type
export const START: ResumeState = { v: 1, phase: "TestCase", startAtId: 0 }
export const after = (phase: Phase): ResumeState => ({ v: 1, phase: PHASES[PHASES.indexOf(phase) + 1] ?? "done", startAtId: 0 })

/** The resume state core hands back; one this version cannot read is reported and the extract starts over. */
export const resumeStateOf = (ctx: PluginContext, resume: unknown): Effect.Effect<ResumeState> => {
  if (resume === undefined) return Effect.succeed(START)
  return Either.match(Schema.decodeUnknownEither(ResumeState)(resume), {
    onRight: Effect.succeed,
    onLeft: () =>
      Effect.as(
        ctx.report.note({ kind: "warning", message: `the saved resume point ${JSON.stringify(resume)} is not one this version understands: the extract starts from the beginning` }),
        START
      )
  })
}
