/**
 * An attachment → canonical Attachment. A downloaded one's bytes are already in the blob store
 * (content-addressed): the record holds where (`blob_path`), the hash and size, the API download URL, and never
 * the bytes (`attachment_blob` stays null). One whose file the edition refuses to an API token (`blob` null) keeps
 * its name and URL, with no hash, size or path: a later run that can download it fills them in. Zephyr gives no
 * upload time: created_at is null (core fills it). The content type is the download's `Content-Type`,
 * `application/octet-stream` when the server sends none (or nothing was downloaded).
 */
import { record, type CanonicalRecord, type StoredBlob } from "../../../core/index.ts"
import { provenance } from "./provenance.ts"

export interface AttachmentSource {
  readonly relatedType: "TestCase" | "TestExecution" | "TestStep"
  readonly relatedId: number
  /** The attachment's id and file name, as the edition lists it. */
  readonly entry: { readonly id: number; readonly name: string }
  readonly url: string
  readonly contentType: string | null
  readonly blob: StoredBlob | null
}

export const mapAttachment = (a: AttachmentSource): CanonicalRecord =>
  record("Attachment", {
    ...provenance(String(a.entry.id), null),
    attachment_id: a.entry.id,
    related_type: a.relatedType,
    related_id: a.relatedId,
    attachment_name: a.entry.name,
    attachment_blob: null,
    attachment_url: a.url,
    created_at: null,
    content_type: a.contentType ?? "application/octet-stream",
    size_bytes: a.blob?.size ?? null,
    sha256: a.blob?.sha256 ?? null,
    blob_path: a.blob?.path ?? null
  })
