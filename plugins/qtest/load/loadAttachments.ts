/**
 * Attachments → blob handles on the object they belong to: a test case's on the test case, an execution's on
 * its test log, a step's on the qTest test step at the same position. Bytes stream from the blob store to qTest
 * (never whole in memory; made anew if the upload is retried). A file qTest refuses as too large (413), or one
 * whose bytes are gone from the blob store, is quarantined and reported; the others go on.
 */
import { Effect, Option, Stream } from "effect"
import { RecordRejected, type StoreError, type SystemError } from "../../../core/index.ts"
import { writtenHash } from "../mapping/index.ts"
import type { AttachmentObjectType } from "../QtestClient.ts"
import { mappedId, type QtestLoad, writeOrReject } from "./QtestLoad.ts"
import { toSystemError } from "./toLoadError.ts"

type Target = { readonly objectType: AttachmentObjectType; readonly objectId: number } | { readonly skip: string }

export const loadAttachments = (q: QtestLoad): Effect.Effect<void, SystemError | StoreError> =>
  Effect.gen(function* () {
    if (!q.config.attachments) {
      const n = yield* q.load.store.count("Attachment")
      if (n > 0) yield* q.ctx.report.note({ kind: "skip", entity: "Attachment", message: `${n} attachments not migrated: attachments: false in the qtest section` })
      return
    }
    const target = (a: { related_type: string; related_id: number }): Effect.Effect<Target, SystemError | StoreError> =>
      Effect.gen(function* () {
        if (a.related_type === "TestCase") {
          const tc = (yield* q.load.store.where("TestCase", { test_case_id: a.related_id }))[0]
          const id = tc ? yield* mappedId(q, "test-case", tc.source_id) : undefined
          if (id === undefined && tc !== undefined && q.load.planning) return { objectType: "test-cases" as const, objectId: 0 } // created earlier in the same (planned) run
          // the skip names the record it waits for, so the report leads to the refusal or quarantine behind it
          return id === undefined ? { skip: `its test case ${tc?.key ?? a.related_id} was not loaded into qTest` } : { objectType: "test-cases" as const, objectId: id }
        }
        if (a.related_type === "TestExecution") {
          const e = (yield* q.load.store.where("TestExecution", { execution_id: a.related_id }))[0]
          const id = e ? yield* mappedId(q, "test-log", e.source_id) : undefined
          if (id === undefined && e !== undefined && q.load.planning) return { objectType: "test-logs" as const, objectId: 0 }
          return id === undefined ? { skip: `its execution ${e?.key ?? a.related_id} was not loaded into qTest` } : { objectType: "test-logs" as const, objectId: id }
        }
        const step = (yield* q.load.store.where("TestStep", { step_id: a.related_id }))[0]
        const tc = step ? (yield* q.load.store.where("TestCase", { test_case_id: step.test_case_id }))[0] : undefined
        const caseId = tc ? yield* mappedId(q, "test-case", tc.source_id) : undefined
        // a run knows a created case's steps from qTest's answer to the create (caseSteps.ts): no read to plan
        if (step !== undefined && tc !== undefined && caseId === undefined && q.load.planning) return { objectType: "test-steps" as const, objectId: 0 }
        if (step === undefined || caseId === undefined) return { skip: `its test step's case${tc === undefined ? "" : ` ${tc.key}`} was not loaded into qTest` }
        const siblings = (yield* q.load.store.where("TestStep", { test_case_id: step.test_case_id })).slice().sort((x, y) => x.step_order - y.step_order)
        const position = siblings.findIndex((s) => s.step_id === step.step_id)
        // the case's steps are known from its write in this run, else read once for all its step attachments
        yield* q.caseSteps.load(caseId)
        const qStep = (q.caseSteps.stepsOf(caseId) ?? [])[position]
        return qStep === undefined ? { skip: "its test step is not in the migrated case" } : { objectType: "test-steps" as const, objectId: Number(qStep.id) }
      })

    yield* q.load.store.records("Attachment").pipe(
      Stream.mapEffect(
        (a) =>
          Effect.gen(function* () {
            // The canonical contract lets an attachment come without its file (a source that refuses the bytes to
            // an API token): qTest takes no attachment without bytes, so it is skipped with why, and a later run
            // that has the bytes uploads it.
            const sha256 = a.sha256
            if (sha256 === null) return yield* q.load.skip("attachment", a.attachment_name, "the source gave only its name, not its file, so there is nothing to upload")
            const to = yield* target(a)
            if ("skip" in to) return yield* q.load.skip("attachment", a.attachment_name, to.skip)
            const meta = { name: a.attachment_name, contentType: a.content_type, sha256, objectType: to.objectType, objectId: to.objectId }
            const lookup = q.client.listAttachments(to.objectType, to.objectId).pipe(
              Effect.map((list) => Option.fromNullable(list.find((x) => x.name === a.attachment_name)).pipe(Option.map((x) => `${to.objectType}/${to.objectId}/${x.id}`)))
            )
            // a project that holds objects the state did not know may hold their files too: found, they are adopted
            // (then written like any mapped object: unchanged)
            if (q.adopting && to.objectId !== 0 && Option.isNone(yield* q.load.mapped("attachment", a.source_id))) {
              const found = yield* lookup.pipe(Effect.mapError(toSystemError))
              if (Option.isSome(found)) yield* q.load.adopt({ entity: "attachment", key: a.source_id, targetId: found.value, hash: writtenHash(meta) })
            }
            const label = `${a.attachment_name} (${a.related_type} ${a.related_id})`
            // Only a create sends bytes: an attachment qTest already has needs none. Planning extracts without keeping
            // bytes (a dry run writes no blob), so their absence proves nothing then. A blob that is gone (deleted, or
            // the state file copied without blobs/) cannot be fetched from here — the source is not at hand in a load
            // — so the attachment is refused with what to do, the others go on, and the next run loads it.
            if (!q.load.planning && !(yield* q.ctx.blobs.has(sha256)) && Option.isNone(yield* q.load.mapped("attachment", a.source_id)))
              return yield* q.load.reject(
                new RecordRejected({
                  sink: "qtest",
                  entity: "attachment",
                  key: a.source_id,
                  label,
                  reason: "Invalid",
                  message: `its file blobs/${sha256} is missing from the blob store beside the state file: run \`migrate run --full\`, which downloads every attachment again and then uploads this one`
                })
              )
            yield* writeOrReject(q, {
              entity: "attachment",
              key: a.source_id,
              label,
              hash: writtenHash(meta),
              create: q.client
                .uploadAttachment(to.objectType, to.objectId, { name: a.attachment_name, contentType: a.content_type, contentLength: a.size_bytes ?? undefined, make: () => q.ctx.blobs.get(sha256) })
                .pipe(Effect.map((att) => `${to.objectType}/${to.objectId}/${att.id}`)),
              lookup
            })
          }),
        { concurrency: Math.min(4, q.ctx.concurrency), unordered: true }
      ),
      Stream.runDrain
    )
  })
