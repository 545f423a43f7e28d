/** Attachments: streamed uploads to `blob-handles` and the list of an object's attachments. */
import { Effect, Schema, Stream } from "effect"
import { Attachment, arrayOf } from "../api/index.ts"
import { withMessage, type Send } from "./send.ts"

/** Object types that take attachments (`…/{objectType}/{objectId}/blob-handles`). */
export type AttachmentObjectType = "releases" | "builds" | "requirements" | "test-cases" | "test-logs" | "test-steps" | "test-step-logs" | "defects"

/** A file to upload: the body is made anew for every attempt, so a retried upload re-reads its source. */
export interface UploadFile {
  readonly name: string
  readonly contentType: string
  readonly contentLength?: number | undefined
  readonly make: () => Stream.Stream<Uint8Array, unknown>
}

/**
 * Header values must be Latin-1 for fetch: a name outside printable ASCII is sent percent-encoded rather than
 * failing the upload before it leaves the process [inferred: qTest documents no encoding for File-Name].
 */
export const fileNameHeader = (name: string): string => (/^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name))

export const attachments = ({ project, call, get }: Send) => ({
  /** Streams the file to `blob-handles`; too large is ApiError BadRequest with status 413. */
  uploadAttachment: Effect.fn("QtestClient.uploadAttachment")(function* (objectType: AttachmentObjectType, objectId: number, file: UploadFile) {
    return yield* call(Attachment, "POST", `${project}/${objectType}/${objectId}/blob-handles`, {
      headers: { "File-Name": fileNameHeader(file.name), "Content-Type": file.contentType },
      body: { _tag: "stream", make: file.make, contentType: file.contentType, contentLength: file.contentLength }
    }).pipe(
      Effect.mapError((e) =>
        e.status === 413
          ? withMessage(e, `${file.name}${file.contentLength === undefined ? "" : ` (${file.contentLength} bytes)`} is larger than qTest accepts (413): ${e.message}`)
          : e
      )
    )
  }),

  listAttachments: Effect.fn("QtestClient.listAttachments")(function* (objectType: AttachmentObjectType, objectId: number) {
    return yield* get(arrayOf(Attachment), `${project}/${objectType}/${objectId}/attachments`)
  })
})
