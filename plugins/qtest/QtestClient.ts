/**
 * The qTest Manager REST v3 client: one named operation per thing the sink does, over `ctx.http(...).send`
 * (which brings core's rate limiter, timeouts, request counting and retry policy). Every call is scoped to the
 * configured project, every answer is decoded where it enters (a bad body is ApiError Decode naming the URL),
 * and paged lists are Streams through two combinators — one per paging style qTest uses (docs/vendors/qtest.md §2.2):
 * bare arrays with no total, and `{page, page_size, total, items}` envelopes.
 *
 * Retries are core's: GET/PUT on every transient failure, POST only on 429. A create that timed out is not
 * resent here; the sink's exactly-once protocol looks it up first. POSTs that only read or link (search,
 * requirement link, login) are idempotent and ask for the transient policy explicitly.
 *
 * Each operation is written once, in the file of its resource area under `client/` — an area is a function
 * `(send: Send) => ({ ...operations })` over the request kit of `client/send.ts` — and the client is their
 * composition: its type is inferred from it, so adding an operation to an area adds it to the client.
 */
import { Context, Layer } from "effect"
import type { PluginContext } from "../../core/index.ts"
import { attachments } from "./client/attachments.ts"
import { defects } from "./client/defects.ts"
import { fields } from "./client/fields.ts"
import { modules } from "./client/modules.ts"
import { projects } from "./client/projects.ts"
import { requirements } from "./client/requirements.ts"
import { releases } from "./client/releases.ts"
import { search } from "./client/search.ts"
import { makeSend, type QtestClientConfig } from "./client/send.ts"
import { testCases } from "./client/testCases.ts"
import { testCycles } from "./client/testCycles.ts"
import { testLogs } from "./client/testLogs.ts"
import { testRuns } from "./client/testRuns.ts"

export { fileNameHeader, type AttachmentObjectType, type UploadFile } from "./client/attachments.ts"
export { allowedValuesPerCall, type FieldObjectType } from "./client/fields.ts"
export { defaultPageSizes, morePagedItems, type QtestClientConfig, type Send } from "./client/send.ts"
export type { ExecutionParent } from "./client/testCycles.ts"
export { QueueJobFailed, type PollOptions } from "./client/testLogs.ts"

export const makeQtestClient = (config: QtestClientConfig, ctx: PluginContext) => {
  const send = makeSend(config, ctx)
  return {
    baseUrl: send.baseUrl,
    projectId: send.projectId,
    ...projects(send),
    ...fields(send),
    ...modules(send),
    ...testCases(send),
    ...search(send),
    ...releases(send),
    ...testCycles(send),
    ...testRuns(send),
    ...testLogs(send),
    ...attachments(send),
    ...defects(send),
    ...requirements(send)
  }
}

/** The client's operations, as the areas declare them. */
export type QtestClientShape = Readonly<ReturnType<typeof makeQtestClient>>

/** The client as a service: `make` and `layer` side by side, the same live layer in tests (pointed at the sandbox). */
export class QtestClient extends Context.Tag("migrate/qtest/QtestClient")<QtestClient, QtestClientShape>() {
  static readonly make = makeQtestClient
  static readonly layer = (config: QtestClientConfig, ctx: PluginContext): Layer.Layer<QtestClient> => Layer.succeed(QtestClient, makeQtestClient(config, ctx))
}
