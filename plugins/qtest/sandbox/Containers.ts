/**
 * The Test Execution tree's parents (`?parentId=&parentType=root|release|test-cycle|test-suite`,
 * docs/vendors/qtest.md §4.5–4.6): `parentId=0` or no parent is the root; a non-root parent must exist; a cycle
 * cannot move under itself.
 */
import { queryInt } from "./Body.ts"
import type { Container, ContainerType } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { cyclesIn } from "./Queries.ts"
import { fail } from "./Reply.ts"

export const containerExists = (state: ProjectState, c: Container): boolean => {
  switch (c.type) {
    case "root":
      return true
    case "release":
      return state.releases.has(c.id)
    case "test-cycle":
      return state.testCycles.has(c.id)
    case "test-suite":
      return state.testSuites.has(c.id)
  }
}

/** The container a query names, or undefined when it names none; 400 for an invalid or unknown one. */
export const containerFromQuery = (state: ProjectState, q: URLSearchParams, allowed: ReadonlyArray<ContainerType>): Container | undefined => {
  const rawType = q.get("parentType")
  const id = queryInt(q, "parentId")
  if (rawType === null || rawType === "") {
    if (id === undefined) return undefined
    if (id === 0) return { type: "root", id: 0 }
    return fail(400, `parentType is required with parentId: one of ${allowed.join(", ")}`)
  }
  if (!(allowed as ReadonlyArray<string>).includes(rawType)) return fail(400, `parentType must be one of ${allowed.join(", ")}`)
  const type = rawType as ContainerType
  if (type === "root") return { type: "root", id: 0 }
  if (id === undefined || id === 0) return fail(400, `parentId is required for parentType ${type}`)
  const c = { type, id }
  return containerExists(state, c) ? c : fail(400, `The parent ${type} ${id} does not exist`)
}

/** Whether `inner` is `cycleId` or lies somewhere under it. */
export const isWithinCycle = (state: ProjectState, inner: Container, cycleId: number): boolean => {
  if (inner.type === "test-cycle" && inner.id === cycleId) return true
  const stack = [cycleId]
  while (stack.length > 0) {
    const id = stack.pop() as number
    for (const child of cyclesIn(state, { type: "test-cycle", id })) {
      if (inner.type === "test-cycle" && child.id === inner.id) return true
      stack.push(child.id)
    }
  }
  return false
}
