/**
 * Test design: Zephyr test-case folders → qTest modules (same tree; siblings created in Zephyr's order), then
 * test cases under their module, each with its steps, fields and the Zephyr Key, approved when the spec says so
 * (so runs and logs attach to the migrated version), and linked to the Jira requirements qTest has synced.
 *
 * Call-to-test: a calling step needs the called case's qTest id, so cases are loaded in call order — first every
 * case that calls nothing, then callers level by level. The call graph is read from the store first; a call loop
 * is found there, and every case on it (and every case calling into it) is quarantined instead of hung on.
 */
import { storeProjects } from "./storeProjects.ts"
import { Chunk, Effect, Option, Stream } from "effect"
import type { StoreError, SystemError } from "../../../core/index.ts"
import { RecordRejected } from "../../../core/index.ts"
import { completeProperties, moduleBody, testCaseBody, writtenHash, type CustomField, type Folder, type TestCase } from "../mapping/index.ts"
import { targetHash } from "./targetHash.ts"
import { idOf, mappedId, type QtestLoad, reportMapping, writeOrReject } from "./QtestLoad.ts"

/** The module for cases without a folder: qTest would otherwise put them in "Created via API". */
export const ROOT_CASES_MODULE = "Zephyr — test cases without folder"

const depth = (f: Folder) => f.path.split("/").filter((s) => s !== "").length

export const loadModules = (q: QtestLoad): Effect.Effect<ReadonlyMap<number, number>, SystemError | StoreError> =>
  Effect.gen(function* () {
    const folders: Array<Folder> = []
    yield* Stream.runForEach(q.load.store.records("Folder"), (f) => Effect.sync(() => (f.type === "TEST_CASE" ? folders.push(f) : undefined)))
    folders.sort((a, b) => depth(a) - depth(b) || a.sort_order - b.sort_order || a.folder_id - b.folder_id)
    const modules = new Map<number, number>()
    const byDepth = new Map<number, Array<Folder>>()
    for (const f of folders) byDepth.set(depth(f), [...(byDepth.get(depth(f)) ?? []), f])
    for (const level of [...byDepth.keys()].sort((a, b) => a - b)) {
      // siblings keep Zephyr's order: one parent's children are created one after another
      const byParent = new Map<number | null, Array<Folder>>()
      for (const f of byDepth.get(level)!) byParent.set(f.parent_folder_id, [...(byParent.get(f.parent_folder_id) ?? []), f])
      yield* Effect.forEach(
        [...byParent],
        ([parentFolder, children]) =>
          Effect.forEach(children, (folder) =>
            Effect.gen(function* () {
              const parentId = parentFolder === null ? undefined : modules.get(parentFolder)
              if (parentFolder !== null && parentId === undefined) {
                yield* q.load.skip("module", folder.path, "its parent folder was not loaded")
                return
              }
              const body = moduleBody(folder)
              const result = yield* writeOrReject(q, {
                entity: "module",
                key: folder.source_id,
                label: folder.path,
                hash: targetHash(body, q.defaults),
                create: q.client.createModule(body, parentId === 0 ? undefined : parentId).pipe(Effect.map((m) => String(m.id))),
                update: (id) => q.client.updateModule(Number(id), body).pipe(Effect.asVoid),
                lookup: q.client
                  .listModules({ parentId: parentId === 0 ? undefined : parentId })
                  .pipe(Effect.map((ms) => Option.fromNullable(ms.find((m) => m.name === body.name)).pipe(Option.map((m) => String(m.id)))))
              })
              if (Option.isSome(result)) modules.set(folder.folder_id, idOf(result.value))
            })
          ),
        { concurrency: q.ctx.concurrency, discard: true }
      )
    }
    return modules
  })

