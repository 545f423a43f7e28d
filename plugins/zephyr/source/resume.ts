/**
 * Where an extract resumes: the checkpoint state the source writes after every item and page of the big lists,
 * and reading it back. Its shapes are persisted in users' state stores: they must not change (add a version).
 */
import { Effect, Either, Schema } from "effect"
import type { PluginContext } from "../../../core/index.ts"
import type { Edition } from "../Edition.ts"
import type { BigList } from "../ZephyrClient.ts"

/** The big lists in dependency order: cases (with steps) before plans, cycles, and executions of them. */
export const PHASES = ["TestCase", "TestPlan", "TestCycle", "TestExecution"] as const
export type Phase = (typeof PHASES)[number]
export const phaseList: Readonly<Record<Phase, BigList>> = { TestCase: "testcases", TestPlan: "testplans", TestCycle: "testcycles", TestExecution: "testexecutions" }

const PhaseOrDone = Schema.Literal(...PHASES, "done")

/**
 * The source's checkpoint state: every list before `phase` is done, and in `phase` everything before the
 * position. `done`: all lists are. Project, folders and lookups are read again on resume — a handful of
 * requests, and the lookups are needed to map what follows.
 * - v1, cursor lists (id order): every item with an id below `startAtId`;
 * - v2, offset lists (an edition without cursor endpoints): the first `startAt` items of the list.
 */
export const ResumeState = Schema.Union(
  Schema.Struct({ v: Schema.Literal(1), phase: PhaseOrDone, startAtId: Schema.Number }),
  Schema.Struct({ v: Schema.Literal(2), phase: PhaseOrDone, startAt: Schema.Number })
)
export type ResumeState = typeof ResumeState.Type

/** Where `phase` starts, in the edition's kind of position. */
export const at = (edition: Edition, phase: Phase | "done", position: number): ResumeState =>
  edition.lists === "cursor" ? { v: 1, phase, startAtId: position } : { v: 2, phase, startAt: position }
export const start = (edition: Edition): ResumeState => at(edition, "TestCase", 0)
export const after = (edition: Edition, phase: Phase): ResumeState => at(edition, PHASES[PHASES.indexOf(phase) + 1] ?? "done", 0)

/** The position a state holds: an id (v1) or an index into the list (v2). */
export const positionOf = (state: ResumeState): number => (state.v === 1 ? state.startAtId : state.startAt)

/**
 * The resume state core hands back. One this version cannot read, or one of the other kind of list (written
 * against another edition), is reported and the extract starts over: a position of one kind means nothing in
 * the other.
 */
export const resumeStateOf = (ctx: PluginContext, edition: Edition, resume: unknown): Effect.Effect<ResumeState> => {
  if (resume === undefined) return Effect.succeed(start(edition))
  const restart = Effect.as(
    ctx.report.note({ kind: "warning", message: `the saved resume point ${JSON.stringify(resume)} is not one this version understands: the extract starts from the beginning` }),
    start(edition)
  )
  return Either.match(Schema.decodeUnknownEither(ResumeState)(resume), {
    onRight: (state) => ((state.v === 1) === (edition.lists === "cursor") ? Effect.succeed(state) : restart),
    onLeft: () => restart
  })
}
