/**
 * In-memory tables with undo, so that every write request is atomic: a handler runs inside
 * `journal.transaction`, and if it refuses the request half-way (a 400 on the third test step, a 412 after
 * the module was created) every table change and counter step it made is undone. Entities are immutable
 * values; an update replaces the value (`table.set(id, {...old, name})`), which is what the undo log records.
 */
export class Journal {
  private undo: Array<() => void> | undefined = undefined

  record(undo: () => void): void {
    this.undo?.push(undo)
  }

  /** Runs `f`; if it throws, every change recorded since the start is undone and the error rethrown. */
  transaction<A>(f: () => A): A {
    if (this.undo !== undefined) return f()
    const log: Array<() => void> = []
    this.undo = log
    try {
      const result = f()
      this.undo = undefined
      return result
    } catch (e) {
      this.undo = undefined
      for (let i = log.length - 1; i >= 0; i--) log[i]?.()
      throw e
    }
  }
}

export class Table<K, V> {
  private readonly rows = new Map<K, V>()
  private readonly journal: Journal
  /** Keys by group (`groupOf`), when the table has one: a group's rows without a scan of the table. */
  private readonly groups: Map<string, Set<K>> | undefined
  private readonly groupOf: ((value: V) => string) | undefined

  constructor(journal: Journal, groupOf?: (value: V) => string) {
    this.journal = journal
    this.groupOf = groupOf
    this.groups = groupOf === undefined ? undefined : new Map()
  }

  get(key: K): V | undefined {
    return this.rows.get(key)
  }

  has(key: K): boolean {
    return this.rows.has(key)
  }

  set(key: K, value: V): V {
    const had = this.rows.has(key)
    const previous = this.rows.get(key)
    this.journal.record(() => (had ? this.put(key, previous as V) : this.remove(key)))
    this.put(key, value)
    return value
  }

  delete(key: K): void {
    if (!this.rows.has(key)) return
    const previous = this.rows.get(key) as V
    this.journal.record(() => this.put(key, previous))
    this.remove(key)
  }

  /** The rows of one group (`groupOf`), in the order they joined it (callers sort as the API does). */
  inGroup(group: string): Array<V> {
    if (this.groups === undefined) throw new Error("this table has no groups")
    const out: Array<V> = []
    for (const k of this.groups.get(group) ?? []) out.push(this.rows.get(k) as V)
    return out
  }

  private put(key: K, value: V): void {
    if (this.rows.has(key)) this.ungroup(key, this.rows.get(key) as V)
    this.rows.set(key, value)
    if (this.groups !== undefined) {
      const g = this.groupOf!(value)
      let keys = this.groups.get(g)
      if (keys === undefined) this.groups.set(g, (keys = new Set()))
      keys.add(key)
    }
  }

  private remove(key: K): void {
    if (!this.rows.has(key)) return
    this.ungroup(key, this.rows.get(key) as V)
    this.rows.delete(key)
  }

  private ungroup(key: K, value: V): void {
    if (this.groups === undefined) return
    const g = this.groupOf!(value)
    const keys = this.groups.get(g)
    keys?.delete(key)
    if (keys?.size === 0) this.groups.delete(g)
  }

  /** Every row, for a snapshot (Snapshot.ts). */
  entries(): Array<[K, V]> {
    return [...this.rows.entries()]
  }

  /** Replaces every row, outside any transaction: restoring a snapshot at start. */
  restore(entries: ReadonlyArray<readonly [K, V]>): void {
    this.rows.clear()
    this.groups?.clear()
    for (const [k, v] of entries) this.put(k, v)
  }

  /** A snapshot: callers may write to the table while iterating it. */
  values(): Array<V> {
    return [...this.rows.values()]
  }

  filter(test: (v: V) => boolean): Array<V> {
    const out: Array<V> = []
    for (const v of this.rows.values()) if (test(v)) out.push(v)
    return out
  }

  find(test: (v: V) => boolean): V | undefined {
    for (const v of this.rows.values()) if (test(v)) return v
    return undefined
  }

  get size(): number {
    return this.rows.size
  }
}

/** A sequence (ids, PID numbers, sibling positions); a rolled-back request gives its numbers back. */
export class Counter {
  private value: number
  private readonly journal: Journal

  constructor(journal: Journal, first: number) {
    this.journal = journal
    this.value = first
  }

  next(): number {
    const n = this.value
    this.journal.record(() => {
      this.value = n
    })
    this.value = n + 1
    return n
  }

  /** The number `next()` would return. */
  peek(): number {
    return this.value
  }

  /** Restoring a snapshot at start. */
  restore(value: number): void {
    this.value = value
  }
}
