/**
 * Content-addressed storage for attachment bytes: `<stateDir>/blobs/<sha256>`. Bytes are streamed in, hashed on
 * the way, and renamed into place only when complete, so a crash never leaves a partial blob under a real hash.
 */
import type { Effect, Stream } from "effect"
import type { StoreError } from "../errors.ts"

export interface StoredBlob {
  readonly sha256: string
  readonly size: number
  /** Relative to the state directory: `blobs/<sha256>`. */
  readonly path: string
}

export interface BlobStore {
  /** Streams bytes into the store. In dry-run mode bytes are hashed and counted but not written. */
  readonly put: <E>(bytes: Stream.Stream<Uint8Array, E>) => Effect.Effect<StoredBlob, E | StoreError>
  /** Streams a stored blob back out. */
  readonly get: (sha256: string) => Stream.Stream<Uint8Array, StoreError>
  readonly has: (sha256: string) => Effect.Effect<boolean, StoreError>
}
