/** The Snowflake sink's behavioural suite (behaviour.ts) with the sandbox's DuckDB engine driven directly. */
import { behaviourSuite } from "./behaviour.ts"
import { duckdbBackend } from "./backends.ts"

behaviourSuite(duckdbBackend)
