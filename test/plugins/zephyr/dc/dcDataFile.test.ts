/**
 * A sandbox data file written in Zephyr DC's own shapes (test/fixtures/zephyr/dc-bank.json): the DC sandbox serves it
 * back as DC does — the bodies the file holds, field for field — and the DC source lands it in the store with what
 * only DC has: the test data table, legacy user keys, another project's issue key, a step's multi-choice field, ad hoc
 * results. A file missing what DC always sends is refused with the JSON path of each problem.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { checkZephyrData, loadZephyrData, startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { extractAll, harness } from "../harness.ts"

const file = fileURLToPath(new URL("../../../fixtures/zephyr/dc-bank.json", import.meta.url))
const written = JSON.parse(fs.readFileSync(file, "utf8")) as {
  readonly testcases: ReadonlyArray<Record<string, unknown>>
  readonly testruns: ReadonlyArray<Record<string, unknown> & { readonly results: ReadonlyArray<Record<string, unknown>> }>
  readonly testplans: ReadonlyArray<Record<string, unknown>>
}

const get = (url: string, token: string) =>
  Effect.promise(async () => {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    expect(r.status, url).toBe(200)
    return (await r.json()) as Record<string, unknown>
  })

/** The fields a body must give back as the file wrote them (audit dates and derived counts aside). */
const CASE_FIELDS = ["key", "projectKey", "name", "objective", "precondition", "folder", "status", "priority", "component", "owner", "estimatedTime", "labels", "issueLinks", "customFields", "parameters", "majorVersion", "createdOn"]

