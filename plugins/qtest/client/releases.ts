/** Releases: the Test Plan nodes test cycles may sit under. */
import { Effect, Schema } from "effect"
import { Release, arrayOf } from "../api/index.ts"
import type { ReleaseBody } from "../api/index.ts"
import { json, type Send } from "./send.ts"

export const releases = ({ project, call, get }: Send) => ({
  listReleases: Effect.fn("QtestClient.listReleases")(function* (options: { readonly includeClosed?: boolean | undefined } = {}) {
    // closed releases too by default: a migration re-run must find what it created, open or not
    return yield* get(arrayOf(Release), `${project}/releases`, { includeClosed: options.includeClosed ?? true })
  }),

  getRelease: Effect.fn("QtestClient.getRelease")(function* (releaseId: number) {
    return yield* get(Release, `${project}/releases/${releaseId}`)
  }),

  createRelease: Effect.fn("QtestClient.createRelease")(function* (body: ReleaseBody) {
    return yield* call(Release, "POST", `${project}/releases`, { body: json(body) })
  }),

  updateRelease: Effect.fn("QtestClient.updateRelease")(function* (releaseId: number, body: ReleaseBody) {
    return yield* call(Release, "PUT", `${project}/releases/${releaseId}`, { body: json(body) })
  })
})
