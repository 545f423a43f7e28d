/**
 * Turns a (small) tenant into a data file (the `--zephyr-data` format, plugins/zephyr/sandbox/ZephyrData.ts), so a
 * generated tenant can be served through the data-file path and compared response for response: the two
 * `TenantSource` implementations must agree.
 */
import { Buffer } from "node:buffer"
import type { LazyList, TenantSource } from "../../../../plugins/zephyr/sandbox/Tenant.ts"
import type { ZephyrAttachmentData, ZephyrData, ZephyrExecutionStep, ZephyrTestScript, ZephyrTestStep } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"

const all = <T extends { readonly id: number }>(list: LazyList<T>): Array<T> => {
  const out: Array<T> = []
  for (let i = 0; i < list.length; i++) {
    const item = list.at(i)
    if (item === undefined) throw new Error(`hole at ${i}`)
    out.push(item)
  }
  return out
}

export const materialise = (t: TenantSource): ZephyrData => {
  const testcases = all(t.testcases.all)
  const testexecutions = all(t.testexecutions.all)
  const teststeps: Record<string, ReadonlyArray<ZephyrTestStep>> = {}
  const testscripts: Record<string, ZephyrTestScript> = {}
  const versions: Record<string, number> = {}
  const executionsteps: Record<string, ReadonlyArray<ZephyrExecutionStep>> = {}
  const attachments: Record<string, Array<ZephyrAttachmentData>> = {}
  const files = (owner: string) => {
    const list = t.attachments(owner)
    if (list.length === 0) return
    attachments[owner] = list.map((a) => {
      const stored = t.attachmentBytes(owner, a.id)
      if (stored === undefined) throw new Error(`no bytes for ${owner}/${a.id}`)
      return { id: a.id, name: a.name, contentType: a.contentType, base64: Buffer.from(stored.bytes).toString("base64") }
    })
  }
  for (const tc of testcases) {
    const steps = t.teststeps(tc.key)
    if (steps.length > 0) teststeps[tc.key] = steps
    const script = t.testscript(tc.key)
    if (script !== undefined) testscripts[tc.key] = script
    const latest = t.latestVersion(tc.key)
    if (latest > 1) versions[tc.key] = latest
    files(`testcases/${tc.key}`)
  }
  for (const e of testexecutions) {
    executionsteps[String(e.id)] = t.executionsteps(e.id)
    files(`testexecutions/${e.id}`)
  }
  return {
    projects: all(t.projects.all),
    folders: all(t.folders.all),
    statuses: all(t.statuses.all),
    priorities: all(t.priorities.all),
    environments: all(t.environments.all),
    testcases,
    teststeps,
    testscripts,
    testcycles: all(t.testcycles.all),
    testplans: all(t.testplans.all),
    testexecutions,
    executionsteps,
    attachments,
    versions
  }
}
