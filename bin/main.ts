/** Entry point: the CLI with the built-in plugins. Runs under Node (via tsx, see migrate.js) and Deno. */
import { builtinPlugins } from "../plugins/builtins.ts"
import { main } from "../core/cli/main.ts"

main(builtinPlugins)
