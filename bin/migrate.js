#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=160 --max-semi-space-size=4
// Peak RSS on the `large` benchmark must stay under 256 MB. Three things get it there:
// - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (V8's helpers, libuv's pool) an arena of its own,
//   up to 8 per core, and each keeps what it once held; two arenas held 9 MB where they held 21 MB on `medium`
//   (read by glibc at process start, so only a shebang or the caller's environment can set it);
// - the heap flags: the extract streams, so live data stays small, but left to itself V8 grows the heap to
//   500+ MB before collecting;
// - the precompiled bundle (bundle.js): compiling the sources through tsx costs ≈ 100 MB more. tsx remains the
//   fallback when the bundle cannot be written, and loads external plugins written in TypeScript.
import { freshBundle } from "./bundle.js"

// snowflake-sdk loads the AWS SDK (for stages, which the Snowflake sink never uses), and it warns on import, on
// every command, that its 2027 releases will need Node 22. Nothing a user of this CLI can act on.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true"

// The bundle's source maps (`.mjs.map` beside it) cost ≈ 30 MB resident once loaded, so stack traces name the
// sources only when asked: MIGRATE_DEBUG=1, or NODE_OPTIONS=--enable-source-maps.
if (process.env["MIGRATE_DEBUG"]) process.setSourceMapsEnabled?.(true)

const bundle = await freshBundle()
if (bundle !== undefined) await import(bundle)
else {
  const { register } = await import("tsx/esm/api")
  register()
  await import("./main.ts")
}
