/** The Snowflake-protocol sandbox on DuckDB: `snowflake-sdk` talks to it as to Snowflake; DuckDB runs the SQL. */
export {
  startSnowflakeSandbox,
  SnowflakeSandboxError,
  DEFAULT_ACCOUNT,
  DEFAULT_USER,
  DEFAULT_PASSWORD,
  DEFAULT_WAREHOUSE,
  type SnowflakeSandboxOptions,
  type SnowflakeSandboxStats,
  type RunningSnowflakeSandbox
} from "./SnowflakeSandbox.ts"
export { translateToDuckDb } from "./SqlTranslator.ts"
export { publicKeyFingerprint } from "./Auth.ts"
