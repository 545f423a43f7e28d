/**
 * Where a Zephyr DC extract resumes: the checkpoint state written after every item and page of its searches, and
 * reading it back. Persisted in users' state stores: add a version, never change one.
 * v3: every phase before `phase` is done, and in `phase` the first `startAt` items of its search. The Cloud
 * editions' states (v1, v2, source/resume.ts) mean nothing here: such a state is reported and the extract starts over.
 */
import { Effect, Either, Schema } from "effect"
import type { PluginContext } from "../../../core/index.ts"

/**
 * In dependency order: cases (with steps), plans, runs with their results, then the latest ad hoc result of every
 * case (a second pass over the cases: an ad hoc result is told apart only once every run's results are known).
 */
export const DC_PHASES = ["TestCase", "TestPlan", "TestRun", "AdHoc"] as const
export type DcPhase = (typeof DC_PHASES)[number]

export const DcResumeState = Schema.Struct({ v: Schema.Literal(3), phase: Schema.Literal(...DC_PHASES, "done"), startAt: Schema.Number })
export type DcResumeState = typeof DcResumeState.Type

export const dcAt = (phase: DcPhase | "done", startAt: number): DcResumeState => ({ v: 3, phase, startAt })
export const dcAfter = (phase: DcPhase): DcResumeState => dcAt(DC_PHASES[DC_PHASES.indexOf(phase) + 1] ?? "done", 0)

export const dcResumeStateOf = (ctx: PluginContext, resume: unknown): Effect.Effect<DcResumeState> => {
  if (resume === undefined) return Effect.succeed(dcAt("TestCase", 0))
  return Either.match(Schema.decodeUnknownEither(DcResumeState)(resume), {
    onRight: Effect.succeed,
    onLeft: () =>
      Effect.as(
        ctx.report.note({ kind: "warning", message: `the saved resume point ${JSON.stringify(resume)} is not one of Zephyr DC's: the extract starts from the beginning` }),
        dcAt("TestCase", 0)
      )
  })
}
