/**
 * Reading a sandbox data file (`--zephyr-data`): JSON in the format of ZephyrData.ts — or in Zephyr DC's own shapes
 * (`"format": "zephyr-dc"`, dc/dcDataFile.ts), turned into that format first — checked for structure and
 * cross-references before the sandbox serves it.
 */
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { fromDcData, isDcDataFile } from "./dc/dcDataFile.ts"
import { validateZephyrData } from "./validateZephyrData.ts"
import { SandboxDataError, type ZephyrData } from "./ZephyrData.ts"

/** Reads a data file and checks its structure (and cross-references) before the sandbox serves it. */
export const loadZephyrData = (path: string): Effect.Effect<ZephyrData, SandboxDataError> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: (e) => new SandboxDataError({ reason: "Read", file: path, problems: [`cannot read the file: ${String(e)}`] })
    })
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (e) => new SandboxDataError({ reason: "Json", file: path, problems: [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`] })
    })
    return yield* checkZephyrData(json, path)
  })

/**
 * Checks an in-memory value (e.g. from a test) the same way the file loader does. A file in Zephyr DC's shapes
 * (`"format": "zephyr-dc"`, dc/dcDataFile.ts) is turned into the tenant first, then checked like any other.
 */
export const checkZephyrData = (value: unknown, source = "<data>"): Effect.Effect<ZephyrData, SandboxDataError> => {
  if (isDcDataFile(value)) {
    const converted = fromDcData(value)
    if ("problems" in converted) return Effect.fail(new SandboxDataError({ reason: "Structure", file: source, problems: converted.problems }))
    return checkZephyrData(converted.data, source)
  }
  const problems = validateZephyrData(value)
  return problems.length === 0
    ? Effect.succeed(value as ZephyrData)
    : Effect.fail(new SandboxDataError({ reason: "Structure", file: source, problems }))
}
