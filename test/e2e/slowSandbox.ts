/**
 * The setup the Ctrl-C and SIGKILL tests share: a demo Zephyr sandbox (of either edition) slowed to 40 ms a
 * response (so a run is still extracting when it is stopped), and the spec that points a run at it.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox, type ZephyrEdition } from "../../plugins/zephyr/sandbox/index.ts"

/** Starts the sandbox before the file's tests and stops it after; call the result inside a test. */
export const useSlowSandbox = (edition: ZephyrEdition = "cloud"): (() => RunningZephyrSandbox) => {
  let scope: Scope.CloseableScope | undefined
  let sandbox: RunningZephyrSandbox | undefined
  beforeAll(async () => {
    scope = await Effect.runPromise(Scope.make())
    sandbox = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: demoData(), latencyMs: 40, edition }), scope))
  })
  afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))
  return () => {
    if (!sandbox) throw new Error("the slow sandbox is not started yet: call it inside a test")
    return sandbox
  }
}

export const demoSpec = (baseUrl: string, edition: ZephyrEdition = "cloud") => `version: 1
source:
  type: zephyr
  edition: ${edition}
  baseUrl: ${baseUrl}
  projectKey: DEMO
  token: \${env:ZEPHYR_TOKEN}
runtime:
  concurrency: 2
`
