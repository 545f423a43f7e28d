/**
 * Builds the `PluginContext` core hands to a plugin instance: HTTP with the system's policies, the blob store,
 * the report sink. The pipeline builds one per plugin; tests build one directly to drive a plugin against a
 * sandbox with exactly the code that runs in production.
 */
import { Effect } from "effect"
import { makeApiHttp } from "../http/ApiHttp.ts"
import { platformHttp } from "../http/platformHttp.ts"
import { RequestMetrics } from "../http/RequestMetrics.ts"
import { makeRateLimiter, type RateLimiter } from "../policy/RateLimiter.ts"
import type { BudgetRule } from "../policy/RequestBudget.ts"
import { defaultRetryOptions, Policies, type RetryOptions } from "../policy/RetryPolicy.ts"
import { makeSystemThrottle, type SystemThrottle } from "../policy/SystemThrottle.ts"
import { NoteCollector } from "../report/NoteCollector.ts"
import type { Note } from "../report/ReportSink.ts"
import type { BlobStore } from "../store/BlobStore.ts"
import { makeFsBlobStore } from "../store/FsBlobStore.ts"
import type { PluginContext } from "./Plugin.ts"

export interface PluginContextOptions {
  readonly system: string
  readonly stateDir: string
  readonly dryRun?: boolean | undefined
  readonly concurrency?: number | undefined
  readonly rateLimitPerSecond?: number | undefined
  readonly requestTimeoutMs?: number | undefined
  readonly retry?: Partial<RetryOptions> | undefined
  /** Shared across plugins of one run; a fresh one is made when absent. */
  readonly metrics?: RequestMetrics | undefined
  readonly notes?: NoteCollector | undefined
  readonly blobs?: BlobStore | undefined
  readonly limiter?: RateLimiter | undefined
  /** `runtime.budget.<system>`. */
  readonly budget?: BudgetRule | undefined
  /** The system's throttle when the run shares one across contexts; else one is made from the options above. */
  readonly throttle?: SystemThrottle | undefined
}

export interface TestablePluginContext extends PluginContext {
  readonly notes: () => ReadonlyArray<Note>
  readonly requestCount: (system?: string) => number
  readonly metrics: RequestMetrics
}

export const makePluginContext = (options: PluginContextOptions): Effect.Effect<TestablePluginContext> =>
  Effect.gen(function* () {
    const metrics = options.metrics ?? new RequestMetrics()
    const notes = options.notes ?? new NoteCollector(options.system)
    const limiter = options.limiter ?? (yield* makeRateLimiter({ perSecond: options.rateLimitPerSecond ?? 0 }))
    const concurrency = options.concurrency ?? 4
    const throttle = options.throttle ?? makeSystemThrottle({ system: options.system, concurrency, limiter, budget: options.budget })
    const { client, timeLimited } = yield* platformHttp
    const retry: RetryOptions = { ...defaultRetryOptions, ...options.retry }
    const dryRun = options.dryRun ?? false
    return {
      system: options.system,
      concurrency,
      dryRun,
      blobs: options.blobs ?? makeFsBlobStore({ stateDir: options.stateDir, dryRun }),
      report: notes.forSystem(options.system),
      http: (http) =>
        makeApiHttp({ system: options.system, client, timeLimited, throttle, retry, timeoutMs: options.requestTimeoutMs ?? 30_000, metrics }, http),
      retryWhen: (retryable) =>
        Policies.when(retryable)(retry, {
          onRetry: () =>
            Effect.sync(() => {
              metrics.of(options.system).retries++
            })
        }),
      countRequest: (failed) => {
        // a driver's statement, counted where no fiber is at hand: its own kind
        const c = metrics.count(options.system, "statements")
        if (failed === true) c.failed++
      },
      countRetries: (retries, throttled) => {
        const c = metrics.of(options.system)
        // each retry follows a failed attempt the driver made
        c.retries += retries
        c.failed += retries
        c.throttled += throttled
      },
      notes: () => notes.summaries(),
      requestCount: (system) => metrics.of(system ?? options.system).requests,
      metrics
    }
  })
