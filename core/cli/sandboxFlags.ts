/**
 * Sandbox flags: the common ones (`SandboxOptions` in core/plugin/Plugin.ts) plus whatever each plugin's sandbox
 * declares (zephyr's `--zephyr-data`). Core knows nothing of Zephyr: the declared options become CLI flags here.
 */
import { Options } from "@effect/cli"
import { Option } from "effect"
import type { SandboxOption, SandboxOptions } from "../plugin/Plugin.ts"
import type { Registry } from "../plugin/Registry.ts"

type Extra = Options.Options<Option.Option<string | number | boolean>>

const optionFor = (o: SandboxOption): Extra => {
  const base =
    o.type === "file"
      ? Options.file(o.name, { exists: "yes" })
      : o.type === "integer"
        ? Options.integer(o.name)
        : o.type === "number"
          ? Options.float(o.name)
          : o.type === "boolean"
            ? Options.boolean(o.name)
            : Options.text(o.name)
  return (base as Options.Options<string | number | boolean>).pipe(Options.withDescription(o.description), Options.optional)
}

export const sandboxExtras = (registry: Registry): Record<string, Extra> => {
  const extras: Record<string, Extra> = {}
  for (const p of registry.all) for (const o of p.sandbox?.options ?? []) extras[o.name] ??= optionFor(o)
  return extras
}

export interface SandboxFlags {
  readonly port: Option.Option<number>
  readonly scale: Option.Option<"demo" | "small" | "medium" | "large">
  readonly seed: Option.Option<number>
  readonly latencyMs: Option.Option<number>
  readonly rateLimit: Option.Option<number>
  readonly quotaPerMinute: Option.Option<number>
  readonly quotaPerMonth: Option.Option<number>
  readonly faultRate: Option.Option<number>
  readonly extras: Readonly<Record<string, Option.Option<string | number | boolean>>>
}

export const sandboxOptionsFrom = (flags: SandboxFlags): SandboxOptions => ({
  port: Option.getOrUndefined(flags.port),
  scale: Option.getOrUndefined(flags.scale),
  seed: Option.getOrUndefined(flags.seed),
  latencyMs: Option.getOrUndefined(flags.latencyMs),
  rateLimit: Option.getOrUndefined(flags.rateLimit),
  quotaPerMinute: Option.getOrUndefined(flags.quotaPerMinute),
  quotaPerMonth: Option.getOrUndefined(flags.quotaPerMonth),
  faultRate: Option.getOrUndefined(flags.faultRate),
  extra: Object.fromEntries(Object.entries(flags.extras).map(([k, v]) => [k, Option.getOrUndefined(v)]))
})
