/**
 * What a qTest project holds, read back through its REST API — the real QtestClient over loopback, plus raw
 * downloads of attachment bytes — and the same contents as a comparable value: every module, test case (steps,
 * properties, version), release, test cycle, test run, test log (step logs) and attachment (bytes hashed), with
 * every id qTest assigned replaced by a stable name (module and cycle paths, Zephyr keys, execution keys, a
 * case's key and step position). Two projects loaded from the same store — a clean run and a killed-and-resumed
 * one — must have equal dumps; `duplicates` names what a dump cannot show when it is equal by accident.
 */
import { createHash } from "node:crypto"
import { Chunk, Effect, Redacted, Stream } from "effect"
import type { Module, Release, TestCase, TestCycle, TestLog, TestRun } from "../../../../plugins/qtest/api/index.ts"
import { makeQtestClient, type QtestClientShape } from "../../../../plugins/qtest/QtestClient.ts"
import { qtestConfigDefaults } from "../../../../plugins/qtest/QtestConfig.ts"
import { makeContext } from "../client/harness.ts"

/** Where a qTest project is and the token that reads it. */
export interface QtestTarget {
  readonly baseUrl: string
  readonly projectId: number
  readonly token: string
}

export const ZEPHYR_KEY = qtestConfigDefaults.fields.zephyrKey
export const EXECUTION_KEY = qtestConfigDefaults.fields.executionKey

export interface ModuleRead {
  readonly id: number
  /** Names from the root, joined with "/" (a leading "/" like the store's folder paths). */
  readonly path: string
  readonly raw: Module
  /** Child names in qTest's order. */
  readonly children: ReadonlyArray<string>
}

export interface CycleRead {
  readonly id: number
  readonly path: string
  readonly raw: TestCycle
  readonly children: ReadonlyArray<string>
}

export interface AttachmentRead {
  readonly objectType: "test-cases" | "test-logs" | "test-steps"
  readonly objectId: number
  readonly id: number
  readonly name: string
  readonly contentType: string | null | undefined
  readonly sha256: string
  readonly size: number
}

export interface QtestContents {
  /** Depth first, siblings in qTest's order. */
  readonly modules: ReadonlyArray<ModuleRead>
  /** Every case of every module, with its steps and properties. */
  readonly cases: ReadonlyArray<{ readonly raw: TestCase; readonly modulePath: string }>
  readonly releases: ReadonlyArray<Release>
  readonly cycles: ReadonlyArray<CycleRead>
  readonly runs: ReadonlyArray<{ readonly raw: TestRun; readonly cyclePath: string }>
  /** Per run, in qTest's order. */
  readonly logs: ReadonlyArray<{ readonly raw: TestLog; readonly runId: number }>
  readonly attachments: ReadonlyArray<AttachmentRead>
}

/** A reading client with the production PluginContext (fast retries); scoped for its temp state dir. */
export const qtestReader = (target: QtestTarget) =>
  Effect.map(makeContext(), (ctx) =>
    makeQtestClient({ baseUrl: target.baseUrl, projectId: target.projectId, auth: { _tag: "Token", token: Redacted.make(target.token) } }, ctx)
  )

const collect = <A, E>(s: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(s), Chunk.toReadonlyArray)

/**
 * An attachment's bytes, as qTest serves them (`GET …/{objectType}/{objectId}/attachments/{id}`). A sandbox with a
 * rate limit may answer the read-back 429 too: it waits its Retry-After (at least 100 ms) and asks again.
 */
