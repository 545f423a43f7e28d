/**
 * Lookup tables built once when the sandbox starts, so that serving a request costs O(page), not O(data):
 * entities by id and key, per-project / per-folder / per-cycle / per-case lists (in data order), decoded
 * attachment bytes, and which execution is the last of its cycle item (`onlyLastExecutions`). dataTenant.ts
 * serves these tables through the `Tenant` interface the routes read.
 */
import { Buffer } from "node:buffer"
import type { CaseVersion, StoredAttachment } from "./Tenant.ts"
import type {
  ZephyrData,
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

export type { CaseVersion, StoredAttachment } from "./Tenant.ts"

export interface Table<T> {
  readonly all: ReadonlyArray<T>
  readonly byId: ReadonlyMap<number, T>
  readonly byProject: ReadonlyMap<number, ReadonlyArray<T>>
}

export interface KeyedTable<T> extends Table<T> {
  readonly byKey: ReadonlyMap<string, T>
}

export interface SandboxIndex {
  readonly projects: ReadonlyArray<ZephyrProject>
  readonly projectById: ReadonlyMap<number, ZephyrProject>
  readonly projectByKey: ReadonlyMap<string, ZephyrProject>
  readonly folders: Table<ZephyrFolder>
  readonly statuses: Table<ZephyrStatus>
  readonly priorities: Table<ZephyrPriority>
  readonly environments: Table<ZephyrEnvironment>
  readonly testcases: KeyedTable<ZephyrTestCase>
  readonly casesByFolder: ReadonlyMap<number, ReadonlyArray<ZephyrTestCase>>
  /** Latest version number per case key. */
  readonly latestVersion: ReadonlyMap<string, number>
  /** Every version id (the latest is the case's own id; older ones are derived, see `versionId`). */
  readonly versionById: ReadonlyMap<number, CaseVersion>
  readonly teststeps: ReadonlyMap<string, ReadonlyArray<ZephyrTestStep>>
  readonly testscripts: ReadonlyMap<string, ZephyrTestScript>
  readonly testcycles: KeyedTable<ZephyrTestCycle>
  readonly cyclesByFolder: ReadonlyMap<number, ReadonlyArray<ZephyrTestCycle>>
  readonly testplans: KeyedTable<ZephyrTestPlan>
  readonly testexecutions: KeyedTable<ZephyrTestExecution>
  readonly executionsByCycle: ReadonlyMap<number, ReadonlyArray<ZephyrTestExecution>>
  readonly executionsByCase: ReadonlyMap<string, ReadonlyArray<ZephyrTestExecution>>
  /** The case version each execution ran, resolved once. */
  readonly executionCase: ReadonlyMap<number, CaseVersion>
  /** Ids of executions that are the last of their (cycle, case) item, or ad hoc. */
  readonly lastExecutions: ReadonlySet<number>
  readonly executionsteps: ReadonlyMap<number, ReadonlyArray<ZephyrExecutionStep>>
  /** By `"testcases/KEY"` / `"testexecutions/ID"`. */
  readonly attachments: ReadonlyMap<string, ReadonlyArray<StoredAttachment>>
}

/**
 * Id of an older version of a test case. Zephyr gives every version its own id; a data file only says how many
 * versions exist, so older ones get a stable derived id (the latest version keeps the case's id).
 */
export const versionId = (caseId: number, version: number, latest: number): number => (version === latest ? caseId : caseId * 1000 + version)

const VERSION_SELF = /\/testcases\/([^/]+)\/versions\/([0-9]+)\/?$/

/** Parses `…/testcases/{key}/versions/{n}`; undefined when `self` has another form. */
export const parseVersionSelf = (self: string): CaseVersion | undefined => {
  const m = VERSION_SELF.exec(self)
  return m?.[1] !== undefined && m[2] !== undefined ? { key: decodeURIComponent(m[1]), version: Number(m[2]) } : undefined
}

const push = <K, T>(map: Map<K, Array<T>>, key: K, value: T): void => {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const table = <T extends { readonly id: number; readonly project: { readonly id: number } }>(all: ReadonlyArray<T>): Table<T> => {
  const byId = new Map<number, T>()
  const byProject = new Map<number, Array<T>>()
  for (const e of all) {
    byId.set(e.id, e)
    // `?.`: a record declared malformed may lack its project link; it is then listed under no project
    push(byProject, e.project?.id, e)
  }
  return { all, byId, byProject }
}

const keyedTable = <T extends { readonly id: number; readonly key?: string | undefined; readonly project: { readonly id: number } }>(
  all: ReadonlyArray<T>
): KeyedTable<T> => {
  const byKey = new Map<string, T>()
  // The first record with a key keeps it: a malformed file may give a second record the same key.
  for (const e of all) if (e.key !== undefined && !byKey.has(e.key)) byKey.set(e.key, e)
  return { ...table(all), byKey }
}

const decodeBase64 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "base64"))

