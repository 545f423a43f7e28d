#!/usr/bin/env -S node --max-old-space-size=192 --max-semi-space-size=4
// The heap flags keep peak RSS near 250 MB on any project size: the extract streams, so live data stays small,
// but left to itself V8 grows the heap far beyond what it needs before collecting (500+ MB measured).
// `npx migrate` right after `npm ci`, no build step: tsx compiles the TypeScript sources on the fly.
import { register } from "tsx/esm/api"

register()
await import("./main.ts")
