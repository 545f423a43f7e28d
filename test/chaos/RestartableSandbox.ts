/**
 * A sandbox that can be killed and started again on the same port, keeping its state where the sandbox keeps it
 * (qTest's snapshot file, Snowflake's DuckDB file, Zephyr's deterministic tenant): stopping closes its scope —
 * every open connection is dropped, clients see resets and then refused connections — and starting it again
 * is the sandbox's ordinary start, with the same options or changed ones (a fault removed, a token renewed).
 * A restart can be triggered mid-run, when the running instance has received a given number of requests.
 */
import { Effect, Exit, Scope } from "effect"

export interface Restartable<O, S> {
  /** The instance serving now. */
  readonly current: () => S
  readonly port: number
  /** The options the current instance was started with. */
  readonly options: () => O
  /** Every instance so far, oldest first (their statistics stay readable after they stopped). */
  readonly instances: () => ReadonlyArray<S>
  /** Stops the server and, after `downMs`, starts it on the same port with `change` applied to its options. */
  readonly restart: (change?: Partial<O>, downMs?: number) => Promise<void>
  /**
   * Restarts (as `restart`) once the current instance has received `requests` requests; true when it is up
   * again, false when `cancel` came first (the run ended before that many requests).
   */
  readonly restartAfter: (requests: number, change?: Partial<O>, downMs?: number) => Promise<boolean>
  /** Gives up the restarts still waiting for their request count. */
  readonly cancel: () => void
  readonly stop: () => Promise<void>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const startRestartable = async <O extends { readonly port?: number | undefined }, S extends { readonly port: number }>(
  start: (options: O) => Effect.Effect<S, unknown, Scope.Scope>,
  options: O,
  requestsOf: (instance: S) => number
): Promise<Restartable<O, S>> => {
  const launch = async (o: O) => {
    const scope = await Effect.runPromise(Scope.make())
    try {
      return { scope, instance: await Effect.runPromise(Scope.extend(start(o), scope)) }
    } catch (e) {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      throw e
    }
  }
  let current = await launch(options)
  const port = current.instance.port
  let opts: O = { ...options, port }
  const instances: Array<S> = [current.instance]
  let stopped = false

  const stop = async () => {
    if (stopped) return
    stopped = true
    await Effect.runPromise(Scope.close(current.scope, Exit.void))
  }
  const restart = async (change: Partial<O> = {}, downMs = 100) => {
    await stop()
    await sleep(downMs)
    opts = { ...opts, ...change, port }
    current = await launch(opts)
    stopped = false
    instances.push(current.instance)
  }
  const waiting = new Set<() => void>()
  const restartAfter = (requests: number, change: Partial<O> = {}, downMs = 100) =>
    new Promise<boolean>((resolve, reject) => {
      const poll = setInterval(() => {
        if (requestsOf(current.instance) < requests) return
        cancelOne()
        restart(change, downMs).then(() => resolve(true), reject)
      }, 1)
      const cancelOne = () => {
        clearInterval(poll)
        waiting.delete(giveUp)
      }
      const giveUp = () => {
        cancelOne()
        resolve(false)
      }
      waiting.add(giveUp)
    })
  const cancel = () => {
    for (const giveUp of [...waiting]) giveUp()
  }
  return { current: () => current.instance, port, options: () => opts, instances: () => [...instances], restart, restartAfter, cancel, stop }
}
