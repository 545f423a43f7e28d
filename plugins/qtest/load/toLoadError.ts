/**
 * A qTest failure outside a write (a read while preparing or loading): what stops the load becomes a
 * SystemError with a hint (QtestAuth.asSystemError); anything else is unexpected for a read and stops the load
 * too, with the API's message.
 */
import { Effect } from "effect"
import { type ApiError, SystemError } from "../../../core/index.ts"
import { asSystemError } from "../QtestAuth.ts"

export const toSystemError = (e: ApiError): SystemError =>
  asSystemError(e) ??
  new SystemError({ system: "qtest", reason: "Protocol", message: e.message, hint: "qTest refused a read the migration needs; check the project's settings and the message" })

export const toLoadError = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, ApiError> | SystemError, R> =>
  Effect.catchIf(effect, (e): e is Extract<E, ApiError> => (e as { _tag?: string })?._tag === "ApiError", (e) => Effect.fail(toSystemError(e as unknown as ApiError))) as never
