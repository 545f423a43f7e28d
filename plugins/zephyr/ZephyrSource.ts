/**
 * The Zephyr Cloud source, for either edition (Edition.ts): `check` (token, URL, project), `estimate` (totals
 * for progress) and `extract` (every record of the configured project, in dependency order, as one Stream). Only this project
 * is read. Project-wide state is limited to the id → name lookups and the folder tree; test cases and
 * executions stream through with bounded concurrency (`ctx.concurrency`), each bringing its own children.
 * Malformed records become `Quarantine` items; what the user must fix (token, URL, project) fails the stream
 * with a `SystemError` carrying a hint.
 *
 * Order: Project, Folders (parents first), per test case [TestCase, TestSteps, CustomFields, Links,
 * Attachments, ChildSet], per plan [TestPlan, CustomFields, Links, ChildSet], per cycle [...], per execution
 * [TestExecution, ExecutionStepResults, CustomFields, Links, Attachments, ChildSet]. A plan's TEST_CYCLE links
 * precede the cycles they name; their target is the cycle id as text, not a key the store resolves, so nothing
 * dangles.
 *
 * The four big lists are read through the cursor (`/nextgen`) endpoints, in id order, with `updatedAfter` in an
 * incremental run (children are then read only for the items that changed) — or, on an edition without them,
 * through the offset pages, whole or only for new items (source/incremental.ts) — with a Checkpoint after every
 * item and page, so a cut-short extract resumes where it was (`ExtractOptions.resume`). Folders, statuses,
 * priorities and environments are small and have no `updatedAfter`: they are read whole every time. Records
 * leave stamped with the edition's provenance (source/stampProvenance.ts).
 */
import { Chunk, Effect, Ref, Stream } from "effect"
import type { PluginContext, SourceInstance, StoreError } from "../../core/index.ts"
import { TestCycle, TestPlan } from "./api/index.ts"
import { mapProject, mapTestCycle, mapTestPlan, type SourceItem } from "./mapping/index.ts"
import { attachments, type AttachmentsState } from "./source/attachments.ts"
import { caseIndex } from "./source/caseIndex.ts"
import { check } from "./source/check.ts"
import { bigLists } from "./source/bigLists.ts"
import { estimate } from "./source/estimate.ts"
import { executions } from "./source/executions.ts"
import { incrementalRead } from "./source/incremental.ts"
import { inlineImageNotes } from "./source/inlineImageNotes.ts"
import { toSystemError } from "./source/failures.ts"
import { lookups } from "./source/lookups.ts"
import { plansAndCycles } from "./source/plansAndCycles.ts"
import { PHASES, positionOf, resumeStateOf, type Phase } from "./source/resume.ts"
import { stampProvenance } from "./source/stampProvenance.ts"
import type { SourceContext } from "./source/SourceContext.ts"
import { testCases } from "./source/testCases.ts"
import { ZephyrClient, type ZephyrClientError } from "./ZephyrClient.ts"
import type { ZephyrConfig } from "./ZephyrConfig.ts"

export { toSystemError } from "./source/failures.ts"

/**
 * Wires the parts (source/): each gets the `SourceContext`; what lives as long as the instance and is shared
 * between parts — whether the tenant has attachment endpoints, the case key → id index — is made here once and
 * handed to the parts that use it.
 */
export const makeZephyrSource = (config: ZephyrConfig, ctx: PluginContext): Effect.Effect<SourceInstance, never, ZephyrClient> =>
  Effect.gen(function* () {
    const sc: SourceContext = { client: yield* ZephyrClient, config, ctx, fatal: toSystemError(ctx.system, config.projectKey, config.edition) }
    const attachmentsOf = attachments(sc, yield* Ref.make<AttachmentsState>("unknown"))
    const cases = caseIndex(ctx, config.edition.sourceSystem)
    const { readLookups, readFolders } = lookups(sc)
    const testCaseRecords = testCases(sc, cases, attachmentsOf)
    const executionRecords = executions(sc, cases, attachmentsOf)
    const planOrCycle = plansAndCycles(ctx)
    const listStream = bigLists(sc)
    const incremental = incrementalRead(sc)
    const stamp = stampProvenance(config.edition)
    const images = inlineImageNotes(ctx, config.inlineImages === "keep")

    const extract: SourceInstance["extract"] = (options) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const resumeAt = yield* resumeStateOf(ctx, config.edition, options.resume)
          const read = yield* incremental(options.since, options.everyChange === true)
          const project = yield* sc.client.getProject(config.projectKey)
          const projectId = String(project.id)
          // Small lists are read whole every time (they have no updatedAfter): folders, statuses, priorities,
          // environments. Re-emitting unchanged folders costs nothing in the store.
          const folders = yield* readFolders(projectId)
          const lookups = yield* readLookups
          const lists: Record<Phase, (position: number) => Stream.Stream<SourceItem, ZephyrClientError | StoreError>> = {
            TestCase: (at) => listStream("TestCase", at, read, testCaseRecords(lookups)),
            TestPlan: (at) => listStream("TestPlan", at, read, planOrCycle(TestPlan, "TestPlan", mapTestPlan, lookups)),
            TestCycle: (at) => listStream("TestCycle", at, read, planOrCycle(TestCycle, "TestCycle", mapTestCycle, lookups)),
            TestExecution: (at) => listStream("TestExecution", at, read, executionRecords(lookups))
          }
          const from = resumeAt.phase === "done" ? PHASES.length : PHASES.indexOf(resumeAt.phase)
          return Stream.concatAll(
            Chunk.fromIterable<Stream.Stream<SourceItem, ZephyrClientError | StoreError>>([
              Stream.succeed<SourceItem>(mapProject(project)),
              Stream.fromIterable(folders),
              ...PHASES.slice(from).map((phase, i) => lists[phase](i === 0 ? positionOf(resumeAt) : 0))
            ])
          )
        })
      ).pipe(
        (s) => (stamp === undefined ? s : Stream.mapChunks(s, stamp)),
        Stream.mapChunksEffect(images),
        Stream.mapError(sc.fatal),
        Stream.withSpan("ZephyrSource.extract")
      )

    return { check: check(sc), estimate: estimate(sc), extract }
  })
