/**
 * The live BlobStore: `<stateDir>/blobs/<sha256>`. Bytes go to a temp file while being hashed and are renamed
 * into place when complete, so a crash never leaves a partial blob under a real hash, and identical files
 * (the same screenshot attached to 40 cases) are stored once. A write that fails (disk full) removes its temp
 * file; every failure is a classified StoreError naming the file.
 */
import { createHash, randomUUID } from "node:crypto"
import { createReadStream } from "node:fs"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect, Stream } from "effect"
import type { BlobStore, StoredBlob } from "./BlobStore.ts"
import { classifyStoreError } from "./classifyStoreError.ts"
import { ensureDirectory } from "./ensureDirectory.ts"

const failed = (action: string, at: string) => (cause: unknown) => classifyStoreError(cause, { action, path: at, kind: "blob" })

const codeOf = (e: unknown) => (e as { readonly code?: unknown } | null)?.code

export const makeFsBlobStore = (options: { readonly stateDir: string; readonly dryRun?: boolean }): BlobStore => {
  const dir = path.join(path.resolve(options.stateDir), "blobs")
  const blobPath = (sha256: string) => path.join(dir, sha256)
  const storing = "cannot store an attachment in the blob store"

  const put: BlobStore["put"] = (bytes) =>
    Effect.gen(function* () {
      const hash = createHash("sha256")
      let size = 0
      if (options.dryRun) {
        yield* Stream.runForEach(bytes, (chunk) => Effect.sync(() => ((size += chunk.byteLength), hash.update(chunk))))
      } else {
        yield* Effect.try({ try: () => ensureDirectory(path.join(dir, "tmp")), catch: failed(storing, dir) })
        const tmp = path.join(dir, "tmp", randomUUID())
        const handle = yield* Effect.acquireRelease(
          Effect.tryPromise({ try: () => fs.open(tmp, "w"), catch: failed(storing, dir) }),
          (h) => Effect.promise(() => h.close().catch(() => undefined))
        )
        yield* Effect.gen(function* () {
          yield* Stream.runForEach(bytes, (chunk) =>
            Effect.tryPromise({
              try: async () => {
                hash.update(chunk)
                size += chunk.byteLength
                // A write may take only part of the chunk (a file-size limit, a disk filling up): the rest is
                // written until the OS refuses it, never dropped — or the blob would be short under its hash.
                for (let at = 0; at < chunk.byteLength; ) at += (await handle.write(chunk, at, chunk.byteLength - at)).bytesWritten
              },
              catch: failed(storing, dir)
            })
          )
          const sha = hash.copy().digest("hex")
          yield* Effect.tryPromise({ try: () => fs.rename(tmp, blobPath(sha)), catch: failed(storing, dir) })
        }).pipe(Effect.onError(() => Effect.promise(() => fs.rm(tmp, { force: true }).catch(() => undefined))))
      }
      const sha256 = hash.digest("hex")
      return { sha256, size, path: `blobs/${sha256}` } satisfies StoredBlob
    }).pipe(Effect.scoped)

  const get: BlobStore["get"] = (sha256) =>
    Stream.fromAsyncIterable(createReadStream(blobPath(sha256)) as AsyncIterable<Uint8Array>, failed("cannot read the attachment blob", blobPath(sha256)))

  // Absent is an answer; a blob store that cannot be read (EACCES, EIO) is a failure, not "absent".
  const has: BlobStore["has"] = (sha256) =>
    Effect.tryPromise({
      try: () =>
        fs.stat(blobPath(sha256)).then(
          () => true,
          (e: unknown) => {
            if (codeOf(e) === "ENOENT") return false
            throw e
          }
        ),
      catch: failed("cannot look up the attachment blob", blobPath(sha256))
    })

  return { put, get, has }
}
