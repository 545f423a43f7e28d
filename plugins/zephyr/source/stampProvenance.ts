/**
 * Mapping speaks the v2 shapes both editions share and writes Zephyr Cloud's `source_system`; the records of
 * another edition leave the source stamped with that edition's own, so the store says which product each record
 * came from. Cloud's records pass through untouched.
 */
import { Chunk } from "effect"
import { SOURCE_SYSTEM, type SourceItem } from "../mapping/index.ts"
import type { Edition } from "../Edition.ts"

export const stampProvenance = (edition: Edition) => {
  if (edition.sourceSystem === SOURCE_SYSTEM) return undefined
  const stamp = (item: SourceItem): SourceItem => {
    if (item.entity === "Quarantine" || item.entity === "Checkpoint") return item
    const data = item.data as { readonly source_system?: unknown }
    return data.source_system === SOURCE_SYSTEM ? ({ ...item, data: { ...item.data, source_system: edition.sourceSystem } } as SourceItem) : item
  }
  return (items: Chunk.Chunk<SourceItem>): Chunk.Chunk<SourceItem> => Chunk.map(items, stamp)
}
