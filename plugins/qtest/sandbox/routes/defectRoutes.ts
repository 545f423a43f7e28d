/**
 * Jira issues linked to test logs as defects (docs/vendors/qtest.md §4.14): `POST …/test-logs/{id}/defects`
 * (S1 `linkArtifactsByPid`, declared on the generic `/{objectType}/{objectId}/{linkType}`) with a JSON array of
 * Jira issue ids or keys → 201 `[{id: <log id>, objects: [LinkedDefect…]}]`. The links are kept per log, and a
 * defect linked twice to one log is kept once [inferred]; they read back through `GET …/linked-artifacts?type=
 * test-logs&ids=` (requirementRoutes.ts) and the log's `defects`. An unknown log is a 404 like the rest; a
 * project without a Jira defect integration cannot resolve a Jira issue, and answers S1's documented 404 "Link
 * defect unsuccessfully" [inferred]. Only test logs are linked here: test steps (which S1 also names) are a 400.
 */
import { arrayBody, toId } from "../Body.ts"
import type { JiraDefect } from "../Entities.ts"
import { fail, found, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

const P = "/api/v3/projects/{projectId}"
/** S1's enums of the path's `objectType` and `linkType`: anything else is no resource at all. */
const SOURCE_TYPES: ReadonlyArray<string> = ["releases", "builds", "requirements", "test-logs", "test-steps"]
const LINK_TYPES: ReadonlyArray<string> = ["releases", "builds", "requirements", "test-cases", "test-runs", "test-logs", "test-steps", "defects"]

export const defectRoutes = (env: Env): ReadonlyArray<RouteSpec> => [
  {
    method: "POST",
    template: `${P}/{objectType}/{objectId}/{linkType}`,
    handler: (ctx) => {
      const { objectType = "", objectId, linkType = "" } = ctx.params
      if (!SOURCE_TYPES.includes(objectType) || !LINK_TYPES.includes(linkType)) return fail(404, `No resource at ${ctx.url.pathname}`)
      if (objectType !== "test-logs" || linkType !== "defects") return fail(400, `The sandbox links defects to test-logs only (got ${objectType}/${linkType})`)
      const state = env.state()
      const logId = toId(objectId)
      const log = found(logId === undefined ? undefined : state.testLogs.get(logId), `Test log ${objectId} not found`)
      const ids = arrayBody(ctx.body).map((v, i) => (typeof v === "string" && v.trim() !== "" ? v.trim() : fail(400, `Item ${i + 1} of the body must be a Jira defect id: a non-empty string`)))
      if (ids.length === 0) return fail(400, "The request body must list at least one defect")
      if (!state.project.jiraDefects) return fail(404, `Link defect unsuccessfully: project ${state.project.id} has no Jira defect tracking integration`)
      const linked = state.defectLinks.get(log.id) ?? []
      const defects: Array<JiraDefect> = []
      for (const externalId of ids) {
        const defect = state.jiraDefects.get(externalId) ?? state.jiraDefects.set(externalId, { id: state.ids.next(), externalId })
        defects.push(defect)
      }
      state.defectLinks.set(log.id, [...linked, ...ids.filter((id, i) => !linked.includes(id) && ids.indexOf(id) === i)])
      return json(201, [{ id: log.id, objects: defects.map(env.render.linkedDefect) }])
    }
  }
]