export const downloadAttachment = (target: QtestTarget, objectType: string, objectId: number, id: number) =>
  Effect.promise(async () => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${target.baseUrl}/api/v3/projects/${target.projectId}/${objectType}/${objectId}/attachments/${id}`, {
        headers: { authorization: `Bearer ${target.token}` }
      })
      if (response.status === 429 && attempt < 50) {
        await response.arrayBuffer()
        await new Promise((r) => setTimeout(r, Math.max(100, Number(response.headers.get("retry-after") ?? 0) * 1000)))
        continue
      }
      if (!response.ok) throw new Error(`download of attachment ${id} on ${objectType}/${objectId}: ${response.status} ${await response.text()}`)
      return new Uint8Array(await response.arrayBuffer())
    }
  })

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

/** `GET /__sandbox/parameters`: the parameters qTest made of `[~identifier]` texts. */
export const sandboxParameters = (target: QtestTarget) =>
  Effect.promise(async () => {
    const response = await fetch(`${target.baseUrl}/__sandbox/parameters`, { headers: { authorization: `Bearer ${target.token}` } })
    if (!response.ok) throw new Error(`GET /__sandbox/parameters: ${response.status}`)
    return (await response.json()) as ReadonlyArray<{ id: number; identifier: string }>
  })

export const readQtest = (target: QtestTarget) =>
  Effect.gen(function* () {
    const client: QtestClientShape = yield* qtestReader(target)
    const modules: Array<ModuleRead> = []
    const walkModules = (list: ReadonlyArray<Module>, parent: string) => {
      for (const m of list) {
        const path = `${parent}/${m.name}`
        modules.push({ id: m.id, path, raw: m, children: (m.children ?? []).map((c) => c.name) })
        walkModules(m.children ?? [], path)
      }
    }
    walkModules(yield* client.listModules({ descendants: true }), "")

    const cases: Array<{ raw: TestCase; modulePath: string }> = []
    for (const m of modules)
      for (const raw of yield* collect(client.listTestCases(m.id, { expandSteps: true, expandProps: true }))) cases.push({ raw, modulePath: m.path })

    const releases = yield* client.listReleases()

    const cycles: Array<CycleRead> = []
    const walkCycles = (list: ReadonlyArray<TestCycle>, parent: string) => {
      for (const c of list) {
        const path = `${parent}/${c.name}`
        cycles.push({ id: c.id, path, raw: c, children: (c["test-cycles"] ?? []).map((x) => x.name) })
        walkCycles(c["test-cycles"] ?? [], path)
      }
    }
    walkCycles(yield* collect(client.listTestCycles({ parentId: 0, parentType: "root" }, { descendants: true })), "")

    const runs: Array<{ raw: TestRun; cyclePath: string }> = []
    for (const c of cycles)
      for (const raw of yield* collect(client.listTestRuns({ parentId: c.id, parentType: "test-cycle" }))) runs.push({ raw, cyclePath: c.path })
    const logs: Array<{ raw: TestLog; runId: number }> = []
    for (const r of runs) for (const raw of yield* collect(client.listTestLogs(r.raw.id))) logs.push({ raw, runId: r.raw.id })

    const owners: Array<{ objectType: AttachmentRead["objectType"]; objectId: number; list: ReadonlyArray<{ id: number; name: string; content_type?: string | null | undefined }> }> = [
      ...cases.map((c) => ({ objectType: "test-cases" as const, objectId: c.raw.id, list: c.raw.attachments ?? [] })),
      ...cases.flatMap((c) => (c.raw.test_steps ?? []).map((s) => ({ objectType: "test-steps" as const, objectId: s.id, list: s.attachments ?? [] }))),
      ...logs.map((l) => ({ objectType: "test-logs" as const, objectId: l.raw.id, list: l.raw.attachments ?? [] }))
    ]
    const attachments: Array<AttachmentRead> = []
    for (const o of owners)
      for (const a of o.list) {
        const bytes = yield* downloadAttachment(target, o.objectType, o.objectId, a.id)
        attachments.push({ objectType: o.objectType, objectId: o.objectId, id: a.id, name: a.name, contentType: a.content_type, sha256: sha256(bytes), size: bytes.byteLength })
      }
    return { modules, cases, releases, cycles, runs, logs, attachments } satisfies QtestContents
  })

// ---- the comparable dump ------------------------------------------------------------------------------------

type Props = ReadonlyArray<{ readonly field_name?: string | null | undefined; readonly field_value?: string | null | undefined; readonly field_value_name?: string | null | undefined }> | null | undefined

/** A property's value as the UI shows it (labels, user names; ids never): multi-value labels sorted. */
const shown = (p: NonNullable<Props>[number]): string => {
  const name = p.field_value_name ?? p.field_value ?? ""
  return /^\[.*\]$/.test(p.field_value ?? "") ? name.split(", ").sort().join(", ") : name
}

export const propertyValue = (props: Props, fieldName: string): string | undefined => {
  const p = (props ?? []).find((x) => x.field_name === fieldName)
  return p === undefined ? undefined : shown(p)
}

const properties = (props: Props): Record<string, string> =>
  Object.fromEntries([...(props ?? [])].map((p) => [p.field_name ?? "?", shown(p)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/** The stable names of what qTest identifies by id. */
export const namesOf = (c: QtestContents) => {
  // qTest ids are branded numbers; the maps are keyed by plain numbers
  const caseName = new Map<number, string>()
  for (const { raw } of c.cases) caseName.set(raw.id, propertyValue(raw.properties, ZEPHYR_KEY) ?? `<no key> ${raw.name}`)
  const stepName = new Map<number, string>()
  for (const { raw } of c.cases) (raw.test_steps ?? []).forEach((s, i) => stepName.set(s.id, `${caseName.get(raw.id)}#${i + 1}`))
  const moduleName = new Map<number, string>(c.modules.map((m) => [m.id, m.path]))
  const cycleName = new Map<number, string>(c.cycles.map((x) => [x.id, x.path]))
  const releaseName = new Map<number, string>(c.releases.map((r) => [r.id, r.name]))
  const runName = new Map<number, string>(c.runs.map((r) => [r.raw.id, `${r.cyclePath} :: ${r.raw.test_case ? (caseName.get(r.raw.test_case.id) ?? `<case ${r.raw.test_case.id}>`) : "<no case>"}`]))
  const logName = new Map<number, string>(c.logs.map((l) => [l.raw.id, propertyValue(l.raw.properties, EXECUTION_KEY) ?? `<no key> log of ${runName.get(l.runId)}`]))
  const id = (names: ReadonlyMap<number, string>, kind: string, value: number | null | undefined) =>
    value === null || value === undefined ? null : (names.get(value) ?? `<unknown ${kind} ${value}>`)
  return {
    caseName,
    stepName,
    moduleName,
    cycleName,
    releaseName,
    runName,
    logName,
    case: (v: number | null | undefined) => id(caseName, "case", v),
    step: (v: number | null | undefined) => id(stepName, "step", v),
    module: (v: number | null | undefined) => id(moduleName, "module", v),
    release: (v: number | null | undefined) => id(releaseName, "release", v),
    owner: (objectType: string, objectId: number) =>
      objectType === "test-cases" ? id(caseName, "case", objectId) : objectType === "test-steps" ? id(stepName, "step", objectId) : id(logName, "log", objectId)
  }
}

