/**
 * The sandbox entry: the kit every plugin's sandbox is built on (docs/sandbox-kit.md) — `startHttpSandbox` and
 * its hooks, the common transport options and their checks, seeded randomness, storms, rate limits, faults, the
 * start error — for sandboxes in this repository and in plugins outside it. Only sandbox code imports it
 * (test/architecture/boundary.test.ts holds the rule); the rest of a plugin imports `core/index.ts`.
 */
export type { SandboxCapability } from "./plugin/Plugin.ts"
export {
  CONTROL_PREFIX,
  startHttpSandbox,
  type ControlEndpoints,
  type ControlRequest,
  type FaultStyle,
  type Handled,
  type HttpSandboxConfig,
  type Routed,
  type RunningHttpSandbox,
  type SandboxAddress,
  type SandboxAnswer,
  type SandboxReply,
  type SandboxRequest,
  type SandboxServer,
  type ThrottleStyle,
  type TransportStats
} from "./sandbox/HttpSandbox.ts"
export { checkRate, checkTransportOptions, transportOptionsOf, type SandboxTransportOptions, type TransportOption } from "./sandbox/TransportOptions.ts"
export { SandboxStartError, sandboxStartError } from "./sandbox/sandboxStartError.ts"
export type { BodyResult } from "./sandbox/RequestBody.ts"
export type { FaultMix, FaultVerdict } from "./sandbox/Faults.ts"
export type { FaultKind } from "./sandbox/FaultKind.ts"
export { makePrng, mix, prngFor, type Prng } from "./sandbox/Prng.ts"
export type { StormOptions } from "./sandbox/RequestStorm.ts"
