/**
 * Attachments (docs/vendors/qtest.md §4.9): upload raw bytes to `POST …/{objectType}/{objectId}/blob-handles` with
 * the `File-Name` and `Content-Type` headers (201 `AttachmentResource`; the transport has already refused a body
 * above the size limit with 413, by Content-Length and while streaming), list an object's attachments, download one
 * (its bytes, as S1's `OutputStream`), delete one, and search them by type and owner ids.
 */
import { queryIds } from "../Body.ts"
import { ownerExists, storeAttachment } from "../Attachments.ts"
import { ATTACHMENT_OBJECT_TYPES, type AttachmentObjectType } from "../Entities.ts"
import { envelope, pageRequest } from "../Paging.ts"
import type { ProjectState } from "../ProjectState.ts"
import { fail, found, json } from "../Reply.ts"
import type { RequestContext, RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

const P = "/api/v3/projects/{projectId}"

const typeOf = (raw: string | undefined): AttachmentObjectType =>
  (ATTACHMENT_OBJECT_TYPES as ReadonlyArray<string>).includes(raw ?? "")
    ? (raw as AttachmentObjectType)
    : fail(400, `Invalid object type '${raw}': use one of ${ATTACHMENT_OBJECT_TYPES.join(", ")}`)

const header = (ctx: RequestContext, name: string): string | undefined => {
  const v = ctx.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** File names arrive in a header: percent-encoded when they are not ASCII. */
const fileName = (raw: string): string => {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export const attachmentRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const owner = (state: ProjectState, ctx: RequestContext) => {
    const objectType = typeOf(ctx.params.objectType)
    const objectId = Number(ctx.params.objectId)
    if (!Number.isSafeInteger(objectId) || !ownerExists(state, objectType, objectId)) return fail(404, `${objectType} ${ctx.params.objectId} not found`)
    return { objectType, objectId }
  }
  return [
    {
      method: "POST",
      template: `${P}/{objectType}/{objectId}/blob-handles`,
      body: "raw",
      handler: (ctx) => {
        const state = env.state()
        const { objectType, objectId } = owner(state, ctx)
        const name = header(ctx, "file-name")
        if (name === undefined || name.trim() === "") return fail(400, "The File-Name header is required")
        const contentType = header(ctx, "content-type")
        if (contentType === undefined || contentType.trim() === "") return fail(400, "The Content-Type header (the file's MIME type) is required")
        const a = storeAttachment(state, objectType, objectId, { name: fileName(name), contentType, bytes: ctx.raw ?? new Uint8Array() }, state.apiUserId)
        return json(201, render.attachment(a))
      }
    },
    {
      method: "DELETE",
      template: `${P}/{objectType}/{objectId}/blob-handles/{blobHandleId}`,
      handler: (ctx) => {
        const state = env.state()
        const { objectType, objectId } = owner(state, ctx)
        const a = state.attachments.get(Number(ctx.params.blobHandleId))
        if (a === undefined || a.objectType !== objectType || a.objectId !== objectId) return fail(404, `Blob handle ${ctx.params.blobHandleId} not found`)
        state.attachments.delete(a.id)
        return json(200, {})
      }
    },
    {
      method: "GET",
      template: `${P}/{objectType}/{objectId}/attachments`,
      handler: (ctx) => {
        const state = env.state()
        const { objectType, objectId } = owner(state, ctx)
        return json(
          200,
          state.attachments
            .filter((a) => a.objectType === objectType && a.objectId === objectId)
            .sort((a, b) => a.id - b.id)
            .map(render.attachment)
        )
      }
    },
    {
      method: "GET",
      template: `${P}/{objectType}/{objectId}/attachments/{attachmentId}`,
      handler: (ctx) => {
        const state = env.state()
        const { objectType, objectId } = owner(state, ctx)
        const a = found(state.attachments.get(Number(ctx.params.attachmentId)), `Attachment ${ctx.params.attachmentId} not found`)
        if (a.objectType !== objectType || a.objectId !== objectId) return fail(404, `Attachment ${a.id} does not belong to ${objectType} ${objectId}`)
        return {
          status: 200,
          headers: { "content-type": a.contentType, "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}` },
          body: a.bytes
        }
      }
    },
    {
      method: "GET",
      template: `${P}/attachments`,
      handler: (ctx) => {
        const state = env.state()
        const objectType = typeOf(ctx.query.get("type") ?? undefined)
        const ids = new Set(queryIds(ctx.query, "ids"))
        const all = state.attachments
          .filter((a) => a.objectType === objectType && (ids.size === 0 || ids.has(a.objectId)))
          .sort((a, b) => a.id - b.id)
        return json(200, envelope(all, pageRequest(ctx.query, "pageSize", 100, 999), `${render.base}${ctx.url.pathname}${ctx.url.search}`, render.attachment))
      }
    }
  ]
}
