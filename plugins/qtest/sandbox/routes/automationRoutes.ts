/** Batch automation logs and the queue they go through (AutomationJobs.ts, docs/vendors/qtest.md §4.8). */
import { submitAutomation, pollJob } from "../AutomationJobs.ts"
import { toId } from "../Body.ts"
import { found, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

export const automationRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const options = () => ({ maxAttachmentBytes: env.maxAttachmentBytes, jobPolls: env.jobPolls })
  return [
    {
      method: "POST",
      template: "/api/v3/projects/{projectId}/auto-test-logs",
      handler: (ctx) => json(201, env.render.job(submitAutomation(env.state(), ctx.body, ctx.query, options())))
    },
    {
      method: "GET",
      template: "/api/v3/projects/queue-processing/{id}",
      // Outside any project's path: the job is the project's that has it (ids are unique site-wide).
      handler: (ctx) => {
        const id = toId(ctx.params.id) ?? -1
        const state = found(env.site.projects().find((p) => p.jobs.has(id)), `Job ${ctx.params.id} not found`)
        const job = found(state.jobs.get(id), `Job ${ctx.params.id} not found`)
        return env.site.within(state, () => json(200, env.render.job(pollJob(state, job, options()))))
      }
    }
  ]
}
