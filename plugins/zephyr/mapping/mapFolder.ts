/** A folder-tree node → canonical Folder (`sort_order` = Zephyr's sibling `index`, `path` from the tree). */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import type { FolderNode } from "./FolderTree.ts"
import { provenance } from "./provenance.ts"

export const mapFolder = (node: FolderNode, projectId: string): CanonicalRecord => {
  const f = node.folder
  return record("Folder", {
    ...provenance(String(f.id), null),
    folder_id: f.id,
    project_id: f.project ? String(f.project.id) : projectId,
    parent_folder_id: f.parentId ?? null,
    name: f.name,
    type: f.folderType,
    created_at: null,
    updated_at: null,
    sort_order: f.index ?? 0,
    path: node.path
  })
}
