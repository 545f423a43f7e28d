/**
 * `migrate verify` for qTest: every object in the id map is read back, projected onto the fields we write
 * (mapping/readBack.ts) and hashed; the hash must equal the one stored when it was written. A 404 is "missing".
 * Field creations, approvals and requirement links are not objects of their own and are not read back.
 */
import { Effect, Option, Stream } from "effect"
import type { ApiError, StoreError, SystemError, VerifyContext } from "../../../core/index.ts"
import { readBackProjection } from "../mapping/index.ts"
import { customFieldNames, managedByKind } from "./managedByKind.ts"
import { targetHash } from "./targetHash.ts"
import type { AttachmentObjectType, QtestClientShape } from "../QtestClient.ts"
import type { QtestConfig } from "../QtestConfig.ts"
import { readVocabulary } from "./prepareTarget.ts"
import { toLoadError } from "./toLoadError.ts"

export const verifyQtest = (client: QtestClientShape, config: QtestConfig, v: VerifyContext): Effect.Effect<void, SystemError | StoreError> =>
  Effect.gen(function* () {
    const { vocab, defaults } = yield* readVocabulary(client, config, { gap: () => Effect.void })
    const managed = managedByKind(vocab, yield* customFieldNames(v.store))
    /** The read-back, projected onto the fields we write, and its hash. */
    const readBack = (entity: string, targetId: string): Effect.Effect<string, ApiError> | undefined =>
      projectedRead(entity, targetId)?.pipe(Effect.map((projected) => targetHash(projected, defaults)))
    const projectedRead = (entity: string, targetId: string): Effect.Effect<unknown, ApiError> | undefined => {
      const id = Number(targetId)
      switch (entity) {
        case "module":
          return client.getModule(id).pipe(Effect.map(readBackProjection.module))
        case "test-case":
          return client.getTestCase(id, { steps: true }).pipe(Effect.map((r) => readBackProjection.testCase(r as never, managed.testCase)))
        case "release":
          return client.getRelease(id).pipe(Effect.map((r) => readBackProjection.release(r as never, managed.release)))
        case "cycle-folder":
        case "test-cycle":
          return client.getTestCycle(id).pipe(Effect.map((r) => readBackProjection.testCycle(r as never)))
        case "test-run":
          return client.getTestRun(id).pipe(Effect.map((r) => readBackProjection.testRun(r as never, managed.testRun)))
        case "test-log": {
          const [runId, logId] = targetId.split("/").map(Number)
          return client.getTestLog(runId!, logId!).pipe(Effect.map((r) => readBackProjection.manualTestLog(r as never, managed.testLog)))
        }
        default:
          return undefined
      }
    }
    /** The record as the user knows it: its Zephyr key or folder path. */
    const labelOf = (entity: string, sourceId: string): Effect.Effect<string, StoreError> => {
      const label = (found: Option.Option<{ readonly key?: string | null; readonly path?: string }>) =>
        Option.match(found, { onNone: () => sourceId, onSome: (r) => r.key ?? r.path ?? sourceId })
      switch (entity) {
        case "test-case":
          return Effect.map(v.store.bySourceId("TestCase", sourceId), label)
        case "test-log":
          return Effect.map(v.store.bySourceId("TestExecution", sourceId), label)
        case "module":
        case "cycle-folder":
          return Effect.map(v.store.bySourceId("Folder", sourceId), label)
        case "test-cycle":
          return Effect.map(v.store.bySourceId("TestCycle", sourceId), label)
        case "release":
          return Effect.map(v.store.bySourceId("TestPlan", sourceId), label)
        default:
          return Effect.succeed(sourceId)
      }
    }
    yield* v.mapped().pipe(
      Stream.mapEffect(
        (row): Effect.Effect<void, ApiError | StoreError> => {
          const result = (status: "match" | "mismatch" | "missing", detail?: string) =>
            Effect.flatMap(status === "match" ? Effect.succeed(row.source_id) : labelOf(row.entity, row.source_id), (label) =>
              v.result({ entity: row.entity, key: row.source_id, label, targetId: row.target_id, status, detail })
            )
          if (row.entity === "attachment") {
            const [objectType, objectId, attachmentId] = row.target_id.split("/")
            return client.listAttachments(objectType as AttachmentObjectType, Number(objectId)).pipe(
              Effect.flatMap((list) => result(list.some((a) => String(a.id) === attachmentId) ? "match" : "missing")),
              Effect.catchAll((e): Effect.Effect<void, ApiError | StoreError> => (e._tag === "ApiError" && e.status === 404 ? result("missing") : Effect.fail(e)))
            )
          }
          const read = readBack(row.entity, row.target_id)
          if (read === undefined) return Effect.void
          return read.pipe(
            Effect.flatMap((hash) => (hash === row.content_hash ? result("match") : result("mismatch", "its fields differ from what the migration wrote"))),
            Effect.catchAll((e): Effect.Effect<void, ApiError | StoreError> => (e._tag === "ApiError" && e.status === 404 ? result("missing", "not found in qTest") : Effect.fail(e)))
          )
        },
        { concurrency: 8, unordered: true }
      ),
      Stream.runDrain
    )
  }).pipe(toLoadError)
