/** Test plans and test cycles: each comes with its custom fields and links, so neither needs a further request. */
import { Effect, Either, type Schema } from "effect"
import type { Extracted, PluginContext } from "../../../core/index.ts"
import { childSetOf, type Lookups, type SourceItem } from "../mapping/index.ts"
import { decodeOrQuarantine } from "./failures.ts"
import { notes } from "./notes.ts"

export const plansAndCycles = (ctx: PluginContext) => {
  const { noteUnresolved, noteInvalidDates } = notes(ctx)
  /** Plans and cycles need no further request: each comes with its custom fields and links. */
  const planOrCycle =
    <
      A extends {
        readonly id: number
        readonly key: string
        readonly status?: { readonly id: number } | null | undefined
        readonly plannedStartDate?: string | null | undefined
        readonly plannedEndDate?: string | null | undefined
      },
      I
    >(
      schema: Schema.Schema<A, I>,
      entity: "TestPlan" | "TestCycle",
      map: (item: A, lookups: Lookups) => ReadonlyArray<Extracted>,
      lookups: Lookups
    ) =>
    (raw: unknown): Effect.Effect<ReadonlyArray<SourceItem>> =>
      Either.match(decodeOrQuarantine(schema, entity)(raw), {
        onLeft: (q) => Effect.succeed([q]),
        onRight: (item) => {
          const group = map(item, lookups)
          return Effect.as(
            Effect.zipRight(
              noteUnresolved(entity, item.key, [["status", lookups.statuses, item.status]]),
              noteInvalidDates(entity, item.key, { plannedStartDate: item.plannedStartDate, plannedEndDate: item.plannedEndDate })
            ),
            [...group, childSetOf(entity, item.id, group, ["CustomField", "Link"])]
          )
        }
      })

  return planOrCycle
}
