/**
 * The qTest sink: `check` (the project answers with these credentials), `load` (prepare the vocabulary and
 * fields, then test design, then test execution, then attachments — each object written exactly once through
 * core's write; in passes that follow the extract, each loading what the store holds whole so far) and `verify`
 * (read every written object back and compare hashes).
 */
import { Effect } from "effect"
import { requestsCountedAs, type PluginContext, type SinkInstance } from "../../core/index.ts"
import { ADOPTING, adoptExisting } from "./load/adoptExisting.ts"
import { checkExistingTestCases } from "./load/existingTestCases.ts"
import { loadAttachments } from "./load/loadAttachments.ts"
import { loadExecutions, loadReleases, loadTestCycles } from "./load/loadTestExecution.ts"
import { loadModules, loadTestCases } from "./load/loadTestDesign.ts"
import { prepareTarget } from "./load/prepareTarget.ts"
import { makeQtestRunCache } from "./load/QtestRunCache.ts"
import { defectMode } from "./mapping/index.ts"
import type { QtestLoad } from "./load/QtestLoad.ts"
import { toSystemError } from "./load/toLoadError.ts"
import { verifyQtest } from "./load/verifyQtest.ts"
import type { QtestClientShape } from "./QtestClient.ts"
import type { QtestConfig } from "./QtestConfig.ts"

export const makeQtestSink = (client: QtestClientShape, config: QtestConfig, ctx: PluginContext): SinkInstance => {
  // what a load learns of the project once and keeps across the passes that follow the extract
  const cache = makeQtestRunCache(client)
  return {
    // the project read by the check also says how execution defects are carried (defectMode.ts): no second read
    check: client.getProject().pipe(
      Effect.tap((project) => Effect.sync(() => (cache.defects = defectMode(project.defect_tracking_systems)))),
      Effect.asVoid,
      Effect.mapError(toSystemError)
    ),
    follows: true,
    load: (load) =>
      Effect.gen(function* () {
        // an adoption waits for the final pass (below): nothing is prepared or created before it
        if (cache.adopting === "later" && !load.final) return
        // the requests of each kind of object are counted by core's write; these two steps are the sink's own
        const prepared = yield* prepareTarget(client, config, ctx, load, cache).pipe(requestsCountedAs("vocabulary"))
        const prepared0: QtestLoad = {
          client,
          config,
          ctx,
          load,
          cache,
          caseSteps: cache.steps,
          vocab: prepared.vocab,
          defaults: prepared.defaults,
          managed: prepared.managed,
          plannedFields: prepared.plannedFields,
          defects: prepared.defects,
          adopting: false
        }
        // nothing is created before what the project already holds of this migration is known (adoptExisting.ts):
        // the census is taken by the first pass; an adoption waits for the final one, which sees the whole store
        if (cache.adopting === undefined || cache.adopting === "later") {
          // a first run into a project people already use: the spec decides (existingTestCases.ts)
          if (cache.adopting === undefined) yield* checkExistingTestCases(prepared0).pipe(requestsCountedAs("existing-test-cases"))
          cache.adopting = yield* adoptExisting(prepared0).pipe(requestsCountedAs("census"))
        }
        if (cache.adopting === "later") return
        const q: QtestLoad = { ...prepared0, adopting: cache.adopting }
        const modules = yield* loadModules(q)
        yield* loadTestCases(q, modules, prepared.requirements)
        const releaseOfCycle = yield* loadReleases(q)
        const cycles = yield* loadTestCycles(q, releaseOfCycle)
        yield* loadExecutions(q, cycles)
        yield* loadAttachments(q)
        // every kind has been looked for in the complete store: the adoption is complete (adoptExisting.ts)
        if (q.adopting && load.final && !load.planning) yield* load.sinkState.set(ADOPTING, false)
      }),
    verify: (v) => verifyQtest(client, config, ctx.concurrency, v)
  }
}
