/**
 * Test execution: test plans → releases (when enabled), cycle folders and cycles → nested test cycles, and the
 * executions: one test run per (cycle, test case) pair — executions without a cycle go to one configurable
 * cycle — and one test log per Zephyr execution on that run, in time order within a pass (while the extract runs,
 * in the order executions reach the store: a run's status follows the latest end anyway), with step logs matched to the
 * migrated case's steps (calls expanded). Executions are read from the store ordered by cycle, case and end
 * time, so one pair's executions arrive together and pairs load concurrently. An execution's Jira issues are
 * linked to its log as defects where the project has a Jira defect integration (linkTestLogDefects.ts), else
 * kept in the run's "Zephyr Defects" field (testRunBody.ts); the mode is reported once.
 */
import { otherProject } from "../mapping/index.ts"
import { storeProjects } from "./storeProjects.ts"
import { Chunk, Effect, Option, Stream } from "effect"
import type { StoreError, SystemError } from "../../../core/index.ts"
import {
  completeProperties,
  cycleFolderBody,
  decodeLoggedSteps,
  encodeLoggedSteps,
  loggedStepsOf,
  type LoggedSteps,
  executedSteps,
  executionLabel,
  jiraIssueIds,
  executionsWithoutCycleBody,
  latestExecution,
  manualTestLogBody,
  releaseBody,
  releaseNote,
  testCycleBody,
  testRunBody,
  writtenHash,
  type Folder,
  type Link,
  type TestExecution
} from "../mapping/index.ts"
import type { ExecutionParent } from "../QtestClient.ts"
import { targetHash } from "./targetHash.ts"
import { loadAutomationBatches } from "./loadAutomation.ts"
import { linkTestLogDefects } from "./linkTestLogDefects.ts"
import { idOf, mappedId, type QtestLoad, reportMapping, writeOrReject } from "./QtestLoad.ts"

const depth = (f: Folder) => f.path.split("/").filter((s) => s !== "").length
const ROOT: ExecutionParent = { parentId: 0, parentType: "root" }

const findCycle = (q: QtestLoad, parent: ExecutionParent, name: string) =>
  q.client.listTestCycles(parent).pipe(
    Stream.filter((c) => c.name === name),
    Stream.runHead,
    Effect.map(Option.map((c) => String(c.id)))
  )

export const loadReleases = (q: QtestLoad): Effect.Effect<ReadonlyMap<string, number>, SystemError | StoreError> =>
  Effect.gen(function* () {
    // cycle id (as the store's link target) → the release of the plan that links it
    const releaseOfCycle = new Map<string, number>()
    if (!q.config.releases) {
      const plans = yield* q.load.store.count("TestPlan")
      if (plans > 0) yield* q.ctx.report.note({ kind: "skip", entity: "TestPlan", message: `${plans} test plans not migrated: releases: false in the qtest section` })
      return releaseOfCycle
    }
    yield* Stream.runForEach(
      q.load.store.records("TestPlan").pipe(
        Stream.mapEffect(
          (plan) =>
            Effect.gen(function* () {
              const customFields = yield* q.load.store.where("CustomField", { object_type: "TestPlan", object_id: plan.test_plan_id })
              const body = completeProperties(yield* reportMapping(q, "TestPlan", releaseBody(plan, customFields, q.vocab)), q.managed.release, q.defaults)
              const written = yield* writeOrReject(q, {
                entity: "release",
                key: plan.source_id,
                label: plan.key,
                hash: targetHash(body, q.defaults),
                create: q.client.createRelease(body).pipe(Effect.map((r) => String(r.id))),
                update: (id) => q.client.updateRelease(Number(id), body).pipe(Effect.asVoid),
                lookup: q.client.listReleases().pipe(Effect.map((rs) => Option.fromNullable(rs.find((r) => r.note === releaseNote(plan.key))).pipe(Option.map((r) => String(r.id)))))
              })
              if (Option.isNone(written)) return
              for (const link of yield* q.load.store.where("Link", { object_type: "TestPlan", object_id: plan.test_plan_id }))
                if (link.kind === "TEST_CYCLE") releaseOfCycle.set(link.target, idOf(written.value))
            }),
          { concurrency: q.ctx.concurrency, unordered: true }
        )
      ),
      () => Effect.void
    )
    return releaseOfCycle
  })

