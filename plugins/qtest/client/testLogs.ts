/** Test logs: manual logs one by one, automation logs as a queued batch job (auto-test-logs). */
import { Data, Duration, Effect, Stream } from "effect"
import { ApiError } from "../../../core/index.ts"
import { isTerminalState, QueueProcessingResponse, TestLog } from "../api/index.ts"
import type { AutomationRequestBody, ManualTestLogBody } from "../api/index.ts"
import { defaultPageSizes, json, urlOf, type Send } from "./send.ts"

export interface PollOptions {
  /** Between two polls; default 1 s (Tricentis' own tools use 2–3 s). */
  readonly interval?: Duration.DurationInput | undefined
  /** Give up (ApiError Timeout) when the job is still not finished after this long; default 1 h, as the Jenkins plugin. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** A batch job qTest finished as FAILED; `content` is the server's error text (a JSON string, shape undocumented). */
export class QueueJobFailed extends Data.TaggedError("QueueJobFailed")<{
  readonly system: string
  readonly jobId: number
  readonly content: string
  readonly message: string
}> {}

export const testLogs = ({ baseUrl, system, project, call, get, pagedItems }: Send) => {
  const getQueueJob = Effect.fn("QtestClient.getQueueJob")(function* (jobId: number) {
    // the one path without the project: jobs are site-wide
    return yield* get(QueueProcessingResponse, `/api/v3/projects/queue-processing/${jobId}`)
  })

  return {
    listTestLogs: (testRunId: number, options: { readonly pageSize?: number | undefined } = {}): Stream.Stream<TestLog, ApiError> =>
      pagedItems(TestLog, "GET", `${project}/test-runs/${testRunId}/test-logs`, {}, options.pageSize ?? defaultPageSizes.testLogs).pipe(
        Stream.withSpan("QtestClient.listTestLogs")
      ),

    getTestLog: Effect.fn("QtestClient.getTestLog")(function* (testRunId: number, testLogId: number) {
      return yield* get(TestLog, `${project}/test-runs/${testRunId}/test-logs/${testLogId}`)
    }),

    createTestLog: Effect.fn("QtestClient.createTestLog")(function* (testRunId: number, body: ManualTestLogBody) {
      return yield* call(TestLog, "POST", `${project}/test-runs/${testRunId}/test-logs`, { body: json(body) })
    }),

    /** Only the API user's own logs (project admins: any); step order and read-only fields cannot change. */
    updateTestLog: Effect.fn("QtestClient.updateTestLog")(function* (testRunId: number, testLogId: number, body: ManualTestLogBody) {
      return yield* call(TestLog, "PUT", `${project}/test-runs/${testRunId}/test-logs/${testLogId}`, { body: json(body) })
    }),

    /** `POST …/auto-test-logs?type=automation`: answers the queued job, not the created objects. */
    submitAutomationLogs: Effect.fn("QtestClient.submitAutomationLogs")(function* (body: AutomationRequestBody) {
      return yield* call(QueueProcessingResponse, "POST", `${project}/auto-test-logs`, { query: { type: "automation" }, body: json(body) })
    }),

    getQueueJob,

    /** Polls until SUCCESS (answered) or FAILED (QueueJobFailed with the server's `content`). */
    pollQueue: Effect.fn("QtestClient.pollQueue")(function* (jobId: number, options: PollOptions = {}) {
      const interval = Duration.decode(options.interval ?? Duration.seconds(1))
      const timeout = Duration.decode(options.timeout ?? Duration.hours(1))
      // counted in polls, not wall time, so a test with TestClock and a slow server behave alike
      const maxPolls = Math.max(1, Math.ceil(Duration.toMillis(timeout) / Math.max(1, Duration.toMillis(interval))))
      let job = yield* getQueueJob(jobId)
      for (let polls = 1; !isTerminalState(job.state); polls++) {
        if (polls >= maxPolls)
          return yield* new ApiError({
            system,
            reason: "Timeout",
            method: "GET",
            url: urlOf(baseUrl, `/api/v3/projects/queue-processing/${jobId}`),
            message: `qTest job ${jobId} is still ${job.state} after ${Duration.format(timeout)}: the results may yet appear; re-query before resubmitting`
          })
        yield* Effect.sleep(interval)
        job = yield* getQueueJob(jobId)
      }
      if (job.state === "FAILED") {
        const content = job.content ?? ""
        return yield* new QueueJobFailed({ system, jobId, content, message: `qTest job ${jobId} FAILED: ${content || "(no content)"}` })
      }
      return job
    })
  }
}
