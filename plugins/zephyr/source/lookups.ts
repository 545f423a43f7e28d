/**
 * The project-wide reads, whole every time (they have no `updatedAfter`): the id → name lookups (statuses,
 * priorities, environments) that mapping needs, and the folder tree (parents first).
 */
import { Effect, Either, type Schema, Stream } from "effect"
import { quarantine, type Extracted } from "../../../core/index.ts"
import { decodeItem, Environment, Folder, Priority, rawSourceId, Status } from "../api/index.ts"
import { buildFolderTree, FIX_IN_ZEPHYR, mapFolder, type Lookups } from "../mapping/index.ts"
import type { ZephyrClientError } from "../ZephyrClient.ts"
import { decodeOrQuarantine } from "./failures.ts"
import type { SourceContext } from "./SourceContext.ts"

export const lookups = ({ client, ctx }: SourceContext) => {
  const readLookup = <A extends { readonly id: number; readonly name: string }, I>(
    entity: string,
    items: Stream.Stream<unknown, ZephyrClientError>,
    schema: Schema.Schema<A, I>
  ) =>
    Stream.runFoldEffect(items, new Map<number, string>(), (table, raw) =>
      Either.match(decodeItem(schema)(raw), {
        onRight: (item) => Effect.succeed(table.set(item.id, item.name)),
        onLeft: (reason) =>
          // Not emitted as records: a bad entry only costs its name where it is referred to.
          Effect.as(ctx.report.note({ kind: "warning", entity, sourceId: rawSourceId(raw), message: `malformed ${entity} ignored: ${reason}` }), table)
      })
    )

  const readLookups: Effect.Effect<Lookups, ZephyrClientError> = Effect.all(
    {
      statuses: readLookup("Status", client.listStatuses(), Status),
      priorities: readLookup("Priority", client.listPriorities(), Priority),
      environments: readLookup("Environment", client.listEnvironments(), Environment)
    },
    { concurrency: Math.min(3, ctx.concurrency) }
  )

  const readFolders = (projectId: string) =>
    Effect.map(Stream.runCollect(client.listFolders()), (raws) => {
      const out: Array<Extracted> = []
      const good: Array<Folder> = []
      for (const raw of raws)
        Either.match(decodeOrQuarantine(Folder, "Folder")(raw), { onLeft: (q) => out.push(q), onRight: (f) => good.push(f) })
      const tree = buildFolderTree(good)
      for (const node of tree.ordered) out.push(mapFolder(node, projectId))
      for (const { folder, reason } of tree.rejected)
        out.push(quarantine("Folder", String(folder.id), `folder "${folder.name}" (id ${folder.id}): ${reason} — ${FIX_IN_ZEPHYR}`, folder))
      return out
    })

  return { readLookups, readFolders }
}
