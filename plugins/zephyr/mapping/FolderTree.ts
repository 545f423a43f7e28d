/**
 * Zephyr returns folders as a flat list with `parentId`; canonical folders need their parent emitted first and
 * a `/A/B` path. This builds the tree once (the tree is, with the lookups, all the project-wide state the
 * source holds): parents before children, siblings in Zephyr's `index` order, and any folder whose parent is
 * missing or whose parent chain loops set aside with the reason, to be quarantined rather than stored dangling.
 */
import type { Folder } from "../api/index.ts"

export interface FolderNode {
  readonly folder: Folder
  readonly path: string
}

export interface FolderTree {
  /** Pre-order: every folder after its parent. */
  readonly ordered: ReadonlyArray<FolderNode>
  readonly rejected: ReadonlyArray<{ readonly folder: Folder; readonly reason: string }>
  readonly pathOf: (id: number) => string | undefined
}

const TYPE_ORDER: Readonly<Record<Folder["folderType"], number>> = { TEST_CASE: 0, TEST_PLAN: 1, TEST_CYCLE: 2 }

const bySiblingOrder = (a: Folder, b: Folder): number =>
  TYPE_ORDER[a.folderType] - TYPE_ORDER[b.folderType] || (a.index ?? 0) - (b.index ?? 0) || a.id - b.id

export const buildFolderTree = (folders: ReadonlyArray<Folder>): FolderTree => {
  const byId = new Map<number, Folder>()
  for (const f of folders) byId.set(f.id, f)
  const children = new Map<number | null, Array<Folder>>()
  for (const f of byId.values()) {
    const parent = f.parentId ?? null
    const list = children.get(parent)
    if (list) list.push(f)
    else children.set(parent, [f])
  }
  for (const list of children.values()) list.sort(bySiblingOrder)

  const ordered: Array<FolderNode> = []
  const paths = new Map<number, string>()
  // Iterative pre-order walk: deep trees must not blow the stack.
  const stack: Array<{ folder: Folder; parentPath: string }> = (children.get(null) ?? []).map((folder) => ({ folder, parentPath: "" })).reverse()
  while (stack.length > 0) {
    const { folder, parentPath } = stack.pop()!
    const path = `${parentPath}/${folder.name}`
    paths.set(folder.id, path)
    ordered.push({ folder, path })
    const kids = children.get(folder.id) ?? []
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ folder: kids[i]!, parentPath: path })
  }

  /** Why a folder was not reached from a root: a missing parent somewhere up its chain, or a loop. */
  const reasonFor = (folder: Folder): string => {
    const seen = new Set<number>()
    let current = folder
    while (current.parentId != null && !seen.has(current.id)) {
      seen.add(current.id)
      const parent = byId.get(current.parentId)
      if (parent === undefined)
        return current === folder
          ? `parent folder ${current.parentId} is not in the project's folder list`
          : `ancestor folder ${current.id} has a parent (${current.parentId}) that is not in the project's folder list`
      current = parent
    }
    return "the folder's parent chain loops back on itself"
  }
  const rejected = [...byId.values()].filter((f) => !paths.has(f.id)).map((folder) => ({ folder, reason: reasonFor(folder) }))

  return { ordered, rejected, pathOf: (id) => paths.get(id) }
}
