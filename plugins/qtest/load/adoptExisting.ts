/**
 * Before the first create: does the qTest project hold objects of this migration that the state does not know?
 * It does when the state was lost, emptied, restored from an older copy, or written by another checkout — and
 * creating then would make every one of them twice. So each load first takes a census (six requests): test cases
 * carrying a Zephyr Key, test logs carrying a Zephyr Execution Key, modules, test cycles, test runs and releases,
 * against the id map's counts. When the target holds more than the id map and than the surplus the last census
 * left (objects of other migrations or made by hand, which are never adopted), the whole project is read — in
 * pages of 999 where the API allows — and every object found for a record of this store is adopted into the id
 * map with the hash of what qTest holds now (LoadContext.adopt), so the load that follows sends only what
 * differs. What qTest holds twice for one record is left alone here (the first is adopted) and counted by
 * `verify` as extra.
 *
 * Matching, per kind: modules and cycle folders by name under their parent (the paths of the store's folders);
 * the module for cases without folder and the cycle for executions without cycle by their names at the root;
 * test cases by Zephyr Key; approvals with their case when its latest version is approved; releases by their
 * note (the plan's key); test cycles by name under their folder; test runs by (cycle, test case); test logs by
 * Zephyr Execution Key (batch logs too); attachments (loadAttachments.ts) by name on their object.
 */
import { Effect, Option, Stream } from "effect"
import type { StoreError, SystemError } from "../../../core/index.ts"
import type { Module } from "../api/testDesign.ts"
import type { TestCycle as QtestCycle } from "../api/testExecution.ts"
import {
  encodeLoggedSteps,
  executionsWithoutCycleBody,
  loggedStepsOf,
  readBackProjection,
  releaseNote,
  writtenHash,
  type Folder
} from "../mapping/index.ts"
import type { ExecutionParent } from "../QtestClient.ts"
import { ROOT_CASES_MODULE } from "./loadTestDesign.ts"
import { type QtestLoad } from "./QtestLoad.ts"
import { targetHash } from "./targetHash.ts"
import { toLoadError } from "./toLoadError.ts"

const ROOT: ExecutionParent = { parentId: 0, parentType: "root" }

interface Census {
  readonly testCases: number
  readonly testLogs: number
  readonly modules: number
  readonly cycles: number
  readonly testRuns: number
  readonly releases: number
}

const CENSUS = "census"
/** Set while an adoption is under way (until the load that began it has looked for every kind, attachments last). */
export const ADOPTING = "adopting"

const depth = (f: Folder) => f.path.split("/").filter((s) => s !== "").length

/** `parent → name → objects`, from a tree nested in `childrenOf`; the first of a name is the oldest (lowest id). */
const treeIndex = <T extends { readonly id: number; readonly name: string }>(roots: ReadonlyArray<T>, childrenOf: (t: T) => ReadonlyArray<T> | null | undefined) => {
  const index = new Map<number, Map<string, Array<T>>>()
  const byId = new Map<number, T>()
  let count = 0
  const walk = (parent: number, items: ReadonlyArray<T>) => {
    for (const item of items) {
      count++
      byId.set(Number(item.id), item)
      const byName = index.get(parent) ?? new Map<string, Array<T>>()
      index.set(parent, byName)
      byName.set(item.name, [...(byName.get(item.name) ?? []), item].sort((a, b) => a.id - b.id))
      walk(Number(item.id), childrenOf(item) ?? [])
    }
  }
  walk(0, roots)
  return { find: (parent: number, name: string): T | undefined => index.get(parent)?.get(name)?.[0], get: (id: number): T | undefined => byId.get(id), count }
}

const propertyValue = (properties: ReadonlyArray<{ readonly field_id: number; readonly field_value?: string | null | undefined }> | null | undefined, fieldId: number | undefined) =>
  fieldId === undefined ? undefined : (properties ?? []).find((p) => Number(p.field_id) === fieldId)?.field_value ?? undefined

/**
 * True when the scan ran, i.e. the target held objects the state did not know: attachments are looked for too.
 * "later" when it must run but the pass is ahead of the extract (LoadContext.final): the load waits for the final pass.
 */
