/**
 * The tenant the routes serve: a `TenantSource` (data file or generator) plus an overlay of mutations — edits
 * (`id → rounds`, recomputed on read), deletions (id sets) and additions (a few materialised entities) — each
 * with an internal update time for `updatedAfter`. The source is never modified, so a generated tenant keeps
 * computing its untouched entities lazily; only lists that lost items get a compact Int32Array of survivors.
 *
 * Semantics (what Zephyr does is not documented; these keep incremental sync testable):
 * - an edit changes the entity's own content and update time, never its list membership (folder, cycle, case);
 *   a changed test case's executions are not changed;
 * - a deleted case or execution disappears from lists and answers 404; executions of a deleted case stay (their
 *   version link then points at a case the project no longer lists), as do calls to it from other cases;
 * - an added case or execution is a copy of an existing one under a new id and key (next numbers), without
 *   links or attachments; an added execution becomes the last of its cycle item.
 */
import { makePrng, mix, type Prng } from "../../../core/sandbox.ts"
import {
  countsOf,
  type CaseVersion,
  type Entity,
  type KeyedTable,
  type LazyList,
  type TenantCounts,
  type TenantKind,
  type TenantSource
} from "./Tenant.ts"
import {
  editExecution,
  editTestCase,
  editTestCycle,
  editTestPlan,
  MUTATION_DEFAULTS,
  type CaseContent,
  type Edit,
  type MutationOptions,
  type MutationResult
} from "./TenantMutation.ts"
import type { ZephyrExecutionStep, ZephyrTestCase, ZephyrTestExecution, ZephyrTestScript, ZephyrTestStep } from "./ZephyrData.ts"

export interface Tenant extends TenantSource {
  /** Increases with every mutation: caches of filtered lists are valid for one generation. */
  readonly generation: () => number
  readonly mutate: (options?: MutationOptions) => MutationResult
  readonly counts: () => TenantCounts
}

interface AddedCase {
  readonly testCase: ZephyrTestCase
  readonly steps: ReadonlyArray<ZephyrTestStep>
  readonly script: ZephyrTestScript | undefined
}

interface AddedExecution {
  readonly execution: ZephyrTestExecution
  readonly steps: ReadonlyArray<ZephyrExecutionStep>
  readonly caseVersion: CaseVersion | undefined
}

/** Ids of things the overlay creates (steps, scripts): far above anything the demo or the generator uses. */
const FIRST_OVERLAY_ID = 900_000_000

const iso = (ms: number): string => new Date(ms).toISOString()

/** `k` distinct positions of `n`, in random order (Floyd's algorithm: O(k), no array of n). */
const sample = (rng: Prng, n: number, k: number): Array<number> => {
  const chosen = new Set<number>()
  const order: Array<number> = []
  for (let j = n - k; j < n; j++) {
    const t = rng.int(j + 1)
    const pick = chosen.has(t) ? j : t
    chosen.add(pick)
    order.push(pick)
  }
  // Floyd's picks are uniform as a set but not as a sequence: shuffle so the split into deletions and edits is fair.
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const a = order[i] ?? 0
    order[i] = order[j] ?? 0
    order[j] = a
  }
  return order
}

const share = (fraction: number, n: number): number => (fraction <= 0 || n === 0 ? 0 : Math.min(n, Math.max(1, Math.round(fraction * n))))

