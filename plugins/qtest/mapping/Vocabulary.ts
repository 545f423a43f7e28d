/**
 * The target project's vocabulary: its field settings (per object type, with picklist values), execution
 * statuses and users, read at run time, joined with the spec's maps. Everything is resolved by label or name
 * (case-insensitive, trimmed, inner whitespace collapsed, Unicode NFC) — never by an id written in the code or
 * the spec, because field, value and status ids differ per qTest project.
 *
 * Name maps (maps.executionStatus, maps.priority, maps.testCaseStatus, maps.users) resolve in this order:
 *   1. the map's entry for the Zephyr name (keys case-insensitive);
 *   2. the same name, when the target has it (Zephyr "Blocked" → qTest "Blocked") — users excepted;
 *   3. the map's `default`, reported as a `DefaultUsed`;
 *   4. otherwise a `MappingGap`: nothing is written for the value.
 */
import type { PropertyValue } from "../api/requests.ts"
import type { QtestFieldLabels, QtestMaps, QtestValueMap } from "../QtestConfig.ts"
import { fieldKind, idList, type FieldKind } from "./FieldDataType.ts"
import { htmlToText } from "./htmlToText.ts"
import { isoInstant } from "./isoInstant.ts"
import { Resolution, type DefaultUsed, type GapKind, type MappingGap } from "./MappingGap.ts"
import { looksLikeHtml, richText } from "./richText.ts"

/** The object types qTest has field settings for (`GET …/settings/{objectType}/fields`). */
export type FieldObjectType = "test-cases" | "test-runs" | "releases" | "requirements" | "test-suites" | "builds" | "defects" | "test-steps"

export interface AllowedValueSetting {
  readonly value: number
  readonly label: string
  readonly is_active?: boolean | null | undefined
}

/** A field setting as `GET …/settings/{objectType}/fields` returns it (the decoded `Field` satisfies this). */
export interface FieldSetting {
  readonly id: number
  readonly label: string
  readonly data_type?: number | null | undefined
  readonly multiple?: boolean | null | undefined
  readonly is_active?: boolean | null | undefined
  readonly system_field?: boolean | null | undefined
  readonly original_name?: string | null | undefined
  readonly allowed_values?: ReadonlyArray<AllowedValueSetting> | null | undefined
}

export interface ExecutionStatusSetting {
  readonly id: number
  readonly name: string
  readonly active?: boolean | null | undefined
}

export interface UserSetting {
  readonly id: number
  readonly username?: string | null | undefined
  readonly email?: string | null | undefined
  readonly ldap_username?: string | null | undefined
  readonly external_user_name?: string | null | undefined
}

export interface VocabularyInput {
  readonly fields: Partial<Readonly<Record<FieldObjectType, ReadonlyArray<FieldSetting>>>>
  readonly executionStatuses: ReadonlyArray<ExecutionStatusSetting>
  /** The users the maps name, as found with users/search (or the project's user list). */
  readonly users: ReadonlyArray<UserSetting>
  readonly maps: QtestMaps
  readonly labels: QtestFieldLabels
}

/** How to read a Zephyr value: `auto` by its JSON type; `user` when it is an Atlassian accountId (or a list of them). */
export type ValueKind = "auto" | "user"

/** The fields a read-back projection keeps: field id → how its value is normalised. */
export type ManagedFields = ReadonlyMap<number, FieldKind>

/** The two test-case system fields resolved through a map, by the labels a new qTest project gives them. */
export const SYSTEM_FIELD_LABELS = { priority: "Priority", testCaseStatus: "Status" } as const

