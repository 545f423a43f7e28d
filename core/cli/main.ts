/**
 * The CLI's composition: commands over a registry of plugins, error → message + exit code (ExitCode.ts).
 * The entry point (bin/main.ts) passes the built-in plugins; nothing else happens here.
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Logger, LogLevel } from "effect"
import type { Plugin } from "../plugin/Plugin.ts"
import { makeRegistry } from "../plugin/Registry.ts"
import { cutoverCommand } from "./commands/cutover.ts"
import { planCommand } from "./commands/plan.ts"
import { runCommand } from "./commands/run.ts"
import { verifyCommand } from "./commands/verify.ts"
import { sandboxCommand } from "./commands/sandbox.ts"
import { restoreCommand, snapshotCommand } from "./commands/snapshot.ts"
import { statusCommand } from "./commands/status.ts"
import { validateCommand } from "./commands/validate.ts"
import { withColourManners } from "./colour.ts"
import { describeFailure, ExitCode } from "./ExitCode.ts"

export const VERSION = "0.1.0"

export const makeCli = (plugins: ReadonlyArray<Plugin>) => {
  const registry = makeRegistry(plugins)
  const migrate = Command.make("migrate").pipe(
    Command.withDescription("declarative, resumable test-management migration (Zephyr → canonical store → sinks)"),
    Command.withSubcommands([runCommand(registry), planCommand(registry), verifyCommand(registry), cutoverCommand(registry), validateCommand(registry), statusCommand(registry), sandboxCommand(registry), snapshotCommand(registry), restoreCommand(registry)])
  )
  return Command.run(migrate, { name: "migrate", version: VERSION })
}

/** Runs the CLI to completion and returns the exit code; failures are printed as one clear message. */
export const runCli = (plugins: ReadonlyArray<Plugin>, argv: ReadonlyArray<string>) => {
  const verbose = argv.includes("--verbose") || process.env["MIGRATE_DEBUG"] === "1"
  return makeCli(plugins)(argv).pipe(
    withColourManners,
    Effect.as(ExitCode.ok as number),
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
      const { code, message } = describeFailure(cause, verbose)
      if (message) process.stderr.write(`\nmigrate: ${message}\n`)
      return Effect.succeed(code as number)
    }),
    Effect.provide(NodeContext.layer),
    // No tracer reads spans (there is no exporter), and recording them — a span per request, per Effect.fn
    // call, with the HTTP client's attributes — cost ≈ 9% of an extract's CPU.
    Effect.withTracerEnabled(false),
    Logger.withMinimumLogLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
  )
}

export const main = (plugins: ReadonlyArray<Plugin>) =>
  NodeRuntime.runMain(runCli(plugins, process.argv), {
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      if (Exit.isSuccess(exit)) onExit(typeof exit.value === "number" ? exit.value : ExitCode.failed)
      else {
        process.stderr.write("\nmigrate: interrupted\n")
        onExit(ExitCode.interrupted)
      }
    }
  })
