/**
 * The Snowflake-protocol sandbox on DuckDB driven by the real `snowflake-sdk` 3.3.0 over loopback: logins
 * (password, key-pair JWT verified, OAuth) and their refusals, telemetry, session delete, DDL for every type the
 * sink uses, single and array binds (awkward strings, 1 MB, nulls in the first row), MERGE idempotency and
 * updates, VARIANT and TIMESTAMP_NTZ round trips, schema growth, keyword column names and error mapping.
 * Everything here runs on DuckDB, not Snowflake.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as crypto from "node:crypto"
import * as zlib from "node:zlib"
import { startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../../../plugins/snowflake/sandbox/index.ts"
import { connect, connectError, connectPromise, destroy, exec, execError, execPromise, options } from "./helpers.ts"

const post = (sb: RunningSnowflakeSandbox, path: string, body: unknown, headers: Record<string, string> = {}, gzip = false) =>
  Effect.promise(async () => {
    const json = Buffer.from(JSON.stringify(body))
    const res = await fetch(`${sb.accessUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(gzip ? { "content-encoding": "gzip" } : {}), ...headers },
      body: gzip ? zlib.gzipSync(json) : json
    })
    return { status: res.status, body: (await res.json()) as { success: boolean; code?: string; message?: string; data?: Record<string, unknown> } }
  })

const keyPair = () =>
  crypto.generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } })

/** A JWT as snowflake-sdk builds it (claims in ms), signed with `privateKey`. */
const jwt = (privateKey: string, publicKey: string, claims: Record<string, unknown> = {}) => {
  const der = crypto.createPublicKey(publicKey).export({ type: "spki", format: "der" })
  const fp = `SHA256:${crypto.createHash("sha256").update(der).digest("base64")}`
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url")
  const now = Date.now()
  const head = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iss: `SANDBOX.LOADER.${fp}`, sub: "SANDBOX.LOADER", iat: now, exp: now + 120_000, ...claims })}`
  return `${head}.${crypto.sign("RSA-SHA256", Buffer.from(head), privateKey).toString("base64url")}`
}

const ALL_TYPES = `CREATE TABLE IF NOT EXISTS "TESTCASE" ("SOURCE_SYSTEM" VARCHAR NOT NULL, "SOURCE_ID" VARCHAR NOT NULL, "PRIORITY" NUMBER(38,0), "ESTIMATE" FLOAT, "AUTOMATED" BOOLEAN, "UPDATED_AT" TIMESTAMP_NTZ, "DUE" DATE, "CUSTOM_FIELDS" VARIANT)`

describe("SnowflakeSandbox (snowflake-sdk against the DuckDB-backed sandbox)", () => {
  describe("login", () => {
    it.scopedLive("password login, telemetry answered, session deleted on destroy", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* Effect.promise(() => connectPromise(options(sb)))
        expect(yield* exec(conn, "SELECT 42 AS N")).toEqual([{ N: 42 }])
        expect(sb.stats().activeSessions).toBe(1)
        yield* Effect.promise(() => destroy(conn))
        const stats = sb.stats()
        expect(stats.activeSessions).toBe(0)
        expect(stats.sessionsDeleted).toBe(1)
        expect(stats.telemetry).toBeGreaterThanOrEqual(1)
        expect(stats.byPath["/telemetry/send"]).toBeGreaterThanOrEqual(1)
      })
    )

    it.scopedLive("a wrong password is refused with code 390100", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const err = yield* connectError(options(sb, { password: "wrong" }))
        expect(String(err.code)).toBe("390100")
        expect(err.message).toContain("Incorrect username or password was specified.")
        expect(sb.stats().failedLogins).toBe(1)
      })
    )

    it.scopedLive("key-pair JWT login is verified; another key and a tampered token are refused", () =>
      Effect.gen(function* () {
        const good = keyPair()
        const other = keyPair()
        const sb = yield* startSnowflakeSandbox({ publicKeyPem: good.publicKey })
        const conn = yield* connect(sb, { authenticator: "SNOWFLAKE_JWT", privateKey: good.privateKey, password: undefined })
        expect(yield* exec(conn, "SELECT 1 AS ONE")).toEqual([{ ONE: 1 }])
        const err = yield* connectError(options(sb, { authenticator: "SNOWFLAKE_JWT", privateKey: other.privateKey, password: undefined }))
        expect(String(err.code)).toBe("390144")
        // tampered: a valid signature over other claims
        const token = jwt(good.privateKey, good.publicKey)
        const [h, , s] = token.split(".")
        const forged = `${h}.${Buffer.from(JSON.stringify({ iss: "X", sub: "SANDBOX.LOADER", exp: Date.now() + 60_000 })).toString("base64url")}.${s}`
        const login = (t: string) => post(sb, "/session/v1/login-request", { data: { ACCOUNT_NAME: "sandbox", LOGIN_NAME: "LOADER", AUTHENTICATOR: "SNOWFLAKE_JWT", TOKEN: t } })
        expect((yield* login(token)).body.success).toBe(true)
        expect((yield* login(forged)).body).toMatchObject({ success: false, code: "390144" })
        expect((yield* login(jwt(good.privateKey, good.publicKey, { exp: Date.now() - 1000 }))).body).toMatchObject({ success: false, code: "390144" })
        expect((yield* login(jwt(good.privateKey, good.publicKey, { sub: "SANDBOX.SOMEONE" }))).body).toMatchObject({ success: false, code: "390144" })
      })
    )

    it.scopedLive("OAuth token login; a wrong token is refused", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox({ oauthToken: "oauth-secret" })
        const conn = yield* connect(sb, { authenticator: "OAUTH", token: "oauth-secret", password: undefined })
        expect(yield* exec(conn, "SELECT 'ok' AS R")).toEqual([{ R: "ok" }])
        const err = yield* connectError(options(sb, { authenticator: "OAUTH", token: "nope", password: undefined }))
        expect(String(err.code)).toBe("390303")
      })
    )

    it.scopedLive("an unknown warehouse is refused at login and in USE WAREHOUSE", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox({ warehouses: ["LOAD_WH", "OTHER_WH"] })
        const err = yield* connectError(options(sb, { warehouse: "NOPE_WH" }))
        expect(String(err.code)).toBe("390201")
        expect(err.message).toContain("warehouse does not exist")
        const conn = yield* connect(sb, { warehouse: "load_wh" })
        expect(yield* exec(conn, "USE WAREHOUSE OTHER_WH")).toEqual([{ status: "Statement executed successfully." }])
        const use = yield* execError(conn, "USE WAREHOUSE NOPE_WH")
        expect(use.code).toBe("002043")
        expect(use.sqlState).toBe("02000")
      })
    )

    it.scopedLive("with the account's databases fixed, a login naming another gets no current database, as on Snowflake", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox({ databases: ["QA_HISTORY", "SANDBOX"] })
        const lost = yield* connect(sb, { database: "NO_SUCH_DB" })
        expect(yield* exec(lost, 'SELECT CURRENT_DATABASE() AS "D", CURRENT_SCHEMA() AS "S"')).toEqual([{ D: null, S: null }])
        const create = yield* execError(lost, 'CREATE TABLE IF NOT EXISTS "T" ("A" VARCHAR)')
        expect([create.code, create.sqlState]).toEqual(["090105", "22000"])
        expect(create.message).toBe("Cannot perform CREATE TABLE. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.")
        expect((yield* execError(lost, "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS")).code).toBe("090105")
        // the database exists, its schema does not
        const noSchema = yield* connect(sb, { database: "QA_HISTORY", schema: "ZEPHYR" })
        expect(yield* exec(noSchema, 'SELECT CURRENT_DATABASE() AS "D", CURRENT_SCHEMA() AS "S"')).toEqual([{ D: "QA_HISTORY", S: null }])
        expect((yield* execError(noSchema, 'SELECT * FROM "T"')).code).toBe("090106")
        // INFORMATION_SCHEMA is the current database's: a table of another one is not listed
        const other = yield* connect(sb, { database: "QA_HISTORY" })
        yield* exec(other, 'CREATE TABLE "ONLY_HERE" ("A" VARCHAR)')
        const elsewhere = yield* connect(sb, { database: "SANDBOX" })
        expect(yield* exec(elsewhere, `SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'ONLY_HERE'`)).toEqual([])
        expect(yield* exec(other, `SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'ONLY_HERE'`)).toEqual([{ COLUMN_NAME: "A" }])
        // fully qualified names need neither; the account's database works as before
        const ok = yield* connect(sb, { database: "QA_HISTORY" })
        yield* exec(ok, 'CREATE TABLE "T" ("A" VARCHAR)')
        expect(yield* exec(lost, 'SELECT COUNT(*) AS "N" FROM "QA_HISTORY"."PUBLIC"."T"')).toEqual([{ N: 0 }])
      })
    )

    it.scopedLive("gzip'd login bodies are read; a query without or with a bad token gets 401 / 390104", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const login = yield* post(sb, "/session/v1/login-request?databaseName=MIGR", { data: { ACCOUNT_NAME: "sandbox", LOGIN_NAME: "LOADER", PASSWORD: "sandbox-password" } }, {}, true)
        expect(login.body.success).toBe(true)
        expect(login.body.data?.["parameters"]).toContainEqual({ name: "TIMEZONE", value: "UTC" })
        const missing = yield* post(sb, "/queries/v1/query-request", { sqlText: "SELECT 1" })
        expect(missing).toMatchObject({ status: 401, body: { success: false, code: "390104" } })
        const bad = yield* post(sb, "/queries/v1/query-request", { sqlText: "SELECT 1" }, { authorization: 'Snowflake Token="nope"' })
        expect(bad.status).toBe(401)
        const good = yield* post(sb, "/queries/v1/query-request", { sqlText: "SELECT 1 AS X" }, { authorization: `Snowflake Token="${String(login.body.data?.["token"])}"` })
        expect(good.body).toMatchObject({ success: true, data: { rowset: [["1"]], statementTypeId: 0x1000 } })
      })
    )
  })

  describe("statements", () => {
    it.scopedLive("every sink type: DDL, single-row binds, values and rowtypes back", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        yield* exec(conn, ALL_TYPES)
        const inserted = yield* exec(
          conn,
          `INSERT INTO "TESTCASE" ("SOURCE_SYSTEM", "SOURCE_ID", "PRIORITY", "ESTIMATE", "AUTOMATED", "UPDATED_AT", "DUE", "CUSTOM_FIELDS") SELECT ?, ?, ?, ?, ?, TRY_TO_TIMESTAMP_NTZ(?), TO_DATE(?), PARSE_JSON(?)`,
          ["zephyr", "TC-1", 3, 1.5, true, "2024-03-01T10:00:00.123456Z", "2024-04-30", JSON.stringify({ Team: "Ü", n: [1, 2] })]
        )
        expect(inserted).toEqual([{ "number of rows inserted": 1 }])
        const rows = yield* exec(conn, `SELECT * FROM "TESTCASE" WHERE "SOURCE_ID" = ?`, ["TC-1"])
        expect(rows).toHaveLength(1)
        const row = rows[0] as Record<string, unknown>
        expect(row["PRIORITY"]).toBe(3)
        expect(row["ESTIMATE"]).toBe(1.5)
        expect(row["AUTOMATED"]).toBe(true)
        expect(row["CUSTOM_FIELDS"]).toEqual({ Team: "Ü", n: [1, 2] })
        expect(String((row["UPDATED_AT"] as { toJSON: () => string }).toJSON())).toContain("2024-03-01")
        expect((row["UPDATED_AT"] as Date).getTime()).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123))
        expect((row["UPDATED_AT"] as unknown as { getNanoSeconds: () => number }).getNanoSeconds()).toBe(123456000)
        expect((row["DUE"] as Date).getTime()).toBe(Date.UTC(2024, 3, 30))
        // rowtype as the wire carries it
        const login = yield* post(sb, "/session/v1/login-request?databaseName=MIGR&schemaName=PUBLIC", { data: { ACCOUNT_NAME: "sandbox", LOGIN_NAME: "LOADER", PASSWORD: "sandbox-password" } })
        const res = yield* post(sb, "/queries/v1/query-request", { sqlText: `SELECT "PRIORITY", "ESTIMATE", "AUTOMATED", "UPDATED_AT", "DUE", "CUSTOM_FIELDS", "SOURCE_ID" FROM "TESTCASE"` }, { authorization: `Snowflake Token="${String(login.body.data?.["token"])}"` })
        const data = res.body.data as { rowtype: Array<{ type: string }>; rowset: Array<Array<string>> }
        expect(data.rowtype.map((c) => c.type)).toEqual(["fixed", "real", "boolean", "timestamp_ntz", "date", "variant", "text"])
        expect(data.rowset[0]?.[3]).toBe("1709287200.123456000")
        expect(data.rowset[0]?.[4]).toBe(String(Date.UTC(2024, 3, 30) / 86_400_000))
      })
    )

    it.scopedLive("array binds: 1,000 rows with quotes, backslashes, newlines, commas, Unicode, a NUL, a 1 MB string and nulls in the first row", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        yield* exec(conn, `CREATE OR REPLACE TEMPORARY TABLE "TESTCASE_STG" ("SOURCE_ID" VARCHAR, "NAME" VARCHAR, "NOTE" VARCHAR)`)
        const awkward = [`it's "quoted"`, "back\\slash \\n not a newline", "line1\nline2\r\nline3", "a,b,,c", "Ünïcødé 日本語 🚀", "'; DROP TABLE x; --", "$$", "?", ":1", "nul\u0000inside"]
        const big = "x".repeat(1024 * 1024)
        const rows = Array.from({ length: 1000 }, (_, i) => [`ID-${i}`, i === 0 ? null : (awkward[i % awkward.length] as string), i === 0 ? null : i === 500 ? big : `n${i}`])
        const result = yield* exec(conn, `INSERT INTO "TESTCASE_STG" ("SOURCE_ID", "NAME", "NOTE") VALUES (?, ?, ?)`, rows)
        expect(result).toEqual([{ "number of rows inserted": 1000 }])
        expect(sb.stats().boundRows).toBe(1000)
        const back = yield* exec(conn, `SELECT "SOURCE_ID", "NAME", "NOTE" FROM "TESTCASE_STG" ORDER BY CAST(SUBSTR("SOURCE_ID", 4) AS NUMBER)`)
        expect(back.map((r) => [r["SOURCE_ID"], r["NAME"], r["NOTE"]])).toEqual(rows)
      })
    )

    it.scopedLive("a failing row in an array bind leaves nothing behind", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        yield* exec(conn, `CREATE TABLE "N" ("ID" NUMBER(38,0))`)
        const err = yield* execError(conn, `INSERT INTO "N" ("ID") VALUES (?)`, [["1"], ["2"], ["three"]])
        expect(err.code).toBe("100038")
        expect(err.sqlState).toBe("22018")
        expect(yield* exec(conn, `SELECT COUNT(*) AS C FROM "N"`)).toEqual([{ C: 0 }])
        expect(yield* Effect.promise(() => sb.query(`SELECT COUNT(*) AS C FROM "MIGR"."PUBLIC"."N"`))).toEqual([{ C: 0n }])
      })
    )

    it.scopedLive("staging INSERT + MERGE with QUALIFY: re-running leaves the counts, a changed row is updated", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        yield* exec(conn, ALL_TYPES)
        const merge = `MERGE INTO "TESTCASE" AS T USING (SELECT "SOURCE_SYSTEM", "SOURCE_ID", TRY_CAST("PRIORITY" AS NUMBER(38,0)) AS "PRIORITY", TRY_TO_TIMESTAMP_NTZ("UPDATED_AT") AS "UPDATED_AT", PARSE_JSON("CUSTOM_FIELDS") AS "CUSTOM_FIELDS" FROM "TESTCASE_STG" QUALIFY ROW_NUMBER() OVER (PARTITION BY "SOURCE_SYSTEM", "SOURCE_ID" ORDER BY "SEQ" DESC) = 1) AS S ON T."SOURCE_SYSTEM" = S."SOURCE_SYSTEM" AND T."SOURCE_ID" = S."SOURCE_ID" WHEN MATCHED THEN UPDATE SET T."PRIORITY" = S."PRIORITY", T."UPDATED_AT" = S."UPDATED_AT", T."CUSTOM_FIELDS" = S."CUSTOM_FIELDS" WHEN NOT MATCHED THEN INSERT ("SOURCE_SYSTEM", "SOURCE_ID", "PRIORITY", "UPDATED_AT", "CUSTOM_FIELDS") VALUES (S."SOURCE_SYSTEM", S."SOURCE_ID", S."PRIORITY", S."UPDATED_AT", S."CUSTOM_FIELDS")`
        const load = (rows: ReadonlyArray<ReadonlyArray<string | null>>) =>
          Effect.gen(function* () {
            yield* exec(conn, `CREATE OR REPLACE TEMPORARY TABLE "TESTCASE_STG" ("SEQ" VARCHAR, "SOURCE_SYSTEM" VARCHAR, "SOURCE_ID" VARCHAR, "PRIORITY" VARCHAR, "UPDATED_AT" VARCHAR, "CUSTOM_FIELDS" VARCHAR)`)
            yield* exec(conn, `INSERT INTO "TESTCASE_STG" VALUES (?, ?, ?, ?, ?, ?)`, rows.map((r) => [...r]))
            return yield* exec(conn, merge)
          })
        const batch = [
          ["1", "zephyr", "TC-1", "1", "2024-01-01T00:00:00Z", '{"a":1}'],
          ["2", "zephyr", "TC-2", "2", "2024-01-02T00:00:00Z", null],
          ["3", "zephyr", "TC-1", "5", "2024-01-03T00:00:00Z", '{"a":2}'] // a later duplicate of TC-1 wins
        ]
        expect(yield* load(batch)).toEqual([{ "number of rows inserted": 2, "number of rows updated": 0 }])
        const first = yield* exec(conn, `SELECT "SOURCE_ID", "PRIORITY", "CUSTOM_FIELDS" FROM "TESTCASE" ORDER BY 1`)
        expect(first).toEqual([
          { SOURCE_ID: "TC-1", PRIORITY: 5, CUSTOM_FIELDS: { a: 2 } },
          { SOURCE_ID: "TC-2", PRIORITY: 2, CUSTOM_FIELDS: null }
        ])
        expect(yield* load(batch)).toEqual([{ "number of rows inserted": 0, "number of rows updated": 2 }])
        expect(yield* exec(conn, `SELECT "SOURCE_ID", "PRIORITY", "CUSTOM_FIELDS" FROM "TESTCASE" ORDER BY 1`)).toEqual(first)
        yield* load([["1", "zephyr", "TC-2", "9", "2024-02-01T00:00:00Z", '{"changed":true}']])
        const after = yield* exec(conn, `SELECT "SOURCE_ID", "PRIORITY", "CUSTOM_FIELDS", "UPDATED_AT" FROM "TESTCASE" ORDER BY 1`)
        expect(after).toHaveLength(2)
        expect(after[1]).toMatchObject({ SOURCE_ID: "TC-2", PRIORITY: 9, CUSTOM_FIELDS: { changed: true } })
        expect((after[1]?.["UPDATED_AT"] as Date).getTime()).toBe(Date.UTC(2024, 1, 1))
      })
    )

    it.scopedLive("ADD COLUMN IF NOT EXISTS twice; a column named like a keyword, quoted", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        yield* exec(conn, `CREATE TABLE IF NOT EXISTS "TESTRUN" ("SOURCE_ID" VARCHAR)`)
        yield* exec(conn, `ALTER TABLE "TESTRUN" ADD COLUMN IF NOT EXISTS "SELECT" VARCHAR`)
        yield* exec(conn, `ALTER TABLE "TESTRUN" ADD COLUMN IF NOT EXISTS "SELECT" VARCHAR`)
        yield* exec(conn, `ALTER TABLE "TESTRUN" ADD COLUMN IF NOT EXISTS "ORDER" NUMBER(38,0)`)
        yield* exec(conn, `INSERT INTO "TESTRUN" ("SOURCE_ID", "SELECT", "ORDER") VALUES (?, ?, ?)`, [["R1", "from", 7]])
        expect(yield* exec(conn, `SELECT "SELECT", "ORDER" FROM "TESTRUN" WHERE "SELECT" = 'from'`)).toEqual([{ SELECT: "from", ORDER: 7 }])
        const cols = yield* Effect.promise(() => sb.query(`SELECT column_name FROM information_schema.columns WHERE table_catalog = 'MIGR' AND table_name = 'TESTRUN' ORDER BY ordinal_position`))
        expect(cols.map((c) => c["column_name"])).toEqual(["SOURCE_ID", "SELECT", "ORDER"])
      })
    )

    it.scopedLive("VARIANT and TIMESTAMP_NTZ round trips through binds", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        yield* exec(conn, `CREATE TABLE "V" ("ID" NUMBER, "DOC" VARIANT, "AT" TIMESTAMP_NTZ(9))`)
        const doc = { s: "quote \" and \\ and \n", list: [1, "two", null, { deep: true }], emoji: "🙂" }
        yield* exec(conn, `INSERT INTO "V" SELECT :1, PARSE_JSON(:2), TO_TIMESTAMP_NTZ(:3)`, [1, JSON.stringify(doc), "1999-12-31 23:59:59.999999"])
        yield* exec(conn, `INSERT INTO "V" SELECT :1, PARSE_JSON(:2), TO_TIMESTAMP_NTZ(:3)`, [2, "", "1960-06-15T12:00:00Z"])
        const rows = yield* exec(conn, `SELECT "ID", "DOC", "AT" FROM "V" ORDER BY "ID"`)
        expect(rows[0]?.["DOC"]).toEqual(doc)
        expect((rows[0]?.["AT"] as Date).getTime()).toBe(Date.UTC(1999, 11, 31, 23, 59, 59, 999))
        expect(rows[1]?.["DOC"]).toBeNull()
        expect((rows[1]?.["AT"] as Date).getTime()).toBe(Date.UTC(1960, 5, 15, 12))
      })
    )

    it.scopedLive("errors carry Snowflake codes and SQL states", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const conn = yield* connect(sb)
        const missing = yield* execError(conn, `SELECT * FROM "NOPE"`)
        expect(missing).toMatchObject({ code: "002003", sqlState: "42S02" })
        expect(missing.message).toContain("does not exist or not authorized")
        expect(yield* execError(conn, "SELEC 1")).toMatchObject({ code: "001003", sqlState: "42000" })
        yield* exec(conn, `CREATE TABLE "E" ("ID" NUMBER(38,0) NOT NULL, "J" VARIANT, "T" TIMESTAMP_NTZ)`)
        expect(yield* execError(conn, `INSERT INTO "E" ("ID") VALUES (?)`, ["abc"])).toMatchObject({ code: "100038", sqlState: "22018" })
        expect(yield* execError(conn, `INSERT INTO "E" ("ID") VALUES (NULL)`)).toMatchObject({ code: "100072" })
        expect(yield* execError(conn, `INSERT INTO "E" ("ID", "J") SELECT 1, PARSE_JSON(?)`, ["{not json"])).toMatchObject({ code: "100069" })
        expect(yield* execError(conn, `INSERT INTO "E" ("ID", "T") SELECT 1, TO_TIMESTAMP_NTZ(?)`, ["yesterday-ish"])).toMatchObject({ code: "100035", sqlState: "22007" })
        expect(yield* execError(conn, `SELECT "NOPE" FROM "E"`)).toMatchObject({ code: "000904" })
        expect(yield* execError(conn, `CREATE TABLE "E" ("X" VARCHAR)`)).toMatchObject({ code: "002002" })
        expect(sb.stats().failedQueries).toBe(8)
        // the session still works after errors
        expect(yield* exec(conn, `SELECT COUNT(*) AS C FROM "E"`)).toEqual([{ C: 0 }])
      })
    )

    it.scopedLive("USE DATABASE / SCHEMA, SHOW TABLES, CREATE DATABASE; temporary tables are per session", () =>
      Effect.gen(function* () {
        const sb = yield* startSnowflakeSandbox()
        const a = yield* connect(sb)
        const b = yield* connect(sb)
        yield* exec(a, `CREATE TABLE "T1" ("X" VARCHAR)`)
        yield* exec(a, `CREATE TEMPORARY TABLE "TMP" ("X" VARCHAR)`)
        expect((yield* execError(b, `SELECT * FROM "TMP"`)).code).toBe("002003")
        expect(yield* exec(a, "SHOW TABLES LIKE 'T%'")).toEqual([{ name: "T1", database_name: "MIGR", schema_name: "PUBLIC" }])
        yield* exec(a, "CREATE DATABASE IF NOT EXISTS OTHER")
        yield* exec(a, `CREATE SCHEMA IF NOT EXISTS OTHER.RAW`)
        yield* exec(a, "USE SCHEMA OTHER.RAW")
        yield* exec(a, `CREATE TABLE "T2" ("X" VARCHAR)`)
        yield* exec(a, `INSERT INTO "T2" VALUES ('x')`)
        expect(yield* exec(b, `SELECT "X" FROM OTHER.RAW."T2"`)).toEqual([{ X: "x" }])
        expect((yield* execError(a, "USE DATABASE NOPE")).code).toBe("002043")
        expect((yield* execError(a, "USE SCHEMA OTHER.NOPE")).code).toBe("002043")
      })
    )

    it.scopedLive("503 faults are retried by the driver", () =>
      Effect.gen(function* () {
        // seed 8: the first query-request draws a fault, the retry does not (the driver backs off ~1 s)
        const sb = yield* startSnowflakeSandbox({ faultRate: 0.5, seed: 8 })
        const conn = yield* connect(sb)
        expect(yield* exec(conn, `SELECT 1 AS I`)).toEqual([{ I: 1 }])
        expect(sb.stats().faults).toBe(1)
        expect(sb.stats().queries).toBe(1)
      }),
    120_000)
  })
})

