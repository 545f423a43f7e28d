/**
 * What every route module needs: the project the request names (asked for on every use: it is replaced on
 * reset), the site for what spans projects, the renderer and settings.
 */
import type { ProjectState } from "../ProjectState.ts"
import type { Renderer } from "../Render.ts"
import type { SiteState } from "../SiteState.ts"
import type { Tokens } from "../Tokens.ts"

export interface Env {
  /** The current project: the one the request's path names (SiteState.ts). */
  readonly state: () => ProjectState
  readonly site: SiteState
  readonly render: Renderer
  readonly tokens: Tokens
  readonly siteName: string
  readonly username: string
  readonly password: string
  readonly maxAttachmentBytes: number
  /** Polls of an auto-test-logs job before it reaches its terminal state. */
  readonly jobPolls: number
}
