/** Projects and users: the configured project, the credentials' user, and user lookup. */
import { Effect, Schema, Stream } from "effect"
import type { ApiError } from "../../../core/index.ts"
import { CurrentUser, Project, User, arrayOf } from "../api/index.ts"
import { defaultPageSizes, type Send } from "./send.ts"

export const projects = ({ project, get, pagedItems }: Send) => ({
  getProject: Effect.fn("QtestClient.getProject")(function* () {
    return yield* get(Project, project)
  }),

  /** Every project the credentials can see (for a hint when the configured id is wrong). */
  listProjects: Effect.fn("QtestClient.listProjects")(function* () {
    return yield* get(arrayOf(Project), "/api/v3/projects", { assigned: true })
  }),

  /** The user the credentials belong to: API-created logs are executed by this user. */
  currentUser: Effect.fn("QtestClient.currentUser")(function* () {
    return yield* get(CurrentUser, "/api/v3/re-evaluation")
  }),

  /** Users whose login name (the qTest login email, or the LDAP/SSO name) matches `username`, paged ≤ 100. */
  searchUsers: (username: string, options: { readonly includeInactive?: boolean | undefined } = {}): Stream.Stream<User, ApiError> =>
    pagedItems(User, "GET", "/api/v3/users/search", { username, includeInactiveUsers: options.includeInactive, pagination: true }, defaultPageSizes.users).pipe(
      Stream.withSpan("QtestClient.searchUsers")
    ),

  listProjectUsers: Effect.fn("QtestClient.listProjectUsers")(function* (options: { readonly includeInactive?: boolean | undefined } = {}) {
    return yield* get(arrayOf(User), `${project}/users`, { inactive: options.includeInactive ?? false })
  })
})
