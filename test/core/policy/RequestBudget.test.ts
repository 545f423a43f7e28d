/**
 * `runtime.budget.<system>` through core's HTTP layer: the request that would cross the budget is not sent; the
 * stop passes through a plugin's error handling untouched (it is no ApiError) and leaves the run as a SystemError
 * with reason "Budget" saying which system, which rule and how many requests it made; a system that reports its
 * month spent stops the same way instead of waiting for the month to end.
 */
import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Clock, Effect } from "effect"
import { makeApiHttp } from "../../../core/http/ApiHttp.ts"
import { RequestMetrics } from "../../../core/http/RequestMetrics.ts"
import { type BudgetRule, budgetOf, stopAtBudget } from "../../../core/policy/RequestBudget.ts"
import { makeSystemThrottle } from "../../../core/policy/SystemThrottle.ts"
import { makeGatewayLimiter } from "../../../core/sandbox/Throttling.ts"
import { describeFailure, ExitCode } from "../../../core/cli/ExitCode.ts"
import { Cause } from "effect"

const retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }

/** A gateway with a month of `perMonth` requests (and its headers), or none; counts what it was sent. */
const server = (perMonth: number | undefined) => {
  const decide = perMonth === undefined ? undefined : makeGatewayLimiter({ perMonth })
  const seen = { calls: 0 }
  const client = HttpClient.make((request) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      seen.calls++
      const d = decide?.(now)
      return HttpClientResponse.fromWeb(request, new Response(d?.allowed === false ? "{}" : "[]", { status: d?.allowed === false ? 429 : 200, headers: { ...d?.headers } }))
    })
  )
  return { client, seen }
}

const run = (perMonth: number | undefined, budget: BudgetRule | undefined, n: number) =>
  Effect.gen(function* () {
    const s = server(perMonth)
    const metrics = new RequestMetrics()
    const http = makeApiHttp({ system: "qtest", client: s.client, throttle: makeSystemThrottle({ system: "qtest", concurrency: 1, budget }), retry, timeoutMs: 10_000, metrics }, { baseUrl: "http://qtest.test" })
    // a plugin that reads every failure as "nothing there": the budget stop must not be mistaken for one
    const send = http.send("GET", "/api/v3/projects").pipe(Effect.catchAll(() => Effect.succeed({ body: null })))
    const exit = yield* Effect.exit(stopAtBudget(Effect.forEach(Array.from({ length: n }), () => send, { discard: true })))
    return { exit, calls: s.seen.calls, requests: metrics.of("qtest").requests }
  })

describe("RequestBudget", () => {
  it.effect("{ requests: 5 }: five are sent, the sixth is not; a SystemError Budget, exit 4", () =>
    Effect.gen(function* () {
      const r = yield* run(undefined, { requests: 5 }, 20)
      expect(r.calls).toBe(5)
      expect(r.requests).toBe(5)
      expect(r.exit._tag).toBe("Failure")
      if (r.exit._tag !== "Failure") return
      const error = Cause.failureOption(r.exit.cause)
      expect(error._tag).toBe("Some")
      if (error._tag !== "Some") return
      expect(error.value).toMatchObject({ _tag: "SystemError", reason: "Budget", system: "qtest" })
      expect(budgetOf(error.value)).toEqual({ system: "qtest", rule: "requests", limit: 5, requests: 5, monthRemaining: null, remainingToFinish: null })
      const described = describeFailure(r.exit.cause, false)
      expect(described.code).toBe(ExitCode.budget)
      expect(ExitCode.budget).toBe(4)
      expect(described.message).toContain("qtest: stopped at the budget: the budget of 5 requests (runtime.budget.qtest.requests) is spent; this run made 5 qtest requests")
      expect(described.message).toContain("raise runtime.budget.qtest.requests")
    })
  )

  it.effect("{ leaveMonthly: 7 } of a month of 10: three are sent, leaving 7; the fourth is not", () =>
    Effect.gen(function* () {
      const r = yield* run(10, { leaveMonthly: 7 }, 20)
      expect(r.calls).toBe(3)
      if (r.exit._tag !== "Failure") throw new Error("expected a stop")
      const error = Cause.failureOption(r.exit.cause)
      expect(error._tag === "Some" && budgetOf(error.value)).toEqual({ system: "qtest", rule: "leaveMonthly", limit: 7, requests: 3, monthRemaining: 7, remainingToFinish: null })
    })
  )

  it.effect("no budget, a month of 4 reported spent: four are sent, then the run stops instead of meeting a month-long 429", () =>
    Effect.gen(function* () {
      const r = yield* run(4, undefined, 20)
      expect(r.calls).toBe(4)
      if (r.exit._tag !== "Failure") throw new Error("expected a stop")
      const error = Cause.failureOption(r.exit.cause)
      expect(error._tag === "Some" && budgetOf(error.value)).toMatchObject({ rule: "monthSpent", requests: 4, monthRemaining: 0 })
      expect(describeFailure(r.exit.cause, false).message).toContain("qtest reports this month's requests spent")
    })
  )

  it.effect("outside a run (verify, validate: no stopAtBudget), the CLI still reads the stop as exit 4", () =>
    Effect.gen(function* () {
      const s = server(3)
      const http = makeApiHttp({ system: "qtest", client: s.client, throttle: makeSystemThrottle({ system: "qtest" }), retry, timeoutMs: 10_000, metrics: new RequestMetrics() }, { baseUrl: "http://qtest.test" })
      const exit = yield* Effect.exit(Effect.forEach(Array.from({ length: 5 }), () => http.send("GET", "/api/v3/projects"), { discard: true }))
      if (exit._tag !== "Failure") throw new Error("expected a stop")
      const described = describeFailure(exit.cause, false)
      expect(described.code).toBe(ExitCode.budget)
      expect(described.message).toContain("qtest: stopped at the budget: qtest reports this month's requests spent; this run made 3 qtest requests")
    })
  )

  it.effect("no budget and no headers: nothing stops", () =>
    Effect.gen(function* () {
      const r = yield* run(undefined, undefined, 50)
      expect(r.exit._tag).toBe("Success")
      expect(r.calls).toBe(50)
    })
  )
})