export const buildIndex = (data: ZephyrData): SandboxIndex => {
  const testcases = keyedTable(data.testcases)
  const casesByFolder = new Map<number, Array<ZephyrTestCase>>()
  const latestVersion = new Map<string, number>()
  const versionById = new Map<number, CaseVersion>()
  for (const tc of data.testcases) {
    if (tc.folder) push(casesByFolder, tc.folder.id, tc)
    const latest = Math.max(1, data.versions?.[tc.key] ?? 1)
    latestVersion.set(tc.key, latest)
    for (let v = 1; v <= latest; v++) versionById.set(versionId(tc.id, v, latest), { key: tc.key, version: v })
  }

  const testcycles = keyedTable(data.testcycles)
  const cyclesByFolder = new Map<number, Array<ZephyrTestCycle>>()
  for (const c of data.testcycles) if (c.folder) push(cyclesByFolder, c.folder.id, c)

  const testexecutions = keyedTable(data.testexecutions)
  const executionsByCycle = new Map<number, Array<ZephyrTestExecution>>()
  const executionsByCase = new Map<string, Array<ZephyrTestExecution>>()
  const executionCase = new Map<number, CaseVersion>()
  // "Last" = the most recently created execution of a (cycle, case) item; ids grow with creation.
  const lastOfItem = new Map<string, ZephyrTestExecution>()
  const lastExecutions = new Set<number>()
  for (const e of data.testexecutions) {
    const fromSelf = parseVersionSelf(e.testCase?.self ?? "")
    const resolved = fromSelf ?? versionById.get(e.testCase?.id)
    if (resolved) {
      executionCase.set(e.id, resolved)
      push(executionsByCase, resolved.key, e)
    }
    if (e.testCycle) {
      push(executionsByCycle, e.testCycle.id, e)
      const item = `${e.testCycle.id}/${resolved?.key ?? e.testCase?.id}`
      const prev = lastOfItem.get(item)
      if (!prev || prev.id < e.id) lastOfItem.set(item, e)
    } else lastExecutions.add(e.id)
  }
  for (const e of lastOfItem.values()) lastExecutions.add(e.id)

  const attachments = new Map<string, ReadonlyArray<StoredAttachment>>()
  for (const [owner, list] of Object.entries(data.attachments)) {
    attachments.set(
      owner,
      list.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, bytes: decodeBase64(a.base64) }))
    )
  }

  return {
    projects: data.projects,
    projectById: new Map(data.projects.map((p) => [p.id, p])),
    projectByKey: new Map(data.projects.map((p) => [p.key, p])),
    folders: table(data.folders),
    statuses: table(data.statuses),
    priorities: table(data.priorities),
    environments: table(data.environments),
    testcases,
    casesByFolder,
    latestVersion,
    versionById,
    teststeps: new Map(Object.entries(data.teststeps)),
    testscripts: new Map(Object.entries(data.testscripts)),
    testcycles,
    cyclesByFolder,
    testplans: keyedTable(data.testplans),
    testexecutions,
    executionsByCycle,
    executionsByCase,
    executionCase,
    lastExecutions,
    executionsteps: new Map(Object.entries(data.executionsteps).map(([k, v]) => [Number(k), v])),
    attachments
  }
}
