/** The report's warnings about a record that is carried anyway: unresolved lookups, broken HTML, invalid dates. */
import { Effect } from "effect"
import type { CanonicalRecord, PluginContext } from "../../../core/index.ts"
import { htmlProblem, invalidDateTimes } from "../mapping/index.ts"

export const notes = (ctx: PluginContext) => {
  /**
   * A link to a status / priority / environment the lookup lists do not have is stored as null (the name is
   * unknown); the report says so, once per kind with the records it touched.
   */
  const noteUnresolved = (
    entity: CanonicalRecord["entity"],
    /** The record as the user finds it in Zephyr: its key, else its id. */
    sourceId: string,
    refs: ReadonlyArray<readonly [what: string, table: ReadonlyMap<number, string>, link: { readonly id: number } | null | undefined]>
  ) =>
    Effect.forEach(
      refs,
      ([what, table, link]) =>
        link != null && !table.has(link.id)
          ? ctx.report.note({ kind: "warning", entity, sourceId, message: `${what} id ${link.id} is not in the project's ${what} list (deleted in Zephyr?): stored as null` })
          : Effect.void,
      { discard: true }
    )

  /** Rich text is carried byte for byte (htmlProblem.ts); broken HTML is carried too, and the report says where. */
  const noteBrokenHtml = (entity: CanonicalRecord["entity"], sourceId: string, fields: Readonly<Record<string, string | null | undefined>>) =>
    Effect.forEach(
      Object.entries(fields),
      ([field, html]) => {
        const problem = htmlProblem(html)
        return problem === undefined
          ? Effect.void
          : ctx.report.note({ kind: "warning", entity, sourceId, message: `the HTML of ${field} is not well-formed (${problem}): carried as written` })
      },
      { discard: true }
    )

  /** Date-times that are no date-time are not carried (dateTime.ts): the report says which, with the value. */
  const noteInvalidDates = (entity: CanonicalRecord["entity"], sourceId: string, fields: Readonly<Record<string, string | null | undefined>>) =>
    Effect.forEach(
      invalidDateTimes(fields),
      ([field, value]) =>
        ctx.report.note({ kind: "warning", entity, sourceId, message: `${field} ${JSON.stringify(value.slice(0, 40))} is not a date-time: not carried (the record is)` }),
      { discard: true }
    )

  return { noteUnresolved, noteBrokenHtml, noteInvalidDates }
}
