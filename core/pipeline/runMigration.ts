/**
 * One `migrate run`: start the sandboxes when asked, open the store, decide the kind of extract (full,
 * incremental or resumed — planExtract.ts), check the source, extract into the store with checkpoints, then
 * store the watermark, find what a full pass did not see, and write the run row and the report. Whatever
 * happens — success, failure, Ctrl-C, SIGKILL — the next run knows: the unfinished extract is recorded before
 * the first batch and its checkpoint advances with every committed batch; finalisation runs on every exit the
 * process survives.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { Cause, Clock, Effect, Exit, Option, type Scope } from "effect"
import type { Quarantined } from "../canonical/Canonical.ts"
import { type PluginError, type SpecError, type StateLocked, type StateMismatch, StoreError, SystemError } from "../errors.ts"
import { RequestMetrics } from "../http/RequestMetrics.ts"
import type { Plugin, PluginContext, SandboxOptions, SinkInstance, SourceInstance, SystemIdentity, TransformInstance } from "../plugin/Plugin.ts"
import { makePluginContext } from "../plugin/PluginContext.ts"
import type { Registry } from "../plugin/Registry.ts"
import { makeRateLimiter, parseRate } from "../policy/RateLimiter.ts"
import type { RetryOptions } from "../policy/RetryPolicy.ts"
import { NoteCollector } from "../report/NoteCollector.ts"
import { type RunReport, type RunStatus, writeRunReport } from "../report/RunReport.ts"
import type { UnfinishedExtract } from "../store/ExtractState.ts"
import type { DeletedAtSource } from "../store/OwnedRows.ts"
import { acquireStateLock, currentHolder, lockedError } from "../store/StateLock.ts"
import { classifyStoreError } from "../store/classifyStoreError.ts"
import { StateStore, type StateStoreShape } from "../store/StateStore.ts"
import { RunCounts } from "./Counts.ts"
import { extractToStore } from "./extractToStore.ts"
import type { SinkLoadReport } from "./LoadReport.ts"
import { loadSink, quarantineEntity } from "./loadSink.ts"
import { throwAwayCopy } from "./throwAwayCopy.ts"
import { describeMode, planExtract } from "./planExtract.ts"
import { checkBindings } from "./checkBindings.ts"
import { failpoints } from "./Failpoint.ts"
import type { Progress } from "./Progress.ts"

export interface PluginSection {
  readonly type: string
  readonly config: Readonly<Record<string, unknown>>
}

export interface RuntimeSettings {
  readonly concurrency: number
  readonly requestTimeoutMs: number
  readonly retry: RetryOptions
  readonly rateLimits: Readonly<Record<string, string>>
}

export interface RunSettings {
  readonly command: string
  readonly specFile: string | null
  readonly statePath: string
  readonly source: PluginSection
  readonly transforms: ReadonlyArray<PluginSection>
  readonly sinks: ReadonlyArray<PluginSection>
  readonly runtime: RuntimeSettings
  readonly dryRun: boolean
  readonly full: boolean
  /** When set, every plugin with a sandbox gets one, and its section is pointed at it. */
  readonly sandbox: SandboxOptions | undefined
  readonly registry: Registry
  readonly progress: Progress
  /** `run --rebind`: the state follows the spec to another source project or target (checkBindings.ts). */
  readonly rebind?: boolean | undefined
  /** Subtracted from an extract's start to make its watermark; default `WATERMARK_SAFETY_MS` (planExtract.ts). */
  readonly watermarkSafetyMs?: number | undefined
}

export interface RunResult {
  readonly report: RunReport
  readonly reportPaths: { readonly json: string; readonly markdown: string } | undefined
}

/** Requests per system: what earlier runs carried plus this run's counters. */
const addRequests = (carried: Readonly<Record<string, number>> | undefined, own: Readonly<Record<string, { readonly requests: number }>>): Record<string, number> => {
  const out: Record<string, number> = { ...carried }
  for (const [system, c] of Object.entries(own)) out[system] = (out[system] ?? 0) + c.requests
  return out
}

