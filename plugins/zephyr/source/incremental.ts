/**
 * What an incremental extract reads, per edition. With cursor lists it asks the API for what changed
 * (`updatedAfter`). An edition without modification dates cannot: it reads every record again (`reread`; the
 * store writes only what changed, so nothing is loaded twice) or only the records not migrated before
 * (`add-only`) — except when the caller must see every change (a cut-over: ExtractOptions.everyChange), when
 * add-only reads everything too. The report says which one ran, and what it cannot see.
 */
import { Effect, Option } from "effect"
import type { StoreError } from "../../../core/index.ts"
import type { Phase } from "./resume.ts"
import type { SourceContext } from "./SourceContext.ts"

export interface IncrementalRead {
  /** The `updatedAfter` of the cursor lists; undefined on a full read or an edition without it. */
  readonly updatedAfter: string | undefined
  /** Whether a list item is read at all (with its children); absent: every item is. */
  readonly wanted?: ((phase: Phase, id: number) => Effect.Effect<boolean, StoreError>) | undefined
}

export const incrementalRead = ({ config, ctx }: SourceContext) => {
  const edition = config.edition
  return (since: string | undefined, everyChange: boolean): Effect.Effect<IncrementalRead> =>
    Effect.gen(function* () {
      if (since === undefined) return { updatedAfter: undefined }
      if (edition.lists === "cursor") return { updatedAfter: since }
      const mode = config.incremental ?? "reread"
      if (mode === "add-only" && everyChange) {
        yield* ctx.report.note({
          kind: "warning",
          message: `incremental: add-only is set, but this read must see every change (a cut-over): every record was read again from ${edition.product}`
        })
        return { updatedAfter: undefined }
      }
      if (mode === "reread") {
        yield* ctx.report.note({
          kind: "default",
          message: `${edition.product} has no modification dates, so this incremental run read every record again (incremental: reread) and stored only what changed. Set incremental: add-only to read only new records`
        })
        return { updatedAfter: undefined }
      }
      yield* ctx.report.note({
        kind: "warning",
        message: `incremental: add-only — only records not migrated before were read from ${edition.product}. Edits and deletions since ${since} are not seen: run with --full (or incremental: reread) to catch them`
      })
      const known = ctx.known
      if (known === undefined) return { updatedAfter: undefined }
      return {
        updatedAfter: undefined,
        wanted: (phase, id) => Effect.map(known(phase, { source_system: edition.sourceSystem, source_id: String(id) }), Option.isNone)
      }
    })
}
