/**
 * The qTest sink: `check` (the project answers with these credentials), `load` (prepare the vocabulary and
 * fields, then test design, then test execution, then attachments — each object written exactly once through
 * core's write) and `verify` (read every written object back and compare hashes).
 */
import { Effect } from "effect"
import { requestsCountedAs, type PluginContext, type SinkInstance } from "../../core/index.ts"
import { ADOPTING, adoptExisting } from "./load/adoptExisting.ts"
import { makeCaseSteps } from "./load/caseSteps.ts"
import { loadAttachments } from "./load/loadAttachments.ts"
import { loadExecutions, loadReleases, loadTestCycles } from "./load/loadTestExecution.ts"
import { loadModules, loadTestCases } from "./load/loadTestDesign.ts"
import { prepareTarget } from "./load/prepareTarget.ts"
import type { QtestLoad } from "./load/QtestLoad.ts"
import { toSystemError } from "./load/toLoadError.ts"
import { verifyQtest } from "./load/verifyQtest.ts"
import type { QtestClientShape } from "./QtestClient.ts"
import type { QtestConfig } from "./QtestConfig.ts"

export const makeQtestSink = (client: QtestClientShape, config: QtestConfig, ctx: PluginContext): SinkInstance => ({
  check: client.getProject().pipe(Effect.asVoid, Effect.mapError(toSystemError)),
  load: (load) =>
    Effect.gen(function* () {
      // the requests of each kind of object are counted by core's write; these two steps are the sink's own
      const prepared = yield* prepareTarget(client, config, ctx, load).pipe(requestsCountedAs("vocabulary"))
      const prepared0: QtestLoad = {
        client,
        config,
        ctx,
        load,
        vocab: prepared.vocab,
        defaults: prepared.defaults,
        managed: prepared.managed,
        plannedFields: prepared.plannedFields,
        caseSteps: makeCaseSteps(client),
        adopting: false
      }
      // nothing is created before what the project already holds of this migration is known (adoptExisting.ts)
      const q: QtestLoad = { ...prepared0, adopting: yield* adoptExisting(prepared0).pipe(requestsCountedAs("census")) }
      const modules = yield* loadModules(q)
      yield* loadTestCases(q, modules, prepared.requirements)
      const releaseOfCycle = yield* loadReleases(q)
      const cycles = yield* loadTestCycles(q, releaseOfCycle)
      yield* loadExecutions(q, cycles)
      yield* loadAttachments(q)
      // every kind has been looked for: the adoption is complete (adoptExisting.ts)
      if (q.adopting && !load.planning) yield* load.sinkState.set(ADOPTING, false)
    }),
  verify: (v) => verifyQtest(client, config, ctx.concurrency, v)
})
