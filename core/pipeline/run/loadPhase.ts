/**
 * The load: every sink in the spec's order, from the store — made, checked, then loaded exactly once
 * (loadSink.ts). A dry run plans against its throw-away copy. A sink that stops (an outage, a refused login) stops
 * the run after its report is kept; the sinks after it are not started.
 */
import { Effect, Ref } from "effect"
import type { PluginContext, SinkInstance } from "../../plugin/Plugin.ts"
import type { StateStoreShape } from "../../store/StateStore.ts"
import { loadSink } from "../loadSink.ts"
import type { Prepared } from "./prepareSystems.ts"
import type { RunLedger } from "./RunLedger.ts"
import type { RunSettings } from "./RunSettings.ts"

export const loadPhase = (settings: RunSettings, runId: string, ledger: RunLedger, sinks: ReadonlyArray<Prepared>, store: StateStoreShape, contextFor: (system: string) => Effect.Effect<PluginContext>) =>
  Effect.gen(function* () {
    for (const { plugin, config } of sinks) {
      const instance = (yield* plugin.make(config, yield* contextFor(plugin.name))) as SinkInstance
      settings.progress.phase(`check ${plugin.name}`)
      yield* instance.check
      const { report, stopped } = yield* loadSink({
        sink: plugin.name,
        instance,
        store,
        runId,
        planning: settings.dryRun,
        full: settings.full,
        retry: settings.runtime.retry,
        progress: settings.progress,
        onRetry: (e) => {
          const c = ledger.metrics.of(plugin.name)
          c.retries++
          if (e.reason === "RateLimited") c.throttled++
        }
      })
      yield* Ref.update(ledger.loads, (loads) => [...loads, report])
      if (stopped) return yield* Effect.fail(stopped)
    }
  })
