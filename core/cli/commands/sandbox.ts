/**
 * `migrate sandbox`: serve the sandboxes of the spec's plugins (without a spec: every built-in that has one) as
 * local servers until stopped, one line per system — `<plugin name> <base URL>` — ports from `--port` upward.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Command } from "@effect/cli"
import { Effect, Option } from "effect"
import { SpecError } from "../../errors.ts"
import type { Plugin } from "../../plugin/Plugin.ts"
import type { Registry } from "../../plugin/Registry.ts"
import { registryResolver } from "../../spec/registryResolver.ts"
import { defaultSpecFile, loadSpec } from "../../spec/loadSpec.ts"
import { sandboxStateFile } from "../../spec/sandboxSpec.ts"
import { configOption, jsonOption, sandboxOptions, verboseOption } from "../options.ts"
import { makeOutput } from "../Output.ts"
import { sandboxExtras, sandboxOptionsFrom } from "../sandboxFlags.ts"

export const checkSandboxFlags = (o: {
  faultRate: Option.Option<number>
  rateLimit: Option.Option<number>
  quotaPerMinute?: Option.Option<number>
  quotaPerMonth?: Option.Option<number>
  latencyMs: Option.Option<number>
  port: Option.Option<number>
}) => {
  const problems: Array<string> = []
  Option.map(o.faultRate, (f) => (f < 0 || f > 1) && problems.push(`--fault-rate ${f}: expected a probability from 0 to 1`))
  Option.map(o.rateLimit, (r) => r <= 0 && problems.push(`--rate-limit ${r}: expected requests per second, greater than 0`))
  for (const [flag, value] of [["--quota-per-minute", o.quotaPerMinute], ["--quota-per-month", o.quotaPerMonth]] as const)
    Option.map(value ?? Option.none(), (q) => q <= 0 && problems.push(`${flag} ${q}: expected a number of requests, greater than 0`))
  Option.map(o.latencyMs, (l) => l < 0 && problems.push(`--latency-ms ${l}: expected 0 or more milliseconds`))
  Option.map(o.port, (p) => (p < 0 || p > 65535) && problems.push(`--port ${p}: expected a port from 0 to 65535`))
  return problems.length ? Effect.fail(new SpecError({ reason: "Usage", problems })) : Effect.void
}

export const sandboxCommand = (registry: Registry) =>
  Command.make("sandbox", { config: configOption, json: jsonOption, verbose: verboseOption, ...sandboxOptions, extras: sandboxExtras(registry) }, (flags) =>
    Effect.gen(function* () {
      yield* checkSandboxFlags(flags)
      const out = makeOutput({ json: flags.json })
      const specFile = Option.getOrElse(flags.config, () => defaultSpecFile)
      const useSpec = Option.isSome(flags.config) || fs.existsSync(specFile)
      let plugins: ReadonlyArray<Plugin>
      // each plugin's section of the spec, so its sandbox imitates what the section points at
      const sections = new Map<string, Readonly<Record<string, unknown>>>()
      // where `run --sandbox` keeps the sandboxes' state: served again, so what a rehearsal loaded can be queried
      let stateDir = path.resolve(path.dirname(sandboxStateFile))
      if (useSpec) {
        const { spec } = { spec: yield* loadSpec({ file: specFile, sandbox: true, env: process.env, resolvePlugin: registryResolver(registry) }) }
        const types = [spec.source.type, ...spec.transforms.map((t) => t.type), ...spec.sinks.map((s) => s.type)]
        plugins = registry.all.filter((p) => types.includes(p.name) && p.sandbox)
        for (const section of [spec.source, ...spec.sinks]) if (!sections.has(section.type)) sections.set(section.type, section.config)
        stateDir = path.dirname(path.resolve(spec.statePath))
      } else plugins = registry.all.filter((p) => p.sandbox)
      const options = { ...sandboxOptionsFrom(flags), stateDir: fs.existsSync(stateDir) ? stateDir : undefined }
      if (options.stateDir !== undefined) out.line(`serving the sandbox state in ${path.relative(process.cwd(), options.stateDir) || "."} (what run --sandbox left)`)
      let port = options.port
      for (const plugin of plugins) {
        const running = yield* plugin.sandbox!.start({ ...options, config: sections.get(plugin.name), port })
        const connect = running.connect === undefined ? "" : `\n  ${Object.entries(running.connect).map(([k, v]) => `${k} ${v}`).join(" · ")}`
        out.event("sandbox", { plugin: plugin.name, baseUrl: running.baseUrl, ...(running.connect === undefined ? {} : { connect: running.connect }) }, `${plugin.name} ${running.baseUrl}${connect}`)
        if (port !== undefined && port !== 0) port = Number(new URL(running.baseUrl).port) + 1
      }
      if (plugins.length === 0) out.line("no plugin in the spec has a sandbox")
      else {
        out.event("ready", {}, "serving until stopped (Ctrl-C)")
        yield* Effect.never
      }
    }).pipe(Effect.scoped)
  ).pipe(Command.withDescription("serve the plugins' sandboxes (local imitations of Zephyr, qTest, …) until stopped"))
