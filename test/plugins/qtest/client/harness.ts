/**
 * Drives the real qTest client against the real qTest sandbox over loopback, with the PluginContext core builds
 * in production (fast retries so fault tests do not sleep for long). Nothing of ours is mocked.
 */
import { Effect, Redacted, type Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { makePluginContext, type TestablePluginContext } from "../../../../core/testing.ts"
import { makeQtestClient, type QtestClientConfig, type QtestClientShape } from "../../../../plugins/qtest/QtestClient.ts"
import { startQtestSandbox, type RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"

export type SandboxOptions = NonNullable<Parameters<typeof startQtestSandbox>[0]>

export const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "qtest-client-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

export interface ClientHarness {
  readonly sandbox: RunningQtestSandbox
  readonly ctx: TestablePluginContext
  readonly client: QtestClientShape
}

export const tokenAuth = (sandbox: RunningQtestSandbox): QtestClientConfig["auth"] => ({ _tag: "Token", token: Redacted.make(String(sandbox.token)) })

export const passwordAuth = (sandbox: RunningQtestSandbox, override: { readonly password?: string; readonly siteName?: string } = {}): QtestClientConfig["auth"] => ({
  _tag: "Password",
  username: sandbox.username,
  password: Redacted.make(override.password ?? sandbox.password),
  siteName: override.siteName ?? sandbox.siteName
})

export const makeContext = (options: { readonly maxAttempts?: number } = {}) =>
  Effect.flatMap(tempDir, (stateDir) =>
    makePluginContext({ system: "qtest", stateDir, retry: { maxAttempts: options.maxAttempts ?? 4, baseDelayMs: 1, maxDelayMs: 5 } })
  )

export const harness = (
  sandboxOptions: SandboxOptions = {},
  options: { readonly auth?: (sandbox: RunningQtestSandbox) => QtestClientConfig["auth"]; readonly maxAttempts?: number } = {}
): Effect.Effect<ClientHarness, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const sandbox = yield* startQtestSandbox(sandboxOptions)
    const ctx = yield* makeContext(options)
    const client = makeQtestClient({ baseUrl: sandbox.baseUrl, projectId: sandbox.projectId, auth: (options.auth ?? tokenAuth)(sandbox) }, ctx)
    return { sandbox, ctx, client }
  })

/** `POST /__sandbox/reject`: the next writes of `objectType` whose name contains `nameContains` are refused. */
export const reject = (
  sandbox: RunningQtestSandbox,
  rule: { readonly objectType: string; readonly nameContains?: string; readonly status: number; readonly message: string; readonly times?: number }
) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.baseUrl}/__sandbox/reject`, {
      method: "POST",
      headers: { authorization: `Bearer ${String(sandbox.token)}`, "content-type": "application/json" },
      body: JSON.stringify(rule)
    })
    if (!response.ok) throw new Error(`reject rule refused: ${response.status} ${await response.text()}`)
  })

/** A byte stream of `size` bytes, made anew per attempt (as an upload body must be). */
export const bytesOf = (size: number, fill = 97): Uint8Array => new Uint8Array(size).fill(fill)
