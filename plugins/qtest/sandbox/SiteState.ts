/**
 * The qTest site the sandbox serves: its projects, each with its own ProjectState, over the counters they share
 * (SiteCounters.ts). A real qTest Manager site holds many projects behind one API gateway; what is site-wide
 * there (tokens, the quota, faults) lives in QtestSandbox.ts, what is per project here.
 *
 * Handlers work on "the current project": the one the request's path names, set by the router around the
 * synchronous handler (`within`). Routes outside a project (users, the current user) see the first project,
 * whose users are every project's: the same configured users with the same ids.
 */
import { makeProjectState, type ProjectConfig, type ProjectState } from "./ProjectState.ts"
import { makeSiteCounters, type SiteCounters } from "./SiteCounters.ts"
import { readSnapshot, restoreProject } from "./Snapshot.ts"

export interface SiteState {
  /** Every project, in the configured order (the first is the default project). */
  readonly projects: () => ReadonlyArray<ProjectState>
  /** The project with this id, as it appears in a path (`"1001"`); undefined when the site has none. */
  readonly project: (id: string | number) => ProjectState | undefined
  /** The project the request being handled names; the first outside a request. */
  readonly current: () => ProjectState
  /** Runs `f` with `project` as the current one. */
  readonly within: <A>(project: ProjectState, f: () => A) => A
  /**
   * One project, or every one, back to its initial state. Ids keep increasing either way: none is ever reused
   * within the sandbox's life. Resetting every project also starts the field ids over, as a fresh site has them.
   */
  readonly reset: (project?: ProjectState) => void
  /**
   * Restores the projects of a snapshot file (Snapshot.ts). A project the file does not hold is made anew past
   * the restored ids; one the site does not serve is an error (its data would be lost on the next save).
   */
  readonly restore: (text: string) => void
}

export const makeSiteState = (configs: ReadonlyArray<ProjectConfig>): SiteState => {
  if (configs.length === 0) throw new Error("a site needs at least one project")
  let counters: SiteCounters = makeSiteCounters()
  let projects: Array<ProjectState> = configs.map((c) => makeProjectState(c, counters))
  let current: ProjectState | undefined

  const indexOf = (project: ProjectState) => projects.findIndex((p) => p.project.id === project.project.id)

  const rebuild = (i: number) => {
    projects[i] = makeProjectState(configs[i]!, counters)
  }

  return {
    projects: () => projects,
    project: (id) => projects.find((p) => String(p.project.id) === String(id)),
    current: () => current ?? projects[0]!,
    within: (project, f) => {
      const before = current
      current = project
      try {
        return f()
      } finally {
        current = before
      }
    },
    reset: (project) => {
      if (project !== undefined) {
        const i = indexOf(project)
        if (i >= 0) rebuild(i)
        return
      }
      counters = makeSiteCounters(counters.ids.peek())
      projects = configs.map((c) => makeProjectState(c, counters))
    },
    restore: (text) => {
      const entries = readSnapshot(text)
      const restored = new Set<number>()
      for (const { projectId, saved } of entries) {
        const i = projectId === undefined ? 0 : projects.findIndex((p) => p.project.id === projectId)
        if (i < 0) throw new Error(`it holds project ${projectId}, which this sandbox does not serve (it serves ${projects.map((p) => p.project.id).join(", ")}) — start it with as many projects`)
        restoreProject(projects[i]!, saved)
        restored.add(i)
      }
      // made after the restore, so that their ids come after every restored one
      for (let i = 0; i < projects.length; i++) if (!restored.has(i)) rebuild(i)
    }
  }
}
