/**
 * Who may call the sandbox as Zephyr Scale Data Center: what works with Jira works with Zephyr (docs/vendors/zephyr.md §2), so a
 * personal access token as `Authorization: Bearer <token>` (the sandbox's token) or HTTP Basic with the sandbox's
 * user and password. A token is no Basic password (Jira DC refuses a PAT there), and anything else answers 401.
 */
import { Buffer } from "node:buffer"
import type * as http from "node:http"
import type { Reply } from "../ZephyrRoutes.ts"
import { DC_UNAUTHORISED } from "./dcErrorReply.ts"

/** The sandbox's Jira user for HTTP Basic (also its user key, an old-style one). */
export const DC_USERNAME = "migrate"
export const DC_PASSWORD = "sandbox-password"

/** undefined when the request carries the token or the user's credentials; else DC's 401. */
export const dcAuthorisation =
  (token: string) =>
  (req: http.IncomingMessage): Reply | undefined => {
    const auth = req.headers.authorization ?? ""
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)
    if (bearer?.[1]?.trim() === token) return undefined
    const basic = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(auth)
    if (basic?.[1] !== undefined && Buffer.from(basic[1], "base64").toString("utf8") === `${DC_USERNAME}:${DC_PASSWORD}`) return undefined
    return DC_UNAUTHORISED
  }
