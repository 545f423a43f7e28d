/** `migrate status`: runs, checkpoints (watermarks and unfinished extracts), record counts and quarantine from the state store. */
import * as fs from "node:fs"
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import type { Registry } from "../../plugin/Registry.ts"
import { StateStore } from "../../store/StateStore.ts"
import { loadForCommand } from "../loadRun.ts"
import { configOption, jsonOption, verboseOption } from "../options.ts"
import { makeOutput } from "../Output.ts"

export const statusCommand = (registry: Registry) =>
  Command.make(
    "status",
    { config: configOption, json: jsonOption, verbose: verboseOption, sandbox: Options.boolean("sandbox").pipe(Options.withDescription("the state of `run --sandbox` rehearsals")) },
    (flags) =>
      Effect.gen(function* () {
        const out = makeOutput({ json: flags.json })
        // status reads only the store: it needs the spec for state.path, none of its secrets
        const { statePath } = yield* loadForCommand(registry, flags.config, flags.sandbox, [])
        if (!fs.existsSync(statePath)) {
          out.event("status", { statePath, exists: false }, `no state yet at ${statePath} — run \`npx migrate run${flags.sandbox ? " --sandbox" : ""}\` first`)
          return
        }
        const store = yield* StateStore.open(statePath)
        const runs = yield* store.runs(10)
        const counts = yield* store.counts
        const checkpoints = yield* Effect.forEach(yield* store.checkpoints, (c) =>
          Effect.map(store.extractState(c.name), (state) => ({ ...c, unfinished: state.unfinished }))
        )
        const quarantined = yield* store.quarantined()
        out.event("status", { statePath, runs, counts, checkpoints, quarantined: quarantined.length }, [
          `state: ${statePath}`,
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
  ).pipe(Command.withDescription("show runs, checkpoints, record counts and quarantined records from the state store"))
