/**
 * Request bodies the qTest sink sends, as plain TypeScript interfaces taken from the Manager v3 swagger (S1 of
 * docs/vendors/qtest.md, kept as test/contracts/vendor/qtest-manager-v3.swagger.yaml). They are the write side of
 * the wire: mapping builds them, the client serialises them as JSON. Only fields the migrator may send are listed;
 * read-only fields of the same swagger resources (id, pid, links, web_url, …) live in the response decoders
 * instead.
 */

/** `PropertyResource` as sent: custom/system field value. Picklists take the allowed value's `value` as a string. */
export interface PropertyValue {
  readonly field_id: number
  readonly field_value: string
}

/** An inline attachment (`AttachmentResource` with `data`); large files go through blob-handles instead. */
export interface InlineAttachmentBody {
  readonly name: string
  readonly content_type: string
  /** Base64 of the file. */
  readonly data: string
}

/** `ModuleResource` as sent to `POST/PUT …/modules` (parent goes in the `parentId` query, qTest 6+). */
export interface ModuleBody {
  readonly name: string
  readonly description?: string | undefined
}

/** `TestStepResource` as sent inside a test case: swagger requires `description` and `expected`; `order` starts at 1. */
export interface TestStepBody {
  readonly description: string
  readonly expected: string
  readonly order: number
  /** A call-to-test step: the called case's id (it must be approved, or the save is refused). */
  readonly called_test_case_id?: number | undefined
  readonly parameter_values?: ReadonlyArray<string> | undefined
  readonly attachments?: ReadonlyArray<InlineAttachmentBody> | undefined
}

/**
 * `TestCaseWithCustomFieldResource` as sent to `POST/PUT …/test-cases`. `parent_id` is the module (without it
 * the case lands in "Created via API"); `properties` is required by the swagger, so always send it (maybe `[]`).
 */
export interface TestCaseBody {
  readonly name: string
  readonly parent_id?: number | undefined
  readonly description?: string | undefined
  readonly precondition?: string | undefined
  readonly properties: ReadonlyArray<PropertyValue>
  readonly test_steps?: ReadonlyArray<TestStepBody> | undefined
  readonly attachments?: ReadonlyArray<InlineAttachmentBody> | undefined
}

/** `ReleaseWithCustomFieldResource` as sent; dates are ISO 8601. */
export interface ReleaseBody {
  readonly name: string
  readonly description?: string | undefined
  readonly note?: string | undefined
  readonly start_date?: string | undefined
  readonly end_date?: string | undefined
  readonly properties: ReadonlyArray<PropertyValue>
}

/** `TestCycleResource` as sent; the parent goes in the `parentId`/`parentType` query. */
export interface TestCycleBody {
  readonly name: string
  readonly description?: string | undefined
  readonly target_release_id?: number | undefined
  readonly target_build_id?: number | undefined
}

/** `TestRunWithCustomFieldResource` as sent: `name` and `test_case.id` are what a live server insists on. */
export interface TestRunBody {
  readonly name: string
  readonly test_case: { readonly id: number }
  /** Omitted → the case's latest approved version. */
  readonly test_case_version_id?: number | undefined
  readonly properties: ReadonlyArray<PropertyValue>
}

/** `StatusResource` as referenced from a log: only the id is needed (read the ids from execution-statuses). */
export interface StatusRef {
  readonly id: number
}

/** `TestStepLogResource` as sent inside a manual test log. */
export interface TestStepLogBody {
  readonly test_step_id: number
  readonly order: number
  readonly status: StatusRef
  readonly actual_result?: string | undefined
  /** Both of these are required for steps that come from a called test case. */
  readonly called_test_case_id?: number | undefined
  readonly parent_test_step_id?: number | undefined
  readonly exe_date?: string | undefined
  readonly attachments?: ReadonlyArray<InlineAttachmentBody> | undefined
}

