/**
 * The spec's `runtime.budget.<system>`: at most N requests of that system in this run (`requests`), or stop
 * before the month's remaining requests the API reports (`x-ratelimit-remaining-month`) would fall below N
 * (`leaveMonthly`). A system without a budget still stops when the API reports the month spent: its 429s would
 * ask to wait until the month is over. Checked before a request is sent: the request is not sent.
 *
 * The stop travels as a defect (`BudgetReached`), not as an `ApiError`: a plugin reads a failed request's error
 * (a 4xx refuses a record, a 404 means "nothing there") and must not mistake "not sent" for an answer. Core
 * turns it back into a `SystemError` with reason "Budget" at the edge of the run (`budgetStop`), after every
 * fiber has stopped at its last commit point, as an interrupt would.
 */
import { Cause, Data, Effect } from "effect"
import { SystemError } from "../errors.ts"
import type { BudgetStopDetails } from "./BudgetStopDetails.ts"

export type { BudgetStopDetails } from "./BudgetStopDetails.ts"

export type BudgetRule = { readonly requests: number } | { readonly leaveMonthly: number }


export class BudgetReached extends Data.TaggedError("BudgetReached")<BudgetStopDetails> {}

export interface RequestBudget {
  /** Before a request is sent: fine, or dies with BudgetReached. Counts the request when it may go. */
  readonly spend: (monthRemaining: number | undefined) => Effect.Effect<void>
  readonly requests: () => number
}

export const makeRequestBudget = (system: string, rule: BudgetRule | undefined): RequestBudget => {
  let sent = 0
  const stop = (r: BudgetStopDetails["rule"], limit: number, monthRemaining: number | undefined) =>
    Effect.die(new BudgetReached({ system, rule: r, limit, requests: sent, monthRemaining: monthRemaining ?? null, remainingToFinish: null }))
  return {
    spend: (monthRemaining) =>
      Effect.suspend(() => {
        if (rule !== undefined && "requests" in rule && sent >= rule.requests) return stop("requests", rule.requests, monthRemaining)
        // `monthRemaining` already counts this request out: what would be left once it is sent
        if (rule !== undefined && "leaveMonthly" in rule && monthRemaining !== undefined && monthRemaining < rule.leaveMonthly)
          return stop("leaveMonthly", rule.leaveMonthly, monthRemaining + 1)
        if (monthRemaining !== undefined && monthRemaining < 0) return stop("monthSpent", 0, 0)
        sent++
        return Effect.void
      }),
    requests: () => sent
  }
}

const ruleText = (d: BudgetStopDetails): string =>
  d.rule === "requests"
    ? `the budget of ${d.limit} requests (runtime.budget.${d.system}.requests) is spent`
    : d.rule === "leaveMonthly"
      ? `another request would leave fewer than ${d.limit} of the month's requests (runtime.budget.${d.system}.leaveMonthly); ${d.system} reports ${d.monthRemaining} left`
      : `${d.system} reports this month's requests spent`

/** What the user reads when a budget stopped the run. */
export const budgetStop = (d: BudgetStopDetails): SystemError =>
  new SystemError({
    system: d.system,
    reason: "Budget",
    budget: { system: d.system, rule: d.rule, limit: d.limit, requests: d.requests, monthRemaining: d.monthRemaining, remainingToFinish: d.remainingToFinish },
    message: `stopped at the budget: ${ruleText(d)}; this run made ${d.requests} ${d.system} requests; requests remaining to finish: ${d.remainingToFinish ?? "unknown (see migrate plan)"}`,
    hint:
      d.rule === "requests"
        ? `run again to continue where this run stopped, or raise runtime.budget.${d.system}.requests`
        : `run again when ${d.system}'s monthly quota resets to continue where this run stopped, or lower runtime.budget.${d.system}.leaveMonthly`
  })

/** A run's work with a budget stop met anywhere in it (also among fibers interrupted with it) as its SystemError. */
export const stopAtBudget = <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | SystemError, R> =>
  Effect.catchAllCause(work, (cause): Effect.Effect<never, E | SystemError> => {
    const reached = [...Cause.defects(cause)].find((d): d is BudgetReached => d instanceof BudgetReached)
    return reached === undefined ? Effect.failCause(cause) : Effect.fail(budgetStop(reached))
  })

/** The details of a budget stop, when this error is one. */
export const budgetOf = (e: unknown): BudgetStopDetails | undefined =>
  (e as { readonly _tag?: unknown } | null)?._tag === "SystemError" ? (e as SystemError).budget : undefined
