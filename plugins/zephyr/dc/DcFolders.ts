/**
 * Zephyr DC has no folder list: a folder shows only as the path of a case, run or plan in it (`/Orbiter/Cargo
 * Bay`). Folders are therefore rebuilt from those paths as the records stream past — each path's folders, parents
 * first, just before the first record that names it — and an empty folder is never seen. Only the paths already
 * emitted are remembered (a set of strings, as many as the project has folders), never the records.
 * DC gives a folder no order among its siblings and no dates: sort_order 0, created_at and updated_at null.
 */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import { provenance } from "../mapping/index.ts"
import { folderId, folderSourceId, type FolderType } from "./dcIds.ts"

/** `/a/b/c` → `["/a", "/a/b", "/a/b/c"]`; no path (the root) → none. DC forbids `/` in a folder's name. */
export const pathPrefixes = (path: string | null | undefined): ReadonlyArray<string> => {
  const names = (path ?? "").split("/").filter((n) => n !== "")
  return names.map((_, i) => `/${names.slice(0, i + 1).join("/")}`)
}

export interface DcFolders {
  /** The folder id of a path (null at the root), and the Folder records not emitted yet that it needs. */
  readonly folderOf: (type: FolderType, path: string | null | undefined) => { readonly id: number | null; readonly records: ReadonlyArray<CanonicalRecord> }
}

export const makeDcFolders = (projectId: string): DcFolders => {
  const emitted = new Set<string>()
  const folderOf: DcFolders["folderOf"] = (type, path) => {
    const prefixes = pathPrefixes(path)
    const records: Array<CanonicalRecord> = []
    let parent: number | null = null
    for (const prefix of prefixes) {
      const id = folderId(type, prefix)
      const sourceId = folderSourceId(type, prefix)
      if (!emitted.has(sourceId)) {
        emitted.add(sourceId)
        records.push(
          record("Folder", {
            ...provenance(sourceId, null),
            folder_id: id,
            project_id: projectId,
            parent_folder_id: parent,
            name: prefix.slice(prefix.lastIndexOf("/") + 1),
            type,
            created_at: null,
            updated_at: null,
            sort_order: 0,
            path: prefix
          })
        )
      }
      parent = id
    }
    return { id: parent, records }
  }
  return { folderOf }
}
