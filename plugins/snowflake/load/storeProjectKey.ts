/**
 * The project whose rows a load into a shared schema reads and writes: the `project_key` of the store's one
 * Project record (one Zephyr project per store). Zero or several projects give no key to scope by, and a guess
 * would write or delete another project's rows, so the load stops instead.
 */
import { Chunk, Effect, Stream } from "effect"
import type { StoreError, StoreView } from "../../../core/index.ts"
import { SharedSchemaError } from "./SharedSchemaError.ts"

export const storeProjectKey = (store: StoreView): Effect.Effect<string, SharedSchemaError | StoreError> =>
  Effect.gen(function* () {
    const projects = Chunk.toReadonlyArray(yield* Stream.runCollect(store.records("Project")))
    const only = projects.length === 1 ? projects[0]!.project_key : undefined
    if (only !== undefined && only !== "") return only
    const keys = projects.map((p) => p.project_key).join(", ")
    return yield* new SharedSchemaError({
      message:
        projects.length === 0
          ? "sharedSchema: the state store holds no Project record, so there is no project key to put in _PROJECT"
          : `sharedSchema: the state store holds ${projects.length} Project records (${keys}), so its rows cannot be given one _PROJECT`,
      hint:
        projects.length === 0
          ? "run the extract first (the load follows it), or set sharedSchema: false if this schema holds one project"
          : "give each project its own state store (one Zephyr project per store), or set sharedSchema: false and load this store into a schema of its own"
    })
  })
