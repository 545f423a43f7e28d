/**
 * A read API's path table, shared by every edition's router: which route a path hits (the first whose pattern
 * matches, in table order, so fixed paths listed before parameterised ones win), and the route's template for the
 * statistics (`unmatched` for a path the API does not have). What a route answers, and the error bodies, are the
 * edition's.
 */
export interface PathRoute<H> {
  /** The path as the vendor's description writes it, e.g. `/v2/testcases/{testCaseKey}`. */
  readonly template: string
  /** Its groups are the path parameters, in order. */
  readonly pattern: RegExp
  readonly handler: H
}

export interface PathRoutes<H> {
  readonly find: (pathname: string) => { readonly route: PathRoute<H>; readonly params: ReadonlyArray<string> } | undefined
  readonly templateOf: (pathname: string) => string
}

/** `hidden`: paths the API does not have although a pattern would match them (an edition's missing endpoints). */
export const pathRoutes = <H>(routes: ReadonlyArray<PathRoute<H>>, hidden: (pathname: string) => boolean = () => false): PathRoutes<H> => {
  const find: PathRoutes<H>["find"] = (pathname) => {
    if (hidden(pathname)) return undefined
    for (const route of routes) {
      const match = route.pattern.exec(pathname)
      if (match) return { route, params: match.slice(1).map((p) => p ?? "") }
    }
    return undefined
  }
  return { find, templateOf: (pathname) => find(pathname)?.route.template ?? "unmatched" }
}
