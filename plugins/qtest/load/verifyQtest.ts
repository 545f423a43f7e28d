/**
 * `migrate verify` for qTest: the project is read back in bulk — the module and cycle trees, the releases, every
 * test run, and the test cases and test logs that carry a Zephyr key, in pages of 999 — and each object found is
 * reconciled with the id map: projected onto the fields we write (mapping/readBack.ts) and hashed, its hash must
 * equal the one the id map stored when it was written. An object of a record of this store that the id map does
 * not name (a second case with the same Zephyr Key, a second run of one cycle and case, a second module of one
 * name under one parent) is `extra`: a duplicate, whatever made it. A mapped object the bulk reads did not meet
 * (its key edited away in qTest, say) is read on its own; a 404 is "missing". So a project is verified in about
 * a request per 999 objects, not one per object, and the rate limit a run lives with is no harder on verify.
 * Field creations, approvals and requirement links are not objects of their own and are not read back. A test
 * log's defect links are read back per link like attachments by their object: present among the log's linked
 * defects (match) or not (missing).
 */
import { Effect, Option, Stream } from "effect"
import type { ApiError, StoreError, SystemError, VerifyContext } from "../../../core/index.ts"
import type { Module } from "../api/testDesign.ts"
import type { TestCycle } from "../api/testExecution.ts"
import { readBackProjection } from "../mapping/index.ts"
import type { AttachmentObjectType, ExecutionParent, QtestClientShape } from "../QtestClient.ts"
import type { QtestConfig } from "../QtestConfig.ts"
import { DEFECT_LINK } from "./linkTestLogDefects.ts"
import { customFieldNames, managedByKind } from "./managedByKind.ts"
import { readVocabulary } from "./prepareTarget.ts"
import { targetHash } from "./targetHash.ts"
import { toLoadError } from "./toLoadError.ts"

const ROOT: ExecutionParent = { parentId: 0, parentType: "root" }

type Status = "match" | "mismatch" | "missing" | "extra"

/** Every node of a tree nested in `childrenOf`, with its parent's id (0 at the root). */
const flatten = <T extends { readonly id: number }>(roots: ReadonlyArray<T>, childrenOf: (t: T) => ReadonlyArray<T> | null | undefined) => {
  const out: Array<{ readonly node: T; readonly parent: number }> = []
  const walk = (parent: number, items: ReadonlyArray<T>) => {
    for (const node of items) {
      out.push({ node, parent })
      walk(Number(node.id), childrenOf(node) ?? [])
    }
  }
  walk(0, roots)
  return out
}

const propertyValue = (properties: ReadonlyArray<{ readonly field_id: number; readonly field_value?: string | null | undefined }> | null | undefined, fieldId: number | undefined) =>
  fieldId === undefined ? undefined : (properties ?? []).find((p) => Number(p.field_id) === fieldId)?.field_value ?? undefined

