/**
 * The DuckDB macros behind the Snowflake functions SqlTranslator.ts renames to `sf_*`. They are TEMP macros,
 * created on every DuckDB connection the sandbox opens: they live in DuckDB's `temp` catalog, which is searched
 * whatever database/schema a session has chosen with USE, and they never end up in a persisted database file.
 *
 * Semantics kept from Snowflake: PARSE_JSON of NULL or an empty/blank string is NULL (not an error); the
 * TO_TIMESTAMP_NTZ family ignores a time-zone offset in the text (as Snowflake does for _NTZ); TRY_* give NULL
 * where the plain function raises.
 */
export const MACROS: ReadonlyArray<string> = [
  `CREATE OR REPLACE TEMP MACRO sf_parse_json(x) AS CASE WHEN x IS NULL OR trim(CAST(x AS VARCHAR)) = '' THEN NULL ELSE json(CAST(x AS VARCHAR)) END`,
  `CREATE OR REPLACE TEMP MACRO sf_try_parse_json(x) AS try(sf_parse_json(x))`,
  `CREATE OR REPLACE TEMP MACRO sf_to_variant(x) AS to_json(x)`,
  `CREATE OR REPLACE TEMP MACRO sf_to_timestamp_ntz(x) AS CAST(x AS TIMESTAMP)`,
  `CREATE OR REPLACE TEMP MACRO sf_try_to_timestamp_ntz(x) AS TRY_CAST(x AS TIMESTAMP)`,
  `CREATE OR REPLACE TEMP MACRO sf_to_timestamp_tz(x) AS CAST(x AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE TEMP MACRO sf_try_to_timestamp_tz(x) AS TRY_CAST(x AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE TEMP MACRO sf_to_date(x) AS CAST(x AS DATE)`,
  `CREATE OR REPLACE TEMP MACRO sf_try_to_date(x) AS TRY_CAST(x AS DATE)`,
  `CREATE OR REPLACE TEMP MACRO sf_to_number(x) AS CAST(x AS DECIMAL(38,0))`,
  `CREATE OR REPLACE TEMP MACRO sf_try_to_number(x) AS TRY_CAST(x AS DECIMAL(38,0))`,
  `CREATE OR REPLACE TEMP MACRO sf_to_double(x) AS CAST(x AS DOUBLE)`,
  `CREATE OR REPLACE TEMP MACRO sf_try_to_double(x) AS TRY_CAST(x AS DOUBLE)`,
  `CREATE OR REPLACE TEMP MACRO sf_to_boolean(x) AS CAST(x AS BOOLEAN)`,
  `CREATE OR REPLACE TEMP MACRO sf_try_to_boolean(x) AS TRY_CAST(x AS BOOLEAN)`,
  `CREATE OR REPLACE TEMP MACRO sf_to_varchar(x) AS CAST(x AS VARCHAR)`
]
