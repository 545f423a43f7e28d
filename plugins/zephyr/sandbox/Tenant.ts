/**
 * What the sandbox's routes read: one Zephyr tenant as lookups and *lazy* lists. Two sources implement it — a
 * data file / the demo (everything in memory, SandboxIndex.ts) and the seeded generator (generatedData.ts, which
 * computes each entity from (seed, index) on demand) — and one overlay (mutableTenant.ts) adds mutations on top
 * of either. Lists are `{length, at, idAt}` rather than arrays so that a tenant of 100,000 executions is served
 * without ever holding 100,000 execution objects: a page materialises only its own items.
 */
import type {
  ZephyrEnvironment,
  ZephyrExecutionStep,
  ZephyrFolder,
  ZephyrPriority,
  ZephyrProject,
  ZephyrStatus,
  ZephyrTestCase,
  ZephyrTestCycle,
  ZephyrTestExecution,
  ZephyrTestPlan,
  ZephyrTestScript,
  ZephyrTestStep
} from "./ZephyrData.ts"

export interface Entity {
  readonly id: number
}

/** A random-access list whose items may be computed on each access. */
export interface LazyList<T extends Entity> {
  readonly length: number
  readonly at: (i: number) => T | undefined
  /** The id at a position without building the entity (filters and cursors scan ids, not objects). */
  readonly idAt: (i: number) => number
  /** Ids strictly increase with position, so the cursor endpoints can binary-search without sorting. */
  readonly idOrdered: boolean
}

export interface Table<T extends Entity> {
  readonly all: LazyList<T>
  readonly byId: (id: number) => T | undefined
  readonly byProject: (projectId: number) => LazyList<T>
}

export interface KeyedTable<T extends Entity> extends Table<T> {
  readonly byKey: (key: string) => T | undefined
}

/** Where a version link points: the case key and version number. */
export interface CaseVersion {
  readonly key: string
  readonly version: number
}

/** An attachment as listed (`{id, name}`) plus the type its download is served with. */
export interface AttachmentInfo {
  readonly id: number
  readonly name: string
  readonly contentType: string
}

export interface StoredAttachment extends AttachmentInfo {
  readonly bytes: Uint8Array
}

/** The entities that carry an internal update time (the `updatedAfter` filter of the cursor endpoints). */
export type TenantKind = "testcases" | "testcycles" | "testplans" | "testexecutions"

export interface TenantCounts {
  readonly projects: number
  readonly folders: number
  readonly testcases: number
  readonly testcycles: number
  readonly testplans: number
  readonly testexecutions: number
  readonly attachments: number
}

/** A tenant's content, read-only. Owners of attachments are `"testcases/KEY"` or `"testexecutions/ID"`. */
export interface TenantSource {
  readonly projects: {
    readonly all: LazyList<ZephyrProject>
    readonly byId: (id: number) => ZephyrProject | undefined
    readonly byKey: (key: string) => ZephyrProject | undefined
  }
  readonly folders: Table<ZephyrFolder>
  readonly statuses: Table<ZephyrStatus>
  readonly priorities: Table<ZephyrPriority>
  readonly environments: Table<ZephyrEnvironment>
  readonly testcases: KeyedTable<ZephyrTestCase>
  readonly casesByFolder: (folderId: number) => LazyList<ZephyrTestCase>
  /** Latest version number of a case (1 when it has one version). */
  readonly latestVersion: (key: string) => number
  /** Step-by-step content; empty for script cases. */
  readonly teststeps: (key: string) => ReadonlyArray<ZephyrTestStep>
  /** Plain-text / BDD content; undefined for step-by-step cases. */
  readonly testscript: (key: string) => ZephyrTestScript | undefined
  readonly testcycles: KeyedTable<ZephyrTestCycle>
  readonly cyclesByFolder: (folderId: number) => LazyList<ZephyrTestCycle>
  readonly testplans: KeyedTable<ZephyrTestPlan>
  readonly testexecutions: KeyedTable<ZephyrTestExecution>
  readonly executionsByCycle: (cycleId: number) => LazyList<ZephyrTestExecution>
  readonly executionsByCase: (key: string) => LazyList<ZephyrTestExecution>
  /** The case version an execution ran. */
  readonly executionCase: (executionId: number) => CaseVersion | undefined
  /** The last execution of its (cycle, case) item, or ad hoc (`onlyLastExecutions`). */
  readonly isLastExecution: (executionId: number) => boolean
  readonly executionsteps: (executionId: number) => ReadonlyArray<ZephyrExecutionStep>
  readonly attachments: (owner: string) => ReadonlyArray<AttachmentInfo>
  readonly attachmentBytes: (owner: string, id: number) => StoredAttachment | undefined
  readonly attachmentCount: number
  /**
   * When an entity last changed (epoch ms). Internal: Zephyr's read shapes carry no update time, so it is never
   * served; only `updatedAfter` reads it.
   */
  readonly updatedOn: (kind: TenantKind, id: number) => number
  /**
   * Highest `PROJ-T<n>` / `PROJ-E<n>` number in use, when the source knows it without a scan (mutations number
   * added entities after it); absent, the overlay scans the keys once.
   */
  readonly maxKeyNumber?: ((letter: "T" | "E", projectKey: string) => number) | undefined
}

export const EMPTY_LIST: LazyList<never> = { length: 0, at: () => undefined, idAt: () => -1, idOrdered: true }

const isOrdered = (length: number, idAt: (i: number) => number): boolean => {
  for (let i = 1; i < length; i++) if (idAt(i - 1) >= idAt(i)) return false
  return true
}

export const arrayList = <T extends Entity>(items: ReadonlyArray<T>): LazyList<T> => {
  const idAt = (i: number) => items[i]?.id ?? -1
  return { length: items.length, at: (i) => items[i], idAt, idOrdered: isOrdered(items.length, idAt) }
}

/** The items of `base` at `positions` (ascending positions keep the base's id order). */
export const positionsList = <T extends Entity>(base: LazyList<T>, positions: Int32Array): LazyList<T> => ({
  length: positions.length,
  at: (i) => {
    const p = positions[i]
    return p === undefined ? undefined : base.at(p)
  },
  idAt: (i) => {
    const p = positions[i]
    return p === undefined ? -1 : base.idAt(p)
  },
  idOrdered: base.idOrdered
})

/** Items of a list computed from an index range [0, length) of some generator. */
export const generatedList = <T extends Entity>(length: number, at: (i: number) => T, idAt: (i: number) => number): LazyList<T> => ({
  length,
  at: (i) => (Number.isInteger(i) && i >= 0 && i < length ? at(i) : undefined),
  idAt: (i) => (Number.isInteger(i) && i >= 0 && i < length ? idAt(i) : -1),
  idOrdered: true
})

export const countsOf = (t: TenantSource): TenantCounts => ({
  projects: t.projects.all.length,
  folders: t.folders.all.length,
  testcases: t.testcases.all.length,
  testcycles: t.testcycles.all.length,
  testplans: t.testplans.all.length,
  testexecutions: t.testexecutions.all.length,
  attachments: t.attachmentCount
})
