/**
 * Writes the built-in demo as a sandbox data file, so the data-file path (`--zephyr-data`, `loadZephyrData`)
 * is exercised with the same content as the built-in demo. Regenerate the fixture after changing demoData.ts:
 *   npx tsx plugins/zephyr/sandbox/writeDemo.ts [out.json]   (default test/fixtures/zephyr/demo.json)
 */
import { Effect } from "effect"
import { mkdir, writeFile } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"
import { demoData } from "./demoData.ts"

const defaultOut = resolve(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/zephyr/demo.json")

export const writeDemo = (out: string = defaultOut): Effect.Effect<string, Error> =>
  Effect.tryPromise({
    try: async () => {
      await mkdir(dirname(out), { recursive: true })
      await writeFile(out, JSON.stringify(demoData(), null, 2) + "\n", "utf8")
      return out
    },
    catch: (e) => (e instanceof Error ? e : new Error(String(e)))
  })

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  Effect.runPromise(writeDemo(process.argv[2] === undefined ? defaultOut : resolve(process.argv[2]))).then(
    (out) => console.log(`wrote ${out}`),
    (e: unknown) => {
      console.error(String(e))
      process.exitCode = 1
    }
  )
}
