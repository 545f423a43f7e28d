/**
 * The good records the source-data cases surround their bad ones with: the demo tenant cut down to four test
 * cases (DEMO-T1…T4, with their steps, attachments and 18 executions) and everything they need (project, folders,
 * statuses, priorities, environments, plans, cycles). Small, so that a full run per case costs seconds, yet with
 * every kind of record a migration carries. A fresh, mutable copy per call.
 */
import { demoData, type ZephyrData } from "../../../plugins/zephyr/sandbox/index.ts"

export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? Array<U> : T[K] extends object ? Mutable<T[K]> : T[K] }
export type TenantData = { -readonly [K in keyof ZephyrData]-?: Mutable<NonNullable<ZephyrData[K]>> }

const KEPT = new Set(["DEMO-T1", "DEMO-T2", "DEMO-T3", "DEMO-T4"])

const caseKeyOf = (self: string): string | undefined => /\/testcases\/([^/]+)\/versions\//.exec(self)?.[1]

export const smallTenant = (): TenantData => {
  const demo = structuredClone(demoData()) as unknown as TenantData
  const keep = (key: string) => KEPT.has(key) || key.startsWith("OTHER-")
  const testcases = demo.testcases.filter((t) => keep(t.key))
  const testexecutions = demo.testexecutions.filter((e) => keep(caseKeyOf(e.testCase.self) ?? ""))
  const executionIds = new Set(testexecutions.map((e) => String(e.id)))
  const pick = <T>(record: Record<string, T>, ok: (k: string) => boolean): Record<string, T> => Object.fromEntries(Object.entries(record).filter(([k]) => ok(k)))
  return {
    ...demo,
    testcases,
    testexecutions,
    teststeps: pick(demo.teststeps, keep),
    testscripts: pick(demo.testscripts, keep),
    versions: pick(demo.versions, keep),
    executionsteps: pick(demo.executionsteps, (id) => executionIds.has(id)),
    attachments: pick(demo.attachments, (owner) => (owner.startsWith("testcases/") ? keep(owner.slice(10)) : executionIds.has(owner.slice(15)))),
    malformed: []
  }
}
