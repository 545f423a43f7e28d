/**
 * The Zephyr DC source (`edition: dc`): `check`, `estimate` and `extract` over DC's REST API v1 (DcClient.ts),
 * landing the same canonical records as the Cloud editions (docs/vendors/zephyr.md §2 for DC's shapes, the README's
 * *The Zephyr editions* for what differs). Only the configured project is read, through TQL searches; nothing
 * project-wide is held but the folder paths already emitted and the ids of the results read in runs.
 *
 * Order: Project; per test case [its new Folders, TestCase, TestSteps, CustomFields, Links, Attachments, ChildSet];
 * per plan [Folders, TestPlan, CustomFields, Links (its runs as TEST_CYCLE links), ChildSet]; per run [Folders,
 * TestCycle, CustomFields, ChildSet, then per result TestExecution, ExecutionStepResults, CustomFields, Links,
 * Attachments, ChildSet]; then the latest result of every case that is in no run (DC's only view of ad hoc
 * executions). A Checkpoint follows every item and page, so a cut-short extract resumes where it was.
 *
 * Incremental runs: DC's searches take no date, so the lists are read whole (a request per page); cases and plans
 * updated after `since` (DC's `updatedOn`) are read with their attachments, and every run's results again (results
 * have no update time; a request per run) with the attachments of the new ones only. A caller that must see every
 * change (a cut-over) reads everything; the store writes only what changed.
 */
import { Chunk, Effect, Either, Option, Stream } from "effect"
import { record, SystemError, type EntityName, type PluginContext, type SourceInstance, type StoreError } from "../../../core/index.ts"
import { checkpointItem, childSetOf, provenance, type SourceItem } from "../mapping/index.ts"
import { decodeOrQuarantine, isApiError, orNullOn404, toSystemError } from "../source/failures.ts"
import { inlineImageNotes } from "../source/inlineImageNotes.ts"
import { notes } from "../source/notes.ts"
import { stampProvenance } from "../source/stampProvenance.ts"
import type { ZephyrConfig } from "../ZephyrConfig.ts"
import { DcTestCase, DcTestPlan, DcTestResult, DcTestRun } from "./api.ts"
import { dcAttachments } from "./dcAttachments.ts"
import { DcClientService, type DcClientError, type DcSearch } from "./DcClient.ts"
import { makeDcFolders } from "./DcFolders.ts"
import { DC_PHASES, dcAfter, dcAt, dcResumeStateOf, type DcPhase, type DcResumeState } from "./dcResume.ts"
import { mapDcTestCase } from "./mapDcTestCase.ts"
import { mapDcTestPlan } from "./mapDcTestPlan.ts"
import { mapDcTestResult } from "./mapDcTestResult.ts"
import { mapDcTestRun } from "./mapDcTestRun.ts"

type Items = ReadonlyArray<SourceItem>
type Failure = DcClientError | StoreError

/** Whether a record changed after `since`: one without a readable `updatedOn` is taken as changed. */
const changedSince = (since: number | undefined, updatedOn: string | null | undefined): boolean => {
  if (since === undefined) return true
  const at = updatedOn == null ? Number.NaN : Date.parse(updatedOn)
  return !Number.isFinite(at) || at > since
}

