/**
 * `mkdir -p` that cannot loop. Node's own (`fs.mkdirSync(dir, { recursive: true })`, and the promise form) spins
 * forever — at 100% CPU, the event loop blocked, so Ctrl-C and SIGTERM are never handled — where `mkdir` answers
 * ENOENT under a parent that exists, as /proc and /sys do: it climbs to the parent, finds it, and tries the child
 * again. This walks up to the first directory that exists, then creates each missing one once, and throws the
 * OS's error (ENOENT, ENOTDIR, EACCES, EROFS, ENOSPC…) as it comes, for `classifyStoreError`.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const codeOf = (e: unknown) => (e as { readonly code?: unknown } | null)?.code

export const ensureDirectory = (dir: string): void => {
  const missing: Array<string> = []
  let current = path.resolve(dir)
  for (;;) {
    let stat: fs.Stats
    try {
      stat = fs.statSync(current)
    } catch (e) {
      const parent = path.dirname(current)
      if (codeOf(e) !== "ENOENT" || parent === current) throw e
      missing.push(current)
      current = parent
      continue
    }
    if (stat.isDirectory()) break
    // What mkdir would answer for the first missing directory under a file (or for the file itself).
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${missing.at(-1) ?? current}'`), { code: "ENOTDIR", syscall: "mkdir", path: missing.at(-1) ?? current })
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d)
    } catch (e) {
      // Another process made it in the meantime.
      if (codeOf(e) === "EEXIST" && fs.statSync(d).isDirectory()) continue
      throw e
    }
  }
}
