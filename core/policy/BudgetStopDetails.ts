/** What stopped a run at a budget (RequestBudget.ts): the SystemError's `budget` and the report's `error.budget`. */
export interface BudgetStopDetails {
  readonly system: string
  /** Which rule stopped the run: the spec's request budget, its monthly reserve, or the month reported spent. */
  readonly rule: "requests" | "leaveMonthly" | "monthSpent"
  /** The rule's figure: N requests, or N left of the month. */
  readonly limit: number
  /** Requests this system was sent in this run. */
  readonly requests: number
  /** The month's remaining requests as the API last reported them (less those sent since), when it does. */
  readonly monthRemaining: number | null
  /** The requests the run still needs to finish, when known (the plan's estimate less what was done); else null. */
  readonly remainingToFinish: number | null
}