/** Cases that call others, with the keys they call; and the cases on (or calling into) a loop. */
const callGraph = (q: QtestLoad) =>
  Effect.gen(function* () {
    const calls = new Map<number, Set<string>>()
    yield* Stream.runForEach(q.load.store.records("TestStep"), (s) =>
      Effect.sync(() => {
        if (s.called_test_case_key === null) return
        const set = calls.get(s.test_case_id) ?? new Set<string>()
        set.add(s.called_test_case_key)
        calls.set(s.test_case_id, set)
      })
    )
    const idByKey = new Map<string, number | undefined>()
    for (const keys of calls.values())
      for (const key of keys)
        if (!idByKey.has(key)) idByKey.set(key, (yield* q.load.store.where("TestCase", { key }))[0]?.test_case_id)
    // every case on a loop is called by another one on it, so its key is known: the user finds cases by key
    const keyById = new Map([...idByKey].flatMap(([key, id]) => (id === undefined ? [] : [[id, key] as const])))
    const level = new Map<number, number>()
    const looped = new Map<number, string>()
    const visiting: Array<number> = []
    const visit = (id: number): number => {
      const known = level.get(id)
      if (known !== undefined) return known
      if (visiting.includes(id)) {
        const loop = visiting.slice(visiting.indexOf(id))
        const path = [...loop, id].map((member) => keyById.get(member) ?? `id ${member}`).join(" → ")
        for (const member of loop)
          looped.set(member, `call loop: ${path} — a qTest test case cannot call itself, even through others: remove one of these call steps in Zephyr; the next run loads them`)
        return 0
      }
      visiting.push(id)
      let l = 0
      for (const key of calls.get(id) ?? []) {
        const callee = idByKey.get(key)
        if (callee === undefined) continue
        l = Math.max(l, visit(callee) + 1)
        const calleeLoop = looped.get(callee)
        if (calleeLoop !== undefined && !looped.has(id)) looped.set(id, `calls into a ${calleeLoop}`)
      }
      visiting.pop()
      level.set(id, l)
      return l
    }
    for (const id of calls.keys()) visit(id)
    return { calls, idByKey, level, looped }
  })

const whereOwned = (q: QtestLoad, type: CustomField["object_type"], id: number) => q.load.store.where("CustomField", { object_type: type, object_id: id })