export interface Vocabulary {
  readonly labels: QtestFieldLabels
  readonly maps: QtestMaps
  /** The active field with this label (or original name); an inactive one only when no active one exists. */
  readonly field: (objectType: FieldObjectType, label: string) => FieldSetting | undefined
  /** A Zephyr value (the CustomField's `value_json`, a name, a list) → a property of the labelled field. */
  readonly fieldValue: (objectType: FieldObjectType, label: string, value: unknown, object: string, kind?: ValueKind) => Resolution<PropertyValue>
  /** A Zephyr priority or test-case status → the matching value of the qTest Priority / Status field, through its map. */
  readonly mappedFieldValue: (
    objectType: FieldObjectType,
    map: "priority" | "testCaseStatus",
    zephyrName: string | null,
    object: string
  ) => Resolution<PropertyValue>
  /** A Zephyr execution or step status (null: none) → a qTest execution status, through maps.executionStatus. */
  readonly executionStatus: (zephyrName: string | null, object: string) => Resolution<ExecutionStatusSetting>
  /**
   * The status string of the batch auto-test-logs endpoint: the mapped execution status's name in upper case
   * ("Passed" → "PASSED"), the values qTest's default automation settings map to its statuses.
   */
  readonly automationStatus: (zephyrName: string | null, object: string) => Resolution<string>
  /** An accountId → a qTest user, through maps.users. */
  readonly user: (accountId: string, object: string) => Resolution<UserSetting>
  /** The label a Zephyr custom field is written to (maps.customFields renames; others keep their name). */
  readonly customFieldLabel: (zephyrName: string) => string
  /** Field id → kind, for the labels that exist on the object type (read-back keeps only these properties). */
  readonly managedFields: (objectType: FieldObjectType, labels: Iterable<string>) => ManagedFields
}

/** The comparison key of a label or name. */
export const nameKey = (name: string): string => name.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase()

const isActive = (flag: boolean | null | undefined): boolean => flag !== false

/** A value for messages: strings as is, lists joined, anything else as JSON. */
export const displayValue = (value: unknown): string =>
  typeof value === "string" ? value : Array.isArray(value) ? value.map(displayValue).join(", ") : (JSON.stringify(value) ?? String(value))

/** Zephyr values that mean "nothing": null, undefined, blank strings, empty lists. */
const isBlank = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.every(isBlank))

const lookupMapEntry = (map: QtestValueMap, name: string): string | undefined => {
  const exact = map.values[name]
  if (exact !== undefined) return exact
  const key = nameKey(name)
  for (const [k, v] of Object.entries(map.values)) if (nameKey(k) === key) return v
  return undefined
}

