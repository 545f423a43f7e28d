/**
 * The plugin's `sandbox` capability: starts the qTest Manager simulator (./sandbox) and points the sink's spec
 * section at it. Under `run --sandbox` the project is kept in `qtest-sandbox.json` beside the sandbox store, so
 * a second rehearsal finds what the first created — as a second run against qTest would. `--qtest-projects N`
 * serves N projects on the one site ("Migration Target", "Migration Target 2", …); `connect` then lists their
 * ids in `projectIds` (comma-separated), and `projectId` stays the first, which the spec's sink points at.
 * `--qtest-jira-defects` gives the projects a Jira defect integration, so test logs are linked to Jira issues.
 */
import * as path from "node:path"
import { Effect, Redacted } from "effect"
import { type SandboxCapability, sandboxStartError, transportOptionsOf } from "../../core/sandbox.ts"
import { startQtestSandbox } from "./sandbox/index.ts"

export const QTEST_SANDBOX_FILE = "qtest-sandbox.json"

/** "Migration Target", "Migration Target 2", …: the default project first, under the name it always had. */
const projectsNamed = (count: number): ReadonlyArray<{ readonly name: string }> =>
  Array.from({ length: count }, (_, i) => ({ name: i === 0 ? "Migration Target" : `Migration Target ${i + 1}` }))

export const qtestSandboxCapability: SandboxCapability = {
  options: [
    { name: "qtest-requirements", type: "string", description: "comma-separated requirement names the qTest sandbox starts with, as if synced from Jira (e.g. \"DEMO-1 Login story\")" },
    { name: "qtest-projects", type: "integer", description: "how many projects the qTest sandbox's site serves (default 1): \"Migration Target\", \"Migration Target 2\", …" },
    {
      name: "qtest-jira-defects",
      type: "boolean",
      description: "the qTest sandbox's projects have a Jira defect integration: migrated test logs are linked to their executions' Jira issues (without it they go into the \"Zephyr Defects\" field)"
    }
  ],
  start: (o) =>
    Effect.gen(function* () {
      const requirements = typeof o.extra["qtest-requirements"] === "string" ? o.extra["qtest-requirements"].split(",").map((s) => s.trim()).filter((s) => s !== "") : undefined
      const count = o.extra["qtest-projects"]
      if (count !== undefined && !(typeof count === "number" && Number.isInteger(count) && count >= 1))
        return yield* sandboxStartError("qtest", "qTest")({ reason: "Config", message: `--qtest-projects ${String(count)}: expected a number of projects, 1 or more` })
      // absent: the one default project, exactly as without the option
      const projects = count === undefined ? undefined : projectsNamed(count)
      const running = yield* startQtestSandbox({
        ...transportOptionsOf(o),
        requirements,
        projects,
        jiraDefects: o.extra["qtest-jira-defects"] === true,
        persistFile: o.stateDir === undefined ? undefined : path.join(o.stateDir, QTEST_SANDBOX_FILE)
      }).pipe(Effect.mapError(sandboxStartError("qtest", "qTest")))
      return {
        baseUrl: running.baseUrl,
        connect: { token: running.token, projectId: String(running.projectId), projectIds: running.projectIds.join(",") },
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
