/** The target vocabulary: fields, values, statuses and users resolved by label, with defaults and gaps reported. */
import { describe, expect, it } from "@effect/vitest"
import { toValueMap } from "../../../../plugins/qtest/QtestConfig.ts"
import { DataType, fieldKind, idList, parseIdList, type Resolution } from "../../../../plugins/qtest/mapping/index.ts"
import { ACCOUNTS, defaultMaps, vocabulary } from "./fixtures.ts"

const valueOf = <A>(r: Resolution<A>): A => {
  if (r._tag !== "Value") throw new Error(`expected a value, got ${JSON.stringify(r)}`)
  return r.value
}
const gapsOf = <A>(r: Resolution<A>) => (r._tag === "Empty" ? [] : r.gaps)

describe("Vocabulary.field", () => {
  const vocab = vocabulary()

  it("finds fields by label, case-insensitive, trimmed, whitespace-collapsed", () => {
    expect(vocab.field("test-cases", "zephyr key")?.id).toBe(7100)
    expect(vocab.field("test-cases", "  ZEPHYR   KEY ")?.id).toBe(7100)
    expect(vocab.field("test-runs", "Zephyr Key")).toBeUndefined()
    expect(vocab.field("releases", "Status")?.id).toBe(9001)
  })

  it("compares Unicode labels in NFC form", () => {
    const v = vocabulary({ fields: { "test-cases": [{ id: 1, label: "Caf\u00e9 Étape", data_type: 1 }] } })
    expect(v.field("test-cases", "cafe\u0301 \u00e9tape")?.id).toBe(1)
  })

  it("prefers an active field over an inactive one with the same label, and matches original_name", () => {
    const v = vocabulary({
      fields: {
        "test-cases": [
          { id: 1, label: "Dup", data_type: 1, is_active: false },
          { id: 2, label: "Dup", data_type: 1 },
          { id: 3, label: "Shown Label", original_name: "InternalName", data_type: 1 }
        ]
      }
    })
    expect(v.field("test-cases", "dup")?.id).toBe(2)
    expect(v.field("test-cases", "internalname")?.id).toBe(3)
  })
})

