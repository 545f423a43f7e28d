/**
 * A sink that follows the extract is shown, pass by pass, what is new (`LoadContext.fresh`). After a run that
 * ended well that is what this run's extract adds; after a run that failed (or died) it is the whole store, from
 * the first pass on: the failed run may have left work on records it had extracted half done (a test case created,
 * its approval not sent), and that must come before the records this run adds — the executions that need it.
 */
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { checkpoint } from "../../../core/canonical/Canonical.ts"
import { SystemError } from "../../../core/errors.ts"
import { definePlugin, type LoadContext, type SinkInstance } from "../../../core/plugin/Plugin.ts"
import { silentProgress } from "../../../core/pipeline/Progress.ts"
import { runMigration } from "../../../core/pipeline/runMigration.ts"
import { makeRegistry } from "../../../core/plugin/Registry.ts"
import { SpecDefaults } from "../../../core/spec/SpecDefaults.ts"
import { fakeSource, project, testCase, tmpDb } from "./records.ts"

/** What the test controls between runs: how many cases the source lists, and whether the sink's final pass fails. */
const world = { cases: 0, failFinal: false, fresh: [] as Array<ReadonlyArray<string>> }

const source = definePlugin({
  name: "listed",
  kind: "source",
  configSchema: { type: "object" },
  // a checkpoint after every case: the extract commits, and the following sink gets passes, as it goes
  make: () => Effect.succeed(fakeSource(() => [project("10001"), ...Array.from({ length: world.cases }, (_, i) => [testCase(i + 1), checkpoint({ at: i + 1 })]).flat()])),
  scope: () => "P"
})

const sink = definePlugin({
  name: "follower",
  kind: "sink",
  configSchema: { type: "object" },
  make: () =>
    Effect.succeed<SinkInstance>({
      check: Effect.void,
      follows: true,
      load: (ctx: LoadContext) =>
        Effect.gen(function* () {
          if (!ctx.final && ctx.fresh !== undefined) {
            const cases = yield* Stream.runCollect(ctx.fresh.records("TestCase"))
            world.fresh.push(Chunk.toReadonlyArray(cases).map((c) => c.source_id))
          }
          if (ctx.final && world.failFinal) return yield* new SystemError({ system: "follower", reason: "Unreachable", message: "the target went away", hint: "run again" })
        })
    })
})

const run = (statePath: string) =>
  runMigration({
    command: "run",
    specFile: null,
    statePath,
    source: { type: "listed", config: {} },
    transforms: [],
    sinks: [{ type: "follower", config: {} }],
    runtime: { concurrency: 2, requestTimeoutMs: SpecDefaults.requestTimeoutMs, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 }, rateLimits: {} },
    dryRun: false,
    full: false,
    sandbox: undefined,
    registry: makeRegistry([source, sink]),
    progress: silentProgress
  }).pipe(Effect.scoped, Effect.either)

/** Every case id the passes of one run were shown as fresh. */
const freshOfRun = (statePath: string) =>
  Effect.gen(function* () {
    world.fresh = []
    yield* run(statePath)
    return [...new Set(world.fresh.flat())].sort((a, b) => Number(a) - Number(b))
  })

describe("a sink that follows the extract, after the last run", () => {
  it.live("ended well: its passes are shown only what this run adds", () =>
    Effect.gen(function* () {
      const statePath = path.join(path.dirname(tmpDb()), "clean.db")
      Object.assign(world, { cases: 4, failFinal: false })
      yield* freshOfRun(statePath)
      world.cases = 6
      expect(yield* freshOfRun(statePath)).toEqual(["5", "6"])
    })
  )

  it.live("failed: its passes are shown the whole store, the failed run's records first", () =>
    Effect.gen(function* () {
      const statePath = path.join(path.dirname(tmpDb()), "failed.db")
      Object.assign(world, { cases: 4, failFinal: true })
      yield* freshOfRun(statePath)
      Object.assign(world, { cases: 6, failFinal: false })
      const fresh = yield* freshOfRun(statePath)
      expect(fresh).toEqual(["1", "2", "3", "4", "5", "6"])
      // and the first pass already had the failed run's records
      expect(world.fresh[0]).toEqual(expect.arrayContaining(["1", "2", "3", "4"]))
    })
  )
})
