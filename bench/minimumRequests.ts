/**
 * The fewest requests each API needs for a complete migration of given data — the yardstick `npm run bench`
 * holds the requests a run made against. Pure: counts in, counts out. What "fewest" means per API:
 *
 * - **Zephyr** (read): the project, the three lookup lists (statuses, priorities, environments), every list
 *   (folders, test cases, plans, cycles, executions) in pages of the API's largest size, 1,000; and what the API
 *   gives no other way to read: per test case its steps (a page per 1,000) and its attachment list, plus its
 *   script when it has no steps (the API does not say which cases have one); per execution its step results (a
 *   page per 1,000) and its attachment list; one download per attachment (none on an edition that refuses the
 *   files to an API token: `attachmentFiles` false).
 * - **qTest** (write): one request per object the load wrote (created or updated), by kind, as the load report
 *   counts them; objects sent in bulk cost their batch's one request (`auto-batch`), not one each
 *   (`auto-test-log`). Reads, lookups, polls and the census are overhead above it.
 * - **Snowflake** (statements): an idempotent upsert per table — create the table, a staging table, the rows in
 *   the fewest array-bound INSERTs the driver's bind ceiling allows (⌈rows × bound values per row ÷ 90,000⌉,
 *   beyond which it goes through a cloud stage), one MERGE; a table without rows needs only its CREATE.
 */

/** The largest page Zephyr's list endpoints serve. */
export const ZEPHYR_MAX_PAGE = 1000
/** Bound values per array INSERT below the driver's stage threshold (the Snowflake sink's default too). */
export const SNOWFLAKE_MAX_BOUND_VALUES = 90_000

export interface Minimum {
  readonly total: number
  /** The total's parts, named for the table and the JSON. */
  readonly parts: Readonly<Record<string, number>>
}

const sumOf = (parts: Readonly<Record<string, number>>): Minimum => ({ total: Object.values(parts).reduce((a, b) => a + b, 0), parts })

/** Pages of a list of `n` items; an empty list still costs its one request. */
export const pages = (n: number, pageSize: number = ZEPHYR_MAX_PAGE): number => Math.max(1, Math.ceil(n / pageSize))

export interface ZephyrData {
  readonly folders: number
  readonly testPlans: number
  readonly testCycles: number
  readonly attachments: number
  /** Steps of each test case, one entry per case (0 for a case without steps). */
  readonly stepsPerCase: ReadonlyArray<number>
  /** Step results of each execution, one entry per execution. */
  readonly stepResultsPerExecution: ReadonlyArray<number>
}

export const zephyrMinimum = (d: ZephyrData, attachmentFiles = true): Minimum => {
  const cases = d.stepsPerCase.length
  const executions = d.stepResultsPerExecution.length
  return sumOf({
    "project and lookups": 4,
    "list pages": pages(d.folders) + pages(cases) + pages(d.testPlans) + pages(d.testCycles) + pages(executions),
    "per test case": d.stepsPerCase.reduce((n, steps) => n + pages(steps) + (steps === 0 ? 1 : 0) + 1, 0),
    "per execution": d.stepResultsPerExecution.reduce((n, results) => n + pages(results) + 1, 0),
    "attachment downloads": attachmentFiles ? d.attachments : 0
  })
}

/**
 * Zephyr DC (REST API v1) has other endpoints: TQL searches, answered without a total, so each ends with an empty
 * page; steps come inside their case. What it needs: the case, plan and run searches (and the cases' once more, for
 * each case's latest result — the only view of ad hoc executions); per case its attachment list, one per step
 * (DC attaches files to steps) and its latest result; per run its results; per result its attachment list (ad hoc
 * ones included, read in the cases' second pass); one download per attachment.
 */
export const zephyrDcMinimum = (d: ZephyrData): Minimum => {
  const cases = d.stepsPerCase.length
  const search = (n: number) => Math.ceil(n / ZEPHYR_MAX_PAGE) + 1
  return sumOf({
    "search pages": 2 * search(cases) + search(d.testPlans) + search(d.testCycles),
    "per test case": d.stepsPerCase.reduce((n, steps) => n + 1 + steps + 1, 0),
    "per test run": d.testCycles,
    "per result": d.stepResultsPerExecution.length,
    "attachment downloads": d.attachments
  })
}

/** Kinds whose objects travel inside another kind's bulk request: their batch (`auto-batch`) is counted instead. */
export const QTEST_BULK_MEMBER_KINDS: ReadonlySet<string> = new Set(["auto-test-log"])

/** `written`: objects the load created or updated, per kind of qTest object. */
export const qtestMinimum = (written: Readonly<Record<string, number>>): Minimum =>
  sumOf(Object.fromEntries(Object.entries(written).filter(([kind, n]) => n > 0 && !QTEST_BULK_MEMBER_KINDS.has(kind))))

export interface SnowflakeTableData {
  readonly table: string
  readonly rows: number
  /** The row's columns plus the staging table's sequence column. */
  readonly boundValuesPerRow: number
}

export const snowflakeMinimum = (tables: ReadonlyArray<SnowflakeTableData>, maxBoundValues: number = SNOWFLAKE_MAX_BOUND_VALUES): Minimum =>
  sumOf(
    Object.fromEntries(
      tables.map((t) => {
        // a row is never split across INSERTs, so a batch holds at least one
        const rowsPerInsert = Math.max(1, Math.floor(maxBoundValues / t.boundValuesPerRow))
        return [t.table, t.rows === 0 ? 1 : 3 + Math.ceil(t.rows / rowsPerInsert)]
      })
    )
  )

export interface ApiFigures {
  readonly api: string
  /** Requests the quota served: attempts made minus those answered 429 (a refused call uses no quota). */
  readonly served: number
}

/**
 * Floors of a run at `rate` requests/s per API: each API's own (served ÷ rate), the pipelined floor (the slowest
 * API alone: what a run that keeps every API busy at once cannot beat) and the sequential one (their sum: phases
 * one after another).
 */
export const floors = (apis: ReadonlyArray<ApiFigures>, rate: number) => {
  const perApi = Object.fromEntries(apis.map((a) => [a.api, a.served / rate]))
  const values = Object.values(perApi)
  return { perApi, pipelined: Math.max(0, ...values), sequential: values.reduce((a, b) => a + b, 0) }
}