export const mutableTenant = (source: TenantSource, clock: () => number = Date.now): Tenant => {
  let generation = 0
  let autoSeed = 0
  let lastStamp = 0
  let nextOverlayId = FIRST_OVERLAY_ID

  const edits: Record<TenantKind, Map<number, Array<Edit>>> = {
    testcases: new Map(),
    testcycles: new Map(),
    testplans: new Map(),
    testexecutions: new Map()
  }
  const deleted = { testcases: new Set<number>(), testexecutions: new Set<number>() }
  const addedCases: Array<AddedCase> = []
  const addedCaseById = new Map<number, AddedCase>()
  const addedCaseByKey = new Map<string, AddedCase>()
  const addedExecutions: Array<AddedExecution> = []
  const addedExecutionById = new Map<number, AddedExecution>()
  const stamps = new Map<string, number>()
  /** (cycle, case) items whose last execution may differ from the source's: an execution was added or deleted. */
  const touchedItems = new Set<string>()

  // ---- edited content ---------------------------------------------------------------------------------------
  const executionStatusIds = new Map<number, ReadonlyArray<number>>()
  const statusIdsOf = (projectId: number): ReadonlyArray<number> => {
    const hit = executionStatusIds.get(projectId)
    if (hit) return hit
    const list = source.statuses.byProject(projectId)
    const ids: Array<number> = []
    for (let i = 0; i < list.length; i++) {
      const s = list.at(i)
      if (s && s.statusType === "TEST_EXECUTION" && s.archived !== true) ids.push(s.id)
    }
    executionStatusIds.set(projectId, ids)
    return ids
  }

  const rawCaseContent = (tc: ZephyrTestCase): CaseContent =>
    addedCaseById.get(tc.id) ?? { testCase: tc, steps: source.teststeps(tc.key), script: source.testscript(tc.key) }
  const caseContent = (tc: ZephyrTestCase): CaseContent => (edits.testcases.get(tc.id) ?? []).reduce(editTestCase, rawCaseContent(tc))
  const editCase = (tc: ZephyrTestCase): ZephyrTestCase => (edits.testcases.has(tc.id) ? caseContent(tc).testCase : tc)
  const editExec = (e: ZephyrTestExecution): ZephyrTestExecution => {
    const list = edits.testexecutions.get(e.id)
    return list === undefined ? e : list.reduce((acc, edit) => editExecution(acc, edit, statusIdsOf(e.project.id)), e)
  }
  const editWith =
    <T extends Entity>(kind: TenantKind, f: (t: T, edit: Edit) => T) =>
    (t: T): T => {
      const list = edits[kind].get(t.id)
      return list === undefined ? t : list.reduce(f, t)
    }
  const editCycle = editWith("testcycles", editTestCycle)
  const editPlan = editWith("testplans", editTestPlan)

  // ---- lists ------------------------------------------------------------------------------------------------
  const survivors = new WeakMap<LazyList<Entity>, { readonly generation: number; readonly positions: Int32Array }>()
  const survivingPositions = (base: LazyList<Entity>, gone: ReadonlySet<number>): Int32Array => {
    const hit = survivors.get(base)
    if (hit && hit.generation === generation) return hit.positions
    const keep = new Int32Array(base.length)
    let n = 0
    for (let i = 0; i < base.length; i++) if (!gone.has(base.idAt(i))) keep[n++] = i
    const positions = keep.slice(0, n)
    survivors.set(base, { generation, positions })
    return positions
  }

  /** `base` without deleted items, with edits applied, followed by the matching added items (ids above all). */
  const live = <T extends Entity>(base: LazyList<T>, gone: ReadonlySet<number>, added: ReadonlyArray<T>, edit: (t: T) => T, edited: ReadonlyMap<number, unknown>): LazyList<T> => {
    if (gone.size === 0 && added.length === 0 && edited.size === 0) return base
    const positions = gone.size === 0 ? undefined : survivingPositions(base, gone)
    const tail = gone.size === 0 ? added : added.filter((a) => !gone.has(a.id))
    const head = positions?.length ?? base.length
    const basePosition = (i: number): number => (positions === undefined ? i : (positions[i] ?? -1))
    return {
      length: head + tail.length,
      at: (i) => {
        if (!Number.isInteger(i) || i < 0) return undefined
        const t = i < head ? base.at(basePosition(i)) : tail[i - head]
        return t === undefined ? undefined : edit(t)
      },
      idAt: (i) => (!Number.isInteger(i) || i < 0 ? -1 : i < head ? base.idAt(basePosition(i)) : (tail[i - head]?.id ?? -1)),
      idOrdered: base.idOrdered
    }
  }

  const addedCaseList = (keep: (tc: ZephyrTestCase) => boolean) => addedCases.map((a) => a.testCase).filter(keep)
  const addedExecutionList = (keep: (a: AddedExecution) => boolean) => addedExecutions.filter(keep).map((a) => a.execution)
  const liveCases = (base: LazyList<ZephyrTestCase>, keep: (tc: ZephyrTestCase) => boolean) =>
    live(base, deleted.testcases, addedCases.length === 0 ? [] : addedCaseList(keep), editCase, edits.testcases)
  const liveExecutions = (base: LazyList<ZephyrTestExecution>, keep: (a: AddedExecution) => boolean) =>
    live(base, deleted.testexecutions, addedExecutions.length === 0 ? [] : addedExecutionList(keep), editExec, edits.testexecutions)

  const rawCase = (id: number): ZephyrTestCase | undefined => (deleted.testcases.has(id) ? undefined : (addedCaseById.get(id)?.testCase ?? source.testcases.byId(id)))
  const rawCaseByKey = (key: string): ZephyrTestCase | undefined => {
    const tc = addedCaseByKey.get(key)?.testCase ?? source.testcases.byKey(key)
    return tc === undefined || deleted.testcases.has(tc.id) ? undefined : tc
  }
  const rawExecution = (id: number): ZephyrTestExecution | undefined =>
    deleted.testexecutions.has(id) ? undefined : (addedExecutionById.get(id)?.execution ?? source.testexecutions.byId(id))

  const testcases: KeyedTable<ZephyrTestCase> = {
    get all() {
      return liveCases(source.testcases.all, () => true)
    },
    byId: (id) => {
      const tc = rawCase(id)
      return tc && editCase(tc)
    },
    byKey: (key) => {
      const tc = rawCaseByKey(key)
      return tc && editCase(tc)
    },
    byProject: (projectId) => liveCases(source.testcases.byProject(projectId), (tc) => tc.project.id === projectId)
  }

  const executionCase = (id: number): CaseVersion | undefined => {
    const added = addedExecutionById.get(id)
    return added ? added.caseVersion : source.executionCase(id)
  }

  const testexecutions: KeyedTable<ZephyrTestExecution> = {
    get all() {
      return liveExecutions(source.testexecutions.all, () => true)
    },
    byId: (id) => {
      const e = rawExecution(id)
      return e && editExec(e)
    },
    byKey: (key) => {
      const e = addedExecutions.find((a) => a.execution.key === key)?.execution ?? source.testexecutions.byKey(key)
      return e === undefined || deleted.testexecutions.has(e.id) ? undefined : editExec(e)
    },
    byProject: (projectId) => liveExecutions(source.testexecutions.byProject(projectId), (a) => a.execution.project.id === projectId)
  }

  const executionsByCycle = (cycleId: number) => liveExecutions(source.executionsByCycle(cycleId), (a) => a.execution.testCycle?.id === cycleId)

  const itemOf = (e: ZephyrTestExecution): string | undefined =>
    e.testCycle ? `${e.testCycle.id}/${executionCase(e.id)?.key ?? `#${e.testCase.id}`}` : undefined
  const lastOfItem = new Map<string, number>()
  const isLastExecution = (id: number): boolean => {
    const e = rawExecution(id)
    if (e === undefined) return false
    const item = itemOf(e)
    if (item === undefined) return true
    if (!touchedItems.has(item)) return source.isLastExecution(id)
    let last = lastOfItem.get(item)
    if (last === undefined) {
      // Only items touched by a mutation get here: scan their cycle's executions once per generation.
      last = -1
      const list = executionsByCycle(e.testCycle?.id ?? -1)
      for (let i = 0; i < list.length; i++) {
        const other = list.idAt(i)
        const o = rawExecution(other)
        if (o !== undefined && itemOf(o) === item && other > last) last = other
      }
      lastOfItem.set(item, last)
    }
    return last === id
  }

  // ---- mutate -----------------------------------------------------------------------------------------------
  const maxKeyNumbers = new Map<string, number>()
  /** Next free `PROJ-T<n>` / `PROJ-E<n>` number: scans the source's keys once (added keys raise it later). */
  const nextKeyNumber = (letter: "T" | "E", projectKey: string, list: LazyList<{ readonly id: number; readonly key?: string | undefined }>): number => {
    const cacheKey = `${projectKey}-${letter}`
    let max = maxKeyNumbers.get(cacheKey) ?? source.maxKeyNumber?.(letter, projectKey)
    if (max === undefined) {
      max = 0
      const pattern = new RegExp(`^${projectKey.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-${letter}([0-9]+)$`)
      for (let i = 0; i < list.length; i++) {
        const m = pattern.exec(list.at(i)?.key ?? "")
        if (m?.[1] !== undefined) max = Math.max(max, Number(m[1]))
      }
    }
    maxKeyNumbers.set(cacheKey, max + 1)
    return max + 1
  }
  const maxIds = new Map<string, number>()
  const nextId = (kind: string, list: LazyList<Entity>): number => {
    let max = maxIds.get(kind)
    if (max === undefined) {
      max = 0
      for (let i = 0; i < list.length; i++) max = Math.max(max, list.idAt(i))
    }
    maxIds.set(kind, max + 1)
    return max + 1
  }

  const stamp = (kind: TenantKind, id: number, at: number) => stamps.set(`${kind}/${id}`, at)
  const addEdit = (kind: TenantKind, id: number, edit: Edit) => {
    const list = edits[kind].get(id)
    if (list) list.push(edit)
    else edits[kind].set(id, [edit])
    stamp(kind, id, edit.at)
  }

  const mutate = (options: MutationOptions = {}): MutationResult => {
    const round = options.seed ?? ++autoSeed
    const rng = makePrng(mix(round, 0x5eed))
    const at = Math.max(clock(), lastStamp + 1)
    lastStamp = at
    const changeFraction = options.changeFraction ?? MUTATION_DEFAULTS.changeFraction
    const deleteFraction = options.deleteFraction ?? MUTATION_DEFAULTS.deleteFraction
    const addCount = options.addCount ?? MUTATION_DEFAULTS.addCount
    const edit = (): Edit => ({ round, stepId: nextOverlayId++, at })

    // Cases and executions: one sample per kind, split into deletions then edits (disjoint by construction).
    const cases = testcases.all
    const caseDel = share(deleteFraction, cases.length)
    const caseChg = Math.min(cases.length - caseDel, share(changeFraction, cases.length))
    const casePicks = sample(rng, cases.length, caseDel + caseChg)
    const executions = testexecutions.all
    const execDel = share(deleteFraction, executions.length)
    const execChg = Math.min(executions.length - execDel, share(changeFraction, executions.length))
    const execPicks = sample(rng, executions.length, execDel + execChg)
    const cycles = source.testcycles.all
    const cyclePicks = sample(rng, cycles.length, share(changeFraction, cycles.length))
    const plans = source.testplans.all
    const planPicks = sample(rng, plans.length, share(changeFraction, plans.length))

    const keyOf = (list: LazyList<{ readonly id: number; readonly key: string }>, p: number): { id: number; key: string } | undefined => {
      const t = list.at(p)
      return t === undefined ? undefined : { id: t.id, key: t.key }
    }
    const pickedCases = casePicks.map((p) => keyOf(cases, p)).filter((x) => x !== undefined)
    const pickedExecutions = execPicks.map((p) => executions.idAt(p))
    const deletedCases = pickedCases.slice(0, caseDel)
    const changedCases = pickedCases.slice(caseDel)
    const deletedExecutions = pickedExecutions.slice(0, execDel)
    const changedExecutions = pickedExecutions.slice(execDel)
    const changedCycles = cyclePicks.map((p) => keyOf(cycles, p)).filter((x) => x !== undefined)
    const changedPlans = planPicks.map((p) => keyOf(plans, p)).filter((x) => x !== undefined)

    // Templates for additions: any current entity (one deleted by this same mutation still serves as a model).
    const caseTemplates = addCount > 0 ? sample(rng, cases.length, Math.min(addCount, cases.length)).map((p) => cases.at(p)) : []
    const executionTemplates = addCount > 0 ? sample(rng, executions.length, Math.min(addCount, executions.length)).map((p) => executions.at(p)) : []

    const addedCaseKeys: Array<string> = []
    caseTemplates.forEach((template, k) => {
      if (template === undefined) return
      const project = source.projects.byId(template.project.id)
      if (project === undefined) return
      const content = caseContent(template)
      const id = nextId("testcases", source.testcases.all)
      const key = `${project.key}-T${nextKeyNumber("T", project.key, source.testcases.all)}`
      const testCase: ZephyrTestCase = {
        ...content.testCase,
        id,
        key,
        name: `Added in change ${round} (#${k + 1}): ${content.testCase.name}`.slice(0, 255),
        createdOn: iso(at).replace(/\.\d{3}Z$/, "Z"),
        links: { self: "", issues: [], webLinks: [] }
      }
      const added: AddedCase = {
        testCase,
        steps: content.steps.map((s) => ({ ...s, id: nextOverlayId++ })),
        script: content.script === undefined ? undefined : { ...content.script, id: nextOverlayId++ }
      }
      addedCases.push(added)
      addedCaseById.set(id, added)
      addedCaseByKey.set(key, added)
      stamp("testcases", id, at)
      addedCaseKeys.push(key)
    })

    const addedExecutionIds: Array<number> = []
    for (const template of executionTemplates) {
      if (template === undefined) continue
      const project = source.projects.byId(template.project.id)
      if (project === undefined) continue
      const id = nextId("testexecutions", source.testexecutions.all)
      const key = `${project.key}-E${nextKeyNumber("E", project.key, source.testexecutions.all)}`
      const steps = (addedExecutionById.get(template.id)?.steps ?? source.executionsteps(template.id)).map((s) => ({ ...s, id: nextOverlayId++ }))
      const added: AddedExecution = {
        execution: {
          ...template,
          id,
          key,
          actualEndDate: template.actualEndDate === null || template.actualEndDate === undefined ? template.actualEndDate : iso(at).replace(/\.\d{3}Z$/, "Z"),
          comment: `<p>Re-run added in change ${round} ▶</p>`,
          links: { self: "", issues: [] }
        },
        steps,
        caseVersion: executionCase(template.id)
      }
      addedExecutions.push(added)
      addedExecutionById.set(id, added)
      const item = itemOf(added.execution)
      if (item !== undefined) touchedItems.add(item)
      stamp("testexecutions", id, at)
      addedExecutionIds.push(id)
    }

    // Deletions and edits last: additions copy their templates as they were when this mutation began.
    for (const c of deletedCases) deleted.testcases.add(c.id)
    for (const id of deletedExecutions) {
      const e = rawExecution(id)
      const item = e && itemOf(e)
      if (item !== undefined) touchedItems.add(item)
      deleted.testexecutions.add(id)
    }
    for (const c of changedCases) addEdit("testcases", c.id, edit())
    for (const id of changedExecutions) addEdit("testexecutions", id, edit())
    for (const c of changedCycles) addEdit("testcycles", c.id, edit())
    for (const p of changedPlans) addEdit("testplans", p.id, edit())

    generation++
    lastOfItem.clear()
    const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
    return {
      at: iso(at),
      seed: round,
      changed: {
        testcases: changedCases.map((c) => c.key).sort(byKey),
        testcycles: changedCycles.map((c) => c.key).sort(byKey),
        testplans: changedPlans.map((p) => p.key).sort(byKey),
        executions: changedExecutions.sort((a, b) => a - b)
      },
      deleted: { testcases: deletedCases.map((c) => c.key).sort(byKey), executions: deletedExecutions.sort((a, b) => a - b) },
      added: { testcases: addedCaseKeys, executions: addedExecutionIds }
    }
  }

  const tenant: Tenant = {
    projects: source.projects,
    folders: source.folders,
    statuses: source.statuses,
    priorities: source.priorities,
    environments: source.environments,
    testcases,
    casesByFolder: (folderId) => liveCases(source.casesByFolder(folderId), (tc) => tc.folder?.id === folderId),
    latestVersion: (key) => (addedCaseByKey.has(key) ? 1 : source.latestVersion(key)),
    teststeps: (key) => {
      const tc = rawCaseByKey(key)
      return tc === undefined ? [] : caseContent(tc).steps
    },
    testscript: (key) => {
      const tc = rawCaseByKey(key)
      return tc === undefined ? undefined : caseContent(tc).script
    },
    testcycles: {
      get all() {
        return live(source.testcycles.all, new Set(), [], editCycle, edits.testcycles)
      },
      byId: (id) => {
        const c = source.testcycles.byId(id)
        return c && editCycle(c)
      },
      byKey: (key) => {
        const c = source.testcycles.byKey(key)
        return c && editCycle(c)
      },
      byProject: (projectId) => live(source.testcycles.byProject(projectId), new Set(), [], editCycle, edits.testcycles)
    },
    cyclesByFolder: (folderId) => live(source.cyclesByFolder(folderId), new Set(), [], editCycle, edits.testcycles),
    testplans: {
      get all() {
        return live(source.testplans.all, new Set(), [], editPlan, edits.testplans)
      },
      byId: (id) => {
        const p = source.testplans.byId(id)
        return p && editPlan(p)
      },
      byKey: (key) => {
        const p = source.testplans.byKey(key)
        return p && editPlan(p)
      },
      byProject: (projectId) => live(source.testplans.byProject(projectId), new Set(), [], editPlan, edits.testplans)
    },
    testexecutions,
    executionsByCycle,
    executionsByCase: (key) => liveExecutions(source.executionsByCase(key), (a) => a.caseVersion?.key === key),
    executionCase,
    isLastExecution,
    executionsteps: (id) => addedExecutionById.get(id)?.steps ?? (deleted.testexecutions.has(id) ? [] : source.executionsteps(id)),
    attachments: (owner) => source.attachments(owner),
    attachmentBytes: (owner, id) => source.attachmentBytes(owner, id),
    attachmentCount: source.attachmentCount,
    updatedOn: (kind, id) => stamps.get(`${kind}/${id}`) ?? source.updatedOn(kind, id),
    generation: () => generation,
    mutate,
    counts: () => countsOf(tenant)
  }
  return tenant
}
