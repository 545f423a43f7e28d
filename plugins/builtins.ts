/** The built-in plugins, registered statically (an explicit list, like ESLint's or Benthos' environment). */
import type { Plugin } from "../core/index.ts"
import qtest from "./qtest/index.ts"
import snowflake from "./snowflake/index.ts"
import zephyr from "./zephyr/index.ts"

export const builtinPlugins: ReadonlyArray<Plugin> = [zephyr, qtest, snowflake]
