/**
 * Reads a request body up to `limit` bytes. Above it the answer is `tooLarge` — at once when Content-Length
 * says so, else as soon as the stream passes it — and the rest of the body is read and discarded, not kept, so
 * the client (still sending) receives the sandbox's refusal instead of a reset connection.
 */
import { Buffer } from "node:buffer"
import type * as http from "node:http"

export type BodyResult =
  | { readonly bytes: Buffer }
  /** `declared`: the Content-Length that was refused; undefined when the stream went past the limit. */
  | { readonly tooLarge: { readonly declared: number | undefined; readonly limit: number } }

export const readBody = (req: http.IncomingMessage, limit: number): Promise<BodyResult> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      return resolve({ tooLarge: { declared, limit } })
    }
    const chunks: Array<Buffer> = []
    let size = 0
    let finished = false
    req.on("data", (chunk: Buffer) => {
      if (finished) return
      size += chunk.byteLength
      if (size > limit) {
        finished = true
        chunks.length = 0
        resolve({ tooLarge: { declared: undefined, limit } })
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => {
      if (finished) return
      finished = true
      resolve({ bytes: Buffer.concat(chunks) })
    })
    req.on("error", (e) => {
      if (finished) return
      finished = true
      reject(e)
    })
  })
