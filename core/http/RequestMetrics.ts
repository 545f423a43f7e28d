/**
 * Requests, retries and throttles per remote system, for progress and the run report. Counters are plain
 * numbers: JavaScript runs one fiber at a time, so increments never race.
 */
export interface SystemCounters {
  requests: number
  retries: number
  throttled: number
  failed: number
  /** Failed attempts that were time-outs: sent, and maybe answered (a 429 too) after the client stopped waiting. */
  timedOut: number
  /** Requests (attempts, like `requests`) by the kind of object they were made for (RequestKind.ts). */
  byKind: Record<string, number>
}

export class RequestMetrics {
  private readonly counters = new Map<string, SystemCounters>()

  of(system: string): SystemCounters {
    let c = this.counters.get(system)
    if (!c) {
      c = { requests: 0, retries: 0, throttled: 0, failed: 0, timedOut: 0, byKind: {} }
      this.counters.set(system, c)
    }
    return c
  }

  /** One request of `system`, made for an object of `kind`. */
  count(system: string, kind: string): SystemCounters {
    const c = this.of(system)
    c.requests++
    c.byKind[kind] = (c.byKind[kind] ?? 0) + 1
    return c
  }

  snapshot(): Record<string, SystemCounters> {
    return Object.fromEntries([...this.counters].map(([k, v]) => [k, { ...v, byKind: { ...v.byKind } }]))
  }
}