export const verifyQtest = (client: QtestClientShape, config: QtestConfig, concurrency: number, v: VerifyContext): Effect.Effect<void, SystemError | StoreError> =>
  Effect.gen(function* () {
    const { vocab, defaults } = yield* readVocabulary(client, config, { gap: () => Effect.void })
    const managed = managedByKind(vocab, yield* customFieldNames(v.store))
    const zephyrKey = vocab.field("test-cases", config.fields.zephyrKey)
    const executionKey = vocab.field("test-runs", config.fields.executionKey)
    const hasKey = (label: string) => `'${label}' is 'not empty'`

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
    const report = (entity: string, key: string, targetId: string, status: Status, detail?: string) =>
      Effect.flatMap(status === "match" ? Effect.succeed(key) : labelOf(entity, key), (label) => v.result({ entity, key, label, targetId, status, detail }))

    // --- reconciling what a bulk read found ---------------------------------------------------------------------
    const seen = new Set<string>()
    /** The mapped row naming the object, under the first of `entities` that names it. */
    const rowOf = (entities: ReadonlyArray<string>, targetId: string) =>
      Effect.gen(function* () {
        for (const entity of entities) {
          const row = yield* v.mappedTarget(entity, targetId)
          if (Option.isSome(row)) return row
        }
        return Option.none()
      })
    /** Compares a found object with its mapped row; false when the id map does not name it. */
    const check = (entities: ReadonlyArray<string>, targetId: string, hash: () => string) =>
      Effect.gen(function* () {
        const row = yield* rowOf(entities, targetId)
        if (Option.isNone(row)) return false
        seen.add(`${row.value.entity}\u0000${targetId}`)
        yield* report(row.value.entity, row.value.source_id, targetId, hash() === row.value.content_hash ? "match" : "mismatch", "its fields differ from what the migration wrote")
        return true
      })
    const isMapped = (entity: string, targetId: string) => Effect.map(v.mappedTarget(entity, targetId), Option.isSome)

    // --- modules and test cycles: a tree each; a second node of one name under one parent is extra ----------
    const trees = [
      { entities: ["module"], nodes: flatten(yield* client.listModules({ descendants: true }), (m: Module) => m.children), hash: (m: Module) => targetHash(readBackProjection.module(m), defaults) },
      {
        entities: ["test-cycle", "cycle-folder"],
        nodes: flatten(Array.from(yield* Stream.runCollect(client.listTestCycles(ROOT, { descendants: true }))), (c: TestCycle) => c["test-cycles"]),
        hash: (c: TestCycle) => targetHash(readBackProjection.testCycle(c as never), defaults)
      }
    ] as const
    for (const tree of trees) {
      const unmapped: Array<{ readonly node: { readonly id: number; readonly name: string }; readonly parent: number }> = []
      const mappedNames = new Set<string>()
      for (const { node, parent } of tree.nodes as ReadonlyArray<{ readonly node: Module & TestCycle; readonly parent: number }>) {
        if (yield* check(tree.entities, String(node.id), () => tree.hash(node))) mappedNames.add(`${parent}\u0000${node.name}`)
        else unmapped.push({ node, parent })
      }
      for (const { node, parent } of unmapped)
        if (mappedNames.has(`${parent}\u0000${node.name}`))
          yield* v.result({ entity: tree.entities[0], key: node.name, label: node.name, targetId: String(node.id), status: "extra", detail: "a second object of this name under the same parent, which the state does not map" })
    }

    // --- releases -----------------------------------------------------------------------------------------------
    const releases = yield* client.listReleases()
    const mappedNotes = new Set<string>()
    for (const r of releases) if (yield* check(["release"], String(r.id), () => targetHash(readBackProjection.release(r as never, managed.release), defaults))) mappedNotes.add(r.note ?? "")
    for (const r of releases)
      if (!seen.has(`release\u0000${r.id}`) && r.note && mappedNotes.has(r.note))
        yield* v.result({ entity: "release", key: r.note, label: r.name, targetId: String(r.id), status: "extra", detail: `a second release for "${r.note}", which the state does not map` })

    // --- test cases, by Zephyr Key ------------------------------------------------------------------------------
    if (zephyrKey !== undefined)
      yield* Stream.runForEach(client.searchTestCases(hasKey(zephyrKey.label)), (item) =>
        Effect.gen(function* () {
          if (yield* check(["test-case"], String(item.id), () => targetHash(readBackProjection.testCase(item as never, managed.testCase), defaults))) return
          const key = propertyValue(item.properties, zephyrKey.id)
          const record = key === undefined ? undefined : (yield* v.store.where("TestCase", { key }))[0]
          if (record !== undefined)
            yield* v.result({ entity: "test-case", key: record.source_id, label: key!, targetId: String(item.id), status: "extra", detail: `carries the Zephyr Key ${key} of a record the state maps elsewhere or not at all: a duplicate` })
        })
      )

    // --- test runs: a second run of one (cycle, test case) is extra ------------------------------------------
    yield* Stream.runForEach(client.listTestRuns(ROOT, { descendants: true }), (run) =>
      Effect.gen(function* () {
        if (yield* check(["test-run"], String(run.id), () => targetHash(readBackProjection.testRun(run as never, managed.testRun), defaults))) return
        if (run.parentType !== "test-cycle" || run.parentId == null || run.test_case?.id == null) return
        if ((yield* isMapped("test-cycle", String(run.parentId))) && (yield* isMapped("test-case", String(run.test_case.id))))
          yield* v.result({
            entity: "test-run",
            key: `${run.parentId}|${run.test_case.id}`,
            label: run.name,
            targetId: String(run.id),
            status: "extra",
            detail: "a second run of a migrated test case in a migrated cycle, which the state does not map"
          })
      })
    )

    // --- test logs, by Zephyr Execution Key -------------------------------------------------------------------
    if (executionKey !== undefined)
      yield* Stream.runForEach(client.searchTestLogs(hasKey(executionKey.label)), (log) =>
        Effect.gen(function* () {
          const targetId = `${log.test_run_id}/${log.id}`
          if (yield* check(["test-log"], targetId, () => targetHash(readBackProjection.manualTestLog(log as never, managed.testLog), defaults))) return
          const key = propertyValue(log.properties, executionKey.id)
          const execution = key === undefined ? undefined : (yield* v.store.where("TestExecution", { key }))[0]
          // logs of `automatedExecutions: batch` are the queue's to make, under ids the id map does not hold
          if (execution === undefined || (config.automatedExecutions === "batch" && execution.automated)) return
          yield* v.result({
            entity: "test-log",
            key: execution.source_id,
            label: key!,
            targetId,
            status: "extra",
            detail: `carries the Zephyr Execution Key ${key} of a record the state maps elsewhere or not at all: a duplicate`
          })
        })
      )

    // --- what the bulk reads did not meet, one by one; attachments by their object --------------------------
    const readOne = (entity: string, targetId: string): Effect.Effect<string, ApiError> | undefined => {
      const id = Number(targetId)
      switch (entity) {
        case "module":
          return client.getModule(id).pipe(Effect.map((r) => targetHash(readBackProjection.module(r), defaults)))
        case "test-case":
          return client.getTestCase(id, { steps: true }).pipe(Effect.map((r) => targetHash(readBackProjection.testCase(r as never, managed.testCase), defaults)))
        case "release":
          return client.getRelease(id).pipe(Effect.map((r) => targetHash(readBackProjection.release(r as never, managed.release), defaults)))
        case "cycle-folder":
        case "test-cycle":
          return client.getTestCycle(id).pipe(Effect.map((r) => targetHash(readBackProjection.testCycle(r as never), defaults)))
        case "test-run":
          return client.getTestRun(id).pipe(Effect.map((r) => targetHash(readBackProjection.testRun(r as never, managed.testRun), defaults)))
        case "test-log": {
          const [runId, logId] = targetId.split("/").map(Number)
          return client.getTestLog(runId!, logId!).pipe(Effect.map((r) => targetHash(readBackProjection.manualTestLog(r as never, managed.testLog), defaults)))
        }
        default:
          return undefined
      }
    }
    const notFound = (e: ApiError | StoreError) => e._tag === "ApiError" && e.status === 404
    yield* v.mapped().pipe(
      Stream.filter((row) => !seen.has(`${row.entity}\u0000${row.target_id}`)),
      Stream.mapEffect(
        (row): Effect.Effect<void, ApiError | StoreError> => {
          if (row.entity === "attachment") {
            const [objectType, objectId, attachmentId] = row.target_id.split("/")
            return client.listAttachments(objectType as AttachmentObjectType, Number(objectId)).pipe(
              Effect.flatMap((list) => report(row.entity, row.source_id, row.target_id, list.some((a) => String(a.id) === attachmentId) ? "match" : "missing")),
              Effect.catchIf(notFound, () => report(row.entity, row.source_id, row.target_id, "missing"))
            )
          }
          if (row.entity === DEFECT_LINK) {
            const [logId, issue] = row.target_id.split("/")
            return client.linkedDefects(Number(logId)).pipe(
              Effect.flatMap((linked) =>
                linked.some((d) => d.pid === issue)
                  ? report(row.entity, row.source_id, row.target_id, "match")
                  : report(row.entity, row.source_id, row.target_id, "missing", `the test log is not linked to Jira issue ${issue}`)
              ),
              Effect.catchIf(notFound, () => report(row.entity, row.source_id, row.target_id, "missing", "its test log is not in qTest"))
            )
          }
          const read = readOne(row.entity, row.target_id)
          if (read === undefined) return Effect.void
          return read.pipe(
            Effect.flatMap((hash) => report(row.entity, row.source_id, row.target_id, hash === row.content_hash ? "match" : "mismatch", "its fields differ from what the migration wrote")),
            Effect.catchIf(notFound, () => report(row.entity, row.source_id, row.target_id, "missing", "not found in qTest"))
          )
        },
        { concurrency, unordered: true }
      ),
      Stream.runDrain
    )
  }).pipe(toLoadError)
