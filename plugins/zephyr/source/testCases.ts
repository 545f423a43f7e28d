/** A test case with what is read per case: its steps or script, its version, its attachments, its child set. */
import { Chunk, Effect, Either, Stream } from "effect"
import { quarantine, type EntityName, type Extracted } from "../../../core/index.ts"
import { decodeItem, TestCase, TestScript, TestStep } from "../api/index.ts"
import {
  childSetOf,
  FIX_IN_ZEPHYR,
  malformedReason,
  mapTestCase,
  mapTestCaseChildren,
  mapTestStep,
  type Lookups,
  type SourceItem
} from "../mapping/index.ts"
import type { attachments } from "./attachments.ts"
import type { CaseIndex } from "./caseIndex.ts"
import { decodeOrQuarantine, orNullOn404 } from "./failures.ts"
import { notes } from "./notes.ts"
import type { SourceContext } from "./SourceContext.ts"

export const testCases = (
  { client, config, ctx }: SourceContext,
  { caseIdByKey, storedCaseId }: CaseIndex,
  attachmentsOf: ReturnType<typeof attachments>
) => {
  const { noteUnresolved, noteInvalidDates, noteBrokenHtml } = notes(ctx)
  return (lookups: Lookups) => (raw: unknown) =>
    Effect.gen(function* () {
      const decoded = decodeOrQuarantine(TestCase, "TestCase")(raw)
      if (Either.isLeft(decoded)) return [decoded.left] as ReadonlyArray<SourceItem>
      const tc = decoded.right
      // Keys are unique in Zephyr, and executions find their case by key: a second case under a key (in this
      // extract, or stored by an earlier one) is quarantined rather than allowed to take the executions over.
      // The key is claimed before the first yield, so that of two cases read concurrently the first in list
      // order keeps it.
      const claimed = caseIdByKey.get(tc.key)
      if (claimed === undefined || claimed === null) caseIdByKey.set(tc.key, tc.id)
      const sameKey = claimed ?? (yield* storedCaseId(tc.key))
      if (sameKey !== null && sameKey !== tc.id)
        return [
          quarantine(
            "TestCase",
            String(tc.id),
            `test case ${tc.key} (id ${tc.id}) has the key of another test case (id ${sameKey}), and a key names one test case — ${FIX_IN_ZEPHYR}`,
            raw
          )
        ] as ReadonlyArray<SourceItem>
      yield* noteUnresolved("TestCase", tc.key, [
        ["priority", lookups.priorities, tc.priority],
        ["status", lookups.statuses, tc.status]
      ])
      yield* noteInvalidDates("TestCase", tc.key, { createdOn: tc.createdOn })
      yield* noteBrokenHtml("TestCase", tc.key, { objective: tc.objective, precondition: tc.precondition })
      const listedSteps = yield* orNullOn404(Stream.runCollect(client.listTestSteps(tc.key)))
      const rawSteps = Chunk.toReadonlyArray(listedSteps ?? Chunk.empty())
      // Steps and script live behind different endpoints and which one a case uses is not documented:
      // try steps, and only when there are none ask for the script (a 404 there means "no script").
      let script: TestScript | null = null
      if (rawSteps.length === 0) {
        const rawScript = yield* orNullOn404(client.getTestScript(tc.key))
        if (rawScript !== null) {
          const s = decodeItem(TestScript)(rawScript)
          if (Either.isLeft(s))
            return [quarantine("TestCase", String(tc.id), malformedReason(`the test script of test case ${tc.key}`, s.left), { testCase: raw, testScript: rawScript })]
          script = s.right
        }
      }
      const version = config.fetchVersions ? ((yield* orNullOn404(client.countTestCaseVersions(tc.key))) ?? null) : null

      const steps: Array<Extracted> = []
      const stepFields: Array<Extracted> = []
      const htmlNotes: Array<Record<string, string | null | undefined>> = []
      rawSteps.forEach((rawStep, order) => {
        const s = decodeItem(TestStep)(rawStep)
        if (Either.isLeft(s)) {
          const id = typeof rawStep === "object" && rawStep !== null ? (rawStep as Record<string, unknown>)["id"] : undefined
          steps.push(quarantine("TestStep", typeof id === "number" ? String(id) : `${tc.key}#${order}`, malformedReason(`step ${order + 1} of test case ${tc.key}`, s.left), rawStep))
          return
        }
        const inline = s.right.inline
        if (inline != null) htmlNotes.push({ [`step ${order + 1} description`]: inline.description, [`step ${order + 1} expected result`]: inline.expectedResult, [`step ${order + 1} test data`]: inline.testData })
        const mapped = mapTestStep(s.right, tc.id, tc.key, order)
        steps.push(mapped.step)
        stepFields.push(...mapped.customFields)
      })
      yield* Effect.forEach(htmlNotes, (fields) => noteBrokenHtml("TestStep", tc.key, fields), { discard: true })
      const attachments = yield* attachmentsOf({ kind: "testcases", key: tc.key }, "TestCase", tc.id)
      const group: Array<SourceItem> = [mapTestCase(tc, lookups, { script, version }), ...steps, ...mapTestCaseChildren(tc), ...stepFields, ...attachments.items]
      // A step list that answered 404 (the case vanished mid-run) was not read: its stored steps stay.
      const complete: Array<EntityName> = [...(listedSteps !== null ? (["TestStep"] as const) : []), "CustomField", "Link", ...(attachments.complete ? (["Attachment"] as const) : [])]
      return [...group, childSetOf("TestCase", tc.id, group, complete)]
    })
}
