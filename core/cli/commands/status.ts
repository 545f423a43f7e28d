/** `migrate status`: runs, checkpoints (watermarks and unfinished extracts), record counts and quarantine from the state store. */
import * as fs from "node:fs"
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import type { Registry } from "../../plugin/Registry.ts"
import { currentHolder, lockedError } from "../../store/StateLock.ts"
import { StateStore } from "../../store/StateStore.ts"
import { loadForCommand } from "../loadRun.ts"
import { forEachProject } from "../forEachProject.ts"
import { configOption, jsonOption, projectOption, verboseOption } from "../options.ts"

export const statusCommand = (registry: Registry) =>
  Command.make(
    "status",
    { config: configOption, project: projectOption, json: jsonOption, verbose: verboseOption, sandbox: Options.boolean("sandbox").pipe(Options.withDescription("the state of `run --sandbox` rehearsals")) },
    (flags) =>
      Effect.gen(function* () {
        // status reads only the store: it needs the spec for state.path, none of its secrets
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox, [])
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: 1, command: "status" }, ({ statePath }, out) =>
          Effect.gen(function* () {
            if (!fs.existsSync(statePath)) {
              out.event("status", { statePath, exists: false }, `no state yet at ${statePath} — run \`npx migrate run${flags.sandbox ? " --sandbox" : ""}\` first`)
              return
            }
            const holder = yield* currentHolder(statePath)
            const store = yield* StateStore.open(statePath)
            // a run row still `running` while nobody holds the lock belongs to a process that is gone
            const runs = (yield* store.runs(10)).map((r) => (r.status === "running" && Option.isNone(holder) ? { ...r, status: "died" } : r))
            const counts = yield* store.counts
            // sinks keep small values of their own among the checkpoints (`sink:<name>:…`): not extract progress
            const checkpoints = yield* Effect.forEach((yield* store.checkpoints).filter((c) => !c.name.startsWith("sink:")), (c) =>
              Effect.map(store.extractState(c.name), (state) => ({ ...c, unfinished: state.unfinished }))
            )
            const quarantined = yield* store.quarantined()
            out.event("status", { statePath, inUse: Option.isSome(holder), holder: Option.getOrUndefined(holder) ?? null, runs, counts, checkpoints, quarantined: quarantined.length }, [
              `state: ${statePath}`,
              Option.match(holder, { onNone: () => "not in use", onSome: (h) => lockedError(statePath, h).message.replace(/^the state \S+ is /, "") }),
              "",
              "runs (latest first):",
              ...(runs.length
                ? runs.map((r) => `  ${r.run_id}  ${r.status.padEnd(26)} ${r.started_at}  ${r.finished_at ?? "(unfinished)"}${r.dry_run ? "  dry-run" : ""}`)
                : ["  none"]),
              "",
              "records in the store:",
              ...Object.entries(counts).map(([e, n]) => `  ${e.padEnd(20)} ${String(n).padStart(8)}`),
              "",
              "checkpoints:",
              ...(checkpoints.length
                ? checkpoints.flatMap((c) => [
                    `  ${c.name}  watermark ${c.watermark ?? "- (no extract completed yet)"}  (run ${c.run_id})`,
                    ...(c.unfinished
                      ? [
                          `    unfinished ${c.unfinished.mode} extract begun ${c.unfinished.startedAt} by run ${c.unfinished.extractId}, last checkpoint ${c.unfinished.checkpointedAt ?? "none yet"} — the next \`run\` resumes it`
                        ]
                      : [])
                  ])
                : ["  none"]),
              "",
              `quarantined records: ${quarantined.length}`,
              ...quarantined.slice(0, 20).map((q) => `  ${q.entity} ${q.source_id}: ${q.reason}`)
            ].join("\n"))
          }).pipe(Effect.scoped)
        )
      })
  ).pipe(Command.withDescription("show runs, checkpoints, record counts and quarantined records from the state store"))
