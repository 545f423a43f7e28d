/** The keys of the source projects the store holds (one per state): references into others cannot be qTest links. */
import { Chunk, Effect, Stream } from "effect"
import type { QtestLoad } from "./QtestLoad.ts"

export const storeProjects = (q: QtestLoad): Effect.Effect<ReadonlySet<string>, import("../../../core/index.ts").StoreError> =>
  Stream.runCollect(q.load.store.records("Project")).pipe(Effect.map((projects) => new Set(Chunk.toReadonlyArray(projects).map((p) => p.project_key))))
