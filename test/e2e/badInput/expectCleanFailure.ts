/**
 * What every bad input must leave on the terminal, whatever it is: no stack trace (no `    at ` line) unless
 * --verbose asks for one, and none of the secrets the process was given.
 */
import { expect } from "@effect/vitest"
import type { CliResult } from "../cli.ts"

export const expectCleanFailure = (r: CliResult, secrets: ReadonlyArray<string>): void => {
  const output = r.stdout + r.stderr
  expect(output, "a stack trace").not.toMatch(/^\s+at .+/m)
  expect(output).not.toContain("internal error")
  for (const secret of secrets) expect(output, "a secret in the output").not.toContain(secret)
}
