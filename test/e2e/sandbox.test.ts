/** `migrate sandbox`: serves the Zephyr sandbox until stopped and prints `zephyr <base URL>`. */
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { repoRoot, runCliProcess, tempDir } from "./cli.ts"

describe("migrate sandbox", () => {
  it("serves a data file's project on the given port until stopped", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000)
    let answer: { status: number; body: unknown } | undefined
    const r = await runCliProcess(["sandbox", "--zephyr-data", path.join(repoRoot, "test/fixtures/zephyr/demo.json"), "--port", String(port)], {
      cwd: tempDir(),
      onStarted: (child) => {
        let out = ""
        child.stdout?.on("data", async (d: Buffer) => {
          out += d.toString()
          const m = /^zephyr (\S+)$/m.exec(out)
          if (m && answer === undefined) {
            answer = { status: 0, body: null }
            const res = await fetch(`${m[1]}/projects/DEMO`, { headers: { authorization: "Bearer sandbox-token" } })
            answer = { status: res.status, body: await res.json() }
            child.kill("SIGINT")
          }
        })
      }
    })
    expect(r.stdout).toContain(`zephyr http://127.0.0.1:${port}/v2`)
    expect(answer?.status).toBe(200)
    expect(answer?.body).toMatchObject({ key: "DEMO" })
    expect(r.code).toBe(130) // stopped with Ctrl-C: exit code 130, "interrupted"
  })
})
