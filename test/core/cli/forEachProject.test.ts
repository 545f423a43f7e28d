/**
 * How a command over several projects ends and speaks: the exit code that says most, and each project's output
 * marked with its key on a terminal, and carried as a field in JSON.
 */
import { PassThrough } from "node:stream"
import { describe, expect, it } from "@effect/vitest"
import { worstExitCode } from "../../../core/cli/forEachProject.ts"
import { makeOutput } from "../../../core/cli/Output.ts"

const captured = () => {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough
  let text = ""
  stream.on("data", (d: Buffer) => (text += d.toString()))
  return { stream, text: () => text }
}

describe("a command over several projects", () => {
  it("ends with the code that says most: a failure over an invalid spec, a budget stop, quarantine, success", () => {
    expect(worstExitCode([0, 0])).toBe(0)
    expect(worstExitCode([0, 3, 0])).toBe(3)
    expect(worstExitCode([3, 4])).toBe(4)
    expect(worstExitCode([4, 2, 3])).toBe(2)
    expect(worstExitCode([2, 75])).toBe(75)
    expect(worstExitCode([0, 1, 2, 75])).toBe(1)
    expect(worstExitCode([1, 130])).toBe(130)
    expect(worstExitCode([])).toBe(0)
  })

  it("marks each line of a project's output with its key, and each JSON event with a field", () => {
    const out = captured()
    const err = captured()
    const human = makeOutput({ json: false, project: "WEB", stdout: out.stream, stderr: err.stream })
    human.line("run 1: succeeded\n  TestCase 3\n")
    human.progress.phase("extract zephyr")
    expect(out.text()).toBe("[WEB] run 1: succeeded\n[WEB]   TestCase 3\n\n")
    expect(err.text()).toBe("[WEB] → extract zephyr\n")

    const one = captured()
    makeOutput({ json: false, project: "WEB", mark: false, stdout: one.stream, stderr: one.stream }).line("status")
    expect(one.text()).toBe("status\n")

    const json = captured()
    makeOutput({ json: true, project: "WEB", stdout: json.stream, stderr: json.stream }).event("summary", { ok: true })
    expect(JSON.parse(json.text())).toEqual({ event: "summary", at: expect.any(String), project: "WEB", ok: true })
  })
})
