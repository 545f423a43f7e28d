/** The four big lists, read through their cursor (`/nextgen`) endpoints, with a Checkpoint after every item and page. */
import { Effect, Stream } from "effect"
import { checkpointItem, type SourceItem } from "../mapping/index.ts"
import type { ZephyrClientError } from "../ZephyrClient.ts"
import { after, phaseList, type Phase, type ResumeState } from "./resume.ts"
import type { SourceContext } from "./SourceContext.ts"

export const cursorLists = ({ client, ctx }: SourceContext) => {
  /**
   * One list, read through its cursor endpoint from `startAtId` (with `updatedAfter` in incremental runs).
   * Items come in id order and `startAtId` is inclusive, so after each item's group (the item, its children,
   * its ChildSet — fetched with bounded concurrency, emitted in list order) a Checkpoint `startAtId = id + 1`
   * is a valid place to continue; after each page, the server's own `nextStartAtId`; after the last page, the
   * next list. A resumed extract re-reads at most the item whose group a batch commit cut in two, not the
   * (up to 1000-item) page.
   */
  const listStream = <E>(
    phase: Phase,
    startAtId: number,
    since: string | undefined,
    itemRecords: (raw: unknown) => Effect.Effect<ReadonlyArray<SourceItem>, E>
  ): Stream.Stream<SourceItem, ZephyrClientError | E> =>
    client.cursorPages(phaseList[phase], { updatedAfter: since, startAtId }).pipe(
      Stream.mapConcat((page): ReadonlyArray<{ readonly raw: unknown } | { readonly resumeAt: ResumeState }> => [
        ...page.values.map((raw) => ({ raw })),
        { resumeAt: page.next === null ? after(phase) : { v: 1, phase, startAtId: page.next } }
      ]),
      // Bounded: one item with its children per slot; results stay in list order, checkpoints after their page.
      Stream.mapEffect(
        (step) => {
          if (!("raw" in step)) return Effect.succeed([checkpointItem(step.resumeAt)])
          const id = rawId(step.raw)
          // A malformed item without an id gets no checkpoint of its own: the next one covers it.
          return id === undefined ? itemRecords(step.raw) : Effect.map(itemRecords(step.raw), (group) => [...group, checkpointItem({ v: 1, phase, startAtId: id + 1 })])
        },
        { concurrency: ctx.concurrency }
      ),
      Stream.flattenIterables
    )

  return listStream
}

/** The numeric id of a raw list item, when it has one. */
const rawId = (raw: unknown): number | undefined => {
  const id = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)["id"] : undefined
  return typeof id === "number" && Number.isInteger(id) && id >= 0 ? id : undefined
}
