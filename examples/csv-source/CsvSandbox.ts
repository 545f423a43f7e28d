/**
 * The plugin's sandbox: a local HTTP server that serves a CSV the way a file server or an export endpoint would
 * — `GET /cases.csv` behind a bearer token, streamed in chunks, with optional latency and injected 503s — so
 * `run --sandbox`, the conformance kit and users' rehearsals exercise the `url` path without a real server.
 * It serves the demo CSV (seeded) or the file named by its own option `--csv-file`.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import type { Socket } from "node:net"
import { Effect, Redacted } from "effect"
import { PluginError, SystemError } from "../../core/index.ts"
import type { SandboxCapability } from "../../core/sandbox.ts"
import { demoCsv } from "./demoCsv.ts"

export interface CsvSandboxOptions {
  readonly csv?: string | undefined
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly token?: string | undefined
  readonly latencyMs?: number | undefined
  /** 0..1: probability of a 503, which core's retry policy must absorb. */
  readonly faultRate?: number | undefined
}

export interface RunningCsvSandbox {
  readonly url: string
  readonly token: string
  readonly requests: () => number
}

const CHUNK = 4096

/** Starts the server; it stops (connections included) when the scope closes. */
export const startCsvSandbox = (options: CsvSandboxOptions = {}) =>
  Effect.acquireRelease(
    Effect.async<{ server: http.Server; sockets: Set<Socket>; url: string; token: string; count: { n: number } }, SystemError>((resume) => {
      const csv = Buffer.from(options.csv ?? demoCsv(), "utf8")
      const token = options.token ?? randomBytes(12).toString("hex")
      const count = { n: 0 }
      const sockets = new Set<Socket>()
      const server = http.createServer((req, res) => {
        count.n++
        const reply = () => {
          if (req.headers.authorization !== `Bearer ${token}`) {
            res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "missing or wrong bearer token" }))
            return
          }
          if (req.method !== "GET" || req.url !== "/cases.csv") {
            res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: `no ${req.method} ${req.url}` }))
            return
          }
          if (options.faultRate !== undefined && Math.random() < options.faultRate) {
            res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: "try again" }))
            return
          }
          res.writeHead(200, { "content-type": "text/csv; charset=utf-8", "content-length": String(csv.length) })
          // In chunks, as a real server streams a large file: the plugin must cope with rows split across them.
          for (let i = 0; i < csv.length; i += CHUNK) res.write(csv.subarray(i, i + CHUNK))
          res.end()
        }
        if (options.latencyMs) setTimeout(reply, options.latencyMs)
        else reply()
      })
      server.on("connection", (s) => {
        sockets.add(s)
        s.on("close", () => sockets.delete(s))
      })
      server.once("error", (e) =>
        resume(Effect.fail(new SystemError({ system: "csv", reason: "Unreachable", message: `the CSV sandbox could not start: ${e.message}`, hint: "choose another --port, or free the one in use" })))
      )
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(Effect.succeed({ server, sockets, url: `http://${options.host ?? "127.0.0.1"}:${port}/cases.csv`, token, count }))
      })
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const s of sockets) s.destroy()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ url, token, count }): RunningCsvSandbox => ({ url, token, requests: () => count.n })))

/** What `migrate sandbox` and `run --sandbox` call: the options it declares, and how to point the spec at it. */
export const csvSandboxCapability: SandboxCapability = {
  options: [{ name: "csv-file", type: "file", description: "serve this CSV file instead of the demo test cases" }],
  start: (o) =>
    Effect.gen(function* () {
      const file = o.extra["csv-file"]
      const csv =
        typeof file === "string" && file !== ""
          ? yield* Effect.try({
              try: () => fs.readFileSync(file, "utf8"),
              catch: (e) => new PluginError({ plugin: "csv", reason: "Config", message: `--csv-file ${file}: ${e instanceof Error ? e.message : String(e)}` })
            })
          : demoCsv({ seed: o.seed })
      const running = yield* startCsvSandbox({ csv, port: o.port, host: o.host, latencyMs: o.latencyMs, faultRate: o.faultRate })
      // `file: undefined` so a spec that names a local file is pointed at the sandbox instead.
      return { baseUrl: running.url, configOverrides: { url: running.url, token: Redacted.make(running.token), file: undefined } }
    })
}
