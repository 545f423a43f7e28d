/**
 * `attachmentBytes: true`: an attachment record with its contents, base64, in `attachment_blob` (the store keeps
 * bytes in the blob store, by SHA-256, and `attachment_blob` null). A file above `maxAttachmentBytes`, or one the
 * blob store does not hold (its download failed), keeps a null blob and is reported as skipped bytes; the
 * metadata row loads either way.
 */
import { Chunk, Effect, Stream } from "effect"
import type { TableLoadEnv } from "./TableLoadEnv.ts"

type Rec = Readonly<Record<string, unknown>>

export const ATTACHMENT_BYTES = "Attachment bytes"

export const attachmentBase64 = (env: TableLoadEnv, record: Rec) =>
  Effect.gen(function* () {
    const label = String(record["attachment_name"] ?? record["source_id"])
    const sha256 = record["sha256"]
    const size = Number(record["size_bytes"] ?? 0)
    if (typeof sha256 !== "string") return record
    if (size > env.config.maxAttachmentBytes) {
      yield* env.load.skip(ATTACHMENT_BYTES, label, `${size} bytes, above maxAttachmentBytes (${env.config.maxAttachmentBytes}): ATTACHMENT_BLOB left null`)
      return record
    }
    if (!(yield* env.plugin.blobs.has(sha256))) {
      yield* env.load.skip(ATTACHMENT_BYTES, label, "not in the blob store (its download failed at extraction): ATTACHMENT_BLOB left null")
      return record
    }
    const chunks = yield* Stream.runCollect(env.plugin.blobs.get(sha256))
    const bytes = Buffer.concat(Chunk.toReadonlyArray(chunks).map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)))
    return { ...record, attachment_blob: bytes.toString("base64") }
  })
