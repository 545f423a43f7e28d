/**
 * A data file (or the built-in demo) as a `TenantSource`: the SandboxIndex tables wrapped as lazy lists. Every
 * list object is built once, so the overlay and the routes can memoise per list.
 *
 * Update times: Zephyr returns none, so an entity's internal `updatedOn` is the latest time its data shows (a
 * case's `createdOn`, an execution's `actualEndDate`), else the moment the sandbox loaded the data. That keeps
 * an incremental run against an unchanged sandbox empty, while `updatedAfter` far in the past returns everything.
 */
import { buildIndex, type Table as IndexTable } from "./SandboxIndex.ts"
import { arrayList, EMPTY_LIST, type Entity, type KeyedTable, type LazyList, type Table, type TenantSource } from "./Tenant.ts"
import type { ZephyrData } from "./ZephyrData.ts"

const listsOf = <K, T extends Entity>(groups: ReadonlyMap<K, ReadonlyArray<T>>): ((k: K) => LazyList<T>) => {
  const lists = new Map<K, LazyList<T>>()
  for (const [k, items] of groups) lists.set(k, arrayList(items))
  return (k) => lists.get(k) ?? EMPTY_LIST
}

const table = <T extends Entity>(t: IndexTable<T>): Table<T> => ({
  all: arrayList(t.all),
  byId: (id) => t.byId.get(id),
  byProject: listsOf(t.byProject)
})

const keyed = <T extends Entity>(t: IndexTable<T> & { readonly byKey: ReadonlyMap<string, T> }): KeyedTable<T> => ({
  ...table(t),
  byKey: (key) => t.byKey.get(key)
})

const time = (iso: string | null | undefined, fallback: number): number => {
  if (iso === null || iso === undefined) return fallback
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? fallback : ms
}

export const dataTenant = (data: ZephyrData, loadedAt: number): TenantSource => {
  const index = buildIndex(data)
  const attachmentCount = [...index.attachments.values()].reduce((n, list) => n + list.length, 0)
  return {
    projects: {
      all: arrayList(index.projects),
      byId: (id) => index.projectById.get(id),
      byKey: (key) => index.projectByKey.get(key)
    },
    folders: table(index.folders),
    statuses: table(index.statuses),
    priorities: table(index.priorities),
    environments: table(index.environments),
    testcases: keyed(index.testcases),
    casesByFolder: listsOf(index.casesByFolder),
    latestVersion: (key) => index.latestVersion.get(key) ?? 1,
    teststeps: (key) => index.teststeps.get(key) ?? [],
    testscript: (key) => index.testscripts.get(key),
    testcycles: keyed(index.testcycles),
    cyclesByFolder: listsOf(index.cyclesByFolder),
    testplans: keyed(index.testplans),
    testexecutions: keyed(index.testexecutions),
    executionsByCycle: listsOf(index.executionsByCycle),
    executionsByCase: listsOf(index.executionsByCase),
    executionCase: (id) => index.executionCase.get(id),
    isLastExecution: (id) => index.lastExecutions.has(id),
    executionsteps: (id) => index.executionsteps.get(id) ?? [],
    attachments: (owner) => index.attachments.get(owner) ?? [],
    attachmentBytes: (owner, id) => (index.attachments.get(owner) ?? []).find((a) => a.id === id),
    attachmentCount,
    updatedOn: (kind, id) => {
      switch (kind) {
        case "testcases":
          return time(index.testcases.byId.get(id)?.createdOn, loadedAt)
        case "testexecutions":
          return time(index.testexecutions.byId.get(id)?.actualEndDate, loadedAt)
        default:
          return loadedAt
      }
    }
  }
}
