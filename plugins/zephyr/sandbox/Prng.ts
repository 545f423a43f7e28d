/**
 * A small seeded PRNG (mulberry32): the sandbox's faults, throttling quirks and generated data must be
 * reproducible from a seed, which `Math.random` cannot give.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  readonly next: () => number
  /** Uniform integer in [0, n). */
  readonly int: (n: number) => number
  readonly pick: <T>(items: ReadonlyArray<T>) => T
}

export const makePrng = (seed: number): Prng => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  const pick = <T>(items: ReadonlyArray<T>): T => {
    const item = items[int(items.length)]
    if (item === undefined) throw new Error("pick from an empty list")
    return item
  }
  return { next, int, pick }
}
