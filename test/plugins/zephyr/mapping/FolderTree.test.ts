/** The flat folder list → tree: parents first, siblings by index, paths, and what cannot be placed. */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { Folder } from "../../../../plugins/zephyr/api/index.ts"
import { buildFolderTree } from "../../../../plugins/zephyr/mapping/index.ts"

const folder = (id: number, parentId: number | null, name: string, index: number, folderType = "TEST_CASE") =>
  Schema.decodeUnknownSync(Folder)({ id, parentId, name, index, folderType })

describe("buildFolderTree", () => {
  it("orders parents before children, siblings by index then id, and builds /A/B paths", () => {
    const tree = buildFolderTree([
      folder(5, 2, "Deep", 0),
      folder(1, null, "B root", 1),
      folder(2, null, "A root", 0),
      folder(3, 1, "Second", 1),
      folder(4, 1, "First", 0),
      folder(9, null, "Cycles", 0, "TEST_CYCLE"),
      folder(8, null, "Plans", 0, "TEST_PLAN")
    ])
    expect(tree.ordered.map((n) => [n.folder.id, n.path])).toEqual([
      [2, "/A root"],
      [5, "/A root/Deep"],
      [1, "/B root"],
      [4, "/B root/First"],
      [3, "/B root/Second"],
      [8, "/Plans"],
      [9, "/Cycles"]
    ])
    expect(tree.rejected).toEqual([])
    expect(tree.pathOf(5)).toBe("/A root/Deep")
  })

  it("keeps names as they are (Unicode, slashes-free or not) and sets aside orphans and loops with a reason", () => {
    const tree = buildFolderTree([
      folder(1, null, "Internationalisation — 国際化", 0),
      folder(2, 99, "Orphan", 0),
      folder(3, 2, "Orphan's child", 0),
      folder(4, 5, "Loop A", 0),
      folder(5, 4, "Loop B", 0)
    ])
    expect(tree.ordered.map((n) => n.path)).toEqual(["/Internationalisation — 国際化"])
    expect(Object.fromEntries(tree.rejected.map((r) => [r.folder.id, r.reason]))).toEqual({
      2: "parent folder 99 is not in the project's folder list",
      3: "ancestor folder 2 has a parent (99) that is not in the project's folder list",
      4: "the folder's parent chain loops back on itself",
      5: "the folder's parent chain loops back on itself"
    })
  })

  it("handles a deep tree without recursion limits", () => {
    const deep = Array.from({ length: 20_000 }, (_, i) => folder(i + 1, i === 0 ? null : i, `f${i}`, 0))
    const tree = buildFolderTree(deep)
    expect(tree.ordered).toHaveLength(20_000)
    expect(tree.ordered[19_999]?.path.split("/")).toHaveLength(20_001)
  })
})
