/**
 * `migrate snapshot --to DIR` and `migrate restore --from DIR`: the state as a directory a CI cache or an archive
 * can hold (StateSnapshot.ts) — the store as one consistent file, never the live WAL files — and back.
 */
import * as path from "node:path"
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import type { Registry } from "../../plugin/Registry.ts"
import { restoreSnapshot, saveSnapshot, type SnapshotSummary } from "../../store/StateSnapshot.ts"
import { loadForCommand } from "../loadRun.ts"
import { forEachProject, type ProjectUnit } from "../forEachProject.ts"
import { configOption, jsonOption, projectOption, verboseOption } from "../options.ts"

const sandboxFlag = Options.boolean("sandbox").pipe(Options.withDescription("the state of `run --sandbox` rehearsals"))

/** A project's snapshot lies in the directory as its state does beside state.path: under projects/<KEY>/. */
const projectDir = (dir: string, project: ProjectUnit | undefined): string => (project === undefined ? dir : path.join(dir, "projects", project.key))

const line = (verb: string, s: SnapshotSummary, statePath: string) =>
  `${verb} ${statePath}: store ${(s.storeBytes / 1024 / 1024).toFixed(1)} MB, ${s.blobs} attachment blobs, ${s.runs} run reports`

export const snapshotCommand = (registry: Registry) =>
  Command.make(
    "snapshot",
    {
      config: configOption,
      json: jsonOption,
      verbose: verboseOption,
      sandbox: sandboxFlag,
      project: projectOption,
      to: Options.text("to").pipe(Options.withPseudoName("DIR"), Options.withDescription("where to write the snapshot (replaced whole when it holds an earlier one)"))
    },
    (flags) =>
      Effect.gen(function* () {
        // the state only: the spec gives state.path, none of its secrets are needed
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox, [])
        // several projects: one snapshot each, under projects/<KEY>/ of the directory (as their states lie)
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: 1, command: "snapshot" }, ({ statePath }, out, project) =>
          Effect.gen(function* () {
            const s = yield* Effect.scoped(saveSnapshot(statePath, projectDir(flags.to, project)))
            out.event("snapshot", { statePath, ...s }, `${line("snapshot of", s, statePath)} → ${s.dir}`)
          })
        )
      })
  ).pipe(Command.withDescription("write a consistent copy of the state (store, attachment blobs, reports) into a directory, e.g. for a CI cache; safe while a run writes"))

export const restoreCommand = (registry: Registry) =>
  Command.make(
    "restore",
    {
      config: configOption,
      json: jsonOption,
      verbose: verboseOption,
      sandbox: sandboxFlag,
      project: projectOption,
      from: Options.text("from").pipe(Options.withPseudoName("DIR"), Options.withDescription("a directory `migrate snapshot` wrote"))
    },
    (flags) =>
      Effect.gen(function* () {
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox, [])
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: 1, command: "restore" }, ({ statePath }, out, project) =>
          Effect.gen(function* () {
            const s = yield* restoreSnapshot(projectDir(flags.from, project), statePath)
            out.event("restore", { statePath, ...s }, `${line("restored", s, statePath)} from ${s.dir}`)
          })
        )
      })
  ).pipe(Command.withDescription("put a snapshot back as the state (refuses to mix it into an existing state)"))
