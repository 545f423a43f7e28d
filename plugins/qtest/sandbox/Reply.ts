/**
 * What a handler answers, and how it refuses. qTest's error bodies are always `{"message": "…"}` (S1 `Message`,
 * docs/vendors/qtest.md §2.1), so every refusal in the sandbox is an `ApiFailure` thrown from a handler and turned
 * into that body in one place (Router.ts). Throwing (instead of returning) is what lets a write roll back: the
 * failure unwinds the transaction that wraps the handler (Store.ts).
 */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

const JSON_TYPE = "application/json"

export const json = (status: number, body: unknown): Reply => ({ status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(body) })

export const errorReply = (status: number, message: string): Reply => json(status, { message })

/** A request the sandbox refuses, with the status and message the client sees. */
export class ApiFailure {
  readonly _tag = "ApiFailure"
  readonly status: number
  readonly message: string
  constructor(status: number, message: string) {
    this.status = status
    this.message = message
  }
}

export const fail = (status: number, message: string): never => {
  throw new ApiFailure(status, message)
}

/** `value`, or a 404 naming what was not found. */
export const found = <T>(value: T | undefined, message: string): T => (value === undefined ? fail(404, message) : value)
