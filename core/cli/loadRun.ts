/**
 * Turns command-line flags into a loaded spec and the registry to run it with: the spec file (default
 * migration.config.yaml), or — for `--sandbox` without a spec file — the built-in sandbox spec. The registry is
 * the built-ins plus the external plugins the spec names under `plugins:`.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Option } from "effect"
import { loadExternalPlugin, makeRegistry, type Registry } from "../plugin/Registry.ts"
import { registryResolver } from "../spec/registryResolver.ts"
import { defaultSpecFile, loadSpec, sandboxSpec } from "../spec/loadSpec.ts"
import type { LoadedSpec } from "../spec/loadSpec.ts"
import type { PluginKind, SandboxOptions } from "../plugin/Plugin.ts"
import type { Progress } from "../pipeline/Progress.ts"
import type { RunSettings } from "../pipeline/run/RunSettings.ts"

/**
 * @param secretsFor the sections whose secrets the command uses (default: all); the others may be unset, so that
 * `status` runs without any secret and `verify` without the source's.
 */
export const loadForCommand = (builtins: Registry, config: Option.Option<string>, sandbox: boolean, secretsFor?: ReadonlyArray<PluginKind>) =>
  Effect.gen(function* () {
    const file = Option.getOrElse(config, () => defaultSpecFile)
    const useDefault = Option.isNone(config) && sandbox && !fs.existsSync(path.resolve(file))
    // In sandbox mode the loader already points statePath at `sandbox.db` beside the configured state file.
    const spec: LoadedSpec = useDefault
      ? sandboxSpec(path.resolve(".migrate"))
      : yield* loadSpec({ file, sandbox, secretsFor, env: process.env, resolvePlugin: registryResolver(builtins) })
    const externals = useDefault ? [] : yield* Effect.forEach(spec.spec.plugins ?? [], (s) => loadExternalPlugin(s, path.dirname(spec.file)))
    const registry = externals.length ? makeRegistry([...builtins.all, ...externals]) : builtins
    return { spec, statePath: spec.statePath, specFile: useDefault ? null : path.resolve(file), registry }
  })

/** The settings of a `runMigration` for a command (`run`, `plan`) from its loaded spec and flags. */
export const runSettingsFor = (
  command: string,
  loaded: Effect.Effect.Success<ReturnType<typeof loadForCommand>>,
  options: { readonly dryRun: boolean; readonly full: boolean; readonly rebind?: boolean; readonly sandbox: SandboxOptions | undefined; readonly progress: Progress }
): RunSettings => ({
  command: [command, ...process.argv.slice(3)].join(" "),
  specFile: loaded.specFile,
  statePath: loaded.statePath,
  source: loaded.spec.source,
  transforms: loaded.spec.transforms,
  sinks: loaded.spec.sinks,
  runtime: loaded.spec.runtime,
  registry: loaded.registry,
  ...options
})