/** Cycle folders, then cycles; answers Zephyr cycle id → qTest test cycle id. */
export const loadTestCycles = (q: QtestLoad, releaseOfCycle: ReadonlyMap<string, number>): Effect.Effect<ReadonlyMap<number, number>, SystemError | StoreError> =>
  Effect.gen(function* () {
    const folders: Array<Folder> = []
    yield* Stream.runForEach(q.load.store.records("Folder"), (f) => Effect.sync(() => (f.type === "TEST_CYCLE" ? folders.push(f) : undefined)))
    folders.sort((a, b) => depth(a) - depth(b) || a.sort_order - b.sort_order || a.folder_id - b.folder_id)
    const folderCycles = new Map<number, number>()
    for (const folder of folders) {
      const parentCycle = folder.parent_folder_id === null ? undefined : folderCycles.get(folder.parent_folder_id)
      if (folder.parent_folder_id !== null && parentCycle === undefined) {
        yield* q.load.skip("cycle-folder", folder.path, "its parent folder was not loaded")
        continue
      }
      const parent: ExecutionParent = parentCycle === undefined ? ROOT : { parentId: parentCycle, parentType: "test-cycle" }
      const body = cycleFolderBody(folder)
      const written = yield* writeOrReject(q, {
        entity: "cycle-folder",
        key: folder.source_id,
        label: folder.path,
        hash: targetHash(body, q.defaults),
        create: q.client.createTestCycle(body, parent).pipe(Effect.map((c) => String(c.id))),
        update: (id) => q.client.updateTestCycle(Number(id), body).pipe(Effect.asVoid),
        lookup: findCycle(q, parent, body.name)
      })
      if (Option.isSome(written)) folderCycles.set(folder.folder_id, idOf(written.value))
    }
    const cycles = new Map<number, number>()
    yield* Stream.runForEach(
      q.load.store.records("TestCycle").pipe(
        Stream.mapEffect(
          (cycle) =>
            Effect.gen(function* () {
              const folderCycle = cycle.folder_id === null ? undefined : folderCycles.get(cycle.folder_id)
              if (cycle.folder_id !== null && folderCycle === undefined) return yield* q.load.skip("test-cycle", cycle.key, "its folder was not loaded")
              const parent: ExecutionParent = folderCycle === undefined ? ROOT : { parentId: folderCycle, parentType: "test-cycle" }
              const customFields = yield* q.load.store.where("CustomField", { object_type: "TestCycle", object_id: cycle.test_cycle_id })
              const targetReleaseId = releaseOfCycle.get(String(cycle.test_cycle_id))
              const body = yield* reportMapping(q, "TestCycle", testCycleBody(cycle, customFields, targetReleaseId ? { targetReleaseId } : {}))
              const written = yield* writeOrReject(q, {
                entity: "test-cycle",
                key: cycle.source_id,
                label: cycle.key,
                hash: targetHash(body, q.defaults),
                create: q.client.createTestCycle(body, parent).pipe(Effect.map((c) => String(c.id))),
                update: (id) => q.client.updateTestCycle(Number(id), body).pipe(Effect.asVoid),
                lookup: findCycle(q, parent, body.name)
              })
              if (Option.isSome(written)) cycles.set(cycle.test_cycle_id, idOf(written.value))
            }),
          { concurrency: q.ctx.concurrency, unordered: true }
        )
      ),
      () => Effect.void
    )
    return cycles
  })

/** Once, by the final pass, when executions link Jira issues: how they were carried, and why. */
const reportDefectMode = (q: QtestLoad) =>
  Effect.gen(function* () {
    const linked = yield* Stream.runCollect(
      q.load.store.records("Link").pipe(Stream.filter((l) => l.kind === "ISSUE" && l.object_type === "TestExecution"), Stream.take(1))
    )
    if (linked.length === 0) return
    const batch = q.config.automatedExecutions === "batch" ? "; logs sent through auto-test-logs (automatedExecutions: batch) are not linked: the queue makes them, under ids the load never learns" : ""
    yield* q.ctx.report.note(
      q.defects._tag === "link"
        ? { kind: "default", entity: "Link", message: `Jira issues linked to executions are linked to their test logs as defects: ${q.defects.why}${batch}` }
        : {
            kind: "warning",
            entity: "Link",
            message: `Jira issues linked to executions are kept as ids in the "${q.config.fields.defects}" field of their test runs, not linked: ${q.defects.why} (add one in qTest and run again to link them)`
          }
    )
  })

