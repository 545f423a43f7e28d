/**
 * The sandboxes of `migrate sandbox` in their own process for a test file's lifetime (bench/common.ts starts
 * them, with `args` as `migrate sandbox` flags): call it at the top of a test file; the returned getter gives them once `beforeAll` has run.
 */
import type { ChildProcess } from "node:child_process"
import { afterAll, beforeAll } from "@effect/vitest"
import { startSandboxesProcess, type ServedSandbox } from "../../bench/common.ts"

export const servedSandboxes = (args: ReadonlyArray<string> = []): (() => Readonly<Record<string, ServedSandbox>>) => {
  let served: { child: ChildProcess; sandboxes: Readonly<Record<string, ServedSandbox>> } | undefined
  beforeAll(async () => {
    served = await startSandboxesProcess(args)
  }, 120_000)
  afterAll(() => {
    served?.child.kill("SIGINT")
  })
  return () => served!.sandboxes
}
