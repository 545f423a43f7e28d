/**
 * A record's attachments, downloaded into the blob store — or, on an edition that refuses the files to an API
 * token, their names only, each named in the report. Whether the tenant has attachment endpoints at all is
 * learnt on the first list and kept for the source instance's life (`state`, made by the caller).
 */
import { Effect, Either, Ref } from "effect"
import type { Extracted } from "../../../core/index.ts"
import { AttachmentEntry } from "../api/index.ts"
import { mapAttachment } from "../mapping/index.ts"
import type { AttachmentOwner } from "../ZephyrClient.ts"
import { decodeOrQuarantine, isApiError } from "./failures.ts"
import type { SourceContext } from "./SourceContext.ts"

export type AttachmentsState = "unknown" | "available" | "absent"

export const attachments = ({ client, config, ctx }: SourceContext, attachmentsState: Ref.Ref<AttachmentsState>) => {
  const edition = config.edition
  const downloadOne = (owner: AttachmentOwner, relatedType: "TestCase" | "TestExecution", relatedId: number, entry: AttachmentEntry) =>
    edition.attachmentFiles ? downloaded(owner, relatedType, relatedId, entry) : nameOnly(owner, relatedType, relatedId, entry)

  const nameOnly = (owner: AttachmentOwner, relatedType: "TestCase" | "TestExecution", relatedId: number, entry: AttachmentEntry) =>
    Effect.as(
      ctx.report.note({
        kind: "skip",
        entity: "Attachment",
        sourceId: String(entry.id),
        // one line for all of them, counted: the store lists every one (Attachment rows without sha256)
        message: `${edition.product} gives an API token an attachment's name but not its file: these records carry the name only (the store lists them all: Attachment rows without sha256), and a target that needs the file skips them`
      }),
      mapAttachment({ relatedType, relatedId, entry, url: client.attachmentUrl(owner, entry.id), contentType: null, blob: null })
    )

  const downloaded = (owner: AttachmentOwner, relatedType: "TestCase" | "TestExecution", relatedId: number, entry: AttachmentEntry) =>
    Effect.scoped(
      Effect.gen(function* () {
        const response = yield* client.downloadAttachment(owner, entry.id)
        const blob = yield* ctx.blobs.put(response.stream)
        return mapAttachment({ relatedType, relatedId, entry, url: client.attachmentUrl(owner, entry.id), contentType: response.contentType ?? null, blob })
      })
    )

  /**
   * The owner's attachments, downloaded into the blob store; nothing when the tenant has no such endpoints.
   * `complete` says whether the list was actually read — only then may the child set name attachments.
   */
  const attachmentsOf = (owner: AttachmentOwner, relatedType: "TestCase" | "TestExecution", relatedId: number) =>
    Effect.gen(function* () {
      const none = { items: [] as Array<Extracted>, complete: false }
      if (!config.attachments || (yield* Ref.get(attachmentsState)) === "absent") return none
      const listed = yield* Effect.either(client.listAttachments(owner))
      if (Either.isLeft(listed)) {
        const e = listed.left
        const missing = isApiError(e) && (e.reason === "NotFound" || e.status === 503)
        if (!missing) return yield* Effect.fail(e)
        const before = yield* Ref.getAndUpdate(attachmentsState, (s) => (s === "available" ? s : "absent"))
        if (before === "unknown")
          yield* ctx.report.note({
            kind: "skip",
            entity: "Attachment",
            message: "this Zephyr tenant has no attachment endpoints (404): attachments not extracted"
          })
        else if (before === "available")
          // The endpoints exist but this owner vanished between listing and now: skip its attachments only.
          yield* ctx.report.note({ kind: "skip", entity: "Attachment", sourceId: `${relatedType}/${relatedId}`, message: `attachment list answered ${e.status ?? 404}: attachments of this record skipped` })
        return none
      }
      yield* Ref.set(attachmentsState, "available")
      const items: Array<Extracted> = []
      for (const raw of listed.right) {
        const decoded = decodeOrQuarantine(AttachmentEntry, "Attachment")(raw)
        if (Either.isLeft(decoded)) items.push(decoded.left)
        else items.push(yield* downloadOne(owner, relatedType, relatedId, decoded.right))
      }
      return { items, complete: true }
    })

  return attachmentsOf
}
