/**
 * Test helpers: plain `fetch` over loopback against a running qTest sandbox, so the tests see exactly what a
 * client on the wire sees (status, headers, bytes), with no client library in between.
 */
import { Effect } from "effect"
import type { RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/QtestSandbox.ts"

export interface Got {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Uint8Array
  readonly text: string
  readonly body: any
}

export interface CallOptions {
  /** JSON body (sent with `content-type: application/json`). */
  readonly json?: unknown
  /** Raw body with its own headers (uploads, forms). */
  readonly raw?: Uint8Array | string
  readonly headers?: Readonly<Record<string, string>>
  /** `null` sends no Authorization header; default: the sandbox's token. */
  readonly token?: string | null
}

const decode = async (response: Response): Promise<Got> => {
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = new TextDecoder().decode(bytes)
  let body: unknown = undefined
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, bytes, text, body }
}

const requestInit = (sb: RunningQtestSandbox, method: string, options: CallOptions): RequestInit => {
  const token = options.token === undefined ? sb.token : options.token
  const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }) }
  if (options.json !== undefined) headers["content-type"] = "application/json"
  Object.assign(headers, options.headers ?? {})
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.raw
  return { method, headers, ...(body === undefined ? {} : { body: body as NonNullable<RequestInit["body"]> }) }
}

/** One request; `path` is relative to the base URL (`/api/v3/…`) or absolute. */
export const call = (sb: RunningQtestSandbox, method: string, path: string, options: CallOptions = {}): Effect.Effect<Got> =>
  Effect.promise(async () => decode(await fetch(path.startsWith("http") ? path : `${sb.baseUrl}${path}`, requestInit(sb, method, options))))

/** Like `call`, but a dropped connection is `"dropped"` instead of a failure. */
export const attempt = (sb: RunningQtestSandbox, method: string, path: string, options: CallOptions = {}): Effect.Effect<Got | "dropped"> =>
  Effect.promise(async () => {
    try {
      return await decode(await fetch(path.startsWith("http") ? path : `${sb.baseUrl}${path}`, requestInit(sb, method, options)))
    } catch {
      return "dropped" as const
    }
  })

/** The project's API prefix. */
export const p = (sb: RunningQtestSandbox, path = "") => `/api/v3/projects/${sb.projectId}${path}`

/** Calls and insists on a status; the body otherwise. */
export const ok = (sb: RunningQtestSandbox, method: string, path: string, options: CallOptions = {}, status = 200): Effect.Effect<any> =>
  Effect.flatMap(call(sb, method, path, options), (r) =>
    r.status === status ? Effect.succeed(r.body) : Effect.die(new Error(`${method} ${path} → ${r.status} (expected ${status}): ${r.text}`))
  )

/** A field of an object type by label. */
export const fieldByLabel = (sb: RunningQtestSandbox, objectType: string, label: string) =>
  Effect.map(ok(sb, "GET", p(sb, `/settings/${objectType}/fields`)), (fields: Array<any>) => {
    const f = fields.find((x) => x.label === label)
    if (f === undefined) throw new Error(`no ${objectType} field ${label}`)
    return f
  })

/** A field's allowed value id by label. */
export const valueOf = (field: any, label: string): number => {
  const v = field.allowed_values.find((x: any) => x.label === label)
  if (v === undefined) throw new Error(`no value ${label} in ${field.label}`)
  return v.value
}

/** Polls an auto-test-logs job until it is terminal; returns every state seen. */
export const pollJob = (sb: RunningQtestSandbox, id: number, max = 20) =>
  Effect.gen(function* () {
    const states: Array<string> = []
    for (let i = 0; i < max; i++) {
      const job = yield* ok(sb, "GET", `/api/v3/projects/queue-processing/${id}`)
      states.push(job.state)
      if (job.state === "SUCCESS" || job.state === "FAILED") return { states, job }
    }
    throw new Error(`job ${id} not terminal after ${max} polls: ${states.join(", ")}`)
  })

/** A control-endpoint call (`/__sandbox/…`). */
export const control = (sb: RunningQtestSandbox, method: string, action: string, json?: unknown) => call(sb, method, `/__sandbox/${action}`, json === undefined ? {} : { json })
