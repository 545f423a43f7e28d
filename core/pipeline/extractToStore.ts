/**
 * The extract half of a run: source stream → transforms → prepare (hash, validate) → batched transactional
 * writes to the state store. A batch commits at `batchSize` items, or with the first item that comes a second
 * after its first (batchesOf.ts), so an interrupted run loses at most the batch in flight (rolled back, re-read
 * next time) and never half a batch.
 *
 * Control items travel in the same stream, in place, so a batch carries exactly what preceded them:
 * - a `Checkpoint` is saved (via `onCheckpoint`) in the transaction of the batch that holds it, after that
 *   batch's records — a committed checkpoint never covers records that were not committed with or before it;
 * - a `ChildSet` is applied after the records before it (the parent's children) are written.
 * Full passes also record every extracted key in `seen` in the same transaction, for "deleted at the source".
 */
import { Chunk, Effect, Stream } from "effect"
import { batchesOf } from "./batchesOf.ts"
import { failpoints } from "./Failpoint.ts"
import { isControl, ownership, type CanonicalRecord, type Checkpoint, type ChildSet, type Extracted, type Quarantined, type SourceItem } from "../canonical/Canonical.ts"
import { primaryKey } from "../canonical/schemas.ts"
import { StoreError, type SystemError } from "../errors.ts"
import type { SourceInstance, TransformInstance } from "../plugin/Plugin.ts"
import type { ReportSink } from "../report/ReportSink.ts"
import { childSetProblem, type SeenKey } from "../store/OwnedRows.ts"
import type { StateStoreShape, StoredRecord } from "../store/StateStore.ts"
import type { Horizon } from "../store/StoreHorizon.ts"
import type { RunCounts } from "./Counts.ts"
import { prepareRecord } from "./prepareRecord.ts"
import { repairText } from "./repairText.ts"
import type { Progress } from "./Progress.ts"

export interface ExtractSettings {
  readonly sourceName: string
  readonly source: SourceInstance
  readonly transforms: ReadonlyArray<{ readonly name: string; readonly instance: TransformInstance }>
  /** Absent in dry-run: nothing is written. */
  readonly store: StateStoreShape | undefined
  readonly runId: string
  readonly now: string
  readonly since?: string | undefined
  /** ExtractOptions.everyChange. */
  readonly everyChange?: boolean | undefined
  /** The last committed checkpoint state of the extract this run resumes. */
  readonly resume?: unknown
  /** Full passes: every extracted key is recorded in `seen` under this extract id. */
  readonly seenAs?: string | undefined
  /** Saves a checkpoint; runs inside the transaction of the batch that carries it. */
  readonly onCheckpoint?: ((state: unknown) => Effect.Effect<void, StoreError>) | undefined
  readonly counts: RunCounts
  readonly notes: ReportSink
  readonly progress: Progress
  readonly batchSize?: number | undefined
  /** Quarantined items of this run, kept for the report when there is no store (dry-run). */
  readonly quarantined: Array<Quarantined["data"]>
  /**
   * Sinks follow the extract (ExtractFeed.ts): after each batch that held a checkpoint commits, the store's
   * horizon as of that checkpoint — what a sink may load while the extract goes on.
   */
  readonly onHorizon?: ((horizon: Horizon) => Effect.Effect<void>) | undefined
}

/** A record a transform filtered out: not stored, but the source has it (so it is not "deleted at the source"). */
interface Skipped {
  readonly entity: "Skipped"
  readonly key: SeenKey
}

type Prepared = StoredRecord | Quarantined | Checkpoint | ChildSet | Skipped

const entityOf = (item: Extracted): string => (item.entity === "Quarantine" ? item.data.of : item.entity)

const seenKeyOf = (item: Extracted): SeenKey =>
  item.entity === "Quarantine"
    ? { entity: item.data.of, source_id: item.data.source_id, source_system: null }
    : { entity: item.entity, source_id: String(item.data.source_id), source_system: item.data.source_system }

/** Entities other records can belong to (`ownership`): the parents a ChildSet may name. */
const parentEntities: ReadonlySet<string> = new Set(
  Object.values(ownership).flatMap((o) => (o === undefined ? [] : o.kind === "column" ? [o.parent] : o.parents))
)
/** Bound on the created-parents memo below; past it the memo is dropped (costing only the skipped deletes). */
const CREATED_PARENTS_MAX = 10_000

