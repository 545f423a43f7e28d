/**
 * Turns command-line flags into a loaded spec: the spec file (default migration.config.yaml), or — for
 * `--sandbox` without a spec file — the built-in sandbox spec. `--sandbox` state lives in `sandbox.db` beside the
 * spec's state file, so a rehearsal never mixes with a real migration's id map.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Option } from "effect"
import type { Registry } from "../plugin/Registry.ts"
import { defaultSpecFile, loadSpec, sandboxSpec } from "../spec/loadSpec.ts"
import type { LoadedSpec } from "../spec/loadSpec.ts"

export const loadForCommand = (registry: Registry, config: Option.Option<string>, sandbox: boolean) =>
  Effect.gen(function* () {
    const file = Option.getOrElse(config, () => defaultSpecFile)
    const useDefault = Option.isNone(config) && sandbox && !fs.existsSync(path.resolve(file))
    const spec: LoadedSpec = useDefault
      ? sandboxSpec(path.resolve(".migrate"))
      : yield* loadSpec({ file, sandbox, env: process.env, registry })
    const statePath = sandbox ? path.join(path.dirname(spec.statePath), "sandbox.db") : spec.statePath
    return { spec, statePath, specFile: useDefault ? null : path.resolve(file) }
  })
