/** Per-entity tallies of one run, the backbone of progress lines and the report. */
export interface EntityCounts {
  extracted: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  quarantined: number
  /** Stored children a re-read parent no longer has at the source (a deleted step), removed from the store. */
  removed: number
}

export const emptyCounts = (): EntityCounts => ({ extracted: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, quarantined: 0, removed: 0 })

export class RunCounts {
  readonly byEntity = new Map<string, EntityCounts>()

  of(entity: string): EntityCounts {
    let c = this.byEntity.get(entity)
    if (!c) {
      c = emptyCounts()
      this.byEntity.set(entity, c)
    }
    return c
  }

  total(): EntityCounts {
    const t = emptyCounts()
    for (const c of this.byEntity.values()) for (const k of Object.keys(t) as Array<keyof EntityCounts>) t[k] += c[k]
    return t
  }

  toJSON(): Record<string, EntityCounts> {
    return Object.fromEntries([...this.byEntity].map(([k, v]) => [k, { ...v }]))
  }
}