export const loadTestCases = (q: QtestLoad, modules: ReadonlyMap<number, number>, requirements: ReadonlyMap<string, number>) =>
  Effect.gen(function* () {
    const graph = yield* callGraph(q)
    const ownProjects = yield* storeProjects(q)
    const stepFields = (yield* q.load.store.where("CustomField", { object_type: "TestStep" })).length > 0

    const rootModule = Effect.cached(
      writeOrReject(q, {
        entity: "module",
        key: "~cases-without-folder",
        label: ROOT_CASES_MODULE,
        hash: writtenHash({ name: ROOT_CASES_MODULE }),
        create: q.client.createModule({ name: ROOT_CASES_MODULE }).pipe(Effect.map((m) => String(m.id))),
        lookup: q.client.listModules().pipe(Effect.map((ms) => Option.fromNullable(ms.find((m) => m.name === ROOT_CASES_MODULE)).pipe(Option.map((m) => String(m.id)))))
      }).pipe(Effect.map(Option.map(idOf)))
    )
    const rootModuleOnce = yield* rootModule

    const loadCase = (tc: TestCase) =>
      Effect.gen(function* () {
        const loop = graph.looped.get(tc.test_case_id)
        if (loop !== undefined) {
          yield* q.load.reject(new RecordRejected({ sink: "qtest", entity: "test-case", key: tc.source_id, label: tc.key, reason: "Loop", message: loop }))
          return
        }
        let moduleId: number | undefined
        if (tc.folder_id === null) moduleId = Option.getOrUndefined(yield* rootModuleOnce)
        else moduleId = modules.get(tc.folder_id)
        if (moduleId === undefined) return yield* q.load.skip("test-case", tc.key, "its folder's module was not loaded")
        const steps = yield* q.load.store.where("TestStep", { test_case_id: tc.test_case_id })
        const customFields = yield* whereOwned(q, "TestCase", tc.test_case_id)
        const stepCustomFields = stepFields ? (yield* Effect.forEach(steps, (s) => whereOwned(q, "TestStep", s.step_id))).flat() : []
        const links = yield* q.load.store.where("Link", { object_type: "TestCase", object_id: tc.test_case_id })
        const issues = links.filter((l) => l.kind === "ISSUE")
        const coverage = issues.filter((l) => !requirements.has(l.target)).map((l) => l.target)
        if (coverage.length > 0)
          yield* q.ctx.report.note({
            kind: "default",
            entity: "Link",
            sourceId: tc.key,
            message: `Jira coverage without a synced qTest requirement is kept in the "${q.config.fields.coverage}" field of the test case (link it once Jira's issues are synced as requirements)`
          })
        const calledIds = new Map<string, number>()
        for (const key of graph.calls.get(tc.test_case_id) ?? []) {
          const calleeZephyrId = graph.idByKey.get(key)
          if (calleeZephyrId === undefined) continue
          const callee = (yield* q.load.store.where("TestCase", { test_case_id: calleeZephyrId }))[0]
          const id = callee ? yield* mappedId(q, "test-case", callee.source_id) : undefined
          if (id !== undefined) calledIds.set(key, id)
          else if (q.load.planning && callee) calledIds.set(key, 0) // created earlier in the same (planned) run
        }
        // ahead of the extract (LoadContext.final), a caller waits until every case it calls is loaded — those
        // not extracted yet, and those waiting for their own callees — rather than being written without them
        if (!q.load.final && [...(graph.calls.get(tc.test_case_id) ?? [])].some((key) => !calledIds.has(key))) return
        const body = completeProperties(
          yield* reportMapping(
            q,
            "TestCase",
            testCaseBody({ testCase: tc, steps, customFields, stepCustomFields, coverage }, q.vocab, { moduleId, calledTestCaseId: (k) => calledIds.get(k), ownProjects }, { scripts: q.config.scripts })
          ),
          q.managed.testCase,
          q.defaults
        )
        const hash = targetHash(body, q.defaults)
        const written = yield* writeOrReject(q, {
          entity: "test-case",
          key: tc.source_id,
          label: tc.key,
          hash,
          // qTest answers with the case and its steps: step logs and step attachments need no read of their own
          create: q.client.createTestCase(body).pipe(Effect.tap(q.caseSteps.remember), Effect.map((c) => String(c.id))),
          update: (id) => q.client.updateTestCase(Number(id), body).pipe(Effect.tap(q.caseSteps.remember), Effect.asVoid),
          lookup: q.client
            .search("test-cases", `'${q.config.fields.zephyrKey}' = '${tc.key}'`)
            .pipe(Stream.take(1), Stream.runHead, Effect.map(Option.map((item) => String(item.id))))
        })
        if (Option.isNone(written)) return
        const caseId = idOf(written.value)
        if (q.config.approveTestCases)
          yield* writeOrReject(q, {
            entity: "approval",
            key: tc.source_id,
            label: tc.key,
            // approving again after every update: an update (PUT) makes a new, unapproved version
            hash,
            create: q.client.approveTestCase(caseId).pipe(Effect.tap(q.caseSteps.remember), Effect.as(String(caseId))),
            update: () => q.client.approveTestCase(caseId).pipe(Effect.tap(q.caseSteps.remember), Effect.asVoid),
            lookup: Effect.succeed(Option.none())
          })
        for (const link of issues) {
          const requirementId = requirements.get(link.target)
          if (requirementId === undefined) continue
          yield* writeOrReject(q, {
            entity: "coverage",
            key: link.source_id,
            label: `${tc.key} covers ${link.target}`,
            hash: writtenHash({ requirementId, caseId }),
            // linking is idempotent in qTest (an existing link is kept): a resumed run links again
            create: q.client.linkRequirement(requirementId, [caseId]).pipe(Effect.as(String(requirementId))),
            update: () => q.client.linkRequirement(requirementId, [caseId]).pipe(Effect.asVoid),
            lookup: Effect.succeed(Option.none())
          })
        }
        for (const l of links.filter((x) => x.kind === "WEB"))
          yield* q.ctx.report.note({ kind: "skip", entity: "Link", sourceId: tc.key, message: `web link ${l.target} not carried: qTest test cases have no web links (kept in the store)` })
      })

    // A pass after the first (following the extract) goes over the cases committed since; the final pass, all.
    const fresh = q.load.fresh === undefined ? undefined : new Set(Chunk.toReadonlyArray(yield* Stream.runCollect(q.load.fresh.records("TestCase"))).map((tc) => tc.test_case_id))
    // first every case that calls nothing (streamed), then the callers level by level
    yield* Stream.runForEach(
      q.load.store.records("TestCase").pipe(
        Stream.filter((tc) => fresh === undefined || fresh.has(tc.test_case_id)),
        Stream.filter((tc) => !graph.calls.has(tc.test_case_id)),
        Stream.mapEffect(loadCase, { concurrency: q.ctx.concurrency, unordered: true })
      ),
      () => Effect.void
    )
    const maxLevel = Math.max(0, ...graph.level.values())
    for (let l = 0; l <= maxLevel; l++) {
      const ids = [...graph.calls.keys()].filter((id) => (graph.level.get(id) ?? 0) === l && (fresh === undefined || fresh.has(id)))
      yield* Effect.forEach(
        ids,
        (id) => Effect.flatMap(q.load.store.where("TestCase", { test_case_id: id }), (cases) => Effect.forEach(cases, loadCase, { discard: true })),
        { concurrency: q.ctx.concurrency, discard: true }
      )
    }
  })
