/**
 * The extract half of a run: source stream → transforms → prepare (hash, validate) → batched transactional
 * writes to the state store. Batches commit every `batchSize` records or every second, whichever comes first,
 * so an interrupted run loses at most the batch in flight (rolled back, re-read next time) and never half a batch.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { Extracted, Quarantined } from "../canonical/Canonical.ts"
import type { StoreError, SystemError } from "../errors.ts"
import type { SourceInstance, TransformInstance } from "../plugin/Plugin.ts"
import type { ReportSink } from "../report/ReportSink.ts"
import type { StateStoreShape, StoredRecord } from "../store/StateStore.ts"
import type { RunCounts } from "./Counts.ts"
import { prepareRecord } from "./prepareRecord.ts"
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
  readonly counts: RunCounts
  readonly notes: ReportSink
  readonly progress: Progress
  readonly batchSize?: number | undefined
  /** Quarantined items of this run, kept for the report when there is no store (dry-run). */
  readonly quarantined: Array<Quarantined["data"]>
}

const isQuarantined = (item: Extracted | StoredRecord): item is Quarantined => item.entity === "Quarantine"

export const extractToStore = (s: ExtractSettings): Effect.Effect<void, SystemError | StoreError> => {
  const transform = (item: Extracted): Effect.Effect<Option.Option<Extracted>> =>
    Effect.reduce(s.transforms, Option.some(item) as Option.Option<Extracted>, (current, t) =>
      Option.match(current, {
        onNone: () => Effect.succeed(Option.none()),
        onSome: (record) =>
          t.instance.apply(record).pipe(
            Effect.tap((out) => {
              if (out !== undefined) return Effect.void
              const entity = record.entity === "Quarantine" ? record.data.of : record.entity
              s.counts.of(entity).skipped++
              return s.notes.note({ kind: "skip", system: t.name, entity, sourceId: String(record.data.source_id), message: `filtered out by the ${t.name} transform` })
            }),
            Effect.map(Option.fromNullable)
          )
      })
    )

  const writeBatch = (chunk: Chunk.Chunk<StoredRecord | Quarantined>) =>
    Effect.gen(function* () {
      const batch = Chunk.toReadonlyArray(chunk)
      const records = batch.filter((b): b is StoredRecord => !isQuarantined(b))
      const bad = batch.filter(isQuarantined)
      if (s.store) {
        const store = s.store
        const outcomes = yield* store.withTransaction(
          Effect.gen(function* () {
            for (const q of bad) yield* store.writeQuarantine(q, s.sourceName, s.runId, s.now)
            return yield* Effect.forEach(records, store.write)
          })
        ).pipe(Effect.mapError((e) => e as StoreError))
        records.forEach((r, i) => {
          const outcome = outcomes[i]
          if (outcome) s.counts.of(r.entity)[outcome]++
        })
      } else {
        // dry-run: classify nothing, just count what would be written
        for (const r of records) s.counts.of(r.entity).created++
      }
      for (const q of bad) {
        s.counts.of(q.data.of).quarantined++
        s.quarantined.push(q.data)
        s.progress.event("quarantined", { entity: q.data.of, sourceId: q.data.source_id, reason: q.data.reason })
      }
      s.progress.update(s.counts)
    })

  return s.source.extract({ since: s.since }).pipe(
    Stream.tap((item) => Effect.sync(() => s.counts.of(item.entity === "Quarantine" ? item.data.of : item.entity).extracted++)),
    Stream.mapEffect(transform),
    Stream.filterMap((o) => o),
    Stream.map((item): StoredRecord | Quarantined => (isQuarantined(item) ? item : prepareRecord(item, s.now))),
    Stream.groupedWithin(s.batchSize ?? 500, "1 second"),
    Stream.mapEffect(writeBatch),
    Stream.runDrain
  )
}
