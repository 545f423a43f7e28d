/**
 * Zephyr lets a test case call a test case of another project, and a cycle run another project's test cases;
 * qTest keeps calls and test runs inside one project. Such a case is not in this project's store, and its key
 * (`ORGA-T3`) names the project it lives in — so the report can say why it is not linked, and where it is.
 */
const KEY = /^([A-Za-z][A-Za-z0-9_]*)-[A-Za-z]*\d+$/

/** The project a key belongs to when it is not one of `own` (the store's projects); undefined otherwise. */
export const otherProject = (key: string | null | undefined, own: ReadonlySet<string>): string | undefined => {
  const project = key == null ? undefined : KEY.exec(key)?.[1]
  return project === undefined || own.size === 0 || own.has(project) ? undefined : project
}