export const extractToStore = (s: ExtractSettings): Effect.Effect<void, SystemError | StoreError> => {
  /**
   * Parents this extract created (`<entity>:<primary key>`) and whose ChildSet has not come yet. A parent that
   * did not exist before cannot have stored children, so its ChildSet needs no delete — on a first full pass
   * that is every one of them. The ChildSet follows its parent's group closely, so the memo stays small.
   */
  const createdParents = new Set<string>()
  /** Runs the transforms in order; a record one of them drops comes out as `Skipped`. */
  const transform = (item: Extracted): Effect.Effect<Extracted | Skipped> =>
    s.transforms.length === 0
      ? Effect.succeed(item)
      : Effect.gen(function* () {
          let current: Extracted = item
          for (const t of s.transforms) {
            const out = yield* t.instance.apply(current)
            if (out === undefined) {
              const entity = entityOf(current)
              s.counts.of(entity).skipped++
              yield* s.notes.note({ kind: "skip", system: t.name, entity, sourceId: String(current.data.source_id), message: `filtered out by the ${t.name} transform` })
              return { entity: "Skipped", key: seenKeyOf(item) } as const
            }
            current = out
          }
          return current
        })

  /** Text the store cannot hold is repaired (repairText.ts); the record is carried, and the report says so. */
  const repaired = (record: CanonicalRecord): Effect.Effect<CanonicalRecord> => {
    const { record: clean, nul, surrogates } = repairText(record)
    // the common case, nothing to repair: no effects to run for it (a run passes here for every record)
    if (nul.length === 0 && surrogates.length === 0) return Effect.succeed(clean)
    const note = (fields: ReadonlyArray<string>, what: string) =>
      fields.length === 0
        ? Effect.void
        : s.notes.note({
            kind: "warning",
            system: "core",
            entity: record.entity,
            sourceId: String(record.data.source_key ?? record.data.source_id),
            message: `${what} in ${fields.join(", ")}: the record is carried with the text repaired`
          })
    return Effect.as(
      Effect.zipRight(
        note(nul, "NUL characters removed (no target stores them; many cut the text there)"),
        note(surrogates, "unpaired UTF-16 surrogates replaced by U+FFFD (they are not Unicode and cannot be stored as UTF-8)")
      ),
      clean
    )
  }

  /** Counts the item as extracted, then transforms, repairs and prepares it. */
  const prepare = (item: SourceItem): Effect.Effect<Prepared> =>
    Effect.suspend(() => {
      if (isControl(item)) return Effect.succeed(item)
      s.counts.of(entityOf(item)).extracted++
      return Effect.flatMap(transform(item), (out): Effect.Effect<Prepared> =>
        out.entity === "Skipped" || out.entity === "Quarantine" ? Effect.succeed(out) : Effect.map(repaired(out), (record) => prepareRecord(record, s.now))
      )
    })

  const writeBatch = (chunk: Chunk.Chunk<Prepared>) =>
    Effect.gen(function* () {
      const batch = Chunk.toReadonlyArray(chunk)
      const bad = batch.filter((b): b is Quarantined => b.entity === "Quarantine")
      if (s.store) {
        const store = s.store
        const result = yield* store.withTransaction(
          Effect.gen(function* () {
            const outcomes: Array<readonly [string, "created" | "updated" | "unchanged"]> = []
            const removed: Array<readonly [string, number]> = []
            const seen: Array<SeenKey> = []
            let lastCheckpoint: Checkpoint | undefined
            let horizon: Horizon | undefined
            const horizonAt = s.onHorizon === undefined ? -1 : batch.findLastIndex((item) => item.entity === "Checkpoint")
            // In stream order: a ChildSet must see the children written before it.
            for (const [i, item] of batch.entries()) {
              switch (item.entity) {
                case "Checkpoint":
                  lastCheckpoint = item
                  // what precedes a checkpoint is whole: parents with all their children
                  if (i === horizonAt) horizon = yield* store.horizon
                  break
                case "ChildSet": {
                  const problem = childSetProblem(item.data)
                  if (problem !== undefined) return yield* Effect.fail(store.failed.write(new Error(problem)))
                  if (createdParents.delete(`${item.data.parent}:${item.data.parent_id}`)) break
                  for (const [entity, n] of Object.entries(yield* store.replaceChildren(item.data))) removed.push([entity, n ?? 0])
                  break
                }
                case "Skipped":
                  seen.push(item.key)
                  break
                case "Quarantine":
                  yield* store.writeQuarantine(item, s.sourceName, s.runId, s.now)
                  seen.push(seenKeyOf(item))
                  break
                default: {
                  const outcome = yield* store.write(item)
                  outcomes.push([item.entity, outcome])
                  if (outcome === "created" && parentEntities.has(item.entity)) {
                    if (createdParents.size >= CREATED_PARENTS_MAX) createdParents.clear()
                    createdParents.add(`${item.entity}:${String(item.data[primaryKey(item.entity)])}`)
                  }
                  seen.push({ entity: item.entity, source_id: item.data.source_id, source_system: item.data.source_system })
                }
              }
            }
            if (s.seenAs !== undefined && seen.length > 0) yield* store.markSeen(s.seenAs, seen)
            // Last, so the saved state covers exactly what this transaction commits.
            if (lastCheckpoint !== undefined && s.onCheckpoint) yield* s.onCheckpoint(lastCheckpoint.data.state)
            return { outcomes, removed, checkpointed: lastCheckpoint !== undefined, horizon }
          })
        )
        if (result.horizon !== undefined && s.onHorizon) {
          yield* s.onHorizon(result.horizon)
          // a following sink may start its pass on what just committed before the next batch is written
          yield* Effect.yieldNow()
        }
        failpoints.pass("extract-commit", s.sourceName)
        if (result.checkpointed) failpoints.pass("checkpoint", s.sourceName)
        for (const [entity, outcome] of result.outcomes) s.counts.of(entity)[outcome]++
        for (const [entity, n] of result.removed) s.counts.of(entity).removed += n
      } else {
        // dry-run: classify nothing, just count what would be written
        for (const r of batch) if (r.entity !== "Quarantine" && r.entity !== "Skipped" && r.entity !== "Checkpoint" && r.entity !== "ChildSet") s.counts.of(r.entity).created++
      }
      for (const q of bad) {
        s.counts.of(q.data.of).quarantined++
        s.quarantined.push(q.data)
        s.progress.event("quarantined", { entity: q.data.of, sourceId: q.data.source_id, reason: q.data.reason })
      }
      s.progress.update(s.counts)
    })

  return s.source.extract({ since: s.since, resume: s.resume, everyChange: s.everyChange }).pipe(
    Stream.mapEffect(prepare),
    batchesOf(s.batchSize ?? 500, 1000),
    Stream.mapEffect(writeBatch),
    Stream.runDrain
  )
}
