/**
 * The qTest sink held to the sink conformance kit (sinkConformance.ts): the live sink against the qTest sandbox,
 * read back through qTest's API (qtestContents.ts) as a dump keyed by module and cycle paths, Zephyr keys and
 * execution keys — no qTest id.
 */
import { Effect } from "effect"
import { startQtestSandbox, type RunningQtestSandbox } from "../../plugins/qtest/sandbox/index.ts"
import { qtestSection, storeRows, targetOf } from "../plugins/qtest/load/harness.ts"
import { dumpQtest, duplicates, readQtest } from "../plugins/qtest/load/qtestContents.ts"
import { sinkConformance, type SinkTarget, type Snapshot } from "./sinkConformance.ts"

/** The dump, per object kind as the load report names it, keyed. */
const snapshotOf = (qtest: RunningQtestSandbox): Effect.Effect<Snapshot> =>
  Effect.scoped(
    Effect.map(readQtest(targetOf(qtest)), (contents) => {
      const d = dumpQtest(contents)
      const keyed = <A>(xs: ReadonlyArray<A>, key: (x: A) => string) => Object.fromEntries(xs.map((x) => [key(x), x]))
      return {
        objects: {
          module: keyed(d.modules, (m) => m.path),
          "test-case": keyed(d.cases, (c) => `${c.key}`),
          release: keyed(d.releases, (r) => `${r.note}|${r.name}`),
          "test-cycle": keyed(d.cycles, (c) => c.path),
          "test-run": keyed(
            d.runs.map(({ logs: _, ...run }) => run),
            (r) => `${r.run}`
          ),
          "test-log": keyed(
            d.runs.flatMap((r) => r.logs),
            (l) => `${l.key}`
          ),
          attachment: keyed(d.attachments, (a) => `${a.owner}|${a.name}|${a.sha256}`)
        },
        duplicates: duplicates(contents)
      }
    })
  ).pipe(Effect.orDie)

const api = (qtest: RunningQtestSandbox, method: string, apiPath: string, body?: unknown) =>
  Effect.promise(async () => {
    const r = await fetch(`${qtest.baseUrl}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${qtest.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    if (r.status !== 200) throw new Error(`${method} ${apiPath}: ${r.status} ${await r.text()}`)
  })

type Obj = Record<string, unknown>
const mapKind = (objects: Snapshot["objects"], kind: string, f: (o: Obj) => Obj) =>
  Object.fromEntries(Object.entries(objects[kind] ?? {}).map(([k, o]) => [k, f(o as Obj)]))

/**
 * A test case updated in qTest gets a new version with new step ids; its runs move to it, its older logs keep the
 * steps they ran. A clean load has one version: compare without versions and without the step a step log names.
 */
const withoutHistory = (s: Snapshot): Snapshot => ({
  duplicates: s.duplicates,
  objects: {
    ...s.objects,
    "test-case": mapKind(s.objects, "test-case", ({ version: _, ...o }) => o),
    "test-run": mapKind(s.objects, "test-run", ({ version: _, ...o }) => o),
    "test-log": mapKind(s.objects, "test-log", (o) => ({ ...o, steps: (o["steps"] as ReadonlyArray<Obj>).map(({ step: _s, parentStep: _p, ...x }) => x) }))
  }
})

const sandboxOf = new WeakMap<SinkTarget, RunningQtestSandbox>()

sinkConformance("qtest", {
  sink: "qtest",
  withoutHistory,
  start: Effect.gen(function* () {
    const qtest = yield* startQtestSandbox({})
    const target: SinkTarget = {
      section: qtestSection(targetOf(qtest)),
      snapshot: snapshotOf(qtest),
      // a user renames a test case in qTest
      tamper: Effect.gen(function* () {
        const contents = yield* Effect.scoped(readQtest(targetOf(qtest))).pipe(Effect.orDie)
        const testCase = contents.cases[0]!.raw
        yield* api(qtest, "PUT", `/api/v3/projects/${qtest.projectId}/test-cases/${testCase.id}`, { name: `${testCase.name} (edited in qTest)` })
      })
    }
    sandboxOf.set(target, qtest)
    return target
  }),
  // a case per TestCase, a log per TestExecution, an attachment per Attachment; modules, cycles and runs are derived
  expectedCounts: (statePath) =>
    Effect.map(
      Effect.all([storeRows(statePath, "TestCase"), storeRows(statePath, "TestExecution"), storeRows(statePath, "Attachment")]),
      ([cases, executions, attachments]) => ({ "test-case": cases.length, "test-log": executions.length, attachment: attachments.length })
    ).pipe(Effect.orDie),
  // the sandbox's reject rule: a 400 on the create of one test case (once)
  refuseOne: (target, statePath) =>
    Effect.gen(function* () {
      const cases = [...(yield* storeRows(statePath, "TestCase").pipe(Effect.orDie))].sort((a, b) => a.key.localeCompare(b.key))
      const refused = cases.find((c) => cases.filter((o) => o.name.includes(c.name)).length === 1)!
      yield* api(sandboxOf.get(target)!, "POST", "/__sandbox/reject", {
        objectType: "test-cases",
        nameContains: refused.name,
        status: 400,
        message: "Field 'Zephyr Labels' (800074): value exceeds the maximum length",
        times: 1
      })
      return { kind: "test-case", reportKey: refused.source_id, snapshotKey: refused.key }
    })
})

