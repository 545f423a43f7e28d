/**
 * The attachments of a DC test case, of its steps and of a test result, downloaded into the blob store from their
 * `url` (Jira's attachment servlet) with the same credentials. A list that answers 404 (the record vanished
 * mid-run) is not complete: the child set then leaves the stored attachments alone. DC also attaches files to runs,
 * plans and step results; the canonical schema has no place for those (Cloud has none), so they are not read.
 */
import { Effect, Either } from "effect"
import type { Extracted, PluginContext, StoreError } from "../../../core/index.ts"
import { mapAttachment } from "../mapping/index.ts"
import { decodeOrQuarantine, isApiError } from "../source/failures.ts"
import { DcAttachment } from "./api.ts"
import type { DcClient, DcClientError } from "./DcClient.ts"

export interface DcAttachments {
  readonly items: ReadonlyArray<Extracted>
  readonly complete: boolean
}

export const dcAttachments = (client: DcClient, ctx: PluginContext, enabled: boolean) => {
  const one = (relatedType: "TestCase" | "TestExecution" | "TestStep", relatedId: number, a: DcAttachment) =>
    Effect.scoped(
      Effect.gen(function* () {
        const response = yield* client.download(a.url)
        const blob = yield* ctx.blobs.put(response.stream)
        return mapAttachment({ relatedType, relatedId, entry: { id: a.id, name: a.filename }, url: a.url, contentType: response.contentType ?? null, blob })
      })
    )

  return (relatedType: "TestCase" | "TestExecution" | "TestStep", relatedId: number, list: Effect.Effect<ReadonlyArray<unknown>, DcClientError>): Effect.Effect<DcAttachments, DcClientError | StoreError> =>
    Effect.gen(function* () {
      if (!enabled) return { items: [], complete: false }
      const listed = yield* Effect.either(list)
      if (Either.isLeft(listed)) {
        if (isApiError(listed.left) && listed.left.reason === "NotFound") return { items: [], complete: false }
        return yield* Effect.fail(listed.left)
      }
      const items: Array<Extracted> = []
      for (const raw of listed.right) {
        const decoded = decodeOrQuarantine(DcAttachment, "Attachment")(raw)
        items.push(Either.isLeft(decoded) ? decoded.left : yield* one(relatedType, relatedId, decoded.right))
      }
      return { items, complete: true }
    })
}
