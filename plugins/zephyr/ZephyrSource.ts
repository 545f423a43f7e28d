/**
 * The Zephyr Scale Cloud source: `check` (token, region, project), `estimate` (totals for progress) and
 * `extract` (every record of the configured project, in dependency order, as one Stream). Only this project
 * is read. Project-wide state is limited to the id → name lookups and the folder tree; test cases and
 * executions stream through with bounded concurrency (`ctx.concurrency`), each bringing its own children.
 * Malformed records become `Quarantine` items; what the user must fix (token, URL, project) fails the stream
 * with a `SystemError` carrying a hint.
 *
 * Order: Project, Folders (parents first), per test case [TestCase, TestSteps, CustomFields, Links,
 * Attachments, ChildSet], per plan [TestPlan, CustomFields, Links, ChildSet], per cycle [...], per execution
 * [TestExecution, ExecutionStepResults, CustomFields, Links, Attachments, ChildSet]. A plan's TEST_CYCLE links
 * precede the cycles they name; their target is the cycle id as text, not a key the store resolves, so nothing
 * dangles.
 *
 * The four big lists are read through the cursor (`/nextgen`) endpoints, in id order: with `updatedAfter` in an
 * incremental run (children are then read only for the items that changed), and with a Checkpoint after every
 * page, so a cut-short extract resumes at the page it was on (`ExtractOptions.resume`). Folders, statuses,
 * priorities and environments are small and have no `updatedAfter`: they are read whole every time.
 */
import { Chunk, Effect, Either, Option, Ref, Schema, Stream } from "effect"
import {
  quarantine,
  SystemError,
  type ApiError,
  type CanonicalRecord,
  type EntityName,
  type Extracted,
  type PluginContext,
  type SourceInstance,
  type StoreError
} from "../../core/index.ts"
import {
  AttachmentEntry,
  decodeItem,
  Environment,
  ExecutionStep,
  Folder,
  Priority,
  rawSourceId,
  Status,
  TestCase,
  TestCycle,
  TestExecution,
  TestPlan,
  TestScript,
  TestStep
} from "./api/index.ts"
import {
  buildFolderTree,
  checkpointItem,
  childSetOf,
  FIX_IN_ZEPHYR,
  htmlProblem,
  invalidDateTimes,
  malformedReason,
  mapAttachment,
  mapExecutionStepResult,
  mapFolder,
  mapProject,
  mapTestCase,
  mapTestCaseChildren,
  mapTestCycle,
  mapTestExecution,
  mapTestPlan,
  mapTestStep,
  parseCaseVersionSelf,
  recordLabel,
  SOURCE_SYSTEM,
  type Lookups,
  type SourceItem
} from "./mapping/index.ts"
import { ZephyrClient, type AttachmentOwner, type CursorList, type ZephyrClientError, type ZephyrClientShape } from "./ZephyrClient.ts"
import { zephyrRegions, type ZephyrConfig } from "./ZephyrConfig.ts"

const TOKEN_HINT = "generate a new API token in Jira (profile → Zephyr API keys) and export ZEPHYR_TOKEN"
const REGION_HINT = `set baseUrl to your tenant's region: ${Object.entries(zephyrRegions)
  .map(([region, url]) => `${region} ${url}`)
  .join(", ")}`

const isApiError = (e: ZephyrClientError): e is ApiError => e._tag === "ApiError"

