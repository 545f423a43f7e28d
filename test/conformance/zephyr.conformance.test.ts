/**
 * The built-in Zephyr source against the conformance kit, once per edition (Zephyr Cloud, Zephyr Essential, Zephyr DC),
 * through its own sandbox capability (the same path `run --sandbox` takes) serving the fixed data file
 * test/fixtures/zephyr/demo.json, so the expected counts do not move when the sandbox's generated demo changes.
 * The editions hold the same project, so they must give the same counts — but for what DC's API does not show.
 */
import { fileURLToPath } from "node:url"
import { Effect, Redacted } from "effect"
import type { Plugin } from "../../core/index.ts"
import zephyr from "../../plugins/zephyr/index.ts"
import { DEMO_COUNTS, DEMO_COUNTS_DC } from "../fixtures/demoCounts.ts"
import { describeSourceConformance } from "./sourceConformance.ts"

const dataFile = fileURLToPath(new URL("../fixtures/zephyr/demo.json", import.meta.url))

for (const edition of ["cloud", "essential", "dc"] as const)
  describeSourceConformance(edition === "cloud" ? "zephyr" : `zephyr (edition ${edition})`, () =>
    Effect.gen(function* () {
      const plugin: Plugin = zephyr
      const sandbox = yield* plugin.sandbox!.start({ extra: { "zephyr-data": dataFile, "zephyr-edition": edition } })
      const config = { ...sandbox.configOverrides }
      return {
        plugin,
        config,
        badConfig: { ...config, token: Redacted.make("not-the-token") },
        expected: {
          counts: edition === "dc" ? DEMO_COUNTS_DC : DEMO_COUNTS
        }
      }
    })
  )
