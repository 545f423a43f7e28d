/**
 * The exit codes (docs/architecture.md#the-run-report-and-exit-codes), and the one place that turns any failure
 * into a message a person can act on: what went wrong, and what to do — no stack trace unless `--verbose` (or
 * MIGRATE_DEBUG=1) asks for it.
 */
import { ValidationError } from "@effect/cli"
import { Cause, Data, Option } from "effect"
import { BudgetReached, budgetStop } from "../policy/RequestBudget.ts"

/** `budget`: stopped before a request that would cross `runtime.budget` (or a month reported spent); run again to continue. */
export const ExitCode = { ok: 0, failed: 1, invalid: 2, quarantined: 3, budget: 4, locked: 75, interrupted: 130 } as const

/** A handler's way to end with a given code after it printed its own result. */
export class CliExit extends Data.TaggedError("CliExit")<{ readonly code: number }> {}

interface Described {
  readonly code: number
  readonly message: string
}

export const describeFailure = (cause: Cause.Cause<unknown>, verbose: boolean): Described => {
  if (Cause.isInterruptedOnly(cause)) return { code: ExitCode.interrupted, message: "interrupted — state saved up to the last committed batch; run again to continue" }
  const failure = Cause.failureOption(cause)
  if (Option.isNone(failure)) {
    // a budget met outside a run (verify, validate) arrives as the defect core's run would have turned into a failure
    const reached = [...Cause.defects(cause)].find((d): d is BudgetReached => d instanceof BudgetReached)
    if (reached !== undefined) {
      const e = budgetStop(reached)
      return { code: ExitCode.budget, message: `${e.system}: ${e.message}\n  → ${e.hint}` }
    }
    return { code: ExitCode.failed, message: `internal error — please report it:\n${Cause.pretty(cause)}` }
  }
  // @effect/cli has already printed what was wrong with the command line, with the usage.
  if (ValidationError.isValidationError(failure.value)) return { code: ExitCode.invalid, message: "" }
  const e = failure.value as { _tag?: string; message?: string; hint?: string; reason?: string; problems?: ReadonlyArray<string>; code?: number; system?: string }
  const trace = verbose ? `\n${Cause.pretty(cause)}` : ""
  switch (e._tag) {
    case "CliExit":
      return { code: e.code ?? ExitCode.failed, message: "" }
    case "SpecError":
      return {
        code: ExitCode.invalid,
        message: `${e.reason === "Usage" ? "invalid command line" : "the spec is invalid"}:\n${(e.problems ?? [e.message]).map((p) => `  ${p}`).join("\n")}${trace}`
      }
    case "SystemError":
      return { code: e.reason === "Budget" ? ExitCode.budget : ExitCode.failed, message: `${e.system}: ${e.message}\n  → ${e.hint}${trace}` }
    case "PluginError":
      return { code: e.reason === "Unknown" || e.reason === "Config" || e.reason === "Contract" || e.reason === "Load" ? ExitCode.invalid : ExitCode.failed, message: `${e.message}${trace}` }
    case "StateMismatch":
      return { code: ExitCode.invalid, message: `${e.message}\n  → ${e.hint}${trace}` }
    case "StateLocked":
      return { code: ExitCode.locked, message: `${e.message}\n  → ${e.hint}${trace}` }
    case "StoreError":
      // classifyStoreError wrote both: what failed, on which path, why (SQLite's or the OS's code) — and what to do.
      return { code: ExitCode.failed, message: `${e.message}\n  → ${e.hint}${trace}` }
    case "ApiError":
      return { code: ExitCode.failed, message: `${e.system}: ${e.message}${trace}` }
    default:
      return { code: ExitCode.failed, message: `${e.message ?? String(e)}${trace}` }
  }
}