describe("Vocabulary.fieldValue by data type", () => {
  const vocab = vocabulary()
  const fv = (label: string, value: unknown, kind?: "user") => vocab.fieldValue("test-cases", label, value, "PROJ-T1", kind)

  it("text box: strings as is, HTML as text, numbers and lists as text", () => {
    expect(valueOf(fv("Zephyr Key", "PROJ-T1"))).toEqual({ field_id: 7100, field_value: "PROJ-T1" })
    expect(valueOf(fv("Short Note", "Note ✓ — 国際化"))).toEqual({ field_id: 7114, field_value: "Note ✓ — 国際化" })
    expect(valueOf(fv("Short Note", "a <b>bold</b> move"))).toEqual({ field_id: 7114, field_value: "a bold move" })
    expect(valueOf(fv("Zephyr Labels", ["Smoke", "Login"]))).toEqual({ field_id: 7101, field_value: "Smoke, Login" })
    expect(valueOf(fv("Short Note", 42)).field_value).toBe("42")
    expect(valueOf(fv("Short Note", { a: 1 })).field_value).toBe('{"a":1}')
    expect(valueOf(fv("Short Note", "[~x]")).field_value).toBe("[~x]")
  })

  it("rich text: HTML kept, plain converted, [~ escaped", () => {
    expect(valueOf(fv("Pre-Condition(s)", "User logged in. <br> Admin panel open.")).field_value).toBe("User logged in. <br> Admin panel open.")
    expect(valueOf(fv("Pre-Condition(s)", "a & b\n[~c]")).field_value).toBe("a &amp; b<br/>&#91;~c]")
  })

  it("number: numbers and numeric strings; anything else is a value gap", () => {
    expect(valueOf(fv("Build Number", 21)).field_value).toBe("21")
    expect(valueOf(fv("Build Number", " 1.50 ")).field_value).toBe("1.5")
    const r = fv("Build Number", "twenty")
    expect(r._tag).toBe("Gap")
    expect(gapsOf(r)[0]).toMatchObject({ kind: "value", field: "Build Number", value: "twenty", object: "PROJ-T1" })
  })

  it("date: ISO UTC with milliseconds; not a date is a gap", () => {
    expect(valueOf(fv("Release Date", "2024-03-01")).field_value).toBe("2024-03-01T00:00:00.000Z")
    expect(valueOf(fv("Release Date", "2024-03-01T10:00:00+02:00")).field_value).toBe("2024-03-01T08:00:00.000Z")
    expect(valueOf(fv("Release Date", "2024-03-01T10:00:00")).field_value).toBe("2024-03-01T10:00:00.000Z")
    expect(fv("Release Date", "soon")._tag).toBe("Gap")
  })

  it("combo box: the allowed value's id as a string, matched by label case-insensitively", () => {
    expect(valueOf(fv("Risk", "medium"))).toEqual({ field_id: 7116, field_value: "62" })
    expect(valueOf(fv("Implemented", true)).field_value).toBe("41")
    expect(valueOf(fv("Implemented", false)).field_value).toBe("42")
    expect(valueOf(fv("Risk", ["Low"])).field_value).toBe("63")
  })

  it("combo box: a missing value is a value gap; several values do not fit one choice", () => {
    const missing = fv("Risk", "Critical")
    expect(gapsOf(missing)).toEqual([
      expect.objectContaining({ kind: "value", field: "Risk", value: "Critical", object: "PROJ-T1", hint: expect.stringContaining("createMissingFields") })
    ])
    expect(gapsOf(fv("Risk", ["High", "Low"]))[0]).toMatchObject({ kind: "value", value: "High, Low" })
  })

  it("combo box: an inactive value is a gap that says so", () => {
    const r = vocab.fieldValue("test-cases", "Status", "Retired", "PROJ-T1")
    expect(gapsOf(r)[0]?.hint).toContain("inactive")
  })

  it("multi-select: a sorted JSON list of ids; missing values reported, the others written", () => {
    expect(valueOf(fv("Category", ["Regression", "Performance"]))).toEqual({ field_id: 7113, field_value: "[52,53]" })
    expect(valueOf(fv("Category", "Functional")).field_value).toBe("[51]")
    const partial = fv("Category", ["Functional", "Security", "Usability"])
    expect(partial._tag).toBe("Value")
    expect(valueOf(partial).field_value).toBe("[51]")
    expect(gapsOf(partial).map((g) => [g.kind, g.value])).toEqual([
      ["value", "Security"],
      ["value", "Usability"]
    ])
    const none = fv("Category", ["Security"])
    expect(none._tag).toBe("Gap")
  })

  it("check box with one value: a boolean ticks it or leaves the field empty", () => {
    expect(valueOf(fv("Smoke", true)).field_value).toBe("[71]")
    expect(fv("Smoke", false)._tag).toBe("Empty")
  })

  it("null, blank strings and empty lists write nothing", () => {
    expect(fv("Short Note", null)._tag).toBe("Empty")
    expect(fv("Short Note", undefined)._tag).toBe("Empty")
    expect(fv("Short Note", "  ")._tag).toBe("Empty")
    expect(fv("Category", [])._tag).toBe("Empty")
    expect(fv("No Such Field", null)._tag).toBe("Empty")
  })

  it("a missing field is a field gap naming the object type and label", () => {
    const r = fv("Sprint", "12")
    expect(r._tag).toBe("Gap")
    expect(gapsOf(r)[0]).toMatchObject({ kind: "field", field: "Sprint", value: "12", object: "PROJ-T1" })
    expect(gapsOf(r)[0]?.hint).toContain('test-cases field "Sprint"')
  })

  it("an inactive field is a field gap", () => {
    expect(gapsOf(fv("Retired Field", "x"))[0]).toMatchObject({ kind: "field", hint: expect.stringContaining("inactive") })
  })
})

