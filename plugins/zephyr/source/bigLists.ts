/**
 * The four big lists, page by page — through the cursor endpoints or the offset ones, as the edition has them —
 * with a Checkpoint after every item and page.
 */
import { Effect, Stream } from "effect"
import { checkpointItem, type SourceItem } from "../mapping/index.ts"
import type { StoreError } from "../../../core/index.ts"
import type { ZephyrClientError } from "../ZephyrClient.ts"
import type { IncrementalRead } from "./incremental.ts"
import { after, at, phaseList, type Phase, type ResumeState } from "./resume.ts"
import type { SourceContext } from "./SourceContext.ts"

/** A page of raw items: where each item's group ends (a resume point, when it has one) and where the page ends. */
interface Page {
  readonly items: ReadonlyArray<{ readonly raw: unknown; readonly resumeAfter: ResumeState | undefined }>
  readonly end: ResumeState
}

export const bigLists = ({ client, config, ctx }: SourceContext) => {
  const edition = config.edition

  /**
   * Cursor lists come in id order and `startAtId` is inclusive, so after an item `startAtId = id + 1` is a valid
   * place to continue (a malformed item without an id gets none: the next one covers it); offset lists are in a
   * fixed order, so after the i-th item of the list it is `startAt = i + 1`. `since` filters cursor lists only:
   * the offset endpoints have no `updatedAfter`.
   */
  const pages = (phase: Phase, position: number, since: string | undefined): Stream.Stream<Page, ZephyrClientError> => {
    const end = (next: number | null) => (next === null ? after(edition, phase) : at(edition, phase, next))
    return edition.lists === "cursor"
      ? Stream.map(client.cursorPages(phaseList[phase], { updatedAfter: since, startAtId: position }), (p) => ({
          items: p.values.map((raw) => {
            const id = rawId(raw)
            return { raw, resumeAfter: id === undefined ? undefined : at(edition, phase, id + 1) }
          }),
          end: end(p.next)
        }))
      : Stream.map(client.offsetPages(phaseList[phase], { startAt: position }), (p) => ({
          items: p.values.map((raw, i) => ({ raw, resumeAfter: at(edition, phase, p.startAt + i + 1) })),
          end: end(p.next)
        }))
  }

  /**
   * One list from `position`. Each item's group (the item, its children, its ChildSet — fetched with bounded
   * concurrency, emitted in list order) is followed by its Checkpoint, each page by the server's own next
   * position, the last page by the next list's start. A resumed extract re-reads at most the item whose group a
   * batch commit cut in two, not the (up to 1000-item) page. An item the incremental read does not want (an
   * add-only run's known one) yields only its Checkpoint.
   */
  const listStream = <E>(
    phase: Phase,
    position: number,
    read: IncrementalRead,
    itemRecords: (raw: unknown) => Effect.Effect<ReadonlyArray<SourceItem>, E>
  ): Stream.Stream<SourceItem, ZephyrClientError | StoreError | E> => {
    const wanted = read.wanted
    const records =
      wanted === undefined
        ? itemRecords
        : (raw: unknown): Effect.Effect<ReadonlyArray<SourceItem>, StoreError | E> => {
            const id = rawId(raw)
            return id === undefined ? itemRecords(raw) : Effect.flatMap(wanted(phase, id), (w) => (w ? itemRecords(raw) : Effect.succeed([])))
          }
    return pages(phase, position, read.updatedAfter).pipe(
      Stream.mapConcat((page): ReadonlyArray<{ readonly raw: unknown; readonly resumeAfter: ResumeState | undefined } | { readonly resumeAt: ResumeState }> => [
        ...page.items,
        { resumeAt: page.end }
      ]),
      // Bounded: one item with its children per slot; results stay in list order, checkpoints after their page.
      Stream.mapEffect(
        (step) => {
          if (!("raw" in step)) return Effect.succeed([checkpointItem(step.resumeAt)])
          const resumeAfter = step.resumeAfter
          return resumeAfter === undefined ? records(step.raw) : Effect.map(records(step.raw), (group) => [...group, checkpointItem(resumeAfter)])
        },
        { concurrency: ctx.concurrency }
      ),
      Stream.flattenIterables
    )
  }

  return listStream
}

/** The numeric id of a raw list item, when it has one. */
const rawId = (raw: unknown): number | undefined => {
  const id = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)["id"] : undefined
  return typeof id === "number" && Number.isInteger(id) && id >= 0 ? id : undefined
}
