/**
 * Id → name tables for the entities Zephyr only ever refers to by `{id, self}` link: statuses (all four types),
 * priorities and environments. They are read once, before anything that refers to them, and are the only
 * project-wide state the source keeps besides the folder tree.
 */
export interface Lookups {
  readonly statuses: ReadonlyMap<number, string>
  readonly priorities: ReadonlyMap<number, string>
  readonly environments: ReadonlyMap<number, string>
}

export const emptyLookups: Lookups = { statuses: new Map(), priorities: new Map(), environments: new Map() }

/** The name a link points at; null when there is no link, or when the id is not in the table. */
export const nameOf = (table: ReadonlyMap<number, string>, link: { readonly id: number } | null | undefined): string | null =>
  link == null ? null : (table.get(link.id) ?? null)
