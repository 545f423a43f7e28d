/**
 * The kit's table of common options and its fault draws: each bad value named in its own words, a sandbox's own
 * rates checked alike, and a seed that replays the same faults — drawing nothing for a choice of one.
 */
import { describe, expect, it } from "@effect/vitest"
import { checkRate, checkTransportOptions, makePrng, type SandboxTransportOptions } from "../../../core/sandbox.ts"
import { makeFaults } from "../../../core/sandbox/Faults.ts"
import { TRANSPORT_OPTIONS } from "../../../core/sandbox/TransportOptions.ts"

describe("checkTransportOptions", () => {
  it("accepts good options and names the first bad one", () => {
    expect(checkTransportOptions({})).toBeUndefined()
    expect(checkTransportOptions({ port: 0, latencyMs: 5, rateLimit: 1.5, faultRate: 1, seed: 3, faultKinds: ["slow"], slowResponseMs: 10, storm: { after: 0, length: 1 } })).toBeUndefined()
    const bad: ReadonlyArray<[SandboxTransportOptions, string]> = [
      [{ port: 70000 }, "port must be 0..65535, got 70000"],
      [{ latencyMs: -1 }, "latencyMs must be >= 0, got -1"],
      [{ rateLimit: 0 }, "rateLimit must be a positive number of requests per second, got 0"],
      [{ faultRate: 1.5 }, "faultRate must be between 0 and 1, got 1.5"],
      [{ seed: 0.5 }, "seed must be an integer, got 0.5"],
      [{ slowResponseMs: -3 }, "slowResponseMs must be >= 0, got -3"],
      [{ faultKinds: ["slow"] }, "faultKinds includes slow: set slowResponseMs (how long the answer is held)"],
      [{ storm: { after: 0, length: 0 } }, "storm.length must be an integer >= 1, got 0"],
      [{ quotaPerMinute: 0 }, "quotaPerMinute must be a positive whole number of requests, got 0"],
      [{ quotaPerMonth: 2.5 }, "quotaPerMonth must be a positive whole number of requests, got 2.5"]
    ]
    for (const [o, message] of bad) expect(checkTransportOptions(o)).toBe(message)
    expect(checkRate(2, "lostMergeAnswerRate")).toBe("lostMergeAnswerRate must be between 0 and 1, got 2")
    expect(checkRate(undefined, "x")).toBeUndefined()
  })

  it("declares every common option once, with a description", () => {
    const keys = TRANSPORT_OPTIONS.map((o) => o.key)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys.sort()).toEqual(["faultKinds", "faultRate", "host", "latencyMs", "port", "quotaPerMinute", "quotaPerMonth", "rateLimit", "seed", "slowResponseMs", "storm"])
    for (const o of TRANSPORT_OPTIONS) expect(o.description).not.toBe("")
  })
})

describe("makeFaults", () => {
  const sequence = (draw: () => { kind: string; status?: number }, n: number) => Array.from({ length: n }, () => { const v = draw(); return v.kind === "5xx" ? String(v.status) : v.kind })

  it("one draw for whether, one for the kind, one for the status; none for a choice of one", () => {
    const zephyrLike = makePrng(5)
    const draws: Array<string> = []
    for (let i = 0; i < 40; i++) {
      if (zephyrLike.next() >= 0.5) draws.push("none")
      else draws.push(String([500, 502, 503, "drop"][zephyrLike.int(4)]))
    }
    expect(sequence(makeFaults({ faultRate: 0.5 }, {}, makePrng(5)), 40)).toEqual(draws)
    // Snowflake's mix is its one 503: the prng is consulted once per request only
    const single = makePrng(8)
    const expected = Array.from({ length: 40 }, () => (single.next() < 0.5 ? "503" : "none"))
    expect(sequence(makeFaults({ faultRate: 0.5 }, { statuses: [503], mix: ["5xx"] }, makePrng(8)), 40)).toEqual(expected)
  })

  it("slow joins the default mix only when slowResponseMs is set; faultKinds restricts the kinds", () => {
    const withSlow = new Set(sequence(makeFaults({ faultRate: 1, slowResponseMs: 10 }, { mix: ["5xx", "drop", "slow"] }, makePrng(2)), 200))
    expect(withSlow).toEqual(new Set(["500", "502", "503", "drop", "slow"]))
    const without = new Set(sequence(makeFaults({ faultRate: 1 }, { mix: ["5xx", "drop", "slow"] }, makePrng(2)), 200))
    expect(without).toEqual(new Set(["500", "502", "503", "drop"]))
    expect(new Set(sequence(makeFaults({ faultRate: 1, faultKinds: ["drop"] }, {}, makePrng(2)), 50))).toEqual(new Set(["drop"]))
    expect(sequence(makeFaults({ faultRate: 0 }, {}, makePrng(2)), 5)).toEqual(["none", "none", "none", "none", "none"])
  })
})
