/** What every route module needs: the current project (it is replaced on reset), the renderer and settings. */
import type { ProjectState } from "../ProjectState.ts"
import type { Renderer } from "../Render.ts"
import type { Tokens } from "../Tokens.ts"

export interface Env {
  readonly state: () => ProjectState
  readonly render: Renderer
  readonly tokens: Tokens
  readonly siteName: string
  readonly username: string
  readonly password: string
  readonly maxAttachmentBytes: number
  /** Polls of an auto-test-logs job before it reaches its terminal state. */
  readonly jobPolls: number
}