const byKey = <A>(key: (a: A) => string) => (a: A, b: A) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)

/**
 * The contents without anything qTest assigns (ids, PIDs, dates of creation): what a migration decides.
 * Modules and cycle folders keep qTest's sibling order (the sink creates siblings in Zephyr's order); cases,
 * cycles, runs and attachments are sorted by name, since they are created concurrently; logs are sorted by
 * their execution's end (then key) within a run — the order qTest's run status follows. (Loading while the extract
 * runs, the sink creates a run's logs as their executions reach the store: in the source's list order, which is
 * time order unless an execution was recorded with an earlier date after a later one.)
 */
export const dumpQtest = (c: QtestContents) => {
  const n = namesOf(c)
  return {
    modules: c.modules.map((m) => ({ path: m.path, description: m.raw.description ?? "", children: m.children })),
    cases: c.cases
      .map(({ raw, modulePath }) => ({
        key: n.caseName.get(raw.id),
        module: modulePath,
        name: raw.name,
        version: raw.version,
        description: raw.description,
        precondition: raw.precondition,
        properties: properties(raw.properties),
        steps: (raw.test_steps ?? []).map((s) => ({ description: s.description, expected: s.expected, calls: n.case(s.called_test_case_id) }))
      }))
      .sort(byKey((x) => `${x.key}`)),
    releases: c.releases
      .map((r) => ({ name: r.name, description: r.description, note: r.note, start: r.start_date, end: r.end_date, properties: properties(r.properties) }))
      .sort(byKey((x) => `${x.note}|${x.name}`)),
    cycles: c.cycles
      .map((x) => ({ path: x.path, description: x.raw.description, release: n.release(x.raw.target_release_id), children: [...x.children].sort() }))
      .sort(byKey((x) => x.path)),
    runs: c.runs
      .map(({ raw }) => ({
        run: n.runName.get(raw.id),
        name: raw.name,
        version: raw.test_case_version,
        properties: properties(raw.properties),
        logs: c.logs
          .filter((l) => l.runId === raw.id)
          .map(({ raw: log }) => ({
            key: n.logName.get(log.id),
            status: log.status.name,
            start: log.exe_start_date,
            end: log.exe_end_date,
            note: log.note ?? null,
            properties: properties(log.properties),
            steps: (log.test_step_logs ?? []).map((s) => ({
              order: s.order,
              step: n.step(s.test_step_id),
              status: s.status?.name,
              actual: s.actual_result ?? null,
              calledCase: n.case(s.called_test_case_id),
              parentStep: n.step(s.parent_test_step_id)
            }))
          }))
          .sort(byKey((x) => `${x.end}|${x.start}|${x.key}`))
      }))
      .sort(byKey((x) => `${x.run}`)),
    attachments: c.attachments
      .map((a) => ({ owner: `${a.objectType} ${n.owner(a.objectType, a.objectId)}`, name: a.name, contentType: a.contentType, sha256: a.sha256 }))
      .sort(byKey((x) => `${x.owner}|${x.name}|${x.sha256}`))
  }
}

