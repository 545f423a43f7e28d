/**
 * Small builders of canonical records for pipeline and store tests: a case, its steps, custom fields and links
 * with chosen ids, derived from the canonical samples (so every record is valid), plus a fake source over a list.
 */
import { Effect, Stream } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { record, type CanonicalRecord, type SourceItem } from "../../../core/canonical/Canonical.ts"
import { derivedId } from "../../../core/canonical/ids.ts"
import type { SystemError } from "../../../core/errors.ts"
import type { SourceInstance } from "../../../core/plugin/Plugin.ts"
import { canonicalSamples as samples } from "../../fixtures/canonical-samples.ts"

const strip = <T extends { readonly content_hash: string }>(row: T): Omit<T, "content_hash"> => {
  const { content_hash: _, ...rest } = row
  return rest
}

export const project = (id: string): CanonicalRecord =>
  record("Project", { ...strip(samples.Project), project_id: id, project_key: `P${id}`, name: `P${id}`, source_id: id, source_key: `P${id}` })

export const testCase = (id: number, projectId = "10001", name = `case ${id}`): CanonicalRecord =>
  record("TestCase", { ...strip(samples.TestCase), test_case_id: id, project_id: projectId, key: `PROJ-T${id}`, name, source_id: String(id), source_key: `PROJ-T${id}` })

export const step = (caseId: number, stepId: number): CanonicalRecord =>
  record("TestStep", { ...strip(samples.TestStep), step_id: stepId, test_case_id: caseId, source_id: String(stepId) })

export const field = (type: "TestCase" | "TestStep" | "TestExecution", objectId: number, name: string): CanonicalRecord => {
  const sourceId = `${type}/${objectId}/${name}`
  return record("CustomField", { ...strip(samples.CustomField), custom_field_id: derivedId(sourceId), object_type: type, object_id: objectId, field_name: name, source_id: sourceId })
}

export const link = (type: "TestCase" | "TestExecution", objectId: number, n: number): CanonicalRecord => {
  const sourceId = `${type}/${objectId}/WEB/${n}`
  return record("Link", { ...strip(samples.Link), link_id: derivedId(sourceId), object_type: type, object_id: objectId, source_id: sourceId })
}

export const execution = (id: number, caseId: number, projectId = "10001"): CanonicalRecord =>
  record("TestExecution", { ...strip(samples.TestExecution), execution_id: id, test_case_id: caseId, project_id: projectId, key: `PROJ-E${id}`, source_id: String(id), source_key: `PROJ-E${id}` })

export const stepResult = (executionId: number, id: number): CanonicalRecord =>
  record("ExecutionStepResult", { ...strip(samples.ExecutionStepResult), step_result_id: id, execution_id: executionId, source_id: String(id) })

/** A source whose extract streams `items` (or what `items` makes of the options), then fails if asked to. */
export const fakeSource = (
  items: ReadonlyArray<SourceItem> | ((options: { since?: string | undefined; resume?: unknown }) => ReadonlyArray<SourceItem>),
  failAtEnd?: SystemError
): SourceInstance => ({
  check: Effect.void,
  estimate: Effect.succeed({}),
  extract: (options) => {
    const list = typeof items === "function" ? items(options) : items
    return failAtEnd === undefined ? Stream.fromIterable(list) : Stream.concat(Stream.fromIterable(list), Stream.fail(failAtEnd))
  }
})

export const tmpDb = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-")), "state.db")
