/**
 * Attachments: inline ones (`attachments: [{name, content_type, data: <base64>}]` in test case, test step, test
 * log and step log bodies — S1, docs/vendors/qtest.md §4.9) and the stored form both they and blob-handle uploads end
 * up in. Above the configured size (SaaS: 50 MB per attachment, §3.2) the request is refused with 413 and
 * nothing of it is kept.
 */
import { Buffer } from "node:buffer"
import { isObject } from "./Body.ts"
import type { Attachment, AttachmentObjectType } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { fail } from "./Reply.ts"

export interface NewAttachment {
  readonly name: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

export const tooLarge = (name: string, size: number, max: number): never =>
  fail(413, `The attachment '${name}' is too large: ${size} bytes, the maximum is ${max} bytes`)

/** The `attachments` of a body, decoded; 400 for a malformed entry, 413 for one above `maxBytes`. */
export const parseInlineAttachments = (input: unknown, maxBytes: number, where: string): Array<NewAttachment> => {
  if (input === undefined || input === null) return []
  if (!Array.isArray(input)) return fail(400, `'attachments' of ${where} must be an array`)
  return input.map((item, i) => {
    if (!isObject(item)) return fail(400, `Attachment ${i + 1} of ${where} must be an object`)
    const name = item.name
    const contentType = item.content_type
    const data = item.data
    if (typeof name !== "string" || name.trim() === "") return fail(400, `Attachment ${i + 1} of ${where}: 'name' is required`)
    if (typeof contentType !== "string" || contentType.trim() === "") return fail(400, `Attachment '${name}' of ${where}: 'content_type' is required`)
    if (typeof data !== "string") return fail(400, `Attachment '${name}' of ${where}: 'data' (base64) is required`)
    const compact = data.replace(/\s+/g, "")
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) return fail(400, `Attachment '${name}' of ${where}: 'data' is not valid base64`)
    // The decoded size is known from the text length: refuse before allocating the bytes.
    const size = (compact.length / 4) * 3 - (compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0)
    if (size > maxBytes) return tooLarge(name, size, maxBytes)
    return { name, contentType, bytes: new Uint8Array(Buffer.from(compact, "base64")) }
  })
}

export const storeAttachment = (
  state: ProjectState,
  objectType: AttachmentObjectType,
  objectId: number,
  a: NewAttachment,
  authorId: number
): Attachment => {
  const id = state.ids.next()
  return state.attachments.set(id, { id, objectType, objectId, name: a.name, contentType: a.contentType, bytes: a.bytes, authorId, createdDate: state.now() })
}

/** Whether an attachment owner exists (blob-handles and attachment lists answer 404 otherwise). */
export const ownerExists = (state: ProjectState, objectType: AttachmentObjectType, objectId: number): boolean => {
  switch (objectType) {
    case "test-cases":
      return state.testCases.has(objectId)
    case "requirements":
      return state.requirements.has(objectId)
    case "releases":
      return state.releases.has(objectId)
    case "test-logs":
      return state.testLogs.has(objectId)
    case "test-steps":
      return state.caseVersions.find((v) => v.steps.some((s) => s.id === objectId)) !== undefined
    case "test-step-logs":
      return state.testLogs.find((l) => l.stepLogs.some((s) => s.id === objectId)) !== undefined
    case "builds":
    case "defects":
      // The sandbox has no builds or defects.
      return false
  }
}
