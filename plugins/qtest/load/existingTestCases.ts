/**
 * A first run into a qTest project that already holds test cases people made there (no Zephyr Key: no migration
 * made them) would put the migrated ones beside them — perhaps what the team wants, perhaps the wrong project.
 * So the spec decides (`existingTestCases`): `ask`, the default, stops the load before it creates anything
 * there (`plan` says so as a warning), `beside` goes on. Asked only while the state maps no test case: once the
 * migration has begun in this project, the answer was given.
 */
import { Effect } from "effect"
import { SystemError, type StoreError } from "../../../core/index.ts"
import type { QtestLoad } from "./QtestLoad.ts"
import { toLoadError } from "./toLoadError.ts"

export const checkExistingTestCases = (q: QtestLoad): Effect.Effect<void, SystemError | StoreError> =>
  Effect.gen(function* () {
    if (q.config.existingTestCases === "beside") return
    if (((yield* q.load.mappedCounts)["test-case"] ?? 0) > 0 || (yield* q.load.unconfirmed("test-case")).length > 0) return
    // without the key field (a plan before the first run creates it) no test case can carry a key
    const zephyrKey = q.vocab.field("test-cases", q.config.fields.zephyrKey)
    const handMade = yield* toLoadError(q.client.searchCount("test-cases", zephyrKey === undefined ? "Name is 'not empty'" : `'${zephyrKey.label}' is 'empty'`))
    if (handMade === 0) return
    const message = `the qTest project ${q.config.projectId} already holds ${handMade} test case${handMade === 1 ? "" : "s"} made outside this migration (no "${q.config.fields.zephyrKey}"); the migrated test cases would be created beside them`
    const hint = "to create them beside those, set `existingTestCases: beside` in the qtest section of the spec; otherwise point projectId at the project meant for the migration"
    if (q.load.planning) return yield* q.ctx.report.note({ kind: "warning", entity: "test-case", message: `${message} — ${hint}` })
    return yield* new SystemError({ system: "qtest", reason: "Unsupported", message: `${message}: nothing was created there`, hint })
  })
