/**
 * Before the first object: read the project's vocabulary (fields of test cases, test runs and releases,
 * execution statuses, the users the spec maps to), work out which fields and picklist values the store's data
 * needs (one streamed pass; only distinct values are kept), create what is missing — the Zephyr Key and Zephyr
 * Execution Key fields always, the rest when `createMissingFields` says so — and read the vocabulary again.
 * Jira coverage is resolved here too: each distinct issue key is looked up once among the requirements; and
 * whether the project can link the executions' Jira issues as defects (its defect integration, read once): if
 * not, they need the "Zephyr Defects" test-run field.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { LoadContext, PluginContext, StoreError, SystemError, TargetWrite } from "../../../core/index.ts"
import type { FieldObjectType as ClientFieldObjectType, QtestClientShape } from "../QtestClient.ts"
import type { QtestConfig } from "../QtestConfig.ts"
import { defectMode, FieldNeeds, makeVocabulary, missingFields, nameKey, writtenHash, type DefectMode, type FieldSetting, type UserSetting, type Vocabulary } from "../mapping/index.ts"
import { fieldDefaults, type FieldDefaults } from "./targetHash.ts"
import type { QtestRunCache, VocabularyParts } from "./QtestRunCache.ts"
import { toLoadError } from "./toLoadError.ts"
import { managedByKind, type ManagedByKind } from "./managedByKind.ts"

export interface PreparedTarget {
  readonly vocab: Vocabulary
  readonly defaults: FieldDefaults
  readonly plannedFields: ReadonlySet<string>
  /** The fields the mapping manages per kind of object (managedByKind.ts). */
  readonly managed: ManagedByKind
  /** Jira issue key → the synced qTest requirement's id (absent: no requirement, the key goes in a field). */
  readonly requirements: ReadonlyMap<string, number>
  /** How execution defects are carried: linked to the test logs, or kept in the defects field (defectMode.ts). */
  readonly defects: DefectMode
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/

const fieldTypes: ReadonlyArray<ClientFieldObjectType> = ["test-cases", "test-runs", "releases"]

const mappedUsers = (config: QtestConfig) => new Set([...Object.values(config.maps.users.values), ...(config.maps.users.fallback ? [config.maps.users.fallback] : [])])

/** Reads the project's fields, execution statuses and the users the spec maps to. */
const readVocabularyParts = (client: QtestClientShape, config: QtestConfig) =>
  Effect.gen(function* () {
    const fields: Record<string, ReadonlyArray<FieldSetting>> = {}
    for (const t of fieldTypes) fields[t] = (yield* client.listFields(t, { includeInactive: true })) as ReadonlyArray<FieldSetting>
    const executionStatuses = yield* client.listExecutionStatuses()
    const wanted = mappedUsers(config)
    const users: Array<UserSetting> = []
    const unknownUsers: Array<string> = []
    for (const login of wanted) {
      const found = Chunk.toReadonlyArray(yield* Stream.runCollect(client.searchUsers(login))).find(
        (u) => nameKey(u.email ?? "") === nameKey(login) || nameKey(u.username ?? "") === nameKey(login)
      )
      if (found) users.push(found as UserSetting)
      else unknownUsers.push(login)
    }
    return { fields, executionStatuses, users, unknownUsers } satisfies VocabularyParts
  })

/**
 * The project's fields, statuses and the mapped users, as the mapping resolves names against them. With a run
 * cache, read once per run (after the load creates fields, only the fields of those kinds are read again); the
 * users qTest does not know are reported as gaps every time, so the pass that reports sees them.
 */
export const readVocabulary = (client: QtestClientShape, config: QtestConfig, load: Pick<LoadContext, "gap">, cache?: QtestRunCache) =>
  Effect.gen(function* () {
    const parts = cache?.vocabulary ?? (yield* readVocabularyParts(client, config))
    if (cache) cache.vocabulary = parts
    for (const login of parts.unknownUsers)
      yield* load.gap({
        kind: "user",
        value: login,
        hint: `maps.users names "${login}", which is not a qTest user (users/search found nobody): add the user to qTest or fix the map`
      })
    const vocab = makeVocabulary({ fields: parts.fields, executionStatuses: parts.executionStatuses, users: parts.users, maps: config.maps, labels: config.fields })
    return { vocab, defaults: fieldDefaults(Object.values(parts.fields).flat() as never) }
  })

