/**
 * How many scenarios of a test file run at once. A scenario mostly waits — on backoffs the clock cannot shorten
 * (the Snowflake driver's own), slow answers, restarts — so two share this 2-core machine's time well; more
 * would slow each other's requests past the 400 ms timeout the chaos spec sets.
 */
export const LANES = 2

let free = LANES
const waiting: Array<() => void> = []

/** Runs `f` when a lane is free. */
export const inLane = async <A>(f: () => Promise<A>): Promise<A> => {
  if (free > 0) free--
  else await new Promise<void>((resolve) => waiting.push(resolve))
  try {
    return await f()
  } finally {
    const next = waiting.shift()
    if (next !== undefined) next()
    else free++
  }
}
