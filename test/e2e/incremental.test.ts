/**
 * Incremental sync end to end (docs/architecture.md#checkpoints-and-incremental-extraction), in-process with the
 * run the CLI does, against generated and demo sandbox tenants:
 * - after ~1% of the source changed, an incremental run makes < 5% of a full run's requests and lands exactly
 *   those changes: the store then equals a fresh full extraction of the changed source;
 * - a step removed from a changed case disappears from the store (with its custom fields);
 * - `--full` reports what was deleted at the source and keeps it in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"
import { dumpStore, runInProcess, tempStatePath } from "../plugins/zephyr/runInProcess.ts"

let scope: Scope.CloseableScope
beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
})
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

const start = (options: Parameters<typeof startZephyrSandbox>[0]) => Effect.runPromise(Scope.extend(startZephyrSandbox(options), scope))

const zephyrRequests = (report: { readonly requests: Readonly<Record<string, { readonly requests: number }>> }) => report.requests["zephyr"]?.requests ?? 0

/** Keys of the rows of `entity` that differ between two dumps (added, changed or gone). */
const changedKeys = (before: ReturnType<typeof dumpStore>, after: ReturnType<typeof dumpStore>, entity: string): Array<string> => {
  const index = (rows: ReadonlyArray<Record<string, unknown>>) => new Map(rows.map((r) => [String(r["source_key"] ?? r["source_id"]), JSON.stringify(r)]))
  const a = index(before[entity] ?? [])
  const b = index(after[entity] ?? [])
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort()
}

