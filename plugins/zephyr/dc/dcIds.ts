/**
 * Canonical ids for what Zephyr DC names by string. DC gives no numeric id to a test case, run or plan (the key
 * is the identity) nor to a folder (the path is): their ids are core's `derivedId` (48 bits of SHA-256) of the
 * entity and that string — the same on every run, so the store and the targets' id maps stay put, and, unlike the
 * number in a key, distinct for two projects' `-T5`s (a run may execute another project's case).
 */
import { derivedId } from "../../../core/index.ts"

export type KeyedEntity = "TestCase" | "TestCycle" | "TestPlan"
export type FolderType = "TEST_CASE" | "TEST_CYCLE" | "TEST_PLAN"

export const keyedId = (entity: KeyedEntity, key: string): number => derivedId(`${entity}/${key}`)

/** A folder's source id: its type and path (`TEST_CASE:/Orbiter/Cargo Bay`); paths are unique per type. */
export const folderSourceId = (type: FolderType, path: string): string => `${type}:${path}`

export const folderId = (type: FolderType, path: string): number => derivedId(`Folder/${folderSourceId(type, path)}`)