/** Each distinct issue key the store's coverage names, looked up once per run among the synced requirements. */
const findRequirements = (client: QtestClientShape, load: LoadContext, cache: QtestRunCache) =>
  Effect.gen(function* () {
    const keys = new Set<string>()
    yield* Stream.runForEach(load.store.records("Link"), (l) =>
      Effect.sync(() => {
        // synced requirements are named after the issue key; a link known only by issue id or URL cannot be matched
        if (l.kind === "ISSUE" && l.object_type === "TestCase" && ISSUE_KEY.test(l.target)) keys.add(l.target)
      })
    )
    const found = new Map<string, number>()
    for (const key of keys) {
      let id = cache.requirements.get(key)
      if (id === undefined) {
        const match = Chunk.findFirst(yield* Stream.runCollect(client.findRequirements(key)), (r) => r.name.includes(key))
        id = Option.isSome(match) ? Number(match.value.id) : null
        cache.requirements.set(key, id)
      }
      if (id !== null) found.set(key, id)
    }
    return { found }
  })

export const prepareTarget = (
  client: QtestClientShape,
  config: QtestConfig,
  ctx: PluginContext,
  load: LoadContext,
  cache: QtestRunCache
): Effect.Effect<PreparedTarget, SystemError | StoreError> =>
  Effect.gen(function* () {
    const { vocab: vocab0, defaults: defaults0 } = yield* readVocabulary(client, config, load, cache)
    const requirements = yield* findRequirements(client, load, cache)
    const defects = cache.defects ?? defectMode((yield* client.getProject()).defect_tracking_systems)
    cache.defects = defects

    // A pass after the first (following the extract) looks for the needs of cases, executions and plans only in
    // those committed since — what came before has its fields already. Custom fields and links are children with
    // derived ids, which `fresh` does not isolate (LoadContext.fresh): they are read whole.
    const view = load.fresh ?? load.store
    const needs = new FieldNeeds(vocab0, { releases: config.releases })
    yield* Stream.runForEach(view.records("TestCase"), (tc) => Effect.sync(() => needs.addTestCase(tc)))
    const names = { TestCase: new Set<string>(), TestPlan: new Set<string>(), TestExecution: new Set<string>() }
    yield* Stream.runForEach(load.store.records("CustomField"), (f) =>
      Effect.sync(() => {
        needs.addCustomField(f)
        if (f.object_type === "TestCase" || f.object_type === "TestPlan" || f.object_type === "TestExecution") names[f.object_type].add(f.field_name)
      })
    )
    yield* Stream.runForEach(view.records("TestExecution"), (e) => Effect.sync(() => needs.addExecution(e)))
    if (config.releases) yield* Stream.runForEach(view.records("TestPlan"), (p) => Effect.sync(() => needs.addPlan(p)))
    const unsynced = yield* Stream.runCollect(
      load.store.records("Link").pipe(Stream.filter((l) => l.kind === "ISSUE" && l.object_type === "TestCase" && !requirements.found.has(l.target)), Stream.take(1))
    )
    if (unsynced.length > 0) needs.addCoverage()
    if (defects._tag === "field") {
      const executionIssues = yield* Stream.runCollect(
        load.store.records("Link").pipe(Stream.filter((l) => l.kind === "ISSUE" && l.object_type === "TestExecution"), Stream.take(1))
      )
      if (executionIssues.length > 0) needs.addDefects()
    }
    const missing = missingFields(needs.needs(), vocab0, { createMissingFields: config.createMissingFields })

    const planned = new Set<string>()
    const fieldByLabel = (objectType: ClientFieldObjectType, label: string) =>
      client.listFields(objectType, { includeInactive: true }).pipe(Effect.map((fs) => fs.find((f) => nameKey(f.label) === nameKey(label))))
    const written = new Set<string>()
    const writeField = (w: TargetWrite) => {
      written.add(`${w.entity}\u0000${w.key}`)
      return load.write(w).pipe(Effect.catchTag("RecordRejected", (r) => load.reject(r)))
    }

    for (const f of missing.create) {
      const objectType = f.objectType as ClientFieldObjectType
      planned.add(nameKey(f.body.label))
      const key = `${objectType}|${nameKey(f.body.label)}`
      yield* writeField({
        entity: "field",
        key,
        label: `${f.body.label} (${objectType})`,
        hash: writtenHash(f.body),
        create: client.createField(objectType, f.body).pipe(Effect.map((created) => String(created.id))),
        lookup: fieldByLabel(objectType, f.body.label).pipe(Effect.map((found) => Option.fromNullable(found).pipe(Option.map((x) => String(x.id)))))
      })
      for (const [i, values] of f.moreValues.entries()) {
        const fieldId = yield* load.mapped("field", key)
        // planning a field not created yet: a run adds these values to it once it is
        if (load.planning && (Option.isNone(fieldId) || fieldId.value.targetId.startsWith("planned:"))) yield* load.willSend(1)
        if (Option.isNone(fieldId) || fieldId.value.targetId.startsWith("planned:")) continue
        const id = Number(fieldId.value.targetId)
        yield* writeField({
          entity: "field-values",
          key: `${key}|${i}`,
          label: `${values.length} values of ${f.body.label}`,
          hash: writtenHash(values),
          create: client.addAllowedValues(objectType, id, values).pipe(Effect.as(String(id))),
          lookup: fieldByLabel(objectType, f.body.label).pipe(
            Effect.map((found) => {
              const have = new Set((found?.allowed_values ?? []).map((v) => nameKey(v.label)))
              return values.every((v) => have.has(nameKey(v.label))) ? Option.some(String(id)) : Option.none()
            })
          )
        })
      }
    }
    for (const a of missing.addValues) {
      const objectType = a.objectType as ClientFieldObjectType
      planned.add(nameKey(a.label))
      for (const values of a.chunks)
        yield* writeField({
          entity: "field-values",
          key: `${objectType}|${nameKey(a.label)}|${writtenHash(values).slice(0, 16)}`,
          label: `${values.length} values of ${a.label}`,
          hash: writtenHash(values),
          create: client.addAllowedValues(objectType, a.fieldId, values).pipe(Effect.as(String(a.fieldId))),
          lookup: fieldByLabel(objectType, a.label).pipe(
            Effect.map((found) => {
              const have = new Set((found?.allowed_values ?? []).map((v) => nameKey(v.label)))
              return values.every((v) => have.has(nameKey(v.label))) ? Option.some(String(a.fieldId)) : Option.none()
            })
          )
        })
    }
    // A field (or values) created by a run killed before it recorded the write is in the project now, so it is
    // not missing — but the write's intent is still open (and `verify` would report it for ever). It is written
    // again: the look-up finds the field by label and records it (recovered); nothing is created. Keys are
    // `<objectType>|<label key>[|…]`; one whose field is not in the project is left alone.
    if (!load.planning)
      for (const entity of ["field", "field-values"] as const)
        for (const key of yield* load.unconfirmed(entity)) {
          if (written.has(`${entity}\u0000${key}`)) continue
          const [objectType, labelKey] = key.split("|")
          const field = labelKey === undefined ? undefined : vocab0.field(objectType as ClientFieldObjectType, labelKey)
          if (field === undefined) continue
          yield* writeField({
            entity,
            key,
            label: `${field.label} (${objectType})`,
            hash: "",
            create: Effect.succeed(String(field.id)),
            lookup: Effect.succeed(Option.some(String(field.id)))
          })
        }
    // statuses and users are as read; only the fields of the kinds this load added to are read again
    const changed = new Set([...missing.create, ...missing.addValues].map((f) => f.objectType as ClientFieldObjectType))
    if (!load.planning && changed.size > 0 && cache.vocabulary !== undefined) {
      const fields = { ...cache.vocabulary.fields }
      for (const t of changed) fields[t] = (yield* client.listFields(t, { includeInactive: true })) as ReadonlyArray<FieldSetting>
      cache.vocabulary = { ...cache.vocabulary, fields }
    }
    // a run reads again the field lists of the kinds it adds to
    if (load.planning) yield* load.willSend(changed.size)
    const { vocab, defaults } = !load.planning && changed.size > 0 ? yield* readVocabulary(client, config, { gap: () => Effect.void }, cache) : { vocab: vocab0, defaults: defaults0 }
    if (missing.create.length > 0)
      yield* ctx.report.note({
        kind: "warning",
        entity: "field",
        message: `${load.planning ? "would create" : "created"} qTest fields: ${missing.create.map((f) => `${f.body.label} (${f.objectType})`).join(", ")}`
      })
    return { vocab, defaults, managed: managedByKind(vocab, names), plannedFields: load.planning ? planned : new Set<string>(), requirements: requirements.found, defects }
  }).pipe(toLoadError)