describe("incremental sync", () => {
  it("after 1% of the source changed: < 5% of a full run's requests, and exactly those changes land", async () => {
    const sandbox: RunningZephyrSandbox = await start({ scale: "small", seed: 5 })
    const statePath = tempStatePath()
    const full = await runInProcess(sandbox, statePath)
    expect(full.extract.mode).toBe("full")
    expect(full.status).toBe("succeeded")
    const fullRequests = zephyrRequests(full)
    const before = dumpStore(statePath)

    const mutation = sandbox.mutate({ changeFraction: 0.01, deleteFraction: 0, addCount: 2, seed: 11 })
    sandbox.resetStats()
    const incremental = await runInProcess(sandbox, statePath)
    expect(incremental.extract.mode).toBe("incremental")
    expect(incremental.extract.since).toBe(full.extract.watermark)
    expect(zephyrRequests(incremental)).toBe(sandbox.stats().requests)
    expect(zephyrRequests(incremental)).toBeLessThan(0.05 * fullRequests)
    expect(incremental.fullRunRequests).toEqual({ zephyr: fullRequests })

    // Exactly the changes: the incrementally updated store equals a fresh full extraction of the changed source.
    const after = dumpStore(statePath)
    const freshPath = tempStatePath()
    await runInProcess(sandbox, freshPath)
    expect(after).toEqual(dumpStore(freshPath))
    // … and only the mutated entities moved (a case edit may also add a step; an added case brings its own).
    const touchedCases = [...mutation.changed.testcases, ...mutation.added.testcases].sort()
    expect(changedKeys(before, after, "TestCase").every((k) => touchedCases.includes(k))).toBe(true)
    expect(changedKeys(before, after, "TestCase").length).toBeGreaterThan(0)
    const touchedExecutions = [...mutation.changed.executions, ...mutation.added.executions].map(String)
    const changedExecutions = after["TestExecution"]!.filter((r) => changedKeys(before, after, "TestExecution").includes(String(r["source_key"] ?? r["source_id"])))
    expect(changedExecutions.map((r) => String(r["source_id"])).every((id) => touchedExecutions.includes(id))).toBe(true)
    expect(incremental.entities["TestCase"]?.created).toBe(mutation.added.testcases.length)
    expect(incremental.entities["TestExecution"]?.created).toBe(mutation.added.executions.length)
    expect(incremental.totals.updated).toBeGreaterThan(0)
  }, 300_000)

  it("a step removed from a changed case leaves the store, with its custom fields", async () => {
    const data = demoData()
    const sandbox = await start({ data })
    const statePath = tempStatePath()
    await runInProcess(sandbox, statePath)
    const key = Object.keys(data.teststeps).find((k) => k.startsWith("DEMO-") && (data.teststeps[k] ?? []).filter((s) => s.inline && Object.keys(s.inline.customFields ?? {}).length > 0).length > 0 && (data.teststeps[k] ?? []).length >= 2)!
    // The data types are read-only; the sandbox's own copy is what we edit, deliberately.
    const steps = data.teststeps[key]! as Array<(typeof data.teststeps)[string][number]>
    const removed = steps.find((s) => s.inline && Object.keys(s.inline.customFields ?? {}).length > 0)!
    expect(dumpStore(statePath)["TestStep"]!.some((s) => s["source_id"] === String(removed.id))).toBe(true)
    // The sandbox serves the data object it was given: edit it in place and stamp the case as just updated
    // (for a data file, a case's update time is its createdOn).
    steps.splice(steps.indexOf(removed), 1)
    const tc = data.testcases.find((t) => t.key === key)! as { createdOn?: string }
    tc.createdOn = new Date().toISOString().replace(/\.\d+Z$/, "Z")

    const incremental = await runInProcess(sandbox, statePath)
    expect(incremental.extract.mode).toBe("incremental")
    const after = dumpStore(statePath)
    expect(after["TestStep"]!.some((s) => s["source_id"] === String(removed.id))).toBe(false)
    expect(after["CustomField"]!.some((f) => f["object_type"] === "TestStep" && f["object_id"] === removed.id)).toBe(false)
    expect(incremental.entities["TestStep"]?.removed).toBe(1)
    expect(incremental.entities["CustomField"]?.removed).toBe(Object.keys(removed.inline?.customFields ?? {}).length)
    // Nothing else was removed: the store equals a fresh extraction.
    const freshPath = tempStatePath()
    await runInProcess(sandbox, freshPath)
    expect(after).toEqual(dumpStore(freshPath))
  })

  it("--full reports records deleted at the source and keeps them in the store", async () => {
    const data = demoData()
    const sandbox = await start({ data })
    const statePath = tempStatePath()
    const first = await runInProcess(sandbox, statePath)
    expect(first.deletedAtSource).toEqual({})
    const mutation = sandbox.mutate({ changeFraction: 0, deleteFraction: 0.01, addCount: 0, seed: 12 })
    expect(mutation.deleted.testcases.length).toBeGreaterThan(0)

    // An incremental run cannot see deletions: it does not claim to have checked.
    const incremental = await runInProcess(sandbox, statePath)
    expect(incremental.deletedAtSource).toBeNull()

    const full = await runInProcess(sandbox, statePath, { full: true })
    expect(full.extract.mode).toBe("full")
    expect(full.deletedAtSource?.["TestCase"]?.count).toBe(mutation.deleted.testcases.length)
    expect(full.deletedAtSource?.["TestExecution"]?.count).toBe(mutation.deleted.executions.length)
    const keys = dumpStore(statePath)["TestCase"]!.filter((r) => full.deletedAtSource?.["TestCase"]?.examples.includes(String(r["source_id"]))).map((r) => r["source_key"])
    expect(keys.sort()).toEqual([...mutation.deleted.testcases].sort())
    // Their steps are gone at the source too, and reported with them.
    const deletedSteps = mutation.deleted.testcases.reduce((n, key) => n + (data.teststeps[key]?.length ?? 0), 0)
    expect(full.deletedAtSource?.["TestStep"]?.count ?? 0).toBe(deletedSteps)
    // Kept: the store still has every case it had.
    expect(dumpStore(statePath)["TestCase"]!.length).toBe(first.entities["TestCase"]?.created)
    // A second full pass finds the same ones again (they stay reported until deleted by hand).
    expect((await runInProcess(sandbox, statePath, { full: true })).deletedAtSource?.["TestCase"]?.count).toBe(mutation.deleted.testcases.length)
  })
})
