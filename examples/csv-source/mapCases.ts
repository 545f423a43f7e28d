/**
 * CSV rows → canonical records. Pure: no I/O, so it is tested without files or servers.
 *
 * Ids: the CSV has none, so every numeric id is core's `derivedId` of a stable text (the case key, the folder
 * path, `<key>#<step order>`): a re-run derives the same ids and the store upserts instead of duplicating.
 * Timestamps: the CSV has none; they are left null and core fills them (CANONICAL.md).
 */
import { derivedId, quarantine, record, type Extracted } from "../../core/index.ts"
import { cell, type Column } from "./CsvColumns.ts"
import { SOURCE_SYSTEM, type CsvConfig } from "./CsvConfig.ts"
import type { CsvRow } from "./CsvParser.ts"

const provenance = (source_id: string, source_key: string | null) => ({ source_system: SOURCE_SYSTEM, source_id, source_key }) as const

export const mapProject = (config: CsvConfig): Extracted =>
  record("Project", {
    project_id: config.projectKey,
    project_key: config.projectKey,
    name: config.projectName,
    description: null,
    jira_project_id: null,
    enabled: true,
    ...provenance(config.projectKey, config.projectKey)
  })

/** `/A//B/` and `A/B` are the same folder: segments trimmed, empty ones dropped. */
export const folderSegments = (folder: string): ReadonlyArray<string> =>
  folder
    .split("/")
    .map((s) => s.trim())
    .filter((s) => s !== "")

export const folderId = (projectKey: string, segments: ReadonlyArray<string>) => derivedId(`${projectKey}:folder:/${segments.join("/")}`)

/**
 * Remembers which folders were emitted, so each is emitted once, before the first case in it, parents first;
 * `sort_order` is the order in which a folder's children first appear in the file.
 */
export class FolderTracker {
  private readonly seen = new Set<string>()
  private readonly childCount = new Map<string, number>()
  private readonly config: CsvConfig

  constructor(config: CsvConfig) {
    this.config = config
  }

  /** The Folder records `folder` needs that were not emitted yet, and the id of the folder itself. */
  enter(folder: string | undefined): { readonly records: ReadonlyArray<Extracted>; readonly folderId: number | null } {
    const segments = folder === undefined ? [] : folderSegments(folder)
    const records: Array<Extracted> = []
    for (let depth = 1; depth <= segments.length; depth++) {
      const own = segments.slice(0, depth)
      const path = `/${own.join("/")}`
      if (this.seen.has(path)) continue
      this.seen.add(path)
      const parent = own.slice(0, -1)
      const parentPath = `/${parent.join("/")}`
      const order = this.childCount.get(parentPath) ?? 0
      this.childCount.set(parentPath, order + 1)
      records.push(
        record("Folder", {
          folder_id: folderId(this.config.projectKey, own),
          project_id: this.config.projectKey,
          parent_folder_id: parent.length === 0 ? null : folderId(this.config.projectKey, parent),
          name: own[own.length - 1] ?? "",
          type: "TEST_CASE",
          sort_order: order,
          path,
          ...provenance(`${this.config.projectKey}:${path}`, null)
        })
      )
    }
    return { records, folderId: segments.length === 0 ? null : folderId(this.config.projectKey, segments) }
  }
}

/** The raw rows of a case, as the quarantine payload: column name → cell, with the line each row starts on. */
const payloadOf = (index: ReadonlyMap<Column, number>, rows: ReadonlyArray<CsvRow>) =>
  rows.map((r) => ({ line: r.line, ...Object.fromEntries([...index].map(([c, i]) => [c, r.fields[i] ?? ""])) }))

/**
 * One test case from its consecutive rows: the case, then its steps (one per row with a `step` or `expected`).
 * A case without a name is quarantined whole, steps included: they would point at a case that is not stored.
 */
export const mapCase = (
  config: CsvConfig,
  index: ReadonlyMap<Column, number>,
  key: string,
  rows: readonly [CsvRow, ...Array<CsvRow>],
  folderId: number | null
): ReadonlyArray<Extracted> => {
  const first = rows[0].fields
  const get = (fields: ReadonlyArray<string>, column: Column) => cell(index, fields, column)
  const name = get(first, "name")
  if (name === undefined)
    return [quarantine("TestCase", key, `line ${rows[0].line}: test case ${key} has no name (the name column of its first row is empty)`, payloadOf(index, rows))]
  const testCaseId = derivedId(`${config.projectKey}:case:${key}`)
  const testCase = record("TestCase", {
    test_case_id: testCaseId,
    project_id: config.projectKey,
    folder_id: folderId,
    key,
    name,
    objective: get(first, "objective") ?? null,
    precondition: get(first, "precondition") ?? null,
    estimated_time_ms: null,
    priority: get(first, "priority") ?? null,
    status: get(first, "status") ?? null,
    owner_id: null,
    labels: (get(first, "labels") ?? "")
      .split(";")
      .map((l) => l.trim())
      .filter((l) => l !== ""),
    component: get(first, "component") ?? null,
    script_type: "STEP_BY_STEP",
    script_text: null,
    version: null,
    ...provenance(key, key)
  })
  const steps = rows
    .filter((r) => get(r.fields, "step") !== undefined || get(r.fields, "expected") !== undefined)
    .map((r, order) =>
      record("TestStep", {
        step_id: derivedId(`${config.projectKey}:step:${key}#${order}`),
        test_case_id: testCaseId,
        step_order: order,
        description: get(r.fields, "step") ?? "",
        expected_result: get(r.fields, "expected") ?? null,
        test_data: get(r.fields, "test_data") ?? null,
        called_test_case_key: null,
        parameters: null,
        ...provenance(`${key}#${order}`, null)
      })
    )
  return [testCase, ...steps]
}
