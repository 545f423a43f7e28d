/** `estimate`: the totals of the big lists, for progress. */
import { Effect } from "effect"
import type { SourceInstance } from "../../../core/index.ts"
import type { SourceContext } from "./SourceContext.ts"

export const estimate = ({ client, ctx, fatal }: SourceContext): SourceInstance["estimate"] =>
  Effect.all(
    {
      Folder: client.countOf("/folders"),
      TestCase: client.countOf("/testcases"),
      TestPlan: client.countOf("/testplans"),
      TestCycle: client.countOf("/testcycles"),
      TestExecution: client.countOf("/testexecutions", { onlyLastExecutions: false })
    },
    { concurrency: ctx.concurrency }
  ).pipe(
    Effect.map((totals) => {
      const out: Record<string, number> = { Project: 1 }
      // A server that omits `total` leaves that entity out: progress shows a count without a denominator.
      for (const [entity, n] of Object.entries(totals)) if (n !== undefined) out[entity] = n
      return out
    }),
    Effect.mapError(fatal),
    Effect.withSpan("ZephyrSource.estimate")
  )