export const newRunId = (now: Date = new Date()): string =>
  `${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`

const resolve = <K extends "source" | "transform" | "sink">(registry: Registry, kind: K, type: string) =>
  Effect.fromNullable(registry.get(kind, type)).pipe(
    Effect.mapError(
      () =>
        new SystemError({
          system: type,
          reason: "Unsupported",
          message: `no ${kind} plugin named "${type}"`,
          hint: `known ${kind}s: ${registry.known(kind).join(", ") || "none"}`
        })
    )
  )

/** With `--port P`, sandboxes take P, P+1, … in the order they start (as `migrate sandbox` does). */
interface SandboxPorts {
  next: number | undefined
}

/** A plugin's section of the spec ready to use: pointed at its sandbox when there is one, with its identity. */
interface Prepared {
  readonly plugin: Plugin
  readonly config: Readonly<Record<string, unknown>>
  readonly identity: SystemIdentity | undefined
}

/**
 * Starts the plugin's sandbox (if it has one and sandboxes are wanted) and merges its overrides into the config.
 * The identity the state is bound to is the sandbox's own, stable one (its URL changes with every start), else
 * what the plugin says of the config.
 */
const prepare = (plugin: Plugin, config: Readonly<Record<string, unknown>>, options: SandboxOptions | undefined, progress: Progress, ports: SandboxPorts) =>
  Effect.gen(function* () {
    const identityOf = (c: Readonly<Record<string, unknown>>) => (plugin.identity ? Effect.try(() => plugin.identity!(c)).pipe(Effect.orElseSucceed(() => undefined)) : Effect.succeed(undefined))
    if (!options || !plugin.sandbox) return { plugin, config, identity: yield* identityOf(config) } satisfies Prepared
    const s = yield* plugin.sandbox.start({ ...options, port: options.port ? (ports.next ?? options.port) : options.port })
    if (options.port) ports.next = Number(new URL(s.baseUrl).port) + 1
    progress.event("sandbox", { plugin: plugin.name, baseUrl: s.baseUrl })
    const merged = { ...config, ...s.configOverrides }
    return { plugin, config: merged, identity: s.identity ?? (yield* identityOf(merged)) } satisfies Prepared
  })

