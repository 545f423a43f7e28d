/**
 * The sandbox's project saved to a file and read back, so that `migrate run --sandbox` rehearsals build on each
 * other the way runs against a real qTest do: the second run finds what the first created (its id map says
 * so), and `verify --sandbox` reads it back. Every table and counter of the ProjectState is saved; bytes of
 * attachments as base64. Written to a temporary name and renamed, so a crash never leaves half a file.
 */
import * as fs from "node:fs"
import type { ProjectState } from "./ProjectState.ts"
import { Counter, Table } from "./Store.ts"

const BYTES = "$bytes"

const replacer = (_key: string, value: unknown) =>
  value instanceof Uint8Array ? { [BYTES]: Buffer.from(value).toString("base64") } : value

const reviver = (_key: string, value: unknown) =>
  value !== null && typeof value === "object" && BYTES in value && Object.keys(value).length === 1
    ? new Uint8Array(Buffer.from((value as Record<string, string>)[BYTES]!, "base64"))
    : value

export const snapshotOf = (state: ProjectState): string => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(state)) {
    if (value instanceof Table) out[name] = { table: value.entries() }
    else if (value instanceof Counter) out[name] = { counter: value.peek() }
    else if (name === "pids") out[name] = { pids: Object.fromEntries(Object.entries(value as Record<string, Counter>).map(([k, c]) => [k, c.peek()])) }
  }
  return JSON.stringify(out, replacer)
}

export const restoreSnapshot = (state: ProjectState, text: string): void => {
  const saved = JSON.parse(text, reviver) as Record<string, { table?: Array<[unknown, unknown]>; counter?: number; pids?: Record<string, number> }>
  for (const [name, value] of Object.entries(state)) {
    const s = saved[name]
    if (s === undefined) continue
    if (value instanceof Table && s.table) value.restore(s.table)
    else if (value instanceof Counter && s.counter !== undefined) value.restore(s.counter)
    else if (name === "pids" && s.pids) for (const [k, c] of Object.entries(value as Record<string, Counter>)) if (s.pids[k] !== undefined) c.restore(s.pids[k])
  }
}

export const writeSnapshot = (file: string, state: ProjectState): void => {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, snapshotOf(state))
  fs.renameSync(tmp, file)
}
