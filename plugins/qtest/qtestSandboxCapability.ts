/**
 * The plugin's `sandbox` capability: starts the qTest Manager simulator (./sandbox) and points the sink's spec
 * section at it. Under `run --sandbox` the project is kept in `qtest-sandbox.json` beside the sandbox store, so
 * a second rehearsal finds what the first created — as a second run against qTest would.
 */
import * as path from "node:path"
import { Effect, Redacted } from "effect"
import { type SandboxCapability, sandboxStartError, transportOptionsOf } from "../../core/sandbox.ts"
import { startQtestSandbox } from "./sandbox/index.ts"

export const QTEST_SANDBOX_FILE = "qtest-sandbox.json"

export const qtestSandboxCapability: SandboxCapability = {
  options: [
    { name: "qtest-requirements", type: "string", description: "comma-separated requirement names the qTest sandbox starts with, as if synced from Jira (e.g. \"DEMO-1 Login story\")" }
  ],
  start: (o) =>
    Effect.gen(function* () {
      const requirements = typeof o.extra["qtest-requirements"] === "string" ? o.extra["qtest-requirements"].split(",").map((s) => s.trim()).filter((s) => s !== "") : undefined
      const running = yield* startQtestSandbox({
        ...transportOptionsOf(o),
        requirements,
        persistFile: o.stateDir === undefined ? undefined : path.join(o.stateDir, QTEST_SANDBOX_FILE)
      }).pipe(Effect.mapError(sandboxStartError("qtest", "qTest")))
      return {
        baseUrl: running.baseUrl,
        connect: { token: running.token, projectId: String(running.projectId) },
        identity: { key: { sandbox: "qtest", projectId: String(running.projectId) }, description: `the qTest sandbox's project ${running.projectId}` },
        configOverrides: {
          baseUrl: running.baseUrl,
          projectId: running.projectId,
          token: Redacted.make(running.token),
          username: undefined,
          password: undefined,
          siteName: undefined
        }
      }
    })
}
