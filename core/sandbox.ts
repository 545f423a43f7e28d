/**
 * Core's API for a plugin's sandbox (the files under its `sandbox/` folder and its sandbox capability): the
 * capability type, the start error, seeded randomness, request storms and fault kinds. Only sandbox code imports
 * it (test/architecture/boundary.test.ts holds the rule); the rest of a plugin imports `core/index.ts`.
 */
export type { SandboxCapability } from "./plugin/Plugin.ts"
export { sandboxStartError } from "./sandbox/sandboxStartError.ts"
export { makePrng, mix, prngFor } from "./sandbox/Prng.ts"
export type { Prng } from "./sandbox/Prng.ts"
export { checkStormOptions, makeRequestStorm } from "./sandbox/RequestStorm.ts"
export type { StormOptions } from "./sandbox/RequestStorm.ts"
export { checkFaultKinds } from "./sandbox/FaultKind.ts"
export type { FaultKind } from "./sandbox/FaultKind.ts"