/** The one place a failed call becomes what the user reads: what happened, and what to do about it. */
export const toSystemError =
  (system: string, projectKey: string) =>
  (error: ZephyrClientError | StoreError): SystemError => {
    if (error._tag === "SystemError") return error
    if (error._tag === "StoreError")
      // The plugin contract lets extract fail with SystemError only; a store failure is the local disk, and its
      // message and hint (classifyStoreError) already say which file, why, and what to do.
      return new SystemError({ system: "storage", reason: "Unreachable", message: error.message, hint: error.hint })
    switch (error.reason) {
      case "Unauthorized":
        return new SystemError({ system, reason: "Unauthorized", message: "Zephyr rejected the token (401)", hint: TOKEN_HINT })
      case "Forbidden":
        return new SystemError({
          system,
          reason: "Forbidden",
          message: `Zephyr refused access (403): ${error.message}`,
          hint: `the token's Jira user needs permission to browse project ${projectKey} and use Zephyr in it; generate the token as a user who has them`
        })
      case "NotFound":
        return new SystemError({ system, reason: "NotFound", message: `Zephyr answered 404: ${error.message}`, hint: REGION_HINT })
      case "BadRequest":
        return new SystemError({
          system,
          reason: "Protocol",
          message: `Zephyr rejected a request: ${error.message}`,
          hint: `check that projectKey ${projectKey} exists and that baseUrl is the Zephyr Scale Cloud API (…/v2)`
        })
      case "Decode":
        return new SystemError({ system, reason: "Protocol", message: error.message, hint: "check that baseUrl points at the Zephyr Scale Cloud REST API v2 (…/v2)" })
      case "Transport":
      case "Timeout":
      case "RateLimited":
      case "Server":
        return new SystemError({
          system,
          reason: "Unreachable",
          message: `Zephyr kept failing after retries (${error.reason}${error.status ? ` ${error.status}` : ""}): ${error.message}`,
          hint: "check baseUrl and your network or proxy; if Zephyr is throttling, lower runtime.concurrency or runtime.rateLimits.zephyr and run again (the run resumes)"
        })
    }
  }

/**
 * Decodes one raw item; a malformed one becomes its quarantine item (not a failure), its reason naming the record
 * as the user finds it in Zephyr (`label`, default its key or id) and the fix.
 */
const decodeOrQuarantine =
  <A, I>(schema: Schema.Schema<A, I>, entity: CanonicalRecord["entity"], label?: string) =>
  (raw: unknown): Either.Either<A, Extracted> =>
    Either.mapLeft(decodeItem(schema)(raw), (reason) => quarantine(entity, rawSourceId(raw), malformedReason(label ?? recordLabel(entity, raw), reason), raw))

/** `NotFound` as "nothing there" (a child list of a record deleted mid-run, a case without a script). */
const orNullOn404 = <A, R>(effect: Effect.Effect<A, ZephyrClientError, R>): Effect.Effect<A | null, ZephyrClientError, R> =>
  Effect.catchIf(effect, (e): e is ApiError => isApiError(e) && e.reason === "NotFound", () => Effect.succeed(null))

type AttachmentsState = "unknown" | "available" | "absent"

/** The cursor lists in dependency order: cases (with steps) before plans, cycles, and executions of them. */
const PHASES = ["TestCase", "TestPlan", "TestCycle", "TestExecution"] as const
type Phase = (typeof PHASES)[number]
const phaseList: Readonly<Record<Phase, CursorList>> = { TestCase: "testcases", TestPlan: "testplans", TestCycle: "testcycles", TestExecution: "testexecutions" }

/**
 * The source's checkpoint state: every list before `phase` is done, and in `phase` every item with an id below
 * `startAtId` (the cursor lists are in id order). `done`: all lists are. Project, folders and lookups are read
 * again on resume — a handful of requests, and the lookups are needed to map what follows.
 */
const ResumeState = Schema.Struct({
  v: Schema.Literal(1),
  phase: Schema.Literal(...PHASES, "done"),
  startAtId: Schema.Number
})
type ResumeState = typeof ResumeState.Type
const START: ResumeState = { v: 1, phase: "TestCase", startAtId: 0 }
const after = (phase: Phase): ResumeState => ({ v: 1, phase: PHASES[PHASES.indexOf(phase) + 1] ?? "done", startAtId: 0 })

