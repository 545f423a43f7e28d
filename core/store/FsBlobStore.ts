/**
 * The live BlobStore: `<stateDir>/blobs/<sha256>`. Bytes go to a temp file while being hashed and are renamed
 * into place when complete, so a crash never leaves a partial blob under a real hash, and identical files
 * (the same screenshot attached to 40 cases) are stored once.
 */
import { createHash, randomUUID } from "node:crypto"
import { createReadStream } from "node:fs"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect, Stream } from "effect"
import { StoreError } from "../errors.ts"
import type { BlobStore, StoredBlob } from "./BlobStore.ts"

const storeError = (message: string) => (cause: unknown) =>
  new StoreError({ reason: "Blob", message: `${message}: ${cause instanceof Error ? cause.message : String(cause)}` })

export const makeFsBlobStore = (options: { readonly stateDir: string; readonly dryRun?: boolean }): BlobStore => {
  const dir = path.join(options.stateDir, "blobs")
  const blobPath = (sha256: string) => path.join(dir, sha256)

  const put: BlobStore["put"] = (bytes) =>
    Effect.gen(function* () {
      const hash = createHash("sha256")
      let size = 0
      if (options.dryRun) {
        yield* Stream.runForEach(bytes, (chunk) => Effect.sync(() => ((size += chunk.byteLength), hash.update(chunk))))
      } else {
        yield* Effect.tryPromise({ try: () => fs.mkdir(path.join(dir, "tmp"), { recursive: true }), catch: storeError(`cannot create ${dir}`) })
        const tmp = path.join(dir, "tmp", randomUUID())
        const handle = yield* Effect.acquireRelease(
          Effect.tryPromise({ try: () => fs.open(tmp, "w"), catch: storeError(`cannot write ${tmp}`) }),
          (h) => Effect.promise(() => h.close().catch(() => undefined))
        )
        yield* Stream.runForEach(bytes, (chunk) =>
          Effect.tryPromise({
            try: async () => {
              hash.update(chunk)
              size += chunk.byteLength
              await handle.write(chunk)
            },
            catch: storeError(`cannot write ${tmp}`)
          })
        ).pipe(Effect.onError(() => Effect.promise(() => fs.rm(tmp, { force: true }))))
        const sha = hash.copy().digest("hex")
        yield* Effect.tryPromise({ try: () => fs.rename(tmp, blobPath(sha)), catch: storeError(`cannot store blob ${sha}`) })
      }
      const sha256 = hash.digest("hex")
      return { sha256, size, path: `blobs/${sha256}` } satisfies StoredBlob
    }).pipe(Effect.scoped)

  const get: BlobStore["get"] = (sha256) =>
    Stream.fromAsyncIterable(createReadStream(blobPath(sha256)) as AsyncIterable<Uint8Array>, storeError(`cannot read blob ${sha256}`))

  const has: BlobStore["has"] = (sha256) =>
    Effect.tryPromise({ try: () => fs.access(blobPath(sha256)).then(() => true, () => false), catch: storeError("blob lookup") })

  return { put, get, has }
}
