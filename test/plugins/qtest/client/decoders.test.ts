/**
 * The decoders against the documented samples (docs/vendors/qtest.md §4, taken from the swagger and Tricentis' docs),
 * and what a body that does not match becomes: ApiError Decode naming the request, never a defect.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Redacted, Schema } from "effect"
import {
  CurrentUser,
  decodeBody,
  ExecutionStatus,
  Field,
  LinkedObjects,
  Module,
  OAuthToken,
  PagedItems,
  Project,
  QueueProcessingResponse,
  SearchItem,
  TestCycle,
  TestRun
} from "../../../../plugins/qtest/api/index.ts"

const decode = <A, I>(schema: Schema.Schema<A, I>, raw: unknown) =>
  decodeBody(schema, { system: "qtest", method: "GET", url: "https://acme.qtestnet.com/api/v3/x", status: 200 })(raw)

describe("decoders accept the documented samples", () => {
  it.effect("project (§4.1), with nulls where the sample has them", () =>
    Effect.gen(function* () {
      const p = yield* decode(Project, {
        links: [],
        id: 1,
        name: "qConnect Sample Project",
        description: "…",
        status_id: 101,
        start_date: "2019-06-17T05:09:13.178Z",
        end_date: null,
        sample: false,
        admins: [],
        admin_ids: [],
        defect_tracking_systems: [{ id: 1, url: "…", active: true, connection_name: "…", system_name: "JIRA" }],
        date_format: "yyyy/MM/dd",
        automation: false,
        template_id: 1,
        uuid: "uuid"
      })
      expect(p.id).toBe(1)
      expect(p.end_date).toBeNull()
    })
  )

  it.effect("field with allowed values (§4.4, S9 sample)", () =>
    Effect.gen(function* () {
      const f = yield* decode(Field, {
        links: [],
        id: 608916,
        label: "Execution Type",
        attribute_type: "Number",
        required: false,
        constrained: true,
        order: 1,
        multiple: false,
        data_type: 13,
        searchable: false,
        free_text_search: false,
        search_key: "type",
        system_field: true,
        original_name: "ExecutionTypeTestRun",
        is_active: true,
        allowed_values: [{ links: [], value: 501, label: "Functional", order: 1, is_default: false, is_active: true }]
      })
      expect(f.allowed_values?.[0]?.value).toBe(501)
    })
  )

  it.effect("nested modules and test cycles (expand=descendants)", () =>
    Effect.gen(function* () {
      const m = yield* decode(Module, {
        id: 1,
        name: "Root",
        pid: "MD-1",
        children: [{ id: 2, name: "Child", parent_id: 1, children: [{ id: 3, name: "Grandchild", parent_id: 2 }] }]
      })
      expect(m.children?.[0]?.children?.[0]?.name).toBe("Grandchild")
      const c = yield* decode(TestCycle, { id: 462378, name: "Cycle 2.2", pid: "CL-3", "test-cycles": [{ id: 5, name: "Sub", "test-cycles": [] }], "test-suites": [] })
      expect(c["test-cycles"]?.[0]?.name).toBe("Sub")
    })
  )

  it.effect("test run: latest_test_log.status as the swagger's string or as a status object", () =>
    Effect.gen(function* () {
      const base = { id: 11595056, name: "What's New section", pid: "TR-2", properties: [], test_case: { id: 5470717 } }
      const a = yield* decode(TestRun, { ...base, latest_test_log: { id: 1, status: "Passed", exe_start_date: "x", exe_end_date: "y" } })
      const b = yield* decode(TestRun, { ...base, latest_test_log: { id: 1, status: { id: 601, name: "Passed" } } })
      expect(a.latest_test_log?.status).toBe("Passed")
      expect(b.latest_test_log?.status).toEqual({ id: 601, name: "Passed" })
    })
  )

  it.effect("queue job (§4.8), statuses, search envelope, link answer, login answer", () =>
    Effect.gen(function* () {
      const job = yield* decode(QueueProcessingResponse, { id: 88001234, type: "AUTOMATION_TEST_LOG", state: "IN_WAITING", contentType: "application/json", content: "…" })
      expect(job.state).toBe("IN_WAITING")
      const st = yield* decode(ExecutionStatus, { links: [], id: 601, name: "Passed", is_default: false, color: "#0cdda8", active: true })
      expect(st.name).toBe("Passed")
      const page = yield* decode(PagedItems(SearchItem), { links: [], page: 1, page_size: 100, total: 1, items: [{ id: 9, pid: "TC-9", name: "x", properties: [] }] })
      expect(page.items[0]?.pid).toBe("TC-9")
      const linked = yield* decode(Schema.Array(LinkedObjects), [{ id: 1, pid: "RQ-1", objects: [{ id: 1, pid: "TC-1", link_type: "is_covered_by", self: "…" }] }])
      expect(linked[0]?.objects[0]?.link_type).toBe("is_covered_by")
      const token = yield* decode(OAuthToken, {
        access_token: "19e28687-0e67-41e8-a9b4-849ca7ea1741",
        token_type: "bearer",
        refresh_token: "913aac60-039e-4f79-a890-fa804a8a6e9f",
        expires_in: 3599,
        scope: "read write",
        agent: null
      })
      // the token is Redacted from the moment it is decoded: printing the value does not show it
      expect(Redacted.value(token.access_token)).toBe("19e28687-0e67-41e8-a9b4-849ca7ea1741")
      expect(JSON.stringify(token)).not.toContain("19e28687")
      const me = yield* decode(CurrentUser, { id: 5, user_name: "api@corp.com", first_name: "A", last_name: "P" })
      expect(me.user_name).toBe("api@corp.com")
    })
  )
})

describe("a body that does not match", () => {
  it.effect("is ApiError Decode naming method, URL and the offending paths", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(decode(Project, { id: "1", name: 7 }))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(decode(Project, { id: "1", name: 7 }))
      expect(error._tag).toBe("ApiError")
      expect(error.reason).toBe("Decode")
      expect(error.status).toBe(200)
      expect(error.message).toContain("GET https://acme.qtestnet.com/api/v3/x")
      expect(error.message).toContain("id")
      expect(error.message).toContain("name")
    })
  )

  it.effect("excess properties are ignored, not rejected (qTest adds fields between versions)", () =>
    Effect.gen(function* () {
      const p = yield* decode(Project, { id: 1, name: "P", brand_new_field: { x: 1 } })
      expect(p).toEqual({ id: 1, name: "P" })
    })
  )
})
