/**
 * Golden-file comparison: the exact Snowflake SQL per canonical entity lives in `__golden__/<Entity>.sql`.
 * To accept a change on purpose: `UPDATE_GOLDEN=1 npx vitest run test/plugins/snowflake/dialect`, then review the
 * diff of `__golden__/` like code.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const goldenDir = join(fileURLToPath(new URL(".", import.meta.url)), "__golden__")

export const updating = (): boolean => process.env["UPDATE_GOLDEN"] === "1"

/** The golden text of `name`, writing `actual` first when updating; undefined when it does not exist. */
export const golden = (name: string, actual: string): string | undefined => {
  const path = join(goldenDir, name)
  if (updating()) writeFileSync(path, actual)
  return existsSync(path) ? readFileSync(path, "utf8") : undefined
}

/** The first line where two texts differ, for a readable failure. */
export const firstDifference = (actual: string, expected: string): string | undefined => {
  const a = actual.split("\n")
  const e = expected.split("\n")
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}:\n  golden: ${JSON.stringify(e[i])}\n  actual: ${JSON.stringify(a[i])}`
  }
  return undefined
}
