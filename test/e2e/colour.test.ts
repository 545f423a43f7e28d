/**
 * CLI manners: help and messages carry colour only for a person at a terminal. Through a pipe (CI's log, a file)
 * and with `NO_COLOR` set they are plain text; at a real terminal (a pseudo-terminal made by util-linux `script`)
 * the help is styled.
 */
import { spawnSync } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { colourWanted, stripColour } from "../../core/cli/colour.ts"
import { bin, runCliProcess, tempDir } from "./cli.ts"

const ESC = "\u001b["
const hasScript = spawnSync("script", ["--version"]).status === 0

/** The CLI at a pseudo-terminal: what a person sees, escape codes included. */
const atTerminal = (args: string, env: Record<string, string> = {}) =>
  spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} ${args}`, "/dev/null"], {
    encoding: "utf8",
    env: { ...process.env, CI: "true", TERM: "xterm-256color", ...env, ...(env["NO_COLOR"] === undefined ? { NO_COLOR: "" } : {}) },
    timeout: 60_000
  })

describe("colour", () => {
  it("is wanted at a terminal only, and never with NO_COLOR or TERM=dumb", () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true)
    expect(colourWanted({ isTTY: false }, {})).toBe(false)
    expect(colourWanted({}, {})).toBe(false)
    expect(colourWanted({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    // no-color.org: set to anything but the empty string
    expect(colourWanted({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(colourWanted({ isTTY: true }, { TERM: "dumb" })).toBe(false)
    expect(stripColour("\u001b[0;1mUSAGE\u001b[0m and \u001b[K")).toBe("USAGE and \u001b[K")
  })

  it("help and an error through a pipe carry no escape codes", async () => {
    const cwd = tempDir()
    const help = await runCliProcess(["--help"], { cwd })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("USAGE")
    expect(help.stdout).not.toContain(ESC)
    const wrong = await runCliProcess(["run", "--no-such-flag"], { cwd })
    expect(wrong.code).not.toBe(0)
    expect(wrong.stdout + wrong.stderr).toContain("--no-such-flag")
    expect(wrong.stdout + wrong.stderr).not.toContain(ESC)
  }, 60_000)

  it.runIf(hasScript)("at a terminal the help is styled, unless NO_COLOR is set", () => {
    const styled = atTerminal("--help")
    expect(styled.status).toBe(0)
    expect(styled.stdout).toContain("USAGE")
    expect(styled.stdout).toContain(ESC)
    const plain = atTerminal("--help", { NO_COLOR: "1" })
    expect(plain.status).toBe(0)
    expect(plain.stdout).toContain("USAGE")
    expect(plain.stdout).not.toContain(ESC)
  }, 60_000)
})
