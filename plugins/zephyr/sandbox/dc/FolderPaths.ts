/**
 * Folder paths, Zephyr Scale Data Center's only way of naming a folder (`"/Orbiter/Cargo Bay"`, docs/vendors/zephyr.md §2):
 * built from the tenant's folder tree (each folder's name after its parents'), and looked up the other way for
 * TQL's `folder = "/…"`. DC forbids `/` in folder names, so a path is unambiguous there; a tenant folder whose name
 * has one is served as it is (its path then reads as one level deeper). Folders never change under mutations, so
 * both directions are memoised for the sandbox's life.
 */
import type { Table } from "../Tenant.ts"
import type { FolderType, ZephyrFolder } from "../ZephyrData.ts"

/** Deeper than any real tree: a parent loop in a malformed data file ends here instead of looping. */
const MAX_DEPTH = 64

export interface FolderPaths {
  /** `/a/b` of a folder; undefined for no folder or an unknown one (a case at the root has no `folder`). */
  readonly pathOf: (folderId: number | null | undefined) => string | undefined
  /** The folder of a project and type at `path`; undefined when there is none. */
  readonly idOf: (projectId: number, folderType: FolderType, path: string) => number | undefined
}

export const makeFolderPaths = (folders: Table<ZephyrFolder>): FolderPaths => {
  const paths = new Map<number, string | undefined>()
  const pathOf = (folderId: number | null | undefined): string | undefined => {
    if (folderId === null || folderId === undefined) return undefined
    if (paths.has(folderId)) return paths.get(folderId)
    const names: Array<string> = []
    let folder = folders.byId(folderId)
    for (let depth = 0; folder !== undefined && depth < MAX_DEPTH; depth++) {
      names.unshift(folder.name)
      folder = folder.parentId === null || folder.parentId === undefined ? undefined : folders.byId(folder.parentId)
    }
    const path = names.length === 0 ? undefined : `/${names.join("/")}`
    paths.set(folderId, path)
    return path
  }

  const byPath = new Map<string, ReadonlyMap<string, number>>()
  const idOf = (projectId: number, folderType: FolderType, path: string): number | undefined => {
    const group = `${projectId}/${folderType}`
    let index = byPath.get(group)
    if (index === undefined) {
      const built = new Map<string, number>()
      const list = folders.byProject(projectId)
      for (let i = 0; i < list.length; i++) {
        const f = list.at(i)
        const p = f?.folderType === folderType ? pathOf(f.id) : undefined
        if (f !== undefined && p !== undefined && !built.has(p)) built.set(p, f.id)
      }
      byPath.set(group, built)
      index = built
    }
    return index.get(path)
  }

  return { pathOf, idOf }
}
