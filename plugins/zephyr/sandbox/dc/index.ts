/**
 * The Zephyr sandbox as Zephyr Scale Data Center (REST API v1, `/rest/atm/1.0`): routes, auth and error bodies.
 * What the real API does, with its public sources (SmartBear's docs, Atlassian's, and real instances' responses kept
 * as a client's test fixtures, "the real capture"), is in docs/vendors/zephyr.md §2, which these files cite.
 */
export { DC_BASE_PATH, DC_ROUTES, makeDcRouter, type DcRoute, type DcRouter, type DcRouterOptions } from "./DcRoutes.ts"
export { DC_ATTACHMENT_SERVLET } from "./DcRenderer.ts"
export { DC_PASSWORD, DC_USERNAME, dcAuthorisation } from "./dcAuthorisation.ts"
export { DC_UNAUTHORISED, dcErrorReply } from "./dcErrorReply.ts"
export { dcUserKey } from "./dcUserKey.ts"