describe("Snowflake sandbox chaos options", () => {
  it.scopedLive("faultKinds drop: the connection is dropped before the statement runs; the driver sends it again", () =>
    Effect.gen(function* () {
      // seed 7: the first query-request is dropped, the driver's second one answered
      const sb = yield* startSnowflakeSandbox({ faultRate: 0.5, faultKinds: ["drop"], seed: 7 })
      const conn = yield* connect(sb)
      expect(yield* exec(conn, `SELECT 1 AS I`)).toEqual([{ I: 1 }])
      expect(sb.stats()).toMatchObject({ faults: 1, resent: 1, statements: 1, queries: 1 })
    }),
  60_000)

  it.scopedLive("storm: the second query-request gets HTTP 429; the driver backs off and sends it again", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox({ storm: { after: 1, length: 1, retryAfterSeconds: 1 } })
      const conn = yield* connect(sb)
      expect(yield* exec(conn, `SELECT 1 AS I`)).toEqual([{ I: 1 }])
      expect(yield* exec(conn, `SELECT 2 AS I`)).toEqual([{ I: 2 }])
      expect(sb.stats()).toMatchObject({ throttled: 1, resent: 1, statements: 2, queries: 2 })
    }),
  60_000)

  it.scopedLive("lostMergeAnswerRate: the MERGE commits, the answer is lost; the driver's second send finds the rows there", () =>
    Effect.gen(function* () {
      // seed 1: the first MERGE's answer is lost, its second run answered
      const sb = yield* startSnowflakeSandbox({ lostMergeAnswerRate: 0.5, seed: 1 })
      const conn = yield* connect(sb)
      yield* exec(conn, `CREATE TABLE T (K NUMBER(38,0), V VARCHAR)`)
      const merged = yield* exec(conn, `MERGE INTO T USING (SELECT 1 AS K, 'a' AS V) AS s ON T.K = s.K WHEN NOT MATCHED THEN INSERT (K, V) VALUES (s.K, s.V)`)
      expect(merged).toEqual([{ "number of rows inserted": 0, "number of rows updated": 0 }])
      expect(yield* exec(conn, `SELECT K, V FROM T`)).toEqual([{ K: 1, V: "a" }])
      expect(sb.stats()).toMatchObject({ faults: 1, resent: 1 })
    }),
  60_000)

  it.scopedLive("sessionExpiresAfterQueries: the session token expires (390112), its renewal is refused (390114): the driver's connection is lost", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox({ sessionExpiresAfterQueries: 1 })
      const conn = yield* connect(sb)
      expect(yield* exec(conn, `SELECT 1 AS I`)).toEqual([{ I: 1 }])
      const e = yield* execError(conn, `SELECT 2 AS I`)
      expect(String(e.code)).toBe("407002")
      expect(sb.stats()).toMatchObject({ expiredSessions: 1, byPath: { "/session/token-request": 1 } })
      // a new login has a new session
      const again = yield* connect(sb)
      expect(yield* exec(again, `SELECT 3 AS I`)).toEqual([{ I: 3 }])
    }),
  60_000)
})

// keep the import used when a test is skipped
void execPromise
