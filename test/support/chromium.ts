/**
 * Chromium for the tests that look at a page as a person would: Debian's `chromium` package, found on the PATH
 * (or at CHROMIUM_PATH), installed with apt-get when it is missing and the tests run as root — as CI does on a
 * clean machine. Anywhere else a missing Chromium is an error that says how to install it, never a skipped test.
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome"]

const find = (): string | undefined => {
  const given = process.env["CHROMIUM_PATH"]
  if (given !== undefined && given !== "" && fs.existsSync(given)) return given
  for (const name of CANDIDATES) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" })
    if (r.status === 0 && r.stdout.trim() !== "") return r.stdout.trim()
  }
  return undefined
}

let found: string | undefined

/** The path of a Chromium binary; installs Debian's package first if need be (as root). */
export const chromiumPath = (): string => {
  found ??= find()
  if (found !== undefined) return found
  if (process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env })
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", env })
    found = find()
    if (found !== undefined) return found
  }
  throw new Error("these tests need Chromium: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary")
}