export type QtestDump = ReturnType<typeof dumpQtest>

/** Objects that exist twice where a migration should have made one: each entry names the duplicated thing. */
export const duplicates = (c: QtestContents): ReadonlyArray<string> => {
  const n = namesOf(c)
  const twice = (kind: string, names: ReadonlyArray<string>) => {
    const seen = new Set<string>()
    const out: Array<string> = []
    for (const x of names) {
      if (seen.has(x)) out.push(`${kind} ${x}`)
      seen.add(x)
    }
    return out
  }
  return [
    ...twice("module", c.modules.map((m) => m.path)),
    ...twice("test case with Zephyr Key", c.cases.map((x) => n.caseName.get(x.raw.id) ?? "")),
    ...twice("release", c.releases.map((r) => `${r.note}`)),
    ...twice("test cycle", c.cycles.map((x) => x.path)),
    ...twice("test run", c.runs.map((r) => n.runName.get(r.raw.id) ?? "")),
    ...twice("test log with execution key", c.logs.map((l) => n.logName.get(l.raw.id) ?? "")),
    ...twice("attachment", c.attachments.map((a) => `${n.owner(a.objectType, a.objectId)} ${a.name}`))
  ]
}

/** How many objects of each kind the project holds. */
export const countsOf = (c: QtestContents) => ({
  modules: c.modules.length,
  cases: c.cases.length,
  steps: c.cases.reduce((s, x) => s + (x.raw.test_steps?.length ?? 0), 0),
  releases: c.releases.length,
  cycles: c.cycles.length,
  runs: c.runs.length,
  logs: c.logs.length,
  attachments: c.attachments.length
})