describe("Vocabulary users", () => {
  it("maps accountIds to qTest user ids through maps.users (logins matched case-insensitively)", () => {
    const vocab = vocabulary()
    expect(valueOf(vocab.user(ACCOUNTS.alice, "PROJ-T1")).id).toBe(41)
    expect(valueOf(vocab.user(ACCOUNTS.bob, "PROJ-T1")).id).toBe(42) // "BOB" → username bob
    expect(valueOf(vocab.fieldValue("test-cases", "Zephyr Owner", ACCOUNTS.alice, "PROJ-T1", "user"))).toEqual({ field_id: 7104, field_value: "41" })
  })

  it("an unmapped accountId without a default is a user gap", () => {
    const r = vocabulary().user(ACCOUNTS.carol, "PROJ-T1")
    expect(r._tag).toBe("Gap")
    expect(gapsOf(r)[0]).toMatchObject({ kind: "user", value: ACCOUNTS.carol, object: "PROJ-T1", hint: expect.stringContaining("maps.users") })
  })

  it("with a default, the default user is used and reported", () => {
    const vocab = vocabulary({ maps: defaultMaps({ users: toValueMap({ default: "migration-bot@acme.com" }) }) })
    const r = vocab.fieldValue("test-cases", "Zephyr Owner", ACCOUNTS.carol, "PROJ-T1", "user")
    expect(r).toEqual({
      _tag: "Value",
      value: { field_id: 7104, field_value: "43" },
      gaps: [],
      defaults: [{ field: "maps.users", from: ACCOUNTS.carol, to: "migration-bot@acme.com", object: "PROJ-T1" }]
    })
  })

  it("a mapped login the project does not have is a user gap", () => {
    const vocab = vocabulary({ maps: defaultMaps({ users: toValueMap({ [ACCOUNTS.carol]: "carol@acme.com", default: "nobody@acme.com" }) }) })
    expect(gapsOf(vocab.user(ACCOUNTS.carol, "X"))[0]?.hint).toContain("carol@acme.com")
    expect(gapsOf(vocab.user(ACCOUNTS.unknown, "X"))[0]?.hint).toContain("nobody@acme.com")
  })

  it("multiple user fields take a list of ids; text fields the mapped login, else the accountId", () => {
    const vocab = vocabulary()
    expect(valueOf(vocab.fieldValue("test-cases", "Reviewers", [ACCOUNTS.bob, ACCOUNTS.alice], "X", "user")).field_value).toBe("[41,42]")
    const partial = vocab.fieldValue("test-cases", "Reviewers", [ACCOUNTS.bob, ACCOUNTS.carol], "X", "user")
    expect(valueOf(partial).field_value).toBe("[42]")
    expect(gapsOf(partial)).toHaveLength(1)
    expect(valueOf(vocab.fieldValue("test-cases", "Short Note", ACCOUNTS.alice, "X", "user")).field_value).toBe("jane@acme.com")
    expect(valueOf(vocab.fieldValue("test-cases", "Short Note", ACCOUNTS.carol, "X", "user")).field_value).toBe(ACCOUNTS.carol)
    expect(gapsOf(vocab.fieldValue("test-cases", "Tester", [ACCOUNTS.bob, ACCOUNTS.alice], "X", "user"))[0]?.kind).toBe("value")
    expect(gapsOf(vocab.fieldValue("test-cases", "Build Number", ACCOUNTS.bob, "X", "user"))[0]?.kind).toBe("value")
  })
})

describe("Vocabulary.mappedFieldValue (Priority, Status)", () => {
  it("maps Zephyr names through the map to the field's values", () => {
    const vocab = vocabulary()
    expect(valueOf(vocab.mappedFieldValue("test-cases", "priority", "Normal", "X"))).toEqual({ field_id: 7001, field_value: "13" })
    expect(valueOf(vocab.mappedFieldValue("test-cases", "priority", "high", "X"))).toEqual({ field_id: 7001, field_value: "12" })
    expect(valueOf(vocab.mappedFieldValue("test-cases", "testCaseStatus", "Deprecated", "X"))).toEqual({ field_id: 7002, field_value: "23" })
  })

  it("an unlisted name that qTest has keeps its name, without a default note", () => {
    const r = vocabulary().mappedFieldValue("test-cases", "priority", "Urgent", "X")
    expect(r).toMatchObject({ _tag: "Value", value: { field_value: "11" }, defaults: [] })
  })

  it("an unlisted name qTest lacks takes the default, reported", () => {
    const r = vocabulary().mappedFieldValue("test-cases", "priority", "Blocker", "PROJ-T9")
    expect(r).toMatchObject({ _tag: "Value", value: { field_value: "13" } })
    expect(r._tag === "Value" && r.defaults).toEqual([{ field: "maps.priority", from: "Blocker", to: "Medium", object: "PROJ-T9" }])
  })

  it("without a default it is a gap of the map's kind", () => {
    const vocab = vocabulary({ maps: defaultMaps({ priority: toValueMap({ High: "High" }) }) })
    expect(gapsOf(vocab.mappedFieldValue("test-cases", "priority", "Blocker", "X"))[0]).toMatchObject({ kind: "priority", field: "maps.priority", value: "Blocker" })
    const status = vocabulary({ maps: defaultMaps({ testCaseStatus: toValueMap({}) }) })
    expect(gapsOf(status.mappedFieldValue("test-cases", "testCaseStatus", "Review", "X"))[0]?.kind).toBe("testCaseStatus")
  })

  it("a map target the field lacks is a value gap; null writes nothing", () => {
    const vocab = vocabulary({ maps: defaultMaps({ priority: toValueMap({ High: "Critical" }) }) })
    expect(gapsOf(vocab.mappedFieldValue("test-cases", "priority", "High", "X"))[0]).toMatchObject({ kind: "value", field: "Priority" })
    expect(vocab.mappedFieldValue("test-cases", "priority", null, "X")._tag).toBe("Empty")
  })
})

