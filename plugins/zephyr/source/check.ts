/** `check`: the token, the region (baseUrl) and the project — each failure with what to do about it. */
import { Effect } from "effect"
import { SystemError, type ApiError, type SourceInstance } from "../../../core/index.ts"
import { baseUrlHint, isApiError } from "./failures.ts"
import type { SourceContext } from "./SourceContext.ts"

export const check = ({ client, config, ctx, fatal }: SourceContext): SourceInstance["check"] => {
  const system = ctx.system
  const edition = config.edition
  /** 404 on the project: either the URL is not a Zephyr API (the project list 404s too) or the key is wrong. */
  const diagnoseNotFound = (original: ApiError) =>
    client.listProjects(10).pipe(
      Effect.matchEffect({
        onFailure: (e) =>
          isApiError(e) && e.reason === "NotFound"
            ? Effect.fail(
                new SystemError({
                  system,
                  reason: "NotFound",
                  message: `${config.baseUrl} is not the ${edition.product} API: ${original.url} and ${e.url} both answered 404`,
                  hint: baseUrlHint(edition)
                })
              )
            : Effect.fail(fatal(e)),
        onSuccess: (page) => {
          const keys = page.values.flatMap((v) => {
            const key = typeof v === "object" && v !== null ? (v as Record<string, unknown>)["key"] : undefined
            return typeof key === "string" ? [key] : []
          })
          return Effect.fail(
            new SystemError({
              system,
              reason: "NotFound",
              message: `Zephyr has no project ${config.projectKey} that this token can see (${original.url} answered 404)`,
              hint:
                keys.length === 0
                  ? `this token sees no Zephyr projects at all: check that ${edition.product} is enabled for your project and that the token's user can browse it`
                  : `set projectKey to one of the projects this token can see: ${keys.slice(0, 10).join(", ")}${(page.total ?? 0) > 10 ? ", …" : ""}`
            })
          )
        }
      })
    )

  return client.getProject(config.projectKey).pipe(
    Effect.catchAll((e) => {
      if (isApiError(e) && e.reason === "NotFound") return diagnoseNotFound(e)
      if (isApiError(e) && (e.reason === "Transport" || e.reason === "Timeout"))
        return Effect.fail(
          new SystemError({
            system,
            reason: "Unreachable",
            message: `cannot reach Zephyr at ${e.url}: ${e.message}`,
            hint: `check baseUrl (${config.baseUrl}), your network and proxy settings; ${baseUrlHint(edition)}`
          })
        )
      return Effect.fail(fatal(e))
    }),
    Effect.asVoid,
    Effect.withSpan("ZephyrSource.check")
  )
}
