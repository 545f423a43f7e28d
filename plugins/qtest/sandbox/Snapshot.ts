/**
 * The sandbox's projects saved to a file and read back, so that `migrate run --sandbox` rehearsals build on
 * each other the way runs against a real qTest do: the second run finds what the first created (its id map says
 * so), and `verify --sandbox` reads it back. Every table and counter of each ProjectState is saved; bytes of
 * attachments as base64. Written to a temporary name and renamed, so a crash never leaves half a file.
 *
 * A site of one project is saved as that project's object alone — the format files had before the sandbox
 * served several projects, so old files load and a one-project file reads the same either way. A site of
 * several is `{"projects": [{projectId, name, state}]}`, each `state` in that same per-project format.
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

/** One project as saved: its tables and counters by the ProjectState's field names. */
export type SavedProject = Record<string, { table?: Array<[unknown, unknown]>; counter?: number; pids?: Record<string, number> }>

const savedProjectOf = (state: ProjectState): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(state)) {
    if (value instanceof Table) out[name] = { table: value.entries() }
    else if (value instanceof Counter) out[name] = { counter: value.peek() }
    else if (name === "pids") out[name] = { pids: Object.fromEntries(Object.entries(value as Record<string, Counter>).map(([k, c]) => [k, c.peek()])) }
  }
  return out
}

export const snapshotOf = (projects: ReadonlyArray<ProjectState>): string =>
  projects.length === 1
    ? JSON.stringify(savedProjectOf(projects[0]!), replacer)
    : JSON.stringify({ projects: projects.map((p) => ({ projectId: p.project.id, name: p.project.name, state: savedProjectOf(p) })) }, replacer)

/**
 * The projects of a file, in its order; `projectId` is undefined for a one-project file (it belongs to the
 * site's first project). Throws on a file that is not a snapshot.
 */
export const readSnapshot = (text: string): ReadonlyArray<{ readonly projectId: number | undefined; readonly saved: SavedProject }> => {
  const parsed: unknown = JSON.parse(text, reviver)
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a sandbox snapshot (expected a JSON object)")
  const projects = (parsed as { projects?: unknown }).projects
  if (projects === undefined) return [{ projectId: undefined, saved: parsed as SavedProject }]
  if (!Array.isArray(projects)) throw new Error("'projects' must be a list")
  return projects.map((p: unknown, i) => {
    const entry = p as { projectId?: unknown; state?: unknown } | null
    if (entry === null || typeof entry !== "object" || typeof entry.projectId !== "number" || entry.state === null || typeof entry.state !== "object")
      throw new Error(`project ${i + 1} of the file has no projectId or state`)
    return { projectId: entry.projectId, saved: entry.state as SavedProject }
  })
}

/**
 * Restores one project's tables and counters. A counter never goes back (the larger of its value and the saved
 * one): the ids a site shares may already be past what this project's file recorded.
 */
export const restoreProject = (state: ProjectState, saved: SavedProject): void => {
  const counter = (c: Counter, value: number) => c.restore(Math.max(c.peek(), value))
  for (const [name, value] of Object.entries(state)) {
    const s = saved[name]
    if (s === undefined) continue
    if (value instanceof Table && s.table) value.restore(s.table)
    else if (value instanceof Counter && s.counter !== undefined) counter(value, s.counter)
    else if (name === "pids" && s.pids) for (const [k, c] of Object.entries(value as Record<string, Counter>)) if (s.pids[k] !== undefined) counter(c, s.pids[k])
  }
}

export const writeSnapshot = (file: string, projects: ReadonlyArray<ProjectState>): void => {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, snapshotOf(projects))
  fs.renameSync(tmp, file)
}
