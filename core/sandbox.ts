/**
 * The sandbox entry: the kit every plugin's sandbox is built on (docs/sandbox-kit.md) — `startHttpSandbox` and
 * its hooks, the common transport options and their checks, seeded randomness, storms, rate limits, faults, the
 * start error — for sandboxes in this repository and in plugins outside it.
 */
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
export { checkRate, checkTransportOptions, TRANSPORT_OPTIONS, transportOptionsOf, type SandboxTransportOptions, type TransportOption } from "./sandbox/TransportOptions.ts"
export { SandboxStartError, sandboxStartError } from "./sandbox/sandboxStartError.ts"
export { readBody, type BodyResult } from "./sandbox/RequestBody.ts"
export { DEFAULT_FAULT_STATUSES, makeFaults, type FaultMix, type FaultVerdict } from "./sandbox/Faults.ts"
export { makeGatewayLimiter, makeTokenBucket, stormHeaders, type GatewayDecision, type GatewayLimiter, type TokenBucket } from "./sandbox/Throttling.ts"
export { checkFaultKinds, FAULT_KINDS, type FaultKind } from "./sandbox/FaultKind.ts"
export { makePrng, mix, prngFor, type Prng } from "./sandbox/Prng.ts"
export { checkStormOptions, makeRequestStorm, type RequestStorm, type StormDecision, type StormOptions } from "./sandbox/RequestStorm.ts"
