#!/usr/bin/env -S node --max-old-space-size=160 --max-semi-space-size=4
// The heap flags halve peak RSS (≈ 265 MB instead of 510–540 MB measured, on any project size): the extract
// streams, so live data stays small, but left to itself V8 grows the heap far beyond it before collecting.
// Most of the rest is tsx's loader thread and the module graph (`migrate --version` alone: ≈ 240 MB).
// `npx migrate` right after `npm ci`, no build step: tsx compiles the TypeScript sources on the fly.
import { register } from "tsx/esm/api"

register()
await import("./main.ts")
