#!/usr/bin/env node
// `npx migrate` right after `npm ci`, no build step: tsx compiles the TypeScript sources on the fly.
import { register } from "tsx/esm/api"

register()
await import("./main.ts")
