/**
 * A Zephyr test-case folder → the body of `POST/PUT …/modules` (the parent module goes in the `parentId`
 * query). Only the name is written: Zephyr folders have no description. Names are kept as they are (Unicode,
 * punctuation); sibling order is the order the sink creates them in (Folder.sort_order).
 */
import type { ModuleBody } from "../api/requests.ts"
import type { Folder } from "./canonical.ts"

export const moduleBody = (folder: Folder): ModuleBody => ({ name: folder.name })
