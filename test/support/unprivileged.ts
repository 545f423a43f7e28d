/**
 * Running the CLI as `nobody` when the tests run as root (root ignores file modes, so a read-only directory or an
 * unreadable secret file can only be rehearsed by another user). `nobody` must be able to reach the checkout:
 * a clone under a private directory (`mktemp -d` makes 0700 ones, /root is 0700) would refuse it the CLI itself.
 * `letNobodyReach` adds search permission (o+x: pass through, not list) to the checkout and each ancestor that
 * lacks it. It is left so: test files run side by side, and one restoring a mode would lock another out.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** `nobody`'s uid and gid when the tests run as root, the checkout reachable by it; undefined otherwise. */
export const nobody = (): { readonly uid: number; readonly gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined
  letNobodyReach()
  return { uid: Number(execFileSync("id", ["-u", "nobody"]).toString().trim()), gid: Number(execFileSync("id", ["-g", "nobody"]).toString().trim()) }
}

/** Lets every user pass through `dir` and its ancestors (as root; a no-op otherwise). */
export const letNobodyReach = (dir: string = repositoryRoot): void => {
  if (process.getuid?.() !== 0) return
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode & 0o7777
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001)
    if (path.dirname(d) === d) break
  }
}
