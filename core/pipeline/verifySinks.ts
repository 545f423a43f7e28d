/**
 * `migrate verify`: every sink reads back what its id map says it wrote and reports each object as matching,
 * different (the hash of the fields we wrote, recomputed from what the target returns, differs from the id map's)
 * or missing. Core tallies and lists the differences; open intents (writes never confirmed) are listed too.
 */
import { Effect, Option, type Scope } from "effect"
import type { PluginError, SpecError, StateLocked, StateMismatch, StoreError } from "../errors.ts"
import { SystemError } from "../errors.ts"
import type { SandboxOptions, SinkInstance, VerifyContext } from "../plugin/Plugin.ts"
import { makePluginContext } from "../plugin/PluginContext.ts"
import type { Registry } from "../plugin/Registry.ts"
import { RequestMetrics } from "../http/RequestMetrics.ts"
import { makeRateLimiter, parseRate } from "../policy/RateLimiter.ts"
import { NoteCollector } from "../report/NoteCollector.ts"
import { acquireStateLock } from "../store/StateLock.ts"
import { checkBindings } from "./checkBindings.ts"
import { StateStore } from "../store/StateStore.ts"
import type { PluginSection, RuntimeSettings } from "./run/RunSettings.ts"
import * as path from "node:path"
import * as fs from "node:fs"

export interface VerifyCounts {
  match: number
  mismatch: number
  missing: number
  /** On the target with a recovery key of this store, but not what the id map knows: a duplicate. */
  extra: number
}

export interface SinkVerifyReport {
  readonly sink: string
  readonly supported: boolean
  readonly entities: Readonly<Record<string, VerifyCounts>>
  readonly differences: ReadonlyArray<{ readonly entity: string; readonly key: string; readonly label: string; readonly targetId: string; readonly status: "mismatch" | "missing" | "extra"; readonly detail?: string | undefined }>
  readonly openIntents: number
  readonly ok: boolean
}

export interface VerifySettings {
  readonly statePath: string
  readonly sinks: ReadonlyArray<PluginSection>
  readonly runtime: RuntimeSettings
  readonly registry: Registry
  readonly sandbox: SandboxOptions | undefined
}

const MAX_LISTED = 200

export const verifySinks = (s: VerifySettings): Effect.Effect<ReadonlyArray<SinkVerifyReport>, SystemError | StoreError | PluginError | SpecError | StateLocked | StateMismatch, Scope.Scope> =>
  Effect.gen(function* () {
    if (!fs.existsSync(s.statePath))
      return yield* Effect.fail(
        new SystemError({ system: "core", reason: "NotFound", message: `no state store at ${s.statePath}`, hint: "run `migrate run` first: verify compares the targets with what a run loaded" })
      )
    // A run changing the targets and the id map meanwhile would make every object it is writing a difference.
    yield* acquireStateLock(s.statePath, { command: "verify" })
    const store = yield* StateStore.open(s.statePath)
    const metrics = new RequestMetrics()
    const notes = new NoteCollector("core")
    const reports: Array<SinkVerifyReport> = []
    for (const section of s.sinks) {
      const plugin = s.registry.get("sink", section.type)
      if (!plugin) return yield* Effect.fail(new SystemError({ system: section.type, reason: "Unsupported", message: `no sink plugin named "${section.type}"`, hint: `known sinks: ${s.registry.known("sink").join(", ") || "none"}` }))
      const sandbox = s.sandbox && plugin.sandbox ? yield* plugin.sandbox.start({ ...s.sandbox, config: section.config, stateDir: path.dirname(path.resolve(s.statePath)) }) : undefined
      const config = sandbox ? { ...section.config, ...sandbox.configOverrides } : section.config
      // reading another target than the id map's would call every object missing
      yield* checkBindings(store, s.statePath, [{ role: plugin.name, plugin: plugin.name, identity: sandbox?.identity ?? plugin.identity?.(config) }], { record: false, rebind: false, runId: "" })
      const rate = s.runtime.rateLimits[plugin.name]
      const ctx = yield* makePluginContext({
        system: plugin.name,
        stateDir: path.dirname(path.resolve(s.statePath)),
        dryRun: true,
        concurrency: s.runtime.concurrency,
        requestTimeoutMs: s.runtime.requestTimeoutMs,
        retry: s.runtime.retry,
        metrics,
        notes,
        limiter: yield* makeRateLimiter({ perSecond: rate === undefined ? 0 : (parseRate(rate) ?? 0) })
      })
      const instance = (yield* plugin.make(config, ctx)) as SinkInstance
      const openIntents = (yield* store.openIntents(plugin.name)).length
      if (!instance.verify) {
        reports.push({ sink: plugin.name, supported: false, entities: {}, differences: [], openIntents, ok: true })
        continue
      }
      yield* instance.check
      const entities: Record<string, VerifyCounts> = {}
      const differences: Array<SinkVerifyReport["differences"][number]> = []
      const vctx: VerifyContext = {
        store: store.reader,
        mapped: (entity) => store.mappedRows(plugin.name, entity),
        mappedTarget: (entity, targetId) => Effect.map(store.mappedTarget(plugin.name, entity, targetId), Option.fromNullable),
        result: (r) =>
          Effect.sync(() => {
            const c = (entities[r.entity] ??= { match: 0, mismatch: 0, missing: 0, extra: 0 })
            c[r.status]++
            if (r.status !== "match" && differences.length < MAX_LISTED) differences.push({ ...r, status: r.status })
          })
      }
      yield* instance.verify(vctx)
      const bad = Object.values(entities).reduce((n, c) => n + c.mismatch + c.missing + c.extra, 0)
      reports.push({ sink: plugin.name, supported: true, entities, differences, openIntents, ok: bad === 0 && openIntents === 0 })
    }
    return reports
  })
