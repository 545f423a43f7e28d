import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { SpecDefaults } from "../../../core/spec/SpecDefaults.ts"
import { sandboxSpec } from "../../../core/spec/sandboxSpec.ts"

describe("sandboxSpec", () => {
  it("extracts the zephyr sandbox into .migrate/sandbox.db, loaded into the qTest and Snowflake sandboxes, default runtime", () => {
    const spec = sandboxSpec()
    expect(spec.statePath).toBe(path.resolve(".migrate/sandbox.db"))
    expect(spec.source).toEqual({ type: "zephyr", config: {} })
    expect(spec.transforms).toEqual([])
    // the demo lands in the qTest sandbox, with the fields it needs created and users mapped to the API user
    // … and in the Snowflake sandbox, whose account, credentials and database the sandbox supplies
    expect(spec.sinks).toEqual([
      { type: "qtest", config: { createMissingFields: true, maps: { users: { default: "migration-bot@example.com" } } } },
      { type: "snowflake", config: {} }
    ])
    expect(spec.runtime).toEqual({
      concurrency: SpecDefaults.concurrency,
      projects: SpecDefaults.projects,
      requestTimeoutMs: SpecDefaults.requestTimeoutMs,
      retry: SpecDefaults.retry,
      rateLimits: {},
      budget: {}
    })
  })
  it("puts sandbox.db in the given state directory", () => {
    expect(sandboxSpec("/tmp/x/.migrate").statePath).toBe("/tmp/x/.migrate/sandbox.db")
  })
})
