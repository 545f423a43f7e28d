/**
 * Provenance columns every canonical record carries (CANONICAL.md "Common to every entity"). `content_hash` is
 * core's job; the source only says where a record came from.
 */
export const SOURCE_SYSTEM = "zephyr-scale-cloud"

export const provenance = (source_id: string, source_key: string | null) =>
  ({ source_system: SOURCE_SYSTEM, source_id, source_key }) as const