describe("a sandbox data file in Zephyr DC's shapes", () => {
  it.scopedLive("is served back in those shapes, field for field", () =>
    Effect.gen(function* () {
      const data = yield* loadZephyrData(file)
      const sb = yield* startZephyrSandbox({ data, edition: "dc" })
      for (const tc of written.testcases) {
        const served = yield* get(`${sb.baseUrl}/testcase/${String(tc["key"])}`, sb.token)
        for (const f of CASE_FIELDS) expect(served[f], `${String(tc["key"])}.${f}`).toEqual(tc[f])
        const script = tc["testScript"] as { type: string; text?: string; steps?: Array<Record<string, unknown>> }
        const servedScript = served["testScript"] as typeof script
        expect(servedScript.type).toBe(script.type)
        if (script.text !== undefined) expect(servedScript.text).toBe(script.text)
        const strip = (s: Record<string, unknown>) => ({ index: s["index"], description: s["description"], expectedResult: s["expectedResult"], testCaseKey: s["testCaseKey"] })
        expect((servedScript.steps ?? []).map(strip)).toEqual([...(script.steps ?? [])].sort((a, b) => Number(a["index"]) - Number(b["index"])).map(strip))
      }
      for (const run of written.testruns) {
        const results = (yield* get(`${sb.baseUrl}/testrun/${String(run["key"])}/testresults`, sb.token)) as unknown as Array<Record<string, unknown>>
        expect(results.map((r) => [r["id"], r["testCaseKey"], r["status"], r["environment"], r["executedBy"] ?? null])).toEqual(
          run.results.map((r) => [r["id"], r["testCaseKey"], r["status"], r["environment"], r["executedBy"] ?? null])
        )
      }
      const latest = yield* get(`${sb.baseUrl}/testcase/BANK-T2/testresult/latest`, sb.token)
      expect(latest).toMatchObject({ id: 5100, status: "Pass", executedBy: "JIRAUSER10412" })
    })
  )

  it.scopedLive("lands in the store with what only DC gives", () =>
    Effect.gen(function* () {
      const data = yield* loadZephyrData(file)
      const h = yield* harness({ data, edition: "dc" }, { edition: "dc", fetchVersions: true })
      const records = yield* extractAll(h.source)
      const rows = (entity: string) => records.filter((r) => r.entity === entity).map((r) => r.data as Record<string, unknown>)
      const t1 = rows("TestCase").find((c) => c["key"] === "BANK-T1")!
      expect(t1).toMatchObject({ owner_id: "vitor.pelizza", component: "Core Banking", priority: "High", status: "Approved", version: 2, script_type: "STEP_BY_STEP" })
      expect(t1["test_data"]).toEqual(written.testcases[0]!["parameters"])
      expect(rows("TestCase").find((c) => c["key"] === "BANK-T2")).toMatchObject({ script_type: "BDD", script_text: "Given an account\nWhen a month ends\nThen a statement is sent", test_data: null })
      // steps in index order, the call's parameters with their kind
      const steps = rows("TestStep").filter((s) => s["test_case_id"] === t1["test_case_id"])
      expect(steps.map((s) => s["description"])).toEqual(["Open the card form", "Pay {amount} {currency}"])
      expect(rows("TestStep").find((s) => s["called_test_case_key"] === "BANK-T1")?.["parameters"]).toEqual([
        { name: "amount", type: "DEFAULT_VALUE", value: "20.00" },
        { name: "currency", type: "MANUAL_INPUT", value: "EUR" }
      ])
      const fields = rows("CustomField")
      expect(fields.find((f) => f["field_name"] === "Browsers")).toMatchObject({ object_type: "TestStep", field_type: "MULTI_SELECT", value_json: ["Chrome", "Firefox"] })
      expect(fields.find((f) => f["field_name"] === "Platforms")).toMatchObject({ object_type: "TestCase", field_type: "TEXT", field_value: "iOS, Android" })
      expect(fields.find((f) => f["field_name"] === "Reviewer")).toMatchObject({ field_type: "USER", field_value: "JIRAUSER10412" })
      expect(rows("Link").filter((l) => l["object_id"] === t1["test_case_id"]).map((l) => [l["target"], l["issue_id"]])).toEqual([["BANK-42", null], ["CORE-7", null]])
      // folders from the paths, parents first; the root case has none
      expect(rows("Folder").map((f) => `${String(f["type"])} ${String(f["path"])}`)).toEqual([
        "TEST_CASE /Payments",
        "TEST_CASE /Payments/Cards",
        "TEST_CASE /Statements",
        "TEST_PLAN /Releases",
        "TEST_CYCLE /Sprint 1"
      ])
      // every result of the run, history included, and the ad hoc one
      expect(rows("TestExecution").map((e) => [e["execution_id"], e["test_cycle_id"] === null])).toEqual([[5001, false], [5002, false], [5003, false], [5100, true]])
      expect(rows("ExecutionStepResult").filter((s) => s["execution_id"] === 5001).map((s) => s["actual_result"])).toEqual(["Shown", "Declined by the bank"])
      // both attachments, files included
      expect(rows("Attachment").map((a) => [a["attachment_name"], a["related_type"], typeof a["sha256"]])).toEqual([
        ["card.png", "TestCase", "string"],
        ["declined.log", "TestExecution", "string"]
      ])
    })
  )

  it.effect("missing what DC always sends: each problem named by its JSON path", () =>
    Effect.gen(function* () {
      const broken = {
        format: "zephyr-dc",
        project: {},
        testcases: [{ name: "no key" }],
        testruns: [{ key: "BANK-C1", name: "run", results: [{ testCaseKey: "BANK-T1" }] }],
        testplans: [{ key: "BANK-P1", name: "plan", testRuns: [{ key: "BANK-C9" }] }]
      }
      const e = yield* Effect.flip(checkZephyrData(broken, "bank.json"))
      expect(e.problems).toEqual([
        "project.key: required (the Jira project key)",
        "testcases[0].key: required (the test case key)",
        "testruns[0].results[0].id: required (a test result's id)",
        "testruns[0].results[0].status: required (the result's status name)",
        "testplans[0].testRuns[0].key: names no test run of the file"
      ])
      expect(e.message).toContain("bank.json: ")
    })
  )
})

describe("a malformed record on Zephyr DC", () => {
  it.scopedLive("is quarantined with the key and the fix, and the rest of the project extracts", () =>
    Effect.gen(function* () {
      const bank = JSON.parse(fs.readFileSync(file, "utf8")) as unknown
      const data = yield* checkZephyrData(bank)
      // the tenant's second case loses its name: DC then serves it without one
      const broken = {
        ...data,
        testcases: data.testcases.map((tc) => (tc.key === "BANK-T2" ? { ...tc, name: undefined } : tc)),
        malformed: ["testcases[1]"]
      }
      const h = yield* harness({ data: broken as never, edition: "dc" }, { edition: "dc" })
      const records = yield* extractAll(h.source)
      const quarantined = records.filter((r) => r.entity === "Quarantine")
      expect(quarantined.map((q) => [q.data.of, q.data.source_id])).toEqual([["TestCase", "BANK-T2"]])
      expect(String(quarantined[0]!.data.reason)).toMatch(/^test case BANK-T2 is malformed \(.*name.*\) — fix it in Zephyr; the next run reads it again$/)
      expect(records.filter((r) => r.entity === "TestCase").length).toBe(3)
    })
  )
})