/** `ManualTestLogResource` as sent to `POST/PUT …/test-runs/{id}/test-logs`; swagger requires status and both dates. */
export interface ManualTestLogBody {
  readonly status: StatusRef
  readonly exe_start_date: string
  readonly exe_end_date: string
  readonly name?: string | undefined
  readonly note?: string | undefined
  /** Omitted → the case's latest approved version. */
  readonly test_case_version_id?: number | undefined
  readonly planned_exe_time?: number | undefined
  readonly actual_exe_time?: number | undefined
  readonly build_number?: string | undefined
  readonly build_url?: string | undefined
  readonly properties?: ReadonlyArray<PropertyValue> | undefined
  readonly attachments?: ReadonlyArray<InlineAttachmentBody> | undefined
  readonly test_step_logs?: ReadonlyArray<TestStepLogBody> | undefined
}

/** `AutomationTestStepLog` as sent: statuses are the automation *strings* (e.g. "PASSED"); `order` starts at 0 and is continuous. */
export interface AutomationTestStepLogBody {
  readonly description: string
  readonly expected_result: string
  readonly actual_result?: string | undefined
  readonly order: number
  readonly status: string
  readonly exe_date?: string | undefined
  readonly attachments?: ReadonlyArray<InlineAttachmentBody> | undefined
}

/** `AutomationTestLogResource` as sent: `automation_content` is the test-case fingerprint the server reuses by. */
export interface AutomationTestLogBody {
  readonly name: string
  readonly automation_content: string
  readonly status: string
  readonly exe_start_date: string
  readonly exe_end_date: string
  readonly module_names?: ReadonlyArray<string> | undefined
  readonly note?: string | undefined
  /** Must be omitted for cases that do not exist yet. */
  readonly test_case_version_id?: number | undefined
  readonly build_number?: string | undefined
  readonly build_url?: string | undefined
  /** Test run field values (an invalid value drops the log on the server). */
  readonly properties?: ReadonlyArray<PropertyValue> | undefined
  readonly testcase_properties?: ReadonlyArray<PropertyValue> | undefined
  readonly attachments?: ReadonlyArray<InlineAttachmentBody> | undefined
  readonly test_step_logs?: ReadonlyArray<AutomationTestStepLogBody> | undefined
}

/** `AutomationRequest` for `POST /api/v3/projects/{id}/auto-test-logs?type=automation` (the batch-with-tree endpoint). */
export interface AutomationRequestBody {
  /** Id or PID of the test cycle the module tree is mirrored under. */
  readonly test_cycle?: string | undefined
  readonly test_suite?: string | undefined
  readonly parent_module?: string | undefined
  readonly execution_date?: string | undefined
  readonly test_logs: ReadonlyArray<AutomationTestLogBody>
}

/** `AllowedValueInputResource` as sent (field create or `POST …/allowed-values`, ≤ 100 per call). */
export interface AllowedValueBody {
  readonly label: string
  readonly value?: number | undefined
  readonly order?: number | undefined
  readonly is_default?: boolean | undefined
  readonly is_active?: boolean | undefined
  readonly color?: string | undefined
}

/**
 * `FieldInputResource` as sent to `POST …/settings/{objectType}/fields`. `data_type`: 1 text box, 2 text area,
 * 3 combo box, 4 date picker, 5 user list, 6 rich text, 7 number, 8 check box, 9 date-time, 12 URL, 17 multi-select.
 */
export interface FieldBody {
  readonly label: string
  readonly data_type: number
  readonly required?: boolean | undefined
  readonly order?: number | undefined
  readonly multiple?: boolean | undefined
  readonly searchable?: boolean | undefined
  readonly default_value?: string | undefined
  readonly is_active?: boolean | undefined
  readonly allowed_values?: ReadonlyArray<AllowedValueBody> | undefined
}

/** The body of `POST …/search`. */
export interface SearchBody {
  readonly object_type: string
  readonly fields: ReadonlyArray<string>
  readonly query: string
}
