/**
 * Drives the real Zephyr plugin against the real sandbox over loopback, with the same PluginContext core builds
 * in production (temp state dir for blobs, fast retries so fault tests do not sleep for long).
 */
import { Chunk, Effect, Stream, type Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { makePluginContext, type Emitted, type ExtractOptions, type Quarantined, type TestablePluginContext } from "../../../core/testing.ts"
import type { CanonicalRecord, EntityName, EntityTypes, Extracted, SourceInstance } from "../../../core/index.ts"
import type { SourceItem } from "../../../core/canonical/Canonical.ts"
import zephyr from "../../../plugins/zephyr/index.ts"
import type { ZephyrConfigInput } from "../../../plugins/zephyr/ZephyrConfig.ts"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../../plugins/zephyr/sandbox/index.ts"

export const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "zephyr-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

export interface Harness {
  readonly sandbox: RunningZephyrSandbox
  readonly ctx: TestablePluginContext
  readonly source: SourceInstance
  readonly stateDir: string
}

export const harness = (
  sandboxOptions: ZephyrSandboxOptions = {},
  config: Partial<ZephyrConfigInput> | ((sandbox: RunningZephyrSandbox) => Partial<ZephyrConfigInput>) = {},
  contextOptions: { readonly concurrency?: number; readonly maxAttempts?: number } = {}
): Effect.Effect<Harness, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const sandbox = yield* startZephyrSandbox(sandboxOptions)
    const stateDir = yield* tempDir
    const ctx = yield* makePluginContext({
      system: "zephyr",
      stateDir,
      concurrency: contextOptions.concurrency ?? 4,
      retry: { maxAttempts: contextOptions.maxAttempts ?? 4, baseDelayMs: 1, maxDelayMs: 5 }
    })
    const overrides = typeof config === "function" ? config(sandbox) : config
    const source = yield* zephyr.make({ baseUrl: sandbox.baseUrl, token: sandbox.token, projectKey: sandbox.projectKey, ...overrides }, ctx)
    return { sandbox, ctx, source, stateDir }
  })

/** Everything the source streams, control items (checkpoints, child sets) included. */
export const extractItems = (source: SourceInstance, options: ExtractOptions = {}): Effect.Effect<ReadonlyArray<SourceItem>, unknown> =>
  Effect.map(Stream.runCollect(source.extract(options)), Chunk.toReadonlyArray)

export const isRecord = (item: SourceItem): item is Extracted => item.entity !== "Checkpoint" && item.entity !== "ChildSet"

/** The records and quarantine items of a complete extract (what reaches the store). */
export const extractAll = (source: SourceInstance, options: ExtractOptions = {}): Effect.Effect<ReadonlyArray<Extracted>, unknown> =>
  Effect.map(extractItems(source, options), (items) => items.filter(isRecord))

/** A row as the source emits it (timestamps it does not know are null; core fills them). */
export type Row<E extends EntityName> = Emitted<EntityTypes[E]>

export const rows = <E extends EntityName>(records: ReadonlyArray<Extracted>, entity: E): Array<Row<E>> =>
  // The entity check is the narrowing TypeScript cannot follow through the generic.
  records.filter((r): r is CanonicalRecord => r.entity === entity).map((r) => r.data as unknown as Row<E>)

export const quarantined = (records: ReadonlyArray<Extracted>): Array<Quarantined["data"]> =>
  records.filter((r): r is Quarantined => r.entity === "Quarantine").map((r) => r.data)
