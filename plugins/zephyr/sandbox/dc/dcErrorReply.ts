/**
 * Zephyr Scale Data Center's error bodies (docs/vendors/zephyr.md §2): `{"errorMessages": […]}` for its own 400s and 404s (the
 * documented form; a 404's real body is not public, so the sandbox gives the same form with the documented
 * sentence), and for a request without valid credentials the Atlassian REST layer's
 * `{"message": "Client must be authenticated to access this resource.", "status-code": 401}`.
 */
import { json, type Reply } from "../ZephyrRoutes.ts"

export const dcErrorReply = (status: number, ...messages: ReadonlyArray<string>): Reply => json(status, { errorMessages: messages })

export const DC_UNAUTHORISED: Reply = json(401, { message: "Client must be authenticated to access this resource.", "status-code": 401 })
