/**
 * Which Zephyr product the sandbox imitates over the same tenant content. `cloud` is Zephyr Scale Cloud's REST
 * API v2 (docs/vendors/zephyr.md §1); `essential` is Zephyr Essential Cloud's API v2.9 (formerly Zephyr Squad
 * Cloud's new API, docs/vendors/zephyr.md §3), which shares Scale Cloud's entity shapes but lacks its cursor
 * endpoints and `updatedAfter`, renders multi-select custom fields as `{id, name}` and refuses attachment files
 * to an API token. What differs is decided in ZephyrRoutes.ts and Renderer.ts. `dc` is Zephyr Scale Data Center's
 * REST API v1 (`/rest/atm/1.0`), a different API altogether, served by dc/. The sandbox serves every edition the
 * source reads (Edition.ts).
 */
import { editions, type EditionName } from "../Edition.ts"

export type ZephyrEdition = EditionName

/** Every edition, the default first. */
export const ZEPHYR_EDITIONS: ReadonlyArray<ZephyrEdition> = Object.keys(editions) as ReadonlyArray<EditionName>

export const isZephyrEdition = (value: unknown): value is ZephyrEdition => (ZEPHYR_EDITIONS as ReadonlyArray<unknown>).includes(value)
