/**
 * At most `n` of the calls run at once (CLI processes on a 2-core machine shared with others): vitest's
 * concurrency counts tests, not the processes they start.
 */
export const limit = (n: number) => {
  let running = 0
  const waiting: Array<() => void> = []
  return async <A>(f: () => Promise<A>): Promise<A> => {
    // a finished call hands its slot straight to the next waiter, so `running` never exceeds n
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await f()
    } finally {
      const next = waiting.shift()
      if (next !== undefined) next()
      else running--
    }
  }
}
