/**
 * Execution defects in the mapping: which mode a project's defect trackers give (defectMode.ts), the Jira issue
 * ids of links (jiraIssueIds.ts) and the "Zephyr Defects" property of a test run (testRunBody.ts).
 */
import { describe, expect, it } from "@effect/vitest"
import { defectMode, defectsText, jiraIssueId, jiraIssueIds, testRunBody, type Link } from "../../../../plugins/qtest/mapping/index.ts"
import { execution, testCase, testRunFields, vocabulary, vocabularyInput } from "./fixtures.ts"

const link = (overrides: Partial<Link> = {}): Link => ({
  link_id: 1,
  object_type: "TestExecution",
  object_id: 1,
  kind: "ISSUE",
  target: "https://example.atlassian.net/rest/api/2/issue/10031",
  relation: "BLOCKS",
  issue_id: 10031,
  description: null,
  created_at: "2024-03-01T00:00:00.000Z",
  updated_at: "2024-03-01T00:00:00.000Z",
  source_system: "zephyr-scale-cloud",
  source_id: "TestExecution/1/ISSUE/1",
  source_key: null,
  content_hash: "0".repeat(64),
  ...overrides
})

describe("defectMode", () => {
  it("links where the project has an active Jira connection, else keeps the ids in the field, saying why", () => {
    expect(defectMode([{ system_name: "JIRA", connection_name: "Jira Cloud", active: true }])).toMatchObject({ _tag: "link", connection: "Jira Cloud" })
    expect(defectMode([{ system_name: "Jira", url: "https://x.atlassian.net" }])).toMatchObject({ _tag: "link", connection: "https://x.atlassian.net" })
    expect(defectMode([])).toMatchObject({ _tag: "field", why: "the qTest project has no Jira defect integration" })
    expect(defectMode(undefined)._tag).toBe("field")
    expect(defectMode([{ system_name: "Bugzilla", active: true }])._tag).toBe("field")
    expect(defectMode([{ system_name: "JIRA", active: false }])).toMatchObject({ _tag: "field", why: expect.stringContaining("inactive") })
  })
})

describe("jiraIssueIds", () => {
  it("the numeric issue id Zephyr gives, distinct, in numeric order; web links are not issues", () => {
    const ids = jiraIssueIds([link({ issue_id: 10031 }), link({ issue_id: 9999 }), link({ issue_id: 10031 }), link({ kind: "WEB", target: "https://x", issue_id: null })])
    expect(ids).toEqual(["9999", "10031"])
    expect(jiraIssueId(link({ issue_id: null, target: "https://example.atlassian.net/rest/api/2/issue/10077" }))).toBe("10077")
    expect(defectsText(["10031", "10023"])).toBe("10023, 10031")
    expect(defectsText([])).toBeNull()
  })
})

describe("testRunBody defects", () => {
  const withField = vocabulary({ fields: { ...vocabularyInput().fields, "test-runs": [...testRunFields, { id: 8120, label: "Zephyr Defects", data_type: 2 }] } })

  it("writes the pair's issue ids into the Zephyr Defects field", () => {
    const result = testRunBody({ testCase: testCase(), latest: execution(), defects: ["10031", "10023"] }, withField, { testCaseId: 1 })
    expect(result.body.properties).toContainEqual({ field_id: 8120, field_value: "10023, 10031" })
    expect(result.gaps).toEqual([])
  })

  it("no issues, or link mode (absent): no property; a missing field is a gap", () => {
    expect(testRunBody({ testCase: testCase(), latest: execution(), defects: [] }, withField, { testCaseId: 1 }).body.properties).toEqual([{ field_id: 8001, field_value: "41" }])
    expect(testRunBody({ testCase: testCase(), latest: execution() }, withField, { testCaseId: 1 }).body.properties).toEqual([{ field_id: 8001, field_value: "41" }])
    const gaps = testRunBody({ testCase: testCase(), latest: execution(), defects: ["10023"] }, vocabulary(), { testCaseId: 1 }).gaps
    expect(gaps).toEqual([expect.objectContaining({ kind: "field", field: "Zephyr Defects" })])
  })
})