export const makeZephyrSource = (config: ZephyrConfig, ctx: PluginContext): Effect.Effect<SourceInstance, never, ZephyrClient> =>
  Effect.gen(function* () {
    const client: ZephyrClientShape = yield* ZephyrClient
    const system = ctx.system
    const fatal = toSystemError(system, config.projectKey)
    const attachmentsState = yield* Ref.make<AttachmentsState>("unknown")

    // ---- check ----------------------------------------------------------------------------------------------
    /** 404 on the project: either the URL is not a Zephyr API (the project list 404s too) or the key is wrong. */
    const diagnoseNotFound = (original: ApiError) =>
      client.listProjects(10).pipe(
        Effect.matchEffect({
          onFailure: (e) =>
            isApiError(e) && e.reason === "NotFound"
              ? Effect.fail(
                  new SystemError({
                    system,
                    reason: "NotFound",
                    message: `${config.baseUrl} is not a Zephyr Scale Cloud API: ${original.url} and ${e.url} both answered 404`,
                    hint: REGION_HINT
                  })
                )
              : Effect.fail(fatal(e)),
          onSuccess: (page) => {
            const keys = page.values.flatMap((v) => {
              const key = typeof v === "object" && v !== null ? (v as Record<string, unknown>)["key"] : undefined
              return typeof key === "string" ? [key] : []
            })
            return Effect.fail(
              new SystemError({
                system,
                reason: "NotFound",
                message: `Zephyr has no project ${config.projectKey} that this token can see (${original.url} answered 404)`,
                hint:
                  keys.length === 0
                    ? "this token sees no Zephyr projects at all: check that Zephyr Scale is enabled for your project and that the token's user can browse it"
                    : `set projectKey to one of the projects this token can see: ${keys.slice(0, 10).join(", ")}${(page.total ?? 0) > 10 ? ", …" : ""}`
              })
            )
          }
        })
      )

    const check: SourceInstance["check"] = client.getProject(config.projectKey).pipe(
      Effect.catchAll((e) => {
        if (isApiError(e) && e.reason === "NotFound") return diagnoseNotFound(e)
        if (isApiError(e) && (e.reason === "Transport" || e.reason === "Timeout"))
          return Effect.fail(
            new SystemError({
              system,
              reason: "Unreachable",
              message: `cannot reach Zephyr at ${e.url}: ${e.message}`,
              hint: `check baseUrl (${config.baseUrl}), your network and proxy settings; ${REGION_HINT}`
            })
          )
        return Effect.fail(fatal(e))
      }),
      Effect.asVoid,
      Effect.withSpan("ZephyrSource.check")
    )

    // ---- estimate -------------------------------------------------------------------------------------------
    const estimate: SourceInstance["estimate"] = Effect.all(
      {
        Folder: client.countOf("/folders"),
        TestCase: client.countOf("/testcases"),
        TestPlan: client.countOf("/testplans"),
        TestCycle: client.countOf("/testcycles"),
        TestExecution: client.countOf("/testexecutions", { onlyLastExecutions: false })
      },
      { concurrency: ctx.concurrency }
    ).pipe(
      Effect.map((totals) => {
        const out: Record<string, number> = { Project: 1 }
        // A server that omits `total` leaves that entity out: progress shows a count without a denominator.
        for (const [entity, n] of Object.entries(totals)) if (n !== undefined) out[entity] = n
        return out
      }),
      Effect.mapError(fatal),
      Effect.withSpan("ZephyrSource.estimate")
    )

    // ---- extract: lookups and folders -----------------------------------------------------------------------
    const readLookup = <A extends { readonly id: number; readonly name: string }, I>(
      entity: string,
      items: Stream.Stream<unknown, ZephyrClientError>,
      schema: Schema.Schema<A, I>
    ) =>
      Stream.runFoldEffect(items, new Map<number, string>(), (table, raw) =>
        Either.match(decodeItem(schema)(raw), {
          onRight: (item) => Effect.succeed(table.set(item.id, item.name)),
          onLeft: (reason) =>
            // Not emitted as records: a bad entry only costs its name where it is referred to.
            Effect.as(ctx.report.note({ kind: "warning", entity, sourceId: rawSourceId(raw), message: `malformed ${entity} ignored: ${reason}` }), table)
        })
      )

    const readLookups: Effect.Effect<Lookups, ZephyrClientError> = Effect.all(
      {
        statuses: readLookup("Status", client.listStatuses(), Status),
        priorities: readLookup("Priority", client.listPriorities(), Priority),
        environments: readLookup("Environment", client.listEnvironments(), Environment)
      },
      { concurrency: Math.min(3, ctx.concurrency) }
    )

    const readFolders = (projectId: string) =>
      Effect.map(Stream.runCollect(client.listFolders()), (raws) => {
        const out: Array<Extracted> = []
        const good: Array<Folder> = []
        for (const raw of raws)
          Either.match(decodeOrQuarantine(Folder, "Folder")(raw), { onLeft: (q) => out.push(q), onRight: (f) => good.push(f) })
        const tree = buildFolderTree(good)
        for (const node of tree.ordered) out.push(mapFolder(node, projectId))
        for (const { folder, reason } of tree.rejected)
          out.push(quarantine("Folder", String(folder.id), `folder "${folder.name}" (id ${folder.id}): ${reason} — ${FIX_IN_ZEPHYR}`, folder))
        return out
      })

    /**
     * A link to a status / priority / environment the lookup lists do not have is stored as null (the name is
     * unknown); the report says so, once per kind with the records it touched.
     */
    const noteUnresolved = (
      entity: CanonicalRecord["entity"],
      /** The record as the user finds it in Zephyr: its key, else its id. */
      sourceId: string,
      refs: ReadonlyArray<readonly [what: string, table: ReadonlyMap<number, string>, link: { readonly id: number } | null | undefined]>
    ) =>
      Effect.forEach(
        refs,
        ([what, table, link]) =>
          link != null && !table.has(link.id)
            ? ctx.report.note({ kind: "warning", entity, sourceId, message: `${what} id ${link.id} is not in the project's ${what} list (deleted in Zephyr?): stored as null` })
            : Effect.void,
        { discard: true }
      )

    /** Rich text is carried byte for byte (htmlProblem.ts); broken HTML is carried too, and the report says where. */
    const noteBrokenHtml = (entity: CanonicalRecord["entity"], sourceId: string, fields: Readonly<Record<string, string | null | undefined>>) =>
      Effect.forEach(
        Object.entries(fields),
        ([field, html]) => {
          const problem = htmlProblem(html)
          return problem === undefined
            ? Effect.void
            : ctx.report.note({ kind: "warning", entity, sourceId, message: `the HTML of ${field} is not well-formed (${problem}): carried as written` })
        },
        { discard: true }
      )

    /** Date-times that are no date-time are not carried (dateTime.ts): the report says which, with the value. */
    const noteInvalidDates = (entity: CanonicalRecord["entity"], sourceId: string, fields: Readonly<Record<string, string | null | undefined>>) =>
      Effect.forEach(
        invalidDateTimes(fields),
        ([field, value]) =>
          ctx.report.note({ kind: "warning", entity, sourceId, message: `${field} ${JSON.stringify(value.slice(0, 40))} is not a date-time: not carried (the record is)` }),
        { discard: true }
      )

    // ---- extract: attachments -------------------------------------------------------------------------------
    const downloadOne = (owner: AttachmentOwner, relatedType: "TestCase" | "TestExecution", relatedId: number, entry: AttachmentEntry) =>
      Effect.scoped(
        Effect.gen(function* () {
          const response = yield* client.downloadAttachment(owner, entry.id)
          const blob = yield* ctx.blobs.put(response.stream)
          return mapAttachment({ relatedType, relatedId, entry, url: client.attachmentUrl(owner, entry.id), contentType: response.contentType ?? null, blob })
        })
      )

    /**
     * The owner's attachments, downloaded into the blob store; nothing when the tenant has no such endpoints.
     * `complete` says whether the list was actually read — only then may the child set name attachments.
     */
    const attachmentsOf = (owner: AttachmentOwner, relatedType: "TestCase" | "TestExecution", relatedId: number) =>
      Effect.gen(function* () {
        const none = { items: [] as Array<Extracted>, complete: false }
        if (!config.attachments || (yield* Ref.get(attachmentsState)) === "absent") return none
        const listed = yield* Effect.either(client.listAttachments(owner))
        if (Either.isLeft(listed)) {
          const e = listed.left
          const missing = isApiError(e) && (e.reason === "NotFound" || e.status === 503)
          if (!missing) return yield* Effect.fail(e)
          const before = yield* Ref.getAndUpdate(attachmentsState, (s) => (s === "available" ? s : "absent"))
          if (before === "unknown")
            yield* ctx.report.note({
              kind: "skip",
              entity: "Attachment",
              message: "this Zephyr tenant has no attachment endpoints (404): attachments not extracted"
            })
          else if (before === "available")
            // The endpoints exist but this owner vanished between listing and now: skip its attachments only.
            yield* ctx.report.note({ kind: "skip", entity: "Attachment", sourceId: `${relatedType}/${relatedId}`, message: `attachment list answered ${e.status ?? 404}: attachments of this record skipped` })
          return none
        }
        yield* Ref.set(attachmentsState, "available")
        const items: Array<Extracted> = []
        for (const raw of listed.right) {
          const decoded = decodeOrQuarantine(AttachmentEntry, "Attachment")(raw)
          if (Either.isLeft(decoded)) items.push(decoded.left)
          else items.push(yield* downloadOne(owner, relatedType, relatedId, decoded.right))
        }
        return { items, complete: true }
      })

    // ---- extract: test cases --------------------------------------------------------------------------------
    /**
     * Key → id of the cases this extract read, so an execution of an older case version still points at its case.
     * Cases an incremental or resumed run does not read again come from the store (`ctx.known`), once each.
     */
    const caseIdByKey = new Map<string, number | null>()
    const caseIdOf = (key: string): Effect.Effect<number | undefined, StoreError> =>
      Effect.gen(function* () {
        const cached = caseIdByKey.get(key)
        if (cached !== undefined) return cached ?? undefined
        const id = yield* storedCaseId(key)
        caseIdByKey.set(key, id)
        return id ?? undefined
      })
    /** The id of the case stored under a key by an earlier extract; null when there is none (or no store). */
    const storedCaseId = (key: string): Effect.Effect<number | null, StoreError> =>
      ctx.known === undefined
        ? Effect.succeed(null)
        : Effect.map(ctx.known("TestCase", { source_system: SOURCE_SYSTEM, source_key: key }), (stored) =>
            Option.match(stored, { onNone: () => null, onSome: (row) => (typeof row["test_case_id"] === "number" ? row["test_case_id"] : null) })
          )

    const testCaseRecords = (lookups: Lookups) => (raw: unknown) =>
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

    // ---- extract: executions --------------------------------------------------------------------------------
    const executionRecords = (lookups: Lookups) => (raw: unknown) =>
      Effect.gen(function* () {
        const decoded = decodeOrQuarantine(TestExecution, "TestExecution")(raw)
        if (Either.isLeft(decoded)) return [decoded.left] as ReadonlyArray<SourceItem>
        const e = decoded.right
        const executedKey = parseCaseVersionSelf(e.testCase.self).key
        const caseId = executedKey === null ? undefined : yield* caseIdOf(executedKey)
        const resolved = new Map<string, number>(executedKey !== null && caseId !== undefined ? [[executedKey, caseId]] : [])
        const [head, ...children] = mapTestExecution(e, lookups, raw, resolved)
        if (head === undefined || head.entity === "Quarantine") return head === undefined ? [] : [head]
        const label = e.key ?? String(e.id)
        if (executedKey !== null && caseId === undefined)
          yield* ctx.report.note({
            kind: "warning",
            entity: "TestExecution",
            sourceId: label,
            message: `the executed test case is not in the project's test cases (deleted or moved?): test_case_id keeps the version link's id`
          })
        yield* noteUnresolved("TestExecution", label, [["environment", lookups.environments, e.environment]])
        yield* noteInvalidDates("TestExecution", label, { actualEndDate: e.actualEndDate })
        yield* noteBrokenHtml("TestExecution", label, { comment: e.comment })
        const listedSteps = yield* orNullOn404(Stream.runCollect(client.listExecutionSteps(e.id)))
        const rawSteps = Chunk.toReadonlyArray(listedSteps ?? Chunk.empty())
        const results = rawSteps.map((rawStep, order): Extracted => {
          const s = decodeItem(ExecutionStep)(rawStep)
          return Either.isLeft(s)
            ? quarantine("ExecutionStepResult", stepSourceIdOf(rawStep, e.id, order), malformedReason(`step result ${order + 1} of test execution ${label}`, s.left), rawStep)
            : mapExecutionStepResult(s.right, e.id, order, lookups)
        })
        const attachments = yield* attachmentsOf({ kind: "testexecutions", id: e.id }, "TestExecution", e.id)
        const group: Array<SourceItem> = [head, ...results, ...children, ...attachments.items]
        const complete: Array<EntityName> = [
          ...(listedSteps !== null ? (["ExecutionStepResult"] as const) : []),
          "CustomField",
          "Link",
          ...(attachments.complete ? (["Attachment"] as const) : [])
        ]
        return [...group, childSetOf("TestExecution", e.id, group, complete)]
      })

    /** Plans and cycles need no further request: each comes with its custom fields and links. */
    const planOrCycle =
      <
        A extends {
          readonly id: number
          readonly key: string
          readonly status?: { readonly id: number } | null | undefined
          readonly plannedStartDate?: string | null | undefined
          readonly plannedEndDate?: string | null | undefined
        },
        I
      >(
        schema: Schema.Schema<A, I>,
        entity: "TestPlan" | "TestCycle",
        map: (item: A, lookups: Lookups) => ReadonlyArray<Extracted>,
        lookups: Lookups
      ) =>
      (raw: unknown): Effect.Effect<ReadonlyArray<SourceItem>> =>
        Either.match(decodeOrQuarantine(schema, entity)(raw), {
          onLeft: (q) => Effect.succeed([q]),
          onRight: (item) => {
            const group = map(item, lookups)
            return Effect.as(
              Effect.zipRight(
                noteUnresolved(entity, item.key, [["status", lookups.statuses, item.status]]),
                noteInvalidDates(entity, item.key, { plannedStartDate: item.plannedStartDate, plannedEndDate: item.plannedEndDate })
              ),
              [...group, childSetOf(entity, item.id, group, ["CustomField", "Link"])]
            )
          }
        })

    // ---- extract: the cursor lists, with resume points ------------------------------------------------------
    /**
     * One list, read through its cursor endpoint from `startAtId` (with `updatedAfter` in incremental runs).
     * Items come in id order and `startAtId` is inclusive, so after each item's group (the item, its children,
     * its ChildSet — fetched with bounded concurrency, emitted in list order) a Checkpoint `startAtId = id + 1`
     * is a valid place to continue; after each page, the server's own `nextStartAtId`; after the last page, the
     * next list. A resumed extract re-reads at most the item whose group a batch commit cut in two, not the
     * (up to 1000-item) page.
     */
    const listStream = <E>(
      phase: Phase,
      startAtId: number,
      since: string | undefined,
      itemRecords: (raw: unknown) => Effect.Effect<ReadonlyArray<SourceItem>, E>
    ): Stream.Stream<SourceItem, ZephyrClientError | E> =>
      client.cursorPages(phaseList[phase], { updatedAfter: since, startAtId }).pipe(
        Stream.mapConcat((page): ReadonlyArray<{ readonly raw: unknown } | { readonly resumeAt: ResumeState }> => [
          ...page.values.map((raw) => ({ raw })),
          { resumeAt: page.next === null ? after(phase) : { v: 1, phase, startAtId: page.next } }
        ]),
        // Bounded: one item with its children per slot; results stay in list order, checkpoints after their page.
        Stream.mapEffect(
          (step) => {
            if (!("raw" in step)) return Effect.succeed([checkpointItem(step.resumeAt)])
            const id = rawId(step.raw)
            // A malformed item without an id gets no checkpoint of its own: the next one covers it.
            return id === undefined ? itemRecords(step.raw) : Effect.map(itemRecords(step.raw), (group) => [...group, checkpointItem({ v: 1, phase, startAtId: id + 1 })])
          },
          { concurrency: ctx.concurrency }
        ),
        Stream.flattenIterables
      )

    const extract: SourceInstance["extract"] = (options) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const resumeAt = yield* resumeStateOf(options.resume)
          const project = yield* client.getProject(config.projectKey)
          const projectId = String(project.id)
          // Small lists are read whole every time (they have no updatedAfter): folders, statuses, priorities,
          // environments. Re-emitting unchanged folders costs nothing in the store.
          const folders = yield* readFolders(projectId)
          const lookups = yield* readLookups
          const lists: Record<Phase, (startAtId: number) => Stream.Stream<SourceItem, ZephyrClientError | StoreError>> = {
            TestCase: (at) => listStream("TestCase", at, options.since, testCaseRecords(lookups)),
            TestPlan: (at) => listStream("TestPlan", at, options.since, planOrCycle(TestPlan, "TestPlan", mapTestPlan, lookups)),
            TestCycle: (at) => listStream("TestCycle", at, options.since, planOrCycle(TestCycle, "TestCycle", mapTestCycle, lookups)),
            TestExecution: (at) => listStream("TestExecution", at, options.since, executionRecords(lookups))
          }
          const from = resumeAt.phase === "done" ? PHASES.length : PHASES.indexOf(resumeAt.phase)
          return Stream.concatAll(
            Chunk.fromIterable<Stream.Stream<SourceItem, ZephyrClientError | StoreError>>([
              Stream.succeed<SourceItem>(mapProject(project)),
              Stream.fromIterable(folders),
              ...PHASES.slice(from).map((phase, i) => lists[phase](i === 0 ? resumeAt.startAtId : 0))
            ])
          )
        })
      ).pipe(Stream.mapError(fatal), Stream.withSpan("ZephyrSource.extract"))

    /** The resume state core hands back; one this version cannot read is reported and the extract starts over. */
    const resumeStateOf = (resume: unknown): Effect.Effect<ResumeState> => {
      if (resume === undefined) return Effect.succeed(START)
      return Either.match(Schema.decodeUnknownEither(ResumeState)(resume), {
        onRight: Effect.succeed,
        onLeft: () =>
          Effect.as(
            ctx.report.note({ kind: "warning", message: `the saved resume point ${JSON.stringify(resume)} is not one this version understands: the extract starts from the beginning` }),
            START
          )
      })
    }

    return { check, estimate, extract }
  })

/** The numeric id of a raw list item, when it has one. */
const rawId = (raw: unknown): number | undefined => {
  const id = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)["id"] : undefined
  return typeof id === "number" && Number.isInteger(id) && id >= 0 ? id : undefined
}

const stepSourceIdOf = (rawStep: unknown, executionId: number, order: number): string => {
  const id = typeof rawStep === "object" && rawStep !== null ? (rawStep as Record<string, unknown>)["id"] : undefined
  return typeof id === "number" ? String(id) : `${executionId}#${order}`
}
