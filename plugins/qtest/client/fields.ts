/** Field settings of an object type with their picklist values, and the test run execution statuses. */
import { Effect, Schema } from "effect"
import { AllowedValuesCreated, ExecutionStatus, Field, arrayOf } from "../api/index.ts"
import type { AllowedValue, AllowedValueBody, FieldBody } from "../api/index.ts"
import { json, type Send } from "./send.ts"

/** Object types that carry field settings (`…/settings/{objectType}/fields`). */
export type FieldObjectType = "releases" | "builds" | "requirements" | "test-cases" | "test-steps" | "defects" | "test-suites" | "test-runs"

/** `POST …/allowed-values` creates at most 100 values per call (S1). */
export const allowedValuesPerCall = 100

export const fields = ({ project, call, get }: Send) => ({
  listFields: Effect.fn("QtestClient.listFields")(function* (objectType: FieldObjectType, options: { readonly includeInactive?: boolean | undefined } = {}) {
    return yield* get(arrayOf(Field), `${project}/settings/${objectType}/fields`, { includeInactive: options.includeInactive })
  }),

  createField: Effect.fn("QtestClient.createField")(function* (objectType: FieldObjectType, body: FieldBody) {
    return yield* call(Field, "POST", `${project}/settings/${objectType}/fields`, { body: json(body) })
  }),

  /** Adds picklist values in calls of at most 100; answers the values created. */
  addAllowedValues: Effect.fn("QtestClient.addAllowedValues")(function* (
    objectType: FieldObjectType,
    fieldId: number,
    values: ReadonlyArray<AllowedValueBody>
  ) {
    const path = `${project}/settings/${objectType}/fields/${fieldId}/allowed-values`
    const created: Array<AllowedValue> = []
    for (let i = 0; i < values.length; i += allowedValuesPerCall) {
      const answer = yield* call(AllowedValuesCreated, "POST", path, { body: json(values.slice(i, i + allowedValuesPerCall)) })
      created.push(...(Array.isArray(answer) ? answer : (answer as { readonly items: ReadonlyArray<AllowedValue> }).items))
    }
    return created as ReadonlyArray<AllowedValue>
  }),

  listExecutionStatuses: Effect.fn("QtestClient.listExecutionStatuses")(function* () {
    return yield* get(arrayOf(ExecutionStatus), `${project}/test-runs/execution-statuses`)
  })
})
