/**
 * What kind of extract a run does, from the stored extract state and the command line
 * (docs/architecture.md#checkpoints-and-incremental-extraction):
 * - an unfinished extract (killed, failed, interrupted) is resumed from its last committed checkpoint — unless
 *   `--full` asks for a complete pass and the unfinished one was incremental;
 * - `--full`, or no watermark yet: a complete pass, which also finds records deleted at the source;
 * - otherwise: incremental, changes since the watermark.
 *
 * The watermark a completed extract stores is the time it *began*, minus `WATERMARK_SAFETY_MS`. Began, because
 * a record changed while the extract ran may have been read before the change; minus a margin, because the
 * source compares its own clock (and its own, possibly lagging, change index) with ours. Five minutes covers
 * ordinary clock skew and indexing delay; what changed in those minutes is read again next time, which costs
 * a few requests and changes nothing (unchanged content hashes are not written).
 */
import type { ExtractMode, ExtractStateRow, UnfinishedExtract } from "../store/ExtractState.ts"

export const WATERMARK_SAFETY_MS = 5 * 60_000

export type RunMode = "full" | "incremental" | "resumed"

export interface ExtractPlan {
  readonly mode: RunMode
  /** The kind of pass: a resumed extract keeps the kind it began with. */
  readonly pass: ExtractMode
  /** Passed to the source: changes after this time (incremental), absent for a complete pass. */
  readonly since: string | undefined
  /** Passed to the source: where to continue (resumed). */
  readonly resume: unknown
  /** What the store records while the extract runs, and the watermark it gets when it completes. */
  readonly unfinished: UnfinishedExtract
  /** The extract that was resumed, for the report. */
  readonly resumes: UnfinishedExtract | undefined
}

export interface PlanInput {
  readonly full: boolean
  readonly dryRun: boolean
  readonly state: ExtractStateRow
  readonly runId: string
  readonly startedAt: Date
  readonly safetyMs?: number | undefined
}

export const planExtract = (input: PlanInput): ExtractPlan => {
  const { state, runId } = input
  const unfinished = state.unfinished
  // A dry run shows what a run would read, but must not continue (and so claim) someone else's extract.
  if (unfinished !== null && !input.dryRun && (!input.full || unfinished.mode === "full")) {
    return {
      mode: "resumed",
      pass: unfinished.mode,
      since: unfinished.since ?? undefined,
      resume: unfinished.state,
      unfinished: { ...unfinished, runIds: [...unfinished.runIds, runId] },
      resumes: unfinished
    }
  }
  const pass: ExtractMode = input.full || state.watermark === null ? "full" : "incremental"
  const since = pass === "incremental" ? (state.watermark ?? undefined) : undefined
  return {
    mode: pass,
    pass,
    since,
    resume: undefined,
    unfinished: {
      extractId: runId,
      mode: pass,
      since: since ?? null,
      watermark: new Date(input.startedAt.getTime() - (input.safetyMs ?? WATERMARK_SAFETY_MS)).toISOString(),
      startedAt: input.startedAt.toISOString(),
      runIds: [runId]
    },
    resumes: undefined
  }
}

/** "full", "incremental since …", "resumed (full pass begun by run …)": the mode in one phrase. */
export const describeMode = (plan: { readonly mode: RunMode; readonly pass: ExtractMode; readonly since: string | null; readonly resumedFrom: string | null }): string =>
  plan.mode === "full"
    ? "full"
    : plan.mode === "incremental"
      ? `incremental since ${plan.since ?? "?"}`
      : `resumed (${plan.pass === "full" ? "full pass" : `incremental since ${plan.since ?? "?"}`} begun by run ${plan.resumedFrom ?? "?"})`
