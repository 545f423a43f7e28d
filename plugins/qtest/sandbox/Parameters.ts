/**
 * qTest's parameter syntax (docs/vendors/qtest.md §3.3.5): `[~identifier]` in a test step's description or expected
 * result "will be automatically added to current project" as a parameter, and reads come back in "ID number
 * mode" (`[~123]`) unless `showParamIdentifier=true`. The sandbox does the same: the text is stored as sent, a
 * parameter is created for each new identifier, and default reads replace it by the parameter's id — so a
 * migrator that forgot to escape a literal `[~…]` from Zephyr (a Jira mention like `[~accountid:…]`) sees its
 * text come back changed, and the created parameters are listed by `GET /__sandbox/parameters`.
 */
import type { ProjectState } from "./ProjectState.ts"

const PARAMETER = /\[~([^\]\s]+)\]/g

/** Creates a project parameter for every identifier in `text` that does not exist yet. */
export const registerParameters = (state: ProjectState, text: string): void => {
  for (const match of text.matchAll(PARAMETER)) {
    const identifier = match[1] ?? ""
    if (state.parameters.has(identifier)) continue
    state.parameters.set(identifier, { id: state.ids.next(), identifier, createdDate: state.now() })
  }
}

/** `text` as qTest displays it: `[~id]` by default, `[~identifier]` with `showParamIdentifier=true`. */
export const displayParameters = (state: ProjectState, text: string, showIdentifier: boolean): string =>
  showIdentifier
    ? text
    : text.replace(PARAMETER, (whole, identifier: string) => {
        const p = state.parameters.get(identifier)
        return p === undefined ? whole : `[~${p.id}]`
      })
