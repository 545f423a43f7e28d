/**
 * The Snowflake SQL dialect of the `snowflake` sink: pure functions from the canonical schemas to SQL text and
 * bind rows. No I/O; the client executes what these return. The decisions behind them are in README.md, next to this file.
 */
export { type BindRow, type BindValue, encodeValue, toBindRow, utcTimestamp } from "./BindRow.ts"
export { addColumns, createStaging, createTable, dropStaging, listColumns } from "./Ddl.ts"
export { castFromText, countRows, deleteRows, insertStaging, keyPage, merge, presentFlag, stagingColumns, targetRows, upsertOne } from "./Dml.ts"
export { Batcher, type BatchLimits, defaultBatchLimits, planBatches, rowBytes, utf8Length, valueBytes } from "./planBatches.ts"
export { quoteIdent, quoteName, snowflakeName } from "./quoteIdent.ts"
export {
  type DialectOptions,
  LOADED_AT_COLUMN,
  PROJECT_COLUMN,
  type Qualifier,
  resolveTable,
  scopeBinds,
  SEQ_COLUMN,
  type SnowflakeColumn,
  type SnowflakeTable,
  snowflakeTable,
  snowflakeTableOf,
  stagingName,
  type TableRef,
  targetName
} from "./SnowflakeTable.ts"
export { type SnowflakeType, snowflakeType } from "./snowflakeType.ts"
export type { Statement } from "./Statement.ts"