export const makeDcSource = (config: ZephyrConfig, ctx: PluginContext): Effect.Effect<SourceInstance, never, DcClientService> =>
  Effect.gen(function* () {
    const client = yield* DcClientService
    const edition = config.edition
    const fatal = toSystemError(ctx.system, config.projectKey, edition)
    const projectId = config.projectKey
    const attachmentsOf = dcAttachments(client, ctx, config.attachments)
    const { noteInvalidDates, noteBrokenHtml } = notes(ctx)
    const stamp = stampProvenance(edition)
    const images = inlineImageNotes(ctx, config.inlineImages === "keep")

    const testCase = (folders: ReturnType<typeof makeDcFolders>, since: number | undefined) => (raw: unknown): Effect.Effect<Items, Failure> =>
      Either.match(decodeOrQuarantine(DcTestCase, "TestCase")(raw), {
        onLeft: (q) => Effect.succeed([q]),
        onRight: (tc) =>
          Effect.gen(function* () {
            // Folders are claimed before the first yield, so the first case in list order emits them.
            const folder = folders.folderOf("TEST_CASE", tc.folder)
            if (!changedSince(since, tc.updatedOn)) return folder.records
            const mapped = mapDcTestCase(tc, { projectId, folderId: folder.id, withVersion: config.fetchVersions })
            const id = (mapped.testCase.data as { readonly test_case_id: number }).test_case_id
            yield* noteInvalidDates("TestCase", tc.key, { createdOn: tc.createdOn, updatedOn: tc.updatedOn })
            yield* noteBrokenHtml("TestCase", tc.key, { objective: tc.objective, precondition: tc.precondition })
            const own = yield* attachmentsOf("TestCase", id, client.caseAttachments(tc.key))
            const ofSteps = yield* Effect.forEach(mapped.steps, (s) => (s.id === null ? Effect.succeed({ items: [], complete: false }) : attachmentsOf("TestStep", s.id, client.stepAttachments(tc.key, s.index))))
            const group: Array<SourceItem> = [mapped.testCase, ...mapped.steps.map((s) => s.step), ...mapped.children, ...own.items, ...ofSteps.flatMap((a) => a.items)]
            // the case's attachments include its steps': complete only when every list was read
            const attachmentsRead = own.complete && ofSteps.every((a) => a.complete)
            const complete: Array<EntityName> = ["TestStep", "CustomField", "Link", ...(attachmentsRead ? (["Attachment"] as const) : [])]
            return [...folder.records, ...group, childSetOf("TestCase", id, group, complete)]
          })
      })

    const testPlan = (folders: ReturnType<typeof makeDcFolders>, since: number | undefined) => (raw: unknown): Effect.Effect<Items> =>
      Either.match(decodeOrQuarantine(DcTestPlan, "TestPlan")(raw), {
        onLeft: (q) => Effect.succeed([q]),
        onRight: (plan) => {
          const folder = folders.folderOf("TEST_PLAN", plan.folder)
          if (!changedSince(since, plan.updatedOn)) return Effect.succeed(folder.records)
          const group = mapDcTestPlan(plan, { projectId, folderId: folder.id })
          const id = (group[0]!.data as { readonly test_plan_id: number }).test_plan_id
          return Effect.succeed([...folder.records, ...group, childSetOf("TestPlan", id, group, ["CustomField", "Link"])])
        }
      })

    /**
     * A result with its step results, custom fields, links and attachments, and its child set. Results have no
     * `updatedOn`: an incremental run reads every run's results again (the store writes only what changed) but the
     * attachment lists only of results it has not stored before (`fresh`).
     */
    const result = (runKey: string | null, since: number | undefined) => (raw: unknown): Effect.Effect<Items, Failure> =>
      Either.match(decodeOrQuarantine(DcTestResult, "TestExecution")(raw), {
        onLeft: (q) => Effect.succeed([q]),
        onRight: (r) =>
          Effect.gen(function* () {
            const label = r.key ?? String(r.id)
            yield* noteInvalidDates("TestExecution", label, { actualEndDate: r.actualEndDate })
            yield* noteBrokenHtml("TestExecution", label, { comment: r.comment })
            const group: Array<SourceItem> = mapDcTestResult(r, { projectId, runKey })
            const fresh = since === undefined || ctx.known === undefined || Option.isNone(yield* ctx.known("TestExecution", { source_system: edition.sourceSystem, source_id: String(r.id) }))
            const files = fresh ? yield* attachmentsOf("TestExecution", r.id, client.resultAttachments(r.id)) : { items: [], complete: false }
            group.push(...files.items)
            const complete: Array<EntityName> = ["ExecutionStepResult", "CustomField", "Link", ...(files.complete ? (["Attachment"] as const) : [])]
            return [...group, childSetOf("TestExecution", r.id, group, complete)]
          })
      })

    /** A run, then every result of it, history included (their ids are remembered for the ad hoc phase). */
    const testRun = (folders: ReturnType<typeof makeDcFolders>, since: number | undefined, inRuns: Set<number>) => (raw: unknown): Effect.Effect<Items, Failure> =>
      Either.match(decodeOrQuarantine(DcTestRun, "TestCycle")(raw), {
        onLeft: (q) => Effect.succeed([q]),
        onRight: (run) =>
          Effect.gen(function* () {
            const folder = folders.folderOf("TEST_CYCLE", run.folder)
            yield* noteInvalidDates("TestCycle", run.key, { plannedStartDate: run.plannedStartDate, plannedEndDate: run.plannedEndDate })
            const group = mapDcTestRun(run, { projectId, folderId: folder.id })
            const id = (group[0]!.data as { readonly test_cycle_id: number }).test_cycle_id
            const results = (yield* orNullOn404(client.runResults(run.key))) ?? []
            for (const r of results) {
              const resultId = typeof r === "object" && r !== null ? (r as { readonly id?: unknown }).id : undefined
              if (typeof resultId === "number") inRuns.add(resultId)
            }
            const resultItems = yield* Effect.forEach(results, result(run.key, since), { concurrency: ctx.concurrency })
            return [...folder.records, ...group, childSetOf("TestCycle", id, group, ["CustomField"]), ...resultItems.flat()]
          })
      })

    /**
     * The latest result of a case, when it belongs to no run: read in a run in this extract (`inRuns`), or stored
     * with a cycle by an earlier one, it is not ad hoc. DC shows no other ad hoc result (the report says so).
     */
    const adHoc = (inRuns: Set<number>, since: number | undefined) => (raw: unknown): Effect.Effect<Items, Failure> => {
      const key = typeof raw === "object" && raw !== null ? (raw as { readonly key?: unknown }).key : undefined
      if (typeof key !== "string") return Effect.succeed([])
      return Effect.gen(function* () {
        const latest = yield* orNullOn404(client.latestResult(key))
        const id = typeof latest === "object" && latest !== null ? (latest as { readonly id?: unknown }).id : undefined
        if (typeof id !== "number" || inRuns.has(id)) return []
        if (ctx.known !== undefined) {
          const stored = yield* ctx.known("TestExecution", { source_system: edition.sourceSystem, source_id: String(id) })
          if (Option.isSome(stored) && stored.value["test_cycle_id"] != null) return []
        }
        // one line in the report, counted, with examples: how many cases had an ad hoc result as their latest
        yield* ctx.report.note({
          kind: "warning",
          entity: "TestExecution",
          sourceId: key,
          message: `${edition.product}'s API shows only the latest result of a test case when it is in no run: these cases' latest (ad hoc) results were read, and any earlier ad hoc results of theirs are not visible to migrate`
        })
        return yield* result(null, since)(latest)
      })
    }

    /** One search from `startAt`: every item's group, then its checkpoint; each page ends with the next page's start. */
    const searchPhase = (phase: DcPhase, search: DcSearch, startAt: number, itemRecords: (raw: unknown) => Effect.Effect<Items, Failure>): Stream.Stream<SourceItem, Failure> =>
      client.searchPages(search, { startAt }).pipe(
        Stream.mapConcat((page) => [
          ...page.values.map((raw, i) => ({ raw, after: dcAt(phase, page.startAt + i + 1) })),
          { end: page.next === null ? dcAfter(phase) : dcAt(phase, page.next) }
        ]),
        Stream.mapEffect((step): Effect.Effect<Items, Failure> => ("end" in step ? Effect.succeed([checkpointItem(step.end)]) : Effect.map(itemRecords(step.raw), (group) => [...group, checkpointItem(step.after)])), {
          concurrency: ctx.concurrency
        }),
        Stream.flattenIterables
      )

    const extract: SourceInstance["extract"] = (options) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const resumeAt: DcResumeState = yield* dcResumeStateOf(ctx, options.resume)
          const sinceMs = options.since === undefined || options.everyChange === true ? undefined : Date.parse(options.since)
          const since = sinceMs !== undefined && Number.isFinite(sinceMs) ? sinceMs : undefined
          if (since !== undefined)
            yield* ctx.report.note({
              kind: "default",
              message: `${edition.product}'s searches take no date: this incremental run read the lists whole, the cases and plans updated after ${options.since} with their attachments, every run's results (results have no update time; the store wrote only what changed) with the attachments of new ones, and the latest result of every case, to find new ad hoc ones. Attachments added to a result migrated before are seen by a --full run`
            })
          const folders = makeDcFolders(projectId)
          const inRuns = new Set<number>()
          const phases: Record<DcPhase, (startAt: number) => Stream.Stream<SourceItem, Failure>> = {
            TestCase: (at) => searchPhase("TestCase", "testcase", at, testCase(folders, since)),
            TestPlan: (at) => searchPhase("TestPlan", "testplan", at, testPlan(folders, since)),
            TestRun: (at) => searchPhase("TestRun", "testrun", at, testRun(folders, since, inRuns)),
            AdHoc: (at) => searchPhase("AdHoc", "testcase", at, adHoc(inRuns, since))
          }
          const from = resumeAt.phase === "done" ? DC_PHASES.length : DC_PHASES.indexOf(resumeAt.phase)
          return Stream.concatAll(
            Chunk.fromIterable<Stream.Stream<SourceItem, Failure>>([
              Stream.succeed<SourceItem>(
                record("Project", {
                  ...provenance(config.projectKey, config.projectKey),
                  project_id: projectId,
                  project_key: config.projectKey,
                  name: config.projectKey,
                  description: null,
                  created_at: null,
                  updated_at: null,
                  jira_project_id: null,
                  enabled: true
                })
              ),
              ...DC_PHASES.slice(from).map((phase, i) => phases[phase](i === 0 ? resumeAt.startAt : 0))
            ])
          )
        })
      ).pipe(
        (s) => (stamp === undefined ? s : Stream.mapChunks(s, stamp)),
        Stream.mapChunksEffect(images),
        Stream.mapError(fatal),
        Stream.withSpan("DcSource.extract")
      )

    /** One case of the project: the credentials, the URL and the project key in one request. */
    const check: SourceInstance["check"] = client.searchPages("testcase", { startAt: 0, maxResults: 1 }).pipe(
      Stream.take(1),
      Stream.runDrain,
      Effect.mapError((e) =>
        isApiError(e) && e.reason === "BadRequest"
          ? new SystemError({
              system: ctx.system,
              reason: "NotFound",
              message: `${edition.product} refused the search for project ${config.projectKey}: ${e.message}`,
              hint: `check projectKey (${config.projectKey}): it must be a Jira project with Zephyr enabled that this user can browse`
            })
          : fatal(e)
      ),
      Effect.withSpan("DcSource.check")
    )

    /** DC's searches give no totals: progress counts without a denominator, but for the one project. */
    const estimate: SourceInstance["estimate"] = Effect.succeed({ Project: 1 })

    return { check, estimate, extract }
  })
