/**
 * A small seeded PRNG (mulberry32) for sandboxes: faults, throttling quirks and generated data must be
 * reproducible from a seed, which `Math.random` cannot give. In core so that every plugin's sandbox shares one.
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

/**
 * A 32-bit hash of integers (murmur3 finaliser per part): the seed of one generated entity, so entity `i` can be
 * computed on its own — without generating entities 0..i-1 first — and always comes out the same.
 */
export const mix = (...parts: ReadonlyArray<number>): number => {
  let h = 0x811c9dc5
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The PRNG of one generated entity: `(seed, salt, index)` → its own stream. */
export const prngFor = (...parts: ReadonlyArray<number>): Prng => makePrng(mix(...parts))
