/**
 * The `ChildSet` that closes a re-read parent's group of records: for each child entity the source read in full
 * this time, the source ids it has now (quarantined ones included, so the row stored before they broke stays).
 * Core removes the parent's stored children of those entities that are not listed — a step deleted from a case,
 * a link removed from a cycle. An entity that was not read completely (an attachment list that answered 404)
 * must not be named, or its stored rows would be taken for deleted.
 */
import type { EntityName, SourceInstance } from "../../../core/index.ts"
import type { Stream } from "effect"
import { SOURCE_SYSTEM } from "./provenance.ts"

/** What `extract` streams (core's `SourceItem`): records, quarantine items, checkpoints and child sets. */
export type SourceItem = Stream.Stream.Success<ReturnType<SourceInstance["extract"]>>
export type ChildSet = Extract<SourceItem, { readonly entity: "ChildSet" }>
export type Checkpoint = Extract<SourceItem, { readonly entity: "Checkpoint" }>

export type ParentEntity = "TestCase" | "TestPlan" | "TestCycle" | "TestExecution"

export const childSetOf = (parent: ParentEntity, parentId: number, group: ReadonlyArray<SourceItem>, complete: ReadonlyArray<EntityName>): ChildSet => {
  const children: { [E in EntityName]?: Array<string> } = {}
  for (const entity of complete) children[entity] = []
  for (const item of group) {
    if (item.entity === "Checkpoint" || item.entity === "ChildSet") continue
    const entity = item.entity === "Quarantine" ? item.data.of : item.entity
    if (entity === parent) continue
    children[entity]?.push(String(item.data.source_id))
  }
  return { entity: "ChildSet", data: { parent, parent_id: parentId, source_system: SOURCE_SYSTEM, children } }
}

export const checkpointItem = (state: unknown): Checkpoint => ({ entity: "Checkpoint", data: { state } })
