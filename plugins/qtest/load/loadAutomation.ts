/**
 * `automatedExecutions: batch`: automated Zephyr executions through qTest's bulk path, `POST …/auto-test-logs`
 * (batch with tree) polled through `queue-processing` until SUCCESS. It makes one request per `batchSize` logs
 * instead of one per log (plus its run), but qTest files the logs under *automation* test cases it creates
 * itself (keyed by automation content "zephyr:<case key>"), not under the migrated manual cases — the README says
 * when that is what a team wants.
 *
 * Exactly once: executions already in the id map (entity "auto-test-log") are left out before batches are
 * formed, so a batch's members are only unwritten executions; a batch is one write (entity "auto-batch", keyed by
 * its members) whose look-up, after a crash, searches the logs by execution key. After the job succeeds, each
 * member is recorded in the id map.
 */
import { Effect, Option, Stream } from "effect"
import { ApiError, type StoreError, type SystemError } from "../../../core/index.ts"
import { automationRequests, automationTestLogBody, automationTestLogWritten, executionLabel, writtenHash, type AutomationTestLogInput } from "../mapping/index.ts"
import type { AutomationTestLogBody } from "../api/requests.ts"
import { type QtestLoad, reportMapping, writeOrReject } from "./QtestLoad.ts"

const END = Symbol("end of executions")

interface Batch {
  readonly cycleId: number
  readonly items: Array<Pending>
}

interface Pending {
  readonly key: string
  readonly sourceId: string
  readonly body: AutomationTestLogBody
  readonly hash: string
}

export const loadAutomationBatches = (q: QtestLoad, cycles: ReadonlyMap<number, number>, withoutCycle: Effect.Effect<Option.Option<number>, SystemError | StoreError>) =>
  Effect.gen(function* () {
    if (q.config.automatedExecutions !== "batch") return
    const logFound = (key: string) =>
      q.client.search("test-logs", `'${q.config.fields.executionKey}' = '${key}'`).pipe(Stream.runHead)

    const flush = (cycleId: number, members: ReadonlyArray<Pending>) =>
      Effect.forEach(
        automationRequests(String(cycleId), members.map((m) => m.body), q.config.batchSize).map((request, i) => ({ request, part: members.slice(i * q.config.batchSize, (i + 1) * q.config.batchSize) })),
        ({ request, part }) =>
          Effect.gen(function* () {
            const batchKey = writtenHash(part.map((m) => m.sourceId))
            const submitted = yield* writeOrReject(q, {
              entity: "auto-batch",
              key: batchKey,
              label: `${part.length} automated executions (${part[0]!.key} … ${part[part.length - 1]!.key})`,
              hash: writtenHash(part.map((m) => m.hash)),
              // the submission and at least one poll of its job
              requests: 2,
              create: q.client.submitAutomationLogs(request).pipe(
                Effect.flatMap((job) => q.client.pollQueue(Number(job.id))),
                Effect.map((job) => `job/${job.id}`),
                Effect.catchTag("QueueJobFailed", (f) =>
                  Effect.fail(new ApiError({ system: "qtest", reason: "BadRequest", method: "POST", url: "auto-test-logs", status: 400, message: `the auto-test-logs job ${f.jobId} failed: ${f.content}` }))
                )
              ),
              // after a crash: the job ran if its first and last logs exist
              lookup: Effect.zipWith(logFound(part[0]!.key), logFound(part[part.length - 1]!.key), (a, b) =>
                Option.isSome(a) && Option.isSome(b) ? Option.some("job/recovered") : Option.none()
              )
            })
            if (Option.isNone(submitted)) return
            for (const m of part)
              yield* writeOrReject(q, {
                entity: "auto-test-log",
                key: m.sourceId,
                label: m.key,
                hash: m.hash,
                // recorded, not sent: its batch sent it
                requests: 0,
                create: Effect.succeed(`${submitted.value.targetId}/${m.key}`),
                lookup: Effect.succeed(Option.none())
              })
          }),
        { discard: true }
      )

    yield* q.load.store
      .records("TestExecution", { orderBy: ["test_cycle_id", "test_case_id", "actual_end_date", "execution_id"] })
      .pipe(
        Stream.filter((e) => e.automated),
        Stream.mapEffect((execution) =>
          Effect.gen(function* () {
            const testCase = (yield* q.load.store.where("TestCase", { test_case_id: execution.test_case_id }))[0]
            if (!testCase) {
              yield* q.load.skip("auto-test-log", executionLabel(execution), "its test case is not in the store")
              return undefined
            }
            const folder = testCase.folder_id === null ? undefined : (yield* q.load.store.where("Folder", { folder_id: testCase.folder_id }))[0]
            const cycle = execution.test_cycle_id === null ? null : ((yield* q.load.store.where("TestCycle", { test_cycle_id: execution.test_cycle_id }))[0] ?? null)
            const input: AutomationTestLogInput = {
              execution,
              context: { cycle, testCase },
              testCase,
              folderPath: folder?.path ?? null,
              stepResults: yield* q.load.store.where("ExecutionStepResult", { execution_id: execution.execution_id }),
              customFields: yield* q.load.store.where("CustomField", { object_type: "TestExecution", object_id: execution.execution_id })
            }
            const body = yield* reportMapping(q, "TestExecution", automationTestLogBody(input, q.vocab))
            if (body === null) {
              yield* q.load.skip("auto-test-log", executionLabel(execution), "its status has no qTest counterpart (see the mapping gaps)")
              return undefined
            }
            const hash = writtenHash(automationTestLogWritten(body))
            const mapped = yield* q.load.mapped("auto-test-log", execution.source_id)
            if (Option.isSome(mapped)) {
              if (mapped.value.hash !== hash)
                yield* q.ctx.report.note({ kind: "warning", entity: "TestExecution", sourceId: executionLabel(execution), message: "changed at the source after its batch upload; auto-test-logs cannot update a log, so qTest keeps the first version" })
              yield* writeOrReject(q, { entity: "auto-test-log", key: execution.source_id, label: executionLabel(execution), hash: mapped.value.hash, create: Effect.succeed(mapped.value.targetId), lookup: Effect.succeed(Option.none()) })
              return undefined
            }
            const cycleId = execution.test_cycle_id === null ? Option.getOrUndefined(yield* withoutCycle) : cycles.get(execution.test_cycle_id)
            if (cycleId === undefined) {
              yield* q.load.skip("auto-test-log", executionLabel(execution), "its test cycle was not loaded into qTest")
              return undefined
            }
            return { cycleId, pending: { key: execution.key ?? String(execution.execution_id), sourceId: execution.source_id, body, hash } }
          })
        ),
        Stream.filter((x): x is { cycleId: number; pending: Pending } => x !== undefined),
        // batches of at most batchSize logs of one cycle, formed as executions stream by: never a whole cycle in memory
        Stream.concat(Stream.make(END)),
        Stream.mapAccum({ cycleId: -1, items: [] as Array<Pending> }, (acc, x): readonly [Batch, ReadonlyArray<Batch>] => {
          const full = acc.items.length >= q.config.batchSize
          if (x === END || x.cycleId !== acc.cycleId || full) {
            const out: ReadonlyArray<Batch> = acc.items.length > 0 ? [acc] : []
            return [x === END ? { cycleId: -1, items: [] } : { cycleId: x.cycleId, items: [x.pending] }, out]
          }
          acc.items.push(x.pending)
          return [acc, []]
        }),
        Stream.flatMap((out) => Stream.fromIterable(out)),
        Stream.mapEffect((batch) => flush(batch.cycleId, batch.items)),
        Stream.runDrain
      )
  })