export const adoptExisting = (q: QtestLoad): Effect.Effect<boolean | "later", SystemError | StoreError> =>
  Effect.gen(function* () {
    const zephyrKey = q.vocab.field("test-cases", q.config.fields.zephyrKey)
    const executionKey = q.vocab.field("test-runs", q.config.fields.executionKey)
    const hasKey = (label: string) => `'${label}' is 'not empty'`
    // planning before the key fields exist: a run creates them first, then counts by them
    if (q.load.planning) yield* q.load.willSend((zephyrKey === undefined ? 1 : 0) + (executionKey === undefined ? 1 : 0))

    const modules = treeIndex(yield* q.client.listModules({ descendants: true }), (m: Module) => m.children)
    const cycles = treeIndex(Array.from(yield* Stream.runCollect(q.client.listTestCycles(ROOT, { descendants: true }))), (c: QtestCycle) => c["test-cycles"])
    const census: Census = {
      // a key field that does not exist yet (a first plan) cannot be carried by anything
      testCases: zephyrKey === undefined ? 0 : yield* q.client.searchCount("test-cases", hasKey(zephyrKey.label)),
      testLogs: executionKey === undefined ? 0 : yield* q.client.searchCount("test-logs", hasKey(executionKey.label)),
      modules: modules.count,
      cycles: cycles.count,
      testRuns: yield* q.client.countTestRuns(ROOT),
      releases: (yield* q.client.listReleases()).length
    }
    // A create a killed run left unconfirmed may be on the target: its write looks it up (recovered) on its own,
    // so it is expected there, not a sign of a lost state.
    const open: Record<string, number> = {}
    for (const entity of ["test-case", "test-log", "module", "cycle-folder", "test-cycle", "test-run", "release"]) open[entity] = (yield* q.load.unconfirmed(entity)).length
    const surplus = (mapped: Readonly<Record<string, number>>): Census => {
      const n = (...entities: ReadonlyArray<string>) => entities.reduce((sum, e) => sum + (mapped[e] ?? 0) + (open[e] ?? 0), 0)
      return {
        testCases: census.testCases - n("test-case"),
        testLogs: census.testLogs - n("test-log", "auto-test-log"),
        modules: census.modules - n("module"),
        cycles: census.cycles - n("cycle-folder", "test-cycle"),
        testRuns: census.testRuns - n("test-run"),
        releases: census.releases - n("release")
      }
    }
    const before = surplus(yield* q.load.mappedCounts)
    const known = ((yield* q.load.sinkState.get(CENSUS)) ?? {}) as Partial<Census>
    const unknown = (Object.keys(before) as Array<keyof Census>).filter((k) => before[k] > (known[k] ?? 0))
    // An adoption a killed run began is finished before anything is created: what it adopted no longer shows in the
    // census, but what it had not reached yet (attachments, which no census counts) may still be on the target.
    const resumed = (yield* q.load.sinkState.get(ADOPTING)) === true
    if (unknown.length === 0 && !resumed) return false
    // every record of the store must be matched against the project: a pass ahead of the extract sees only part
    if (!q.load.final) return "later"
    if (!q.load.planning) yield* q.load.sinkState.set(ADOPTING, true)
    yield* q.ctx.report.note({
      kind: "warning",
      entity: "qtest",
      message:
        unknown.length === 0
          ? "an adoption an earlier run began was not finished: the qTest project is read again, and what it holds of the migration adopted before anything is created"
          : `the qTest project holds objects this state does not know (${unknown.map((k) => `${k} +${before[k] - (known[k] ?? 0)}`).join(", ")}): a lost, older or other state; they are looked for and adopted before anything is created`
    })

    // --- modules: the store's folder tree, parents first --------------------------------------------------------
    const folders: Array<Folder> = []
    yield* Stream.runForEach(q.load.store.records("Folder"), (f) => Effect.sync(() => void folders.push(f)))
    folders.sort((a, b) => depth(a) - depth(b) || a.folder_id - b.folder_id)
    const targetOf = (entity: string, key: string) => q.load.mapped(entity, key).pipe(Effect.map(Option.map((m) => Number(m.targetId.split("/").pop()))))
    /**
     * A folder tree into a qTest tree, parents first: a folder the state maps is re-read under its own id (its hash
     * is brought up to what qTest holds, LoadContext.adopt), another is looked for by name under its parent's object.
     * Answers Zephyr folder id → qTest id.
     */
    const placeFolders = <T extends { readonly id: number; readonly name: string }>(
      type: Folder["type"],
      entity: string,
      tree: { readonly find: (parent: number, name: string) => T | undefined; readonly get: (id: number) => T | undefined },
      hashOf: (node: T) => string
    ) =>
      Effect.gen(function* () {
        const placed = new Map<number, number>()
        for (const f of folders.filter((x) => x.type === type)) {
          const parent = f.parent_folder_id === null ? 0 : placed.get(f.parent_folder_id)
          const mine = yield* targetOf(entity, f.source_id)
          const found = Option.isSome(mine) ? tree.get(mine.value) : parent === undefined ? undefined : tree.find(parent, f.name)
          if (Option.isSome(mine)) placed.set(f.folder_id, mine.value)
          if (found === undefined) continue
          placed.set(f.folder_id, Number(found.id))
          yield* q.load.adopt({ entity, key: f.source_id, targetId: String(found.id), hash: hashOf(found) })
        }
        return placed
      })
    yield* placeFolders("TEST_CASE", "module", modules, (m) => targetHash(readBackProjection.module(m), q.defaults))
    const rootMine = yield* targetOf("module", "~cases-without-folder")
    const rootModule = Option.isSome(rootMine) ? modules.get(rootMine.value) : modules.find(0, ROOT_CASES_MODULE)
    if (rootModule !== undefined)
      yield* q.load.adopt({ entity: "module", key: "~cases-without-folder", targetId: String(rootModule.id), hash: writtenHash(readBackProjection.module(rootModule)) })

    // --- test cases and their approvals, by Zephyr Key ---------------------------------------------------------
    const caseIds = new Map<number, string>() // qTest case id → the store case's source id
    if (zephyrKey !== undefined) {
      const seen = new Set<string>()
      yield* Stream.runForEach(q.client.searchTestCases(hasKey(zephyrKey.label)), (item) =>
        Effect.gen(function* () {
          const key = propertyValue(item.properties, zephyrKey.id)
          if (key === undefined || seen.has(key)) return
          const record = (yield* q.load.store.where("TestCase", { key }))[0]
          if (record === undefined) return // another project's, or made by hand
          seen.add(key)
          const hash = targetHash(readBackProjection.testCase(item as never, q.managed.testCase), q.defaults)
          yield* q.load.adopt({ entity: "test-case", key: record.source_id, targetId: String(item.id), hash })
          // approved when its latest version is a major one ("2.0"): approving it again would only bump the version
          if (q.config.approveTestCases && /^\d+\.0$/.test(item.version ?? "")) yield* q.load.adopt({ entity: "approval", key: record.source_id, targetId: String(item.id), hash })
        })
      )
    }
    yield* Stream.runForEach(q.load.store.records("TestCase"), (tc) =>
      Effect.map(targetOf("test-case", tc.source_id), Option.map((id) => caseIds.set(id, tc.source_id)))
    )

    // --- releases, by the plan's key in their note ---------------------------------------------------------------
    if (q.config.releases) {
      const releases = yield* q.client.listReleases()
      yield* Stream.runForEach(q.load.store.records("TestPlan"), (plan) =>
        Effect.gen(function* () {
          const mine = yield* targetOf("release", plan.source_id)
          const found = Option.isSome(mine) ? releases.find((r) => Number(r.id) === mine.value) : releases.filter((r) => r.note === releaseNote(plan.key)).sort((a, b) => a.id - b.id)[0]
          if (found !== undefined)
            yield* q.load.adopt({ entity: "release", key: plan.source_id, targetId: String(found.id), hash: targetHash(readBackProjection.release(found as never, q.managed.release), q.defaults) })
        })
      )
    }

    // --- cycle folders, test cycles, the cycle of executions without one ----------------------------------------
    const cycleOf = new Map<number, string>() // qTest cycle id → the run key's cycle part
    const adoptCycle = (entity: string, key: string, found: QtestCycle) =>
      q.load.adopt({ entity, key, targetId: String(found.id), hash: targetHash(readBackProjection.testCycle(found as never), q.defaults) })
    const placedCycles = yield* placeFolders("TEST_CYCLE", "cycle-folder", cycles, (c) => targetHash(readBackProjection.testCycle(c as never), q.defaults))
    yield* Stream.runForEach(q.load.store.records("TestCycle"), (cycle) =>
      Effect.gen(function* () {
        const mine = yield* targetOf("test-cycle", cycle.source_id)
        const parent = cycle.folder_id === null ? 0 : placedCycles.get(cycle.folder_id)
        const found = Option.isSome(mine) ? cycles.get(mine.value) : parent === undefined ? undefined : cycles.find(parent, cycle.name)
        if (Option.isSome(mine)) cycleOf.set(mine.value, String(cycle.test_cycle_id))
        if (found === undefined) return
        cycleOf.set(Number(found.id), String(cycle.test_cycle_id))
        yield* adoptCycle("test-cycle", cycle.source_id, found)
      })
    )
    const withoutCycleMine = yield* targetOf("test-cycle", "~executions-without-cycle")
    const withoutCycle = Option.isSome(withoutCycleMine) ? cycles.get(withoutCycleMine.value) : cycles.find(0, executionsWithoutCycleBody(q.config.executionsWithoutCycle).name)
    if (Option.isSome(withoutCycleMine)) cycleOf.set(withoutCycleMine.value, "-")
    if (withoutCycle !== undefined) {
      cycleOf.set(Number(withoutCycle.id), "-")
      yield* adoptCycle("test-cycle", "~executions-without-cycle", withoutCycle)
    }

    // --- test runs, by (cycle, test case) ---------------------------------------------------------------------
    yield* Stream.runForEach(q.client.listTestRuns(ROOT, { descendants: true }), (run) =>
      Effect.gen(function* () {
        const cycle = run.parentType === "test-cycle" && run.parentId != null ? cycleOf.get(Number(run.parentId)) : undefined
        const caseSource = run.test_case?.id == null ? undefined : caseIds.get(Number(run.test_case.id))
        if (cycle === undefined || caseSource === undefined) return
        yield* q.load.adopt({
          entity: "test-run",
          key: `${cycle}|${caseSource}`,
          targetId: String(run.id),
          hash: targetHash(readBackProjection.testRun(run as never, q.managed.testRun), q.defaults)
        })
      })
    )

    // --- test logs, by Zephyr Execution Key (pages of 999, whole) ------------------------------------------------
    if (executionKey !== undefined)
      yield* Stream.runForEach(q.client.searchTestLogs(hasKey(executionKey.label)), (log) =>
        Effect.gen(function* () {
          const key = propertyValue(log.properties, executionKey.id)
          if (key === undefined || log.test_run_id == null) return
          const execution =
            (yield* q.load.store.where("TestExecution", { key }))[0] ?? (/^\d+$/.test(key) ? (yield* q.load.store.where("TestExecution", { execution_id: Number(key) }))[0] : undefined)
          if (execution === undefined) return
          if (q.config.automatedExecutions === "batch" && execution.automated)
            return yield* q.load.adopt({
              entity: "auto-test-log",
              key: execution.source_id,
              targetId: `log/${log.test_run_id}/${log.id}`,
              hash: writtenHash(readBackProjection.automationTestLog(log as never, q.managed.testLog))
            })
          yield* q.load.adopt({
            entity: "test-log",
            key: execution.source_id,
            targetId: `${log.test_run_id}/${log.id}`,
            hash: targetHash(readBackProjection.manualTestLog(log as never, q.managed.testLog), q.defaults),
            memo: encodeLoggedSteps(loggedStepsOf(log.test_step_logs ?? []))
          })
        })
      )

    // what is still on the target beyond the id map belongs to nobody in this store: the next census expects it
    yield* q.load.sinkState.set(CENSUS, surplus(yield* q.load.mappedCounts))
    return true
  }).pipe(toLoadError)
