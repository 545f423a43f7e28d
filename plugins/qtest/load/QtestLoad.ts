/**
 * What every step of the qTest load shares: the client, the resolved config, the target's vocabulary, core's
 * load context, and the small helpers that turn a body builder's gaps and defaults into report entries and a
 * target's refusal into a quarantined record.
 */
import { Effect, Option } from "effect"
import type { ApiError, LoadContext, PluginContext, RecordRejected, StoreError, SystemError, TargetWrite, WriteResult } from "../../../core/index.ts"
import type { DefectMode, Mapped, Vocabulary } from "../mapping/index.ts"
import type { QtestClientShape } from "../QtestClient.ts"
import type { QtestConfig } from "../QtestConfig.ts"
import type { CaseSteps } from "./caseSteps.ts"
import type { FieldDefaults } from "./targetHash.ts"
import type { ManagedByKind } from "./managedByKind.ts"
import type { QtestRunCache } from "./QtestRunCache.ts"

export interface QtestLoad {
  readonly client: QtestClientShape
  readonly config: QtestConfig
  readonly ctx: PluginContext
  readonly load: LoadContext
  /** What the load keeps between its passes (QtestRunCache.ts). */
  readonly cache: QtestRunCache
  readonly vocab: Vocabulary
  /** Field defaults, which the target hash ignores (targetHash.ts). */
  readonly defaults: FieldDefaults
  /** The fields the mapping manages per kind: every body names all of them (completeProperties). */
  readonly managed: ManagedByKind
  /**
   * The project held objects of this migration the state did not know (adoptExisting.ts): writes that have no
   * bulk read to be adopted by (attachments) look before they create.
   */
  readonly adopting: boolean
  /** Labels of fields a run would create (planning only): their gaps are not gaps. */
  readonly plannedFields: ReadonlySet<string>
  /** The steps of migrated test cases, from qTest's answers to this run's writes or read once (caseSteps.ts). */
  readonly caseSteps: CaseSteps
  /** How the executions' Jira issues are carried: linked to the logs as defects, or in the defects field. */
  readonly defects: DefectMode
}

/** The target ids of written objects are strings in the id map; qTest ids are numbers. */
export const numericId = (targetId: string): number => Number(targetId.split("/").pop())

/** Reports what a body builder could not map and what it mapped by a default. */
export const reportMapping = <B>(q: QtestLoad, entity: string, mapped: Mapped<B>): Effect.Effect<B> =>
  Effect.gen(function* () {
    for (const g of mapped.gaps) {
      if (q.plannedFields.has(`${g.field ?? ""}`.toLowerCase()) && (g.kind === "field" || g.kind === "value")) continue
      yield* q.load.gap({ kind: g.kind, field: g.field, value: g.value, object: g.object, hint: g.hint })
    }
    for (const d of mapped.defaults)
      yield* q.ctx.report.note({ kind: "default", entity, sourceId: d.object, message: `${d.field}: "${d.from}" has no mapping; written as the map's default "${d.to}"` })
    return mapped.body
  })

/**
 * A write whose refusal (a 4xx on this record) quarantines the record and answers None, so the caller skips
 * what depends on it; whatever stops the whole load (401, unreachable) still fails.
 */
export const writeOrReject = (q: QtestLoad, write: TargetWrite): Effect.Effect<Option.Option<WriteResult>, SystemError | StoreError> =>
  q.load.write(write).pipe(
    Effect.map(Option.some),
    Effect.catchTag("RecordRejected", (r: RecordRejected) => Effect.as(q.load.reject(r), Option.none<WriteResult>()))
  )

/** The id of an object written earlier in this load (or an earlier run), by the sink's entity and key. */
export const mappedId = (q: QtestLoad, entity: string, key: string): Effect.Effect<number | undefined, StoreError> =>
  q.load.mapped(entity, key).pipe(Effect.map(Option.match({ onNone: () => undefined, onSome: (m) => (m.targetId.startsWith("planned:") ? undefined : numericId(m.targetId)) })))

/** While planning, ids of objects not created yet are placeholders; bodies carry 0 for them. */
export const idOf = (result: WriteResult): number => (result.targetId.startsWith("planned:") ? 0 : numericId(result.targetId))

export type QtestError = ApiError | SystemError
