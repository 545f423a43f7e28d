/**
 * Test helpers: plain `fetch` over loopback against a running sandbox, so the tests see exactly what a client
 * on the wire sees (status, headers, bytes), with no client library in between.
 */
import { Effect } from "effect"
import type { RunningZephyrSandbox } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"

export interface Got {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Uint8Array
  readonly text: string
  readonly body: any
}

/** GET `path` (relative to the base URL, or absolute) with the sandbox's token unless `token` says otherwise. */
export const get = (sb: RunningZephyrSandbox, path: string, options: { readonly token?: string | null } = {}): Effect.Effect<Got> =>
  Effect.promise(async () => {
    const url = path.startsWith("http") ? path : `${sb.baseUrl}${path}`
    const token = options.token === undefined ? sb.token : options.token
    const response = await fetch(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } })
    const bytes = new Uint8Array(await response.arrayBuffer())
    const text = new TextDecoder().decode(bytes)
    let body: unknown = undefined
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: response.status, headers: response.headers, bytes, text, body }
  })

/** Follows `next` links from `path` and returns every value plus the pages seen. */
export const getAll = (sb: RunningZephyrSandbox, path: string): Effect.Effect<{ values: Array<any>; pages: Array<any> }> =>
  Effect.gen(function* () {
    const values: Array<any> = []
    const pages: Array<any> = []
    let url: string | null = path
    while (url !== null) {
      const got: Got = yield* get(sb, url)
      if (got.status !== 200) throw new Error(`GET ${url} → ${got.status} ${got.text}`)
      pages.push(got.body)
      values.push(...got.body.values)
      url = got.body.next
      if (pages.length > 10_000) throw new Error("runaway paging")
    }
    return { values, pages }
  })

/** Every `self` string anywhere in a JSON value. */
export const selfLinks = (value: unknown, out: Array<string> = []): Array<string> => {
  if (Array.isArray(value)) for (const v of value) selfLinks(v, out)
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "self" && typeof v === "string") out.push(v)
      else selfLinks(v, out)
    }
  }
  return out
}
