/**
 * The extract's last stage for rich text: every HTML column of a record goes through rewriteInlineImages
 * (mapping/inlineImages.ts) — images on Zephyr's CDN become placeholders unless `inlineImages: keep` — and the
 * report names each record that had one, with the count of images. Chunk by chunk, so it costs next to nothing
 * on the records without HTML images (nearly all of them).
 */
import { Chunk, Effect } from "effect"
import type { PluginContext } from "../../../core/index.ts"
import { HTML_COLUMNS, rewriteInlineImages } from "../mapping/inlineImages.ts"
import type { SourceItem } from "../mapping/index.ts"

export const inlineImageNotes = (ctx: PluginContext, keep: boolean) => {
  const message = keep
    ? "inline images in rich text are carried as written, but they live on Zephyr's CDN, which an API token cannot read: no target can show them"
    : "inline images in rich text live on Zephyr's CDN, which an API token cannot read: each is replaced by a visible [Image: file name] (inlineImages: keep carries the HTML as written)"
  return (chunk: Chunk.Chunk<SourceItem>): Effect.Effect<Chunk.Chunk<SourceItem>> => {
    const found: Array<{ readonly entity: string; readonly label: string; readonly names: ReadonlyArray<string> }> = []
    const out = Chunk.map(chunk, (item) => {
      const columns = HTML_COLUMNS[item.entity]
      if (columns === undefined) return item
      const data = item.data as Record<string, unknown>
      let changed: Record<string, unknown> | undefined
      const names: Array<string> = []
      for (const column of columns) {
        const html = data[column]
        if (typeof html !== "string") continue
        const r = rewriteInlineImages(html, keep)
        if (r.images.length === 0) continue
        names.push(...r.images)
        if (r.html !== html) (changed ??= { ...data })[column] = r.html
      }
      if (names.length === 0) return item
      found.push({ entity: item.entity, label: String(data["source_key"] ?? data["source_id"]), names })
      return changed === undefined ? item : ({ ...item, data: changed } as SourceItem)
    })
    if (found.length === 0) return Effect.succeed(out)
    return Effect.as(
      Effect.forEach(found, (f) => Effect.forEach(f.names, () => ctx.report.note({ kind: "warning", entity: f.entity, sourceId: f.label, message }), { discard: true }), { discard: true }),
      out
    )
  }
}
