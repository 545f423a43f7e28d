/**
 * The CLI as one precompiled ES module (`bin/.bundle/migrate.mjs`), which `migrate.js` runs instead of compiling the
 * TypeScript sources on the fly: tsx's loader thread and its module graph cost ≈ 100 MB of resident memory, the
 * peak-RSS budget (256 MB on the `large` benchmark) cannot spare it. Dependencies stay external (node_modules).
 *
 * The bundle is rebuilt whenever a source is newer than it, so an edited checkout never runs stale code:
 * `npm ci` builds it (`prepare`), and `migrate.js` checks the sources' modification times (≈ 150 files, a few
 * milliseconds) before every start. `node bin/bundle.js` builds it by hand.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const entry = path.join(root, "bin/main.ts")
export const bundleFile = path.join(root, "bin/.bundle/migrate.mjs")
const sourceDirs = ["core", "plugins", "schemas", "bin"]
const sourceExt = /\.(ts|json)$/

const newestSource = () => {
  let newest = 0
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (sourceExt.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs)
    }
  }
  for (const d of sourceDirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d))
  return newest
}

const isFresh = () => {
  try {
    return fs.statSync(bundleFile).mtimeMs >= newestSource()
  } catch {
    return false
  }
}

/** Every bare import external (node_modules at run time) except `effect` and `@effect/*`, which are bundled. */
const externalExceptEffect = {
  name: "external-except-effect",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { path: args.path, external: true }
      if (args.path === "effect" || args.path.startsWith("effect/") || args.path.startsWith("@effect/")) return undefined
      return { path: args.path, external: true }
    })
  }
}

/**
 * Builds the bundle. Code split: what only some commands need (the Snowflake sandbox and its DuckDB, loaded by
 * `import()`) lives in chunks, so other commands do not pay its memory. Chunks are named by content hash and written
 * before the entry, each under a temporary name then renamed, so a concurrent start reads either the old entry with
 * its (still present) chunks or the new one, never half a file.
 */
export const build = async () => {
  const esbuild = await import("esbuild")
  const outdir = path.dirname(bundleFile)
  fs.mkdirSync(outdir, { recursive: true })
  const result = await esbuild.build({
    entryPoints: { [path.basename(bundleFile, ".mjs")]: entry },
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunk-[hash]",
    splitting: true,
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    // Effect is bundled, tree-shaken: its package entry loads every module (≈ 45 MB resident and 0.5 s on each
    // start, for the few hundred functions the CLI uses). Other packages stay external: native bindings and
    // drivers that are loaded only by the commands that need them.
    plugins: [externalExceptEffect],
    sourcemap: "linked",
    logLevel: "warning"
  })
  const place = (file) => {
    const tmp = `${file.path}.${process.pid}.tmp`
    fs.writeFileSync(tmp, file.contents)
    fs.renameSync(tmp, file.path)
  }
  for (const file of result.outputFiles) if (file.path !== bundleFile) place(file)
  const main = result.outputFiles.find((f) => f.path === bundleFile)
  if (main === undefined) throw new Error(`esbuild wrote no ${bundleFile}`)
  place(main)
  // chunks of earlier builds: kept an hour for a process that started on the old entry, then removed
  const current = new Set(result.outputFiles.map((f) => path.basename(f.path)))
  for (const name of fs.readdirSync(outdir)) {
    const file = path.join(outdir, name)
    if (/^chunk-.*\.mjs(\.map)?$/.test(name) && !current.has(name) && Date.now() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true })
  }
}

/** The bundle's URL, rebuilt first if stale; undefined when it cannot be built (e.g. a read-only install). */
export const freshBundle = async () => {
  if (isFresh()) return pathToFileURL(bundleFile).href
  try {
    await build()
    return pathToFileURL(bundleFile).href
  } catch (e) {
    if (process.env.MIGRATE_DEBUG) console.error(`migrate: cannot build ${bundleFile}, running from sources: ${e}`)
    return undefined
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build()
  console.log(`built ${path.relative(process.cwd(), bundleFile)}`)
}
