/**
 * Holds a state to the source project and targets it was written for (Bindings.ts). Every role the spec names
 * — the source, each sink — is compared with what the state recorded; a mismatch stops the command before any
 * system is contacted, naming both. `run --rebind` makes the state follow the spec: the new identity is recorded
 * and a re-pointed sink forgets the old target's ids (its next load adopts what the new target already holds).
 * A role seen for the first time is recorded by a run (never by plan or verify, which write nothing).
 */
import * as path from "node:path"
import { Effect } from "effect"
import { StateMismatch, type StoreError } from "../errors.ts"
import type { SystemIdentity } from "../plugin/Plugin.ts"
import type { StateStoreShape } from "../store/StateStore.ts"

export interface BoundRole {
  /** "source", or the sink's name. */
  readonly role: string
  readonly plugin: string
  /** Undefined: the plugin declares no identity, and the role is not bound. */
  readonly identity: SystemIdentity | undefined
}

export interface Rebound {
  readonly role: string
  readonly from: string
  readonly to: string
  /** Id map rows of the old target that were dropped (sinks). */
  readonly forgotten: number
}

const sameKey = (a: SystemIdentity["key"], b: SystemIdentity["key"]): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) if (a[k] !== b[k]) return false
  return true
}

const mismatch = (statePath: string, role: string, bound: SystemIdentity, wanted: SystemIdentity): StateMismatch =>
  new StateMismatch({
    statePath,
    role,
    bound: bound.description,
    wanted: wanted.description,
    message:
      role === "source"
        ? `the state ${statePath} holds the records of ${bound.description}, but the spec's source is ${wanted.description}`
        : `the state ${statePath} maps what it loaded into ${bound.description}, but the spec points the ${role} sink at ${wanted.description}`,
    hint:
      role === "source"
        ? "give another project a state of its own (state.path in the spec); if it is the same project under a new key or URL, run with --rebind"
        : `point the sink back, or give the other target a state of its own (state.path); to move this state to the new target, run with --rebind — it forgets the old target's ids and adopts what the new target already holds by its Zephyr keys`
  })

export const checkBindings = (
  store: StateStoreShape,
  statePath: string,
  roles: ReadonlyArray<BoundRole>,
  options: { readonly record: boolean; readonly rebind: boolean; readonly runId: string }
): Effect.Effect<ReadonlyArray<Rebound>, StateMismatch | StoreError> =>
  Effect.gen(function* () {
    const shown = path.resolve(statePath)
    const changes: Array<{ readonly role: BoundRole; readonly identity: SystemIdentity; readonly from: SystemIdentity | undefined }> = []
    for (const role of roles) {
      if (role.identity === undefined) continue
      const bound = yield* store.binding(role.role)
      if (bound !== undefined && sameKey(bound.identity.key, role.identity.key)) continue
      if (bound !== undefined && !options.rebind) return yield* Effect.fail(mismatch(shown, role.role, bound.identity, role.identity))
      changes.push({ role, identity: role.identity, from: bound?.identity })
    }
    if (!options.record) return []
    const rebound: Array<Rebound> = []
    for (const c of changes) {
      const forgotten = c.from !== undefined && c.role.role !== "source" ? yield* store.forgetTarget(c.role.plugin) : 0
      yield* store.bind(c.role.role, c.role.plugin, c.identity, options.runId)
      if (c.from !== undefined) rebound.push({ role: c.role.role, from: c.from.description, to: c.identity.description, forgotten })
    }
    return rebound
  })
