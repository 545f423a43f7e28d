/**
 * The last plan's estimate, kept beside the state file (`<state>.plan.json`) for the next run's report to set
 * against what that run made. A plan writes nothing to the store itself (it may read while a run holds it); the
 * run that follows reads the file and removes it, so a later run without a plan says that none preceded it.
 * Best effort both ways: an estimate that cannot be kept or read costs the comparison, never the run.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import type { RunEstimate } from "../report/RunEstimate.ts"

export const planEstimatePath = (statePath: string): string => `${path.resolve(statePath)}.plan.json`

/** Keeps the estimate; answers whether it was kept (the state's directory may not exist or be read-only). */
export const keepPlanEstimate = (statePath: string, estimate: RunEstimate): Effect.Effect<boolean> =>
  Effect.sync(() => {
    try {
      const file = planEstimatePath(statePath)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, JSON.stringify(estimate, null, 2) + "\n")
      return true
    } catch {
      return false
    }
  })

const isEstimate = (v: unknown): v is RunEstimate =>
  typeof v === "object" && v !== null && typeof (v as RunEstimate).plannedAt === "string" && typeof (v as RunEstimate).systems === "object" && (v as RunEstimate).systems !== null

/** The kept estimate, if a plan left one. */
export const readPlanEstimate = (statePath: string): Effect.Effect<RunEstimate | null> =>
  Effect.sync(() => {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(planEstimatePath(statePath), "utf8"))
      return isEstimate(parsed) ? parsed : null
    } catch {
      return null
    }
  })

export const forgetPlanEstimate = (statePath: string): Effect.Effect<void> =>
  Effect.sync(() => {
    try {
      fs.rmSync(planEstimatePath(statePath), { force: true })
    } catch {
      // a file that cannot be removed is read again by the next run, which says which plan it compares with
    }
  })