export const makeVocabulary = (input: VocabularyInput): Vocabulary => {
  const { maps, labels } = input

  const fieldIndex = new Map<FieldObjectType, Map<string, ReadonlyArray<FieldSetting>>>()
  for (const [objectType, settings] of Object.entries(input.fields) as Array<[FieldObjectType, ReadonlyArray<FieldSetting>]>) {
    const byKey = new Map<string, Array<FieldSetting>>()
    for (const f of settings) {
      for (const key of new Set([nameKey(f.label), ...(f.original_name ? [nameKey(f.original_name)] : [])])) {
        const list = byKey.get(key) ?? []
        list.push(f)
        byKey.set(key, list)
      }
    }
    fieldIndex.set(objectType, byKey)
  }

  const field = (objectType: FieldObjectType, label: string): FieldSetting | undefined => {
    const key = nameKey(label)
    const candidates = fieldIndex.get(objectType)?.get(key) ?? []
    // active first, then a label match over an original-name match, then the oldest field
    return [...candidates].sort(
      (a, b) =>
        Number(isActive(b.is_active)) - Number(isActive(a.is_active)) ||
        Number(nameKey(b.label) === key) - Number(nameKey(a.label) === key) ||
        a.id - b.id
    )[0]
  }

  const statusByName = new Map<string, ExecutionStatusSetting>()
  for (const s of [...input.executionStatuses].sort((a, b) => Number(isActive(b.active)) - Number(isActive(a.active)) || a.id - b.id)) {
    const key = nameKey(s.name)
    if (!statusByName.has(key)) statusByName.set(key, s)
  }

  const userByLogin = new Map<string, UserSetting>()
  for (const u of [...input.users].sort((a, b) => a.id - b.id)) {
    for (const login of [u.email, u.username, u.ldap_username, u.external_user_name]) {
      if (login && !userByLogin.has(nameKey(login))) userByLogin.set(nameKey(login), u)
    }
  }

  /** Steps 1–4 of the module comment: a Zephyr name → a target name. */
  const mapName = (
    map: QtestValueMap,
    mapLabel: string,
    gapKind: GapKind,
    zephyrName: string | null,
    targetHas: (name: string) => boolean,
    object: string,
    allowIdentity: boolean
  ): Resolution<string> => {
    const from = zephyrName ?? "(none)"
    if (zephyrName !== null) {
      const entry = lookupMapEntry(map, zephyrName)
      if (entry !== undefined) return Resolution.value(entry)
      if (allowIdentity && targetHas(zephyrName)) return Resolution.value(zephyrName)
    }
    if (map.fallback !== undefined) return Resolution.value(map.fallback, [{ field: mapLabel, from, to: map.fallback, object }])
    return Resolution.gap({
      kind: gapKind,
      field: mapLabel,
      value: from,
      object,
      hint: `add "${from}: <qTest name>" to ${mapLabel}, or set ${mapLabel}.default`
    })
  }

  const user = (accountId: string, object: string): Resolution<UserSetting> =>
    Resolution.flatMap(
      mapName(maps.users, "maps.users", "user", accountId, () => false, object, false),
      (login): Resolution<UserSetting> => {
        const found = userByLogin.get(nameKey(login))
        return found !== undefined
          ? Resolution.value(found)
          : Resolution.gap({
              kind: "user",
              field: "maps.users",
              value: accountId,
              object,
              hint: `maps.users gives "${login}", but the qTest project has no user with that login: add the user to the project or correct the map`
            })
      }
    )

  /** For text fields: the login the map gives (an explicit entry only), else the accountId itself. */
  const userText = (accountId: string): string => lookupMapEntry(maps.users, accountId) ?? accountId

  const executionStatus = (zephyrName: string | null, object: string): Resolution<ExecutionStatusSetting> =>
    Resolution.flatMap(
      mapName(maps.executionStatus, "maps.executionStatus", "status", zephyrName, (n) => statusByName.has(nameKey(n)), object, true),
      (name): Resolution<ExecutionStatusSetting> => {
        const found = statusByName.get(nameKey(name))
        return found !== undefined
          ? Resolution.value(found)
          : Resolution.gap({
              kind: "status",
              field: "maps.executionStatus",
              value: zephyrName ?? "(none)",
              object,
              hint: `maps.executionStatus gives "${name}", but the project's execution statuses are: ${[...input.executionStatuses].map((s) => s.name).join(", ")}`
            })
      }
    )

  const missingField = (objectType: FieldObjectType, label: string, value: unknown, object: string): MappingGap => ({
    kind: "field",
    field: label,
    value: displayValue(value),
    object,
    hint: `the qTest project has no ${objectType} field "${label}": create it, set createMissingFields: true, or point the spec at another field`
  })

  const valueGap = (f: FieldSetting, value: unknown, object: string, hint: string): MappingGap => ({
    kind: "value",
    field: f.label,
    value: displayValue(value),
    object,
    hint
  })

  /** Picklist labels a Zephyr scalar may match, in order of preference. */
  const candidates = (value: unknown): ReadonlyArray<string> =>
    value === true ? ["Yes", "True"] : value === false ? ["No", "False"] : [typeof value === "string" ? value : displayValue(value)]

  const allowedValue = (f: FieldSetting, value: unknown, object: string): Resolution<number> => {
    const allowed = f.allowed_values ?? []
    let inactive: AllowedValueSetting | undefined
    for (const candidate of candidates(value)) {
      const key = nameKey(candidate)
      const matches = allowed.filter((v) => nameKey(v.label) === key)
      const active = matches.find((v) => isActive(v.is_active))
      if (active !== undefined) return Resolution.value(active.value)
      inactive ??= matches[0]
    }
    return Resolution.gap(
      valueGap(
        f,
        value,
        object,
        inactive !== undefined
          ? `the value "${inactive.label}" of the qTest field "${f.label}" is inactive: activate it`
          : f.system_field === true
            ? `the qTest system field "${f.label}" has no value "${displayValue(value)}": add it in qTest's field settings, or map it to an existing value in the spec's maps`
            : `the qTest field "${f.label}" has no value "${displayValue(value)}": add it in qTest, set createMissingFields: true, or map it to an existing value`
      )
    )
  }

  /** Several results → one "[id,…]" value; the misses are reported, the hits written. */
  const idListOf = (results: ReadonlyArray<Resolution<number>>): Resolution<string> => {
    const ids: Array<number> = []
    const gaps: Array<MappingGap> = []
    const defaults: Array<DefaultUsed> = []
    for (const r of results) {
      if (r._tag === "Value") {
        ids.push(r.value)
        defaults.push(...r.defaults)
      }
      if (r._tag !== "Empty") gaps.push(...r.gaps)
    }
    if (ids.length === 0) {
      const [first, ...more] = gaps
      return first === undefined ? Resolution.empty() : Resolution.gap(first, ...more)
    }
    return Resolution.value(idList(ids), defaults, gaps)
  }

  const asText = (value: unknown): string =>
    typeof value === "string" ? (looksLikeHtml(value) ? htmlToText(value) : value) : Array.isArray(value) ? value.filter((v) => !isBlank(v)).map(asText).join(", ") : displayValue(value)

  const asRichText = (value: unknown): string =>
    typeof value === "string" ? richText(value) : Array.isArray(value) ? richText(value.filter((v) => !isBlank(v)).map(displayValue).join(", ")) : richText(displayValue(value))

  const single = (f: FieldSetting, value: unknown, object: string, what: string): Resolution<unknown> => {
    if (!Array.isArray(value)) return Resolution.value(value)
    const items = value.filter((v) => !isBlank(v))
    if (items.length === 1) return Resolution.value(items[0])
    return Resolution.gap(valueGap(f, value, object, `the qTest field "${f.label}" holds one ${what} and Zephyr has ${items.length}: make it a multi-value field`))
  }

  const encodeUser = (f: FieldSetting, kind: FieldKind, value: unknown, object: string): Resolution<string> => {
    const ids = (Array.isArray(value) ? value : [value]).filter((v) => !isBlank(v)).map((v) => displayValue(v))
    switch (kind) {
      case "user":
        return Resolution.flatMap(single(f, ids, object, "user"), (id) =>
          Resolution.flatMap(user(String(id), object), (u) => Resolution.value(String(u.id)))
        )
      case "multiUser":
        return idListOf(ids.map((id) => Resolution.flatMap(user(id, object), (u) => Resolution.value(u.id))))
      case "picklist":
        return Resolution.flatMap(single(f, ids, object, "value"), (id) =>
          Resolution.flatMap(allowedValue(f, userText(String(id)), object), (v) => Resolution.value(String(v)))
        )
      case "multiPicklist":
        return idListOf(ids.map((id) => allowedValue(f, userText(id), object)))
      case "richText":
        return Resolution.value(richText(ids.map(userText).join(", ")))
      case "text":
      case "url":
        return Resolution.value(ids.map(userText).join(", "))
      case "date":
      case "number":
        return Resolution.gap(valueGap(f, value, object, `the qTest field "${f.label}" is a ${kind} field and cannot hold a user`))
    }
  }

  const encode = (f: FieldSetting, value: unknown, object: string, valueKind: ValueKind): Resolution<string> => {
    const kind = fieldKind(f)
    if (valueKind === "user") return encodeUser(f, kind, value, object)
    switch (kind) {
      case "text":
        return Resolution.value(asText(value))
      case "url":
        return Resolution.value(typeof value === "string" ? value.trim() : asText(value))
      case "richText":
        return Resolution.value(asRichText(value))
      case "number":
        return Resolution.flatMap(single(f, value, object, "number"), (v) => {
          const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : Number.NaN
          return Number.isFinite(n) ? Resolution.value(String(n)) : Resolution.gap(valueGap(f, v, object, `the qTest field "${f.label}" is a number field`))
        })
      case "date":
        return Resolution.flatMap(single(f, value, object, "date"), (v) => {
          const iso = typeof v === "string" ? isoInstant(v) : undefined
          return iso !== undefined ? Resolution.value(iso) : Resolution.gap(valueGap(f, v, object, `the qTest field "${f.label}" is a date field and this is not a date`))
        })
      case "picklist":
        return Resolution.flatMap(single(f, value, object, "value"), (v) => Resolution.flatMap(allowedValue(f, v, object), (id) => Resolution.value(String(id))))
      case "multiPicklist": {
        const allowed = (f.allowed_values ?? []).filter((v) => isActive(v.is_active))
        // a Zephyr checkbox (boolean) into a one-value check box: ticked or not
        if (typeof value === "boolean" && allowed.length === 1 && allowed[0] !== undefined)
          return value ? Resolution.value(idList([allowed[0].value])) : Resolution.empty()
        const items = (Array.isArray(value) ? value : [value]).filter((v) => !isBlank(v))
        return idListOf(items.map((item) => allowedValue(f, item, object)))
      }
      case "user":
      case "multiUser":
        return encodeUser(f, kind, value, object)
    }
  }

  const fieldValue = (objectType: FieldObjectType, label: string, value: unknown, object: string, kind: ValueKind = "auto"): Resolution<PropertyValue> => {
    if (isBlank(value)) return Resolution.empty()
    const f = field(objectType, label)
    if (f === undefined) return Resolution.gap(missingField(objectType, label, value, object))
    if (!isActive(f.is_active))
      return Resolution.gap({ kind: "field", field: f.label, value: displayValue(value), object, hint: `the qTest ${objectType} field "${f.label}" is inactive: activate it` })
    const encoded = encode(f, value, object, kind)
    if (encoded._tag === "Value" && encoded.value === "") return Resolution.empty()
    return Resolution.flatMap(encoded, (text) => Resolution.value({ field_id: f.id, field_value: text }))
  }

  const mappedFieldValue = (
    objectType: FieldObjectType,
    map: "priority" | "testCaseStatus",
    zephyrName: string | null,
    object: string
  ): Resolution<PropertyValue> => {
    if (zephyrName === null || zephyrName.trim() === "") return Resolution.empty()
    const label = SYSTEM_FIELD_LABELS[map]
    const f = field(objectType, label)
    if (f === undefined) return Resolution.gap(missingField(objectType, label, zephyrName, object))
    const has = (name: string) => (f.allowed_values ?? []).some((v) => nameKey(v.label) === nameKey(name) && isActive(v.is_active))
    return Resolution.flatMap(mapName(maps[map], `maps.${map}`, map, zephyrName, has, object, true), (name) =>
      Resolution.flatMap(allowedValue(f, name, object), (id) => Resolution.value({ field_id: f.id, field_value: String(id) }))
    )
  }

  return {
    labels,
    maps,
    field,
    fieldValue,
    mappedFieldValue,
    executionStatus,
    automationStatus: (zephyrName, object) => Resolution.flatMap(executionStatus(zephyrName, object), (s) => Resolution.value(s.name.toUpperCase())),
    user,
    customFieldLabel: (zephyrName) => {
      const exact = maps.customFields[zephyrName]
      if (exact !== undefined) return exact
      const key = nameKey(zephyrName)
      for (const [k, v] of Object.entries(maps.customFields)) if (nameKey(k) === key) return v
      return zephyrName
    },
    managedFields: (objectType, wanted) => {
      const result = new Map<number, FieldKind>()
      for (const label of wanted) {
        const f = field(objectType, label)
        if (f !== undefined) result.set(f.id, fieldKind(f))
      }
      return result
    }
  }
}
