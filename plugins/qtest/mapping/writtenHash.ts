/**
 * The hash of what the sink wrote to qTest: sha256 hex of the body's canonical JSON (object keys sorted at
 * every depth, `undefined` members dropped, array order kept). The id map stores it; `verify` recomputes it
 * from what qTest returns (readBack.ts) — equal hashes mean qTest still holds what we wrote.
 *
 * Keys left out at any depth, because qTest changes or transforms them on its own:
 * - `test_case_version_id`: qTest fills in the latest approved version when it is omitted and approving a
 *   case changes it;
 * - `attachments`: uploaded as blob handles; a GET returns their metadata, never the bytes.
 * ids qTest assigns (id, pid, version, links, web_url, dates of creation) are never in a body, and the
 * projections leave them out.
 */
import { createHash } from "node:crypto"

export const HASH_EXCLUDED_KEYS: ReadonlySet<string> = new Set(["test_case_version_id", "attachments"])

export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`
  const obj = value as Readonly<Record<string, unknown>>
  const parts: Array<string> = []
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key]
    if (v !== undefined && !HASH_EXCLUDED_KEYS.has(key)) parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`)
  }
  return `{${parts.join(",")}}`
}

export const writtenHash = (written: unknown): string => createHash("sha256").update(canonicalJson(written), "utf8").digest("hex")