describe("Vocabulary execution statuses", () => {
  it("maps through maps.executionStatus to the project's statuses, by name", () => {
    const vocab = vocabulary()
    expect(valueOf(vocab.executionStatus("Pass", "E")).id).toBe(601)
    expect(valueOf(vocab.executionStatus("fail", "E")).id).toBe(602)
    expect(valueOf(vocab.executionStatus("In Progress", "E")).id).toBe(603)
    expect(valueOf(vocab.executionStatus("Not Executed", "E")).id).toBe(605)
    expect(valueOf(vocab.automationStatus("Pass", "E"))).toBe("PASSED")
  })

  it("uses the default for an unknown or missing status, and reports it", () => {
    const r = vocabulary().executionStatus("Flaky", "PROJ-E3")
    expect(r).toMatchObject({ _tag: "Value", value: { id: 605 }, defaults: [{ field: "maps.executionStatus", from: "Flaky", to: "Unexecuted", object: "PROJ-E3" }] })
    expect(vocabulary().executionStatus(null, "PROJ-E3")).toMatchObject({ _tag: "Value", value: { id: 605 }, defaults: [{ from: "(none)" }] })
  })

  it("reports a status gap without a default, and names the project's statuses when the target is missing", () => {
    const noDefault = vocabulary({ maps: defaultMaps({ executionStatus: toValueMap({ Pass: "Passed", Fail: "Kaputt" }) }) })
    expect(gapsOf(noDefault.executionStatus("Flaky", "E"))[0]).toMatchObject({ kind: "status", value: "Flaky" })
    expect(gapsOf(noDefault.executionStatus("Fail", "E"))[0]?.hint).toContain("Passed, Failed, Incomplete")
  })

  it("never hard-codes ids: another project's ids come through", () => {
    const vocab = vocabulary({ executionStatuses: [{ id: 9, name: "PASSED " }, { id: 10, name: "unexecuted" }] })
    expect(valueOf(vocab.executionStatus("Pass", "E")).id).toBe(9)
    expect(valueOf(vocab.executionStatus("Whatever", "E")).id).toBe(10)
  })
})

describe("custom field renames and managed fields", () => {
  it("renames through maps.customFields (case-insensitive), others keep their name", () => {
    const vocab = vocabulary({ maps: defaultMaps({ customFields: { "Build Number": "Build", sprint: "Sprint #" } }) })
    expect(vocab.customFieldLabel("Build Number")).toBe("Build")
    expect(vocab.customFieldLabel("Sprint")).toBe("Sprint #")
    expect(vocab.customFieldLabel("Risk")).toBe("Risk")
  })

  it("lists the managed fields with their kinds, skipping labels the project lacks", () => {
    const managed = vocabulary().managedFields("test-cases", ["Zephyr Key", "Category", "Release Date", "Nope"])
    expect([...managed]).toEqual([
      [7100, "text"],
      [7113, "multiPicklist"],
      [7111, "date"]
    ])
  })
})

describe("field data types", () => {
  it("classifies every documented data type", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17].map((data_type) => fieldKind({ data_type }))).toEqual([
      "text", "text", "picklist", "date", "user", "richText", "number", "multiPicklist", "date", "url", "multiPicklist"
    ])
    expect(fieldKind({ data_type: DataType.UserList, multiple: true })).toBe("multiUser")
    expect(fieldKind({ data_type: 13, allowed_values: [{}] })).toBe("picklist")
    expect(fieldKind({ data_type: 13 })).toBe("text")
    expect(fieldKind({ data_type: 8, multiple: false })).toBe("picklist")
  })

  it("writes and reads id lists", () => {
    expect(idList([3, 1, 2, 3])).toBe("[1,2,3]")
    expect(parseIdList("[2, 1]")).toEqual([2, 1])
    expect(parseIdList("1,2")).toEqual([1, 2])
    expect(parseIdList("[]")).toEqual([])
    expect(parseIdList("High")).toBeUndefined()
  })
})