export const runMigration = (settings: RunSettings): Effect.Effect<RunResult, SystemError | StoreError | PluginError | SpecError | StateLocked | StateMismatch, Scope.Scope> =>
  Effect.gen(function* () {
    // from the Clock, so a test can pin it: the run's start stamps the records whose times the source omits
    const started = new Date(yield* Clock.currentTimeMillis)
    const runId = newRunId(started)
    const now = started.toISOString()
    const stateDir = path.dirname(path.resolve(settings.statePath))
    const counts = new RunCounts()
    const metrics = new RequestMetrics()
    const notes = new NoteCollector("core")
    notes.onNote((n) => settings.progress.event("note", { ...n }))
    const quarantined: Array<Quarantined["data"]> = []
    const { progress } = settings

    // One run at a time per state (StateLock.ts); a dry run writes nothing and plans from a snapshot, so it may
    // read while a run holds the state — it says so, because that run is changing what it plans against.
    if (!settings.dryRun) yield* acquireStateLock(settings.statePath, { command: settings.command, runId })
    else if (fs.existsSync(settings.statePath)) {
      const holder = yield* currentHolder(settings.statePath)
      if (Option.isSome(holder))
        yield* notes.note({ kind: "warning", message: `${lockedError(settings.statePath, holder.value).message}: this plan reads the state as it is now, while that run changes it` })
    }

    const ports: SandboxPorts = { next: undefined }
    const sourcePlugin = yield* resolve(settings.registry, "source", settings.source.type)
    const source = yield* prepare(sourcePlugin, settings.source.config, settings.sandbox, progress, ports)
    const sourceConfig = source.config
    // Sinks' sandboxes keep their state beside the store, so rehearsals build on each other (and planning reads
    // the sandbox's saved project, writing nothing to it).
    const sinkSandbox = settings.sandbox && { ...settings.sandbox, stateDir: path.dirname(path.resolve(settings.statePath)) }
    const sinks: Array<Prepared> = []
    for (const section of settings.sinks) sinks.push(yield* prepare(yield* resolve(settings.registry, "sink", section.type), section.config, sinkSandbox, progress, ports))

    // A dry run with sinks extracts into a throw-away copy of the store, so the sinks can plan against exactly
    // what a real run would hold; the real store and every target stay untouched.
    const planningCopy = settings.dryRun && settings.sinks.length > 0 ? yield* throwAwayCopy(settings.statePath) : undefined
    const store: StateStoreShape | undefined = planningCopy !== undefined
      ? yield* StateStore.open(planningCopy).pipe(
          // a damaged copy is a damaged original: say so of the user's file, not of the temp copy
          Effect.mapError((e) => (e.reason === "Corrupt" ? classifyStoreError(e.cause, { action: "cannot open the state store", path: path.resolve(settings.statePath), kind: "state" }) : e))
        )
      : settings.dryRun
        ? undefined
        : yield* StateStore.open(settings.statePath)
    // A dry run reads an existing store — the watermark, records sources look up — and writes nothing to it
    // (opening it may bring an older store's schema up to date, which changes no data).
    const reader: StateStoreShape | undefined = store ?? (fs.existsSync(settings.statePath) ? yield* StateStore.open(settings.statePath) : undefined)

    // The state belongs to one source project and one target per sink (checkBindings.ts). A plan records into
    // its throw-away copy, so `plan --rebind` shows what a rebound run would do.
    const rebound = reader
      ? yield* checkBindings(
          reader,
          settings.statePath,
          [{ role: "source", plugin: sourcePlugin.name, identity: source.identity }, ...sinks.map((k) => ({ role: k.plugin.name, plugin: k.plugin.name, identity: k.identity }))],
          { record: !settings.dryRun || planningCopy !== undefined, rebind: settings.rebind ?? false, runId }
        )
      : []
    for (const r of rebound)
      yield* notes.note({
        kind: "warning",
        message: `--rebind: the ${r.role === "source" ? "source" : `${r.role} sink`} of this state moved from ${r.from} to ${r.to}${r.role === "source" ? "" : `; the ${r.forgotten} ids it had of the old target were forgotten, and objects the new target already holds are adopted`}`
      })

    const projectOf = (c: Readonly<Record<string, unknown>>) => (typeof c["projectKey"] === "string" ? c["projectKey"] : undefined)
    const extractName = `extract:${sourcePlugin.name}:${projectOf(sourceConfig) ?? ""}`
    const previous = reader ? yield* reader.extractState(extractName) : { watermark: null, unfinished: null }
    const plan = planExtract({ full: settings.full, dryRun: settings.dryRun, state: previous, runId, startedAt: started, safetyMs: settings.watermarkSafetyMs })
    const previousFullRequests = reader ? yield* reader.lastFullRunRequests(extractName) : null
    let unfinished: UnfinishedExtract = plan.unfinished
    let completed = false
    let deletedAtSource: Record<string, DeletedAtSource> | null = null
    const loads: Array<SinkLoadReport> = []

    const contextFor = (system: string) =>
      Effect.gen(function* () {
        const rate = settings.runtime.rateLimits[system]
        const perSecond = rate === undefined ? 0 : (parseRate(rate) ?? 0)
        return yield* makePluginContext({
          system,
          stateDir,
          dryRun: settings.dryRun,
          concurrency: settings.runtime.concurrency,
          requestTimeoutMs: settings.runtime.requestTimeoutMs,
          retry: settings.runtime.retry,
          metrics,
          notes,
          limiter: yield* makeRateLimiter({ perSecond })
        })
      })

    const finish = (status: RunStatus, error?: RunReport["error"]) =>
      Effect.gen(function* () {
        const finished = new Date(yield* Clock.currentTimeMillis)
        const requests = metrics.snapshot()
        // A completed full pass costs what every run that worked on it asked: the earlier ones' up to their
        // last checkpoint (what they did after it, this run did again) plus this run's.
        const fullPassRequests = completed && plan.pass === "full" ? addRequests(plan.resumes?.requests, requests) : null
        const report: RunReport = {
          runId,
          command: settings.command,
          status,
          dryRun: settings.dryRun,
          sandbox: settings.sandbox !== undefined,
          specFile: settings.specFile,
          statePath: settings.dryRun ? null : path.resolve(settings.statePath),
          source: { type: settings.source.type, project: projectOf(sourceConfig) },
          sinks: settings.sinks.map((s) => s.type),
          startedAt: now,
          finishedAt: finished.toISOString(),
          durationMs: finished.getTime() - started.getTime(),
          extract: {
            mode: plan.mode,
            pass: plan.pass,
            since: plan.since ?? null,
            resumedFrom: plan.resumes?.extractId ?? null,
            watermark: completed && store ? unfinished.watermark : null,
            description: describeMode({ mode: plan.mode, pass: plan.pass, since: plan.since ?? null, resumedFrom: plan.resumes?.extractId ?? null })
          },
          entities: counts.toJSON(),
          totals: counts.total(),
          requests,
          fullRunRequests: fullPassRequests ?? previousFullRequests,
          deletedAtSource,
          notes: notes.summaries(),
          quarantined: [
            ...quarantined.map((q) => ({ entity: q.of as string, sourceId: q.source_id, reason: q.reason })),
            ...loads.flatMap((l) => l.rejected.map((r) => ({ entity: quarantineEntity(l.sink, r.entity), sourceId: r.key, reason: r.message })))
          ],
          load: loads,
          error
        }
        if (!store || planningCopy !== undefined) return { report, reportPaths: undefined }
        yield* store.finishRun(runId, status, {
          extract: extractName,
          mode: plan.mode,
          pass: plan.pass,
          fullPassRequests,
          totals: report.totals,
          entities: report.entities,
          requests: report.requests
        })
        yield* store.addEvents(runId, report.notes.map((n) => ({ ...n, sourceId: n.examples[0] })))
        failpoints.pass("finished", status)
        const reportPaths = yield* writeRunReport(path.join(stateDir, "runs", runId), report)
        failpoints.pass("reported", status)
        return { report, reportPaths }
      })

    if (store) {
      yield* store.markDied(runId)
      yield* store.startRun({ runId, command: settings.command, specFile: settings.specFile, startedAt: now, dryRun: settings.dryRun, full: plan.pass === "full" })
      // Seen keys of an abandoned earlier pass would make this one miss deletions: only this extract's stay.
      if (plan.pass === "full") yield* store.clearSeen(unfinished.extractId)
      yield* store.beginExtract(extractName, previous.watermark, unfinished, runId)
    }

    const onCheckpoint = (state: unknown) => {
      if (!store) return Effect.void
      const next: UnfinishedExtract = { ...unfinished, state, checkpointedAt: new Date().toISOString(), requests: addRequests(plan.resumes?.requests, metrics.snapshot()) }
      return store.saveProgress(extractName, previous.watermark, next, runId).pipe(Effect.tap(() => Effect.sync(() => (unfinished = next))))
    }

    const work = Effect.gen(function* () {
      const sourceCtx: PluginContext = { ...(yield* contextFor(sourcePlugin.name)), known: reader?.known }
      const source = (yield* sourcePlugin.make(sourceConfig, sourceCtx)) as SourceInstance
      const transforms: Array<{ name: string; instance: TransformInstance }> = []
      for (const t of settings.transforms) {
        const plugin = yield* resolve(settings.registry, "transform", t.type)
        transforms.push({ name: t.type, instance: (yield* plugin.make(t.config, yield* contextFor(t.type))) as TransformInstance })
      }
      progress.phase(`check ${sourcePlugin.name}`)
      yield* source.check
      const phase = `extract ${sourcePlugin.name} (${describeMode({ mode: plan.mode, pass: plan.pass, since: plan.since ?? null, resumedFrom: plan.resumes?.extractId ?? null })})`
      progress.phase(phase)
      // Totals for the progress bar and ETA: worth a few requests on a fresh full pass, not on an incremental run
      // (whose size the estimate does not know). Best effort: a failing estimate only loses the ETA.
      if (plan.pass === "full" && plan.resume === undefined && progress.expect) {
        const estimate = yield* Effect.option(source.estimate)
        if (Option.isSome(estimate)) progress.expect(estimate.value)
      }
      yield* extractToStore({
        sourceName: sourcePlugin.name,
        source,
        transforms,
        store,
        runId,
        now,
        since: plan.since,
        resume: plan.resume,
        seenAs: plan.pass === "full" ? unfinished.extractId : undefined,
        onCheckpoint,
        counts,
        notes: notes.forSystem("core"),
        progress,
        quarantined
      })
      progress.phaseDone(phase, counts)
      if (store) {
        if (plan.pass === "full") deletedAtSource = yield* store.deletedAtSource(unfinished.extractId)
        const done = store
        yield* done.withTransaction(Effect.zipRight(done.clearSeen(), done.completeExtract(extractName, unfinished.watermark, runId)))
        failpoints.pass("extract-done", sourcePlugin.name)
      }
      completed = true

      // The load: every sink in the spec's order, from the store. A dry run plans against the throw-away copy.
      if (!store) return
      const loadStore = store
      for (const { plugin, config } of sinks) {
        const instance = (yield* plugin.make(config, yield* contextFor(plugin.name))) as SinkInstance
        progress.phase(`check ${plugin.name}`)
        yield* instance.check
        const { report, stopped } = yield* loadSink({
          sink: plugin.name,
          instance,
          store: loadStore,
          runId,
          planning: settings.dryRun,
          full: settings.full,
          retry: settings.runtime.retry,
          progress,
          onRetry: (e) => {
            const c = metrics.of(plugin.name)
            c.retries++
            if (e.reason === "RateLimited") c.throttled++
          }
        })
        loads.push(report)
        if (stopped) return yield* Effect.fail(stopped)
      }
    })

    // Finalisation runs on every exit, also when the fiber is interrupted (Ctrl-C): the run row and the report
    // must say what happened, and a finaliser is the only code an interrupted fiber still runs.
    yield* work.pipe(
      Effect.onExit((exit) => {
        if (Exit.isSuccess(exit)) return Effect.void
        const interrupted = Cause.isInterruptedOnly(exit.cause)
        const error = Option.match(Cause.failureOption(exit.cause), {
          onNone: () =>
            interrupted
              ? { tag: "Interrupted", message: "interrupted; state saved up to the last committed batch" }
              : { tag: "Defect", message: Cause.pretty(exit.cause) },
          onSome: (e) => ({ tag: e._tag, message: e.message, hint: "hint" in e ? (e as SystemError).hint : undefined })
        })
        if (interrupted) progress.event("interrupted", { runId, message: "state saved up to the last committed batch; run again to continue" })
        return finish(interrupted ? "interrupted" : "failed", error).pipe(Effect.ignore)
      })
    )
    const refused = loads.some((l) => l.totals.rejected > 0)
    return yield* finish(counts.total().quarantined > 0 || refused ? "succeeded-with-quarantine" : "succeeded")
  })

export { StoreError }
