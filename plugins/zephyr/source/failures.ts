/**
 * How the source's failures are told apart: what the user must fix (token, URL, project) becomes a `SystemError`
 * with a hint (`toSystemError`); a malformed record becomes its quarantine item (`decodeOrQuarantine`); a 404 on a
 * child list means "nothing there" (`orNullOn404`).
 */
import { Effect, Either, type Schema } from "effect"
import { quarantine, SystemError, type ApiError, type CanonicalRecord, type Extracted, type StoreError } from "../../../core/index.ts"
import { decodeItem, rawSourceId } from "../api/index.ts"
import { malformedReason, recordLabel } from "../mapping/index.ts"
import type { ZephyrClientError } from "../ZephyrClient.ts"
import { editions, type Edition } from "../Edition.ts"
import { zephyrRegions } from "../ZephyrConfig.ts"

export const REGION_HINT = `set baseUrl to your tenant's region: ${Object.entries(zephyrRegions)
  .map(([region, url]) => `${region} ${url}`)
  .join(", ")}`

/** Where the edition's API lives, for a URL that answered 404 or nothing: Cloud's regions, Essential's one URL, or DC's path in your Jira. */
export const baseUrlHint = (edition: Edition): string =>
  edition.defaultBaseUrl === undefined
    ? `set baseUrl to your Jira's Zephyr API, https://<your jira>/rest/atm/1.0, and check that Zephyr is installed there`
    : edition.name === "cloud"
      ? REGION_HINT
      : `set baseUrl to ${edition.defaultBaseUrl}, ${edition.product}'s API (or leave it out)`

export const isApiError = (e: ZephyrClientError): e is ApiError => e._tag === "ApiError"

/** The one place a failed call becomes what the user reads: what happened, and what to do about it. */
export const toSystemError =
  (system: string, projectKey: string, edition: Edition = editions.cloud) =>
  (error: ZephyrClientError | StoreError): SystemError => {
    const other = edition.name === "cloud" ? editions.essential : editions.cloud
    const api = edition.lists === "tql" ? `the ${edition.product} REST API v1 (…/rest/atm/1.0)` : `the ${edition.product} REST API v2 (…/v2)`
    const tokenFix =
      edition.lists === "tql"
        ? `${edition.tokenHint}, and export it as ZEPHYR_TOKEN (the user must be able to sign in to Jira)`
        : `${edition.tokenHint}, and export it as ZEPHYR_TOKEN. A token of ${other.product} is refused here: if the project is there, set edition: ${other.name}`
    if (error._tag === "SystemError") return error
    if (error._tag === "StoreError")
      // The plugin contract lets extract fail with SystemError only; a store failure is the local disk, and its
      // message and hint (classifyStoreError) already say which file, why, and what to do.
      return new SystemError({ system: "storage", reason: "Unreachable", message: error.message, hint: error.hint })
    switch (error.reason) {
      case "Unauthorized":
        return new SystemError({
          system,
          reason: "Unauthorized",
          message: edition.lists === "tql" ? "Jira rejected the credentials (401)" : "Zephyr rejected the token (401)",
          hint: tokenFix
        })
      case "Forbidden":
        return new SystemError({
          system,
          reason: "Forbidden",
          message: `Zephyr refused access (403): ${error.message}`,
          hint: `the token's Jira user needs permission to browse project ${projectKey} and use Zephyr in it; generate the token as a user who has them`
        })
      case "NotFound":
        return new SystemError({
          system,
          reason: "NotFound",
          message: `Zephyr answered 404: ${error.message}`,
          hint: baseUrlHint(edition)
        })
      case "BadRequest":
        return new SystemError({
          system,
          reason: "Protocol",
          message: `Zephyr rejected a request: ${error.message}`,
          hint: `check that projectKey ${projectKey} exists and that baseUrl is ${api}`
        })
      case "Decode":
        return new SystemError({ system, reason: "Protocol", message: error.message, hint: `check that baseUrl points at ${api}` })
      case "Transport":
      case "Timeout":
      case "RateLimited":
      case "Server":
        return new SystemError({
          system,
          reason: "Unreachable",
          message: `Zephyr kept failing after retries (${error.reason}${error.status ? ` ${error.status}` : ""}): ${error.message}`,
          hint: "check baseUrl and your network or proxy; if Zephyr is throttling, lower runtime.concurrency or runtime.rateLimits.zephyr and run again (the run resumes)"
        })
    }
  }

/**
 * Decodes one raw item; a malformed one becomes its quarantine item (not a failure), its reason naming the record
 * as the user finds it in Zephyr (`label`, default its key or id) and the fix.
 */
export const decodeOrQuarantine =
  <A, I>(schema: Schema.Schema<A, I>, entity: CanonicalRecord["entity"], label?: string) =>
  (raw: unknown): Either.Either<A, Extracted> =>
    Either.mapLeft(decodeItem(schema)(raw), (reason) => quarantine(entity, rawSourceId(raw), malformedReason(label ?? recordLabel(entity, raw), reason), raw))

/** `NotFound` as "nothing there" (a child list of a record deleted mid-run, a case without a script). */
export const orNullOn404 = <A, R>(effect: Effect.Effect<A, ZephyrClientError, R>): Effect.Effect<A | null, ZephyrClientError, R> =>
  Effect.catchIf(effect, (e): e is ApiError => isApiError(e) && e.reason === "NotFound", () => Effect.succeed(null))