export const loadExecutions = (q: QtestLoad, cycles: ReadonlyMap<number, number>): Effect.Effect<void, SystemError | StoreError> =>
  Effect.gen(function* () {
    const ownProjects = yield* storeProjects(q)
    const steps = q.caseSteps
    const withoutCycle = yield* Effect.cached(
      Effect.gen(function* () {
        const body = executionsWithoutCycleBody(q.config.executionsWithoutCycle)
        const written = yield* writeOrReject(q, {
          entity: "test-cycle",
          key: "~executions-without-cycle",
          label: body.name,
          hash: targetHash(body, q.defaults),
          create: q.client.createTestCycle(body, ROOT).pipe(Effect.map((c) => String(c.id))),
          update: (id) => q.client.updateTestCycle(Number(id), body).pipe(Effect.asVoid),
          lookup: findCycle(q, ROOT, body.name)
        })
        return Option.map(written, idOf)
      })
    )
    const executionKeyField = q.vocab.field("test-runs", q.config.fields.executionKey)

    // `automatedExecutions: batch`: automated executions go through auto-test-logs (loadAutomation.ts)
    const batched = (e: TestExecution) => q.config.automatedExecutions === "batch" && e.automated
    const loadPair = (all: ReadonlyArray<TestExecution>) =>
      Effect.gen(function* () {
        const group = all.filter((e) => !batched(e))
        if (group.length === 0) return
        const first = group[0]!
        const label = `${first.test_case_key ?? first.test_case_id}${first.test_cycle_id === null ? "" : ` in cycle ${first.test_cycle_id}`}`
        const skipAll = (reason: string) => Effect.forEach(group, (e) => q.load.skip("test-log", executionLabel(e), reason), { discard: true })
        const testCase = (yield* q.load.store.where("TestCase", { test_case_id: first.test_case_id }))[0]
        if (!testCase) {
          const elsewhere = otherProject(first.test_case_key, ownProjects)
          return yield* skipAll(
            elsewhere === undefined
              ? "its test case is not in the store (quarantined or filtered)"
              : `it ran ${first.test_case_key} of project ${elsewhere}, and a qTest test run can run only a test case of its own project — the execution is kept in the store and the warehouse`
          )
        }
        const caseId = yield* mappedId(q, "test-case", testCase.source_id)
        if (caseId === undefined && !q.load.planning) return yield* skipAll(`its test case ${testCase.key} was not loaded into qTest`)
        const cycleId = first.test_cycle_id === null ? Option.getOrUndefined(yield* withoutCycle) : cycles.get(first.test_cycle_id)
        if (cycleId === undefined) return yield* skipAll("its test cycle was not loaded into qTest")
        const parent: ExecutionParent = { parentId: cycleId, parentType: "test-cycle" }
        // each execution's Jira issues: linked to its log, or (no Jira defect integration) listed on the run
        const issues = new Map<number, ReadonlyArray<Link>>()
        for (const e of group)
          issues.set(e.execution_id, (yield* q.load.store.where("Link", { object_type: "TestExecution", object_id: e.execution_id })).filter((l) => l.kind === "ISSUE"))
        const defects = q.defects._tag === "field" ? jiraIssueIds([...issues.values()].flat()) : undefined
        const runBody = completeProperties(
          yield* reportMapping(q, "TestExecution", testRunBody({ testCase, latest: latestExecution(group), defects }, q.vocab, { testCaseId: caseId ?? 0 })),
          q.managed.testRun,
          q.defaults
        )
        const run = yield* writeOrReject(q, {
          entity: "test-run",
          key: `${first.test_cycle_id ?? "-"}|${testCase.source_id}`,
          label,
          hash: targetHash(runBody, q.defaults),
          create: q.client.createTestRun(runBody, parent).pipe(Effect.map((r) => String(r.id))),
          update: (id) => q.client.updateTestRun(Number(id), runBody).pipe(Effect.asVoid),
          lookup: q.client.listTestRuns(parent).pipe(
            Stream.filter((r) => caseId !== undefined && r.test_case?.id !== undefined && Number(r.test_case.id) === caseId),
            Stream.runHead,
            Effect.map(Option.map((r) => String(r.id)))
          )
        })
        if (Option.isNone(run)) return yield* skipAll(`its test run (${label}) was not created`)
        const runId = idOf(run.value)
        const cycle = first.test_cycle_id === null ? null : ((yield* q.load.store.where("TestCycle", { test_cycle_id: first.test_cycle_id }))[0] ?? null)
        for (const execution of group) {
          const stepResults = yield* q.load.store.where("ExecutionStepResult", { execution_id: execution.execution_id })
          const customFields = yield* q.load.store.where("CustomField", { object_type: "TestExecution", object_id: execution.execution_id })
          const build = (against: LoggedSteps) => manualTestLogBody({ execution, stepResults, customFields, context: { cycle, testCase } }, q.vocab, { steps: against })
          const complete = (mapped: ReturnType<typeof build>) => (mapped.body === null ? null : completeProperties(mapped.body, q.managed.testLog, q.defaults))
          // An existing log is rebuilt against the steps it was created with (loggedSteps.ts), a new one against the
          // case's current steps.
          const previous = Option.getOrUndefined(yield* q.load.mapped("test-log", execution.source_id))
          let logged = previous === undefined ? undefined : decodeLoggedSteps(previous.memo)
          let learnt = false
          let mapped: ReturnType<typeof build>
          if (logged !== undefined) mapped = build(logged)
          else {
            // the case's steps are wanted only here, for a log not written before: a run with nothing new reads none
            if (caseId !== undefined) yield* steps.load(caseId)
            // planning a case not created yet: its steps are unknown, and so is how step results will match them
            const executed = caseId === undefined ? { steps: [], problems: [] } : executedSteps(caseId, steps.stepsOf)
            mapped = build(executed.steps)
            const body = complete(mapped)
            // a log an earlier version wrote without remembering its steps: when it would change, read which steps it has
            if (previous !== undefined && body !== null && !q.load.planning && targetHash(body, q.defaults) !== previous.hash) {
              const [logRun, logId] = previous.targetId.split("/").map(Number)
              const read = yield* q.client.getTestLog(logRun!, logId!).pipe(Effect.option)
              if (Option.isSome(read)) {
                logged = loggedStepsOf(read.value.test_step_logs ?? [])
                learnt = true
                mapped = build(logged)
              }
            }
            if (logged === undefined)
              for (const problem of executed.problems)
                yield* q.load.gap({ kind: "step", value: problem, object: executionLabel(execution), hint: "step logs for the unresolved steps are left out" })
          }
          const mappedBody = yield* reportMapping(q, "TestExecution", caseId === undefined ? { ...mapped, gaps: mapped.gaps.filter((g) => g.kind !== "step") } : mapped)
          if (mappedBody === null) {
            yield* q.load.skip("test-log", executionLabel(execution), "its status has no qTest counterpart (see the mapping gaps)")
            continue
          }
          const body = completeProperties(mappedBody, q.managed.testLog, q.defaults)
          const key = execution.key ?? String(execution.execution_id)
          const log = yield* writeOrReject(q, {
            entity: "test-log",
            key: execution.source_id,
            label: executionLabel(execution),
            hash: targetHash(body, q.defaults),
            // a new log remembers the steps it is recorded against; an existing one keeps (or now learns) its own
            memo: logged === undefined ? encodeLoggedSteps(loggedStepsOf(body.test_step_logs ?? [])) : learnt ? encodeLoggedSteps(logged) : undefined,
            create: q.client.createTestLog(runId, body).pipe(Effect.map((l) => `${runId}/${l.id}`)),
            update: (id) => q.client.updateTestLog(runId, Number(id.split("/")[1]), body).pipe(Effect.asVoid),
            // the recovery key: the execution key in the Zephyr Execution Key field of the log
            lookup: q.client.listTestLogs(runId).pipe(
              Stream.filter((l) => executionKeyField !== undefined && (l.properties ?? []).some((p) => Number(p.field_id) === executionKeyField.id && p.field_value === key)),
              Stream.runHead,
              Effect.map(Option.map((l) => `${runId}/${l.id}`))
            )
          })
          const linked = issues.get(execution.execution_id) ?? []
          if (q.defects._tag === "link" && Option.isSome(log) && linked.length > 0) yield* linkTestLogDefects(q, execution, log.value.targetId, linked)
        }
      })

    const pairOf = (e: TestExecution) => `${e.test_cycle_id ?? "-"}|${e.test_case_id}`
    // a pass after the first (following the extract) loads the pairs that have executions committed since
    const fresh = q.load.fresh === undefined ? undefined : new Set(Chunk.toReadonlyArray(yield* Stream.runCollect(q.load.fresh.records("TestExecution"))).map(pairOf))
    yield* q.load.store
      .records("TestExecution", { orderBy: ["test_cycle_id", "test_case_id", "actual_end_date", "execution_id"] })
      .pipe(
        Stream.filter((e) => fresh === undefined || fresh.has(pairOf(e))),
        Stream.groupAdjacentBy(pairOf),
        Stream.mapEffect(([, chunk]) => loadPair(Chunk.toReadonlyArray(chunk)), { concurrency: q.ctx.concurrency, unordered: true }),
        Stream.runDrain
      )
    yield* loadAutomationBatches(q, cycles, withoutCycle)
    if (q.load.final) yield* reportDefectMode(q)
    if (q.load.final && (yield* q.load.store.count("TestExecution")) > 0)
      yield* q.ctx.report.note({
        kind: "warning",
        entity: "TestExecution",
        message: `qTest records the API user as the executor of every migrated test log; the Zephyr executor is kept in the "${q.config.fields.executedBy}" field`
      })
  })
