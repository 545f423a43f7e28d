/**
 * The state a run works on. A run takes the state's lock (StateLock.ts) and writes the store; a dry run writes
 * nothing: with sinks it extracts into a throw-away copy of the store, so they plan against exactly what a real
 * run would hold, and it may read while a run holds the state — it says so, since that run changes what it plans
 * against. Then the state's bindings to the source project and the targets are checked (checkBindings.ts).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Option } from "effect"
import type { NoteCollector } from "../../report/NoteCollector.ts"
import { acquireStateLock, currentHolder, lockedError } from "../../store/StateLock.ts"
import { classifyStoreError } from "../../store/classifyStoreError.ts"
import { StateStore, type StateStoreShape } from "../../store/StateStore.ts"
import { checkBindings } from "../checkBindings.ts"
import { throwAwayCopy } from "../throwAwayCopy.ts"
import type { Prepared } from "./prepareSystems.ts"
import type { RunSettings } from "./RunSettings.ts"

export interface OpenedState {
  /** Where the run writes: the store, or a dry run's throw-away copy; absent for a dry run without sinks. */
  readonly store: StateStoreShape | undefined
  /** What the run reads (watermark, known records): the store, or the existing one a dry run leaves untouched. */
  readonly reader: StateStoreShape | undefined
  /** The store is a throw-away copy: nothing the run does is kept. */
  readonly isCopy: boolean
}

/** Takes the state's lock for the scope — before anything is started or asked; a dry run only warns of a holder. */
export const lockState = (settings: RunSettings, runId: string, notes: NoteCollector) =>
  Effect.gen(function* () {
    if (!settings.dryRun) yield* acquireStateLock(settings.statePath, { command: settings.command, runId })
    else if (fs.existsSync(settings.statePath)) {
      const holder = yield* currentHolder(settings.statePath)
      if (Option.isSome(holder))
        yield* notes.note({ kind: "warning", message: `${lockedError(settings.statePath, holder.value).message}: this plan reads the state as it is now, while that run changes it` })
    }
  })

/** Opens the state at `settings.statePath` (held by lockState) and checks its bindings. */
export const openState = (settings: RunSettings, runId: string, notes: NoteCollector, systems: { readonly source: Prepared; readonly sinks: ReadonlyArray<Prepared> }) =>
  Effect.gen(function* () {
    const planningCopy = settings.dryRun && (settings.sinks.length > 0 || settings.compareWithStore === true) ? yield* throwAwayCopy(settings.statePath) : undefined
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

    // A plan records into its throw-away copy, so `plan --rebind` shows what a rebound run would do.
    const { source, sinks } = systems
    const rebound = reader
      ? yield* checkBindings(
          reader,
          settings.statePath,
          [{ role: "source", plugin: source.plugin.name, identity: source.identity }, ...sinks.map((k) => ({ role: k.plugin.name, plugin: k.plugin.name, identity: k.identity }))],
          { record: !settings.dryRun || planningCopy !== undefined, rebind: settings.rebind ?? false, runId }
        )
      : []
    for (const r of rebound)
      yield* notes.note({
        kind: "warning",
        message: `--rebind: the ${r.role === "source" ? "source" : `${r.role} sink`} of this state moved from ${r.from} to ${r.to}${r.role === "source" ? "" : `; the ${r.forgotten} ids it had of the old target were forgotten, and objects the new target already holds are adopted`}`
      })
    return { store, reader, isCopy: planningCopy !== undefined } satisfies OpenedState
  })
