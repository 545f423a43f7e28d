/**
 * Credentials that stop working mid-run. A qTest token that expires after N requests must stop the run with a
 * clear message — what failed, where, what to do, no stack trace — and a run with a new token must converge;
 * once in-process, once through the real CLI as a user sees it (exit code 1, the message on stderr, the token
 * nowhere in the output). A Snowflake session that expires (Snowflake's 390112, then 390114 for its master
 * token) must be replaced by a new login, and the run go on.
 */
import { describe, expect, it } from "@effect/vitest"
import { expectSameCounts, expectSameEnd, expectTruthfulCounts, runScenario } from "./chaosScenario.ts"
import type { ChaosSuite } from "./ChaosSuite.ts"
import { runChaos } from "./runChaos.ts"
import { type CliChaosRun, runChaosCli } from "./runChaosCli.ts"

/** Declares the scenarios; `suite` gives the clean run they are compared with and the table they fill. */
export const expiryScenarios = (suite: ChaosSuite): void => {
  const { table } = suite
  describe("chaos: credentials expiring mid-run", () => {
    it("a qTest token that expires after 150 requests: a clear stop, then a run with a new token converges", async () => {
      let renewed = ""
      const r = await runScenario({
        misbehaviour: { qtest: { tokenExpiresAfterRequests: 150 } },
        resume: async (t, stopped) => {
          expect(stopped.failure?.message).toMatch(/qTest rejected the API token: \w+ http:\/\/127\.0\.0\.1:\d+\/api\/v3\/\S+ answered 401/)
          expect(stopped.failure?.hint).toMatch(/fix the token .* run again/)
          renewed = t.qtest.current().issueToken()
          return { qtestToken: renewed }
        }
      })
      table.record("qTest token expires after 150 requests", r)
      expect(r.outcome).toBe("stopped-and-resumed")
      expect(renewed).not.toBe("")
      expectSameEnd(r.end, suite.clean().end)
      expectSameCounts(r, suite.clean())
      expectTruthfulCounts(r, "qtest")
    }, 300_000)

    it("the same through the CLI: exit code 1 and a message a user can act on, then a run with a new token converges", async () => {
      const cliRuns: Array<CliChaosRun> = []
      const cli = async (...args: Parameters<typeof runChaosCli>) => {
        const run = await runChaosCli(...args)
        cliRuns.push(run)
        return run
      }
      const expired = "expired-api-token-1234"
      const r = await runScenario({
        misbehaviour: { qtest: { token: expired, tokenExpiresAfterRequests: 150 } },
        // the store the clean run compares with is stamped with the compressed clock's instant: extracted so here,
        // the CLI's runs then find nothing changed at the source and load
        before: async (t) => {
          expect((await runChaos(t, { extractOnly: true })).failure).toBeUndefined()
        },
        runner: cli,
        resume: async (t) => ({ qtestToken: t.qtest.current().issueToken() })
      })
      table.record("qTest token expires (CLI)", r)
      expect(r.outcome).toBe("stopped-and-resumed")
      const [stopped, resumed] = cliRuns
      expect(stopped!.cli.code).toBe(1)
      expect(stopped!.cli.stderr).toMatch(/migrate: qtest: qTest rejected the API token: \w+ http:\/\/127\.0\.0\.1:\d+\/api\/v3\/projects\/\d+\/\S+ answered 401: Invalid or expired access token\n {2}→ qtest refused the credentials: fix the token \(or user and password\) in the qtest section of the spec, then run again — the load resumes where it stopped\n$/)
      expect(`${stopped!.cli.stdout}${stopped!.cli.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(`${stopped!.cli.stdout}${stopped!.cli.stderr}`).not.toContain(expired)
      expect(resumed!.cli.code, resumed!.cli.stderr).toBe(0)
      expectSameEnd(r.end, suite.clean().end)
      expectSameCounts(r, suite.clean())
      expectTruthfulCounts(r, "qtest")
    }, 400_000)

    it("a Snowflake session that expires every 30 statements: the client logs in again and the run goes on", async () => {
      const r = await runScenario({ misbehaviour: { snowflake: { sessionExpiresAfterQueries: 30 } } })
      table.record("Snowflake session expires every 30 statements", r)
      expect(r.outcome).toBe("converged")
      expectSameEnd(r.end, suite.clean().end)
      expectSameCounts(r, suite.clean())
      expectTruthfulCounts(r, "snowflake")
    }, 300_000)
  })
}
