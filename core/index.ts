/**
 * Core's public API: everything a plugin (built-in or external) may import. Plugins import from here only,
 * never from core's internals and never from each other.
 */
export { definePlugin } from "./plugin/Plugin.ts"
export type {
  ApiHttp,
  ByteResponse,
  ExtractOptions,
  HttpMethod,
  HttpOptions,
  KnownLookup,
  LoadContext,
  LoadOutcome,
  MappingGap,
  Plugin,
  PluginContext,
  PluginKind,
  RequestBody,
  RunningSandbox,
  SandboxCapability,
  SandboxOption,
  SandboxOptions,
  SendOptions,
  SentResponse,
  SinkInstance,
  SourceInstance,
  StoreView,
  SystemIdentity,
  TargetWrite,
  TransformInstance,
  VerifyContext,
  WriteOutcome,
  WriteResult
} from "./plugin/Plugin.ts"
export { ApiError, PluginError, RecordRejected, SpecError, StoreError, SystemError } from "./errors.ts"
export { checkpoint, entityOrder, isControl, quarantine, record } from "./canonical/Canonical.ts"
export type {
  CanonicalRecord,
  Checkpoint,
  ChildSet,
  Emitted,
  EntityName,
  EntityTypes,
  Extracted,
  Quarantined,
  SourceItem,
  TimestampColumn
} from "./canonical/Canonical.ts"
export { derivedId } from "./canonical/ids.ts"
export { normalizeUrl } from "./plugin/identity.ts"
export type { BlobStore, StoredBlob } from "./store/BlobStore.ts"
export type { Note, NoteKind, ReportSink } from "./report/ReportSink.ts"
export { makePluginContext } from "./plugin/PluginContext.ts"
export type { PluginContextOptions, TestablePluginContext } from "./plugin/PluginContext.ts"
export { isTransient, Policies } from "./policy/RetryPolicy.ts"
export type { RetryableError, RetryOptions } from "./policy/RetryPolicy.ts"
export { makeRateLimiter, parseRate } from "./policy/RateLimiter.ts"
export type { RateLimiter } from "./policy/RateLimiter.ts"
export { failpoints, makeFailpoints } from "./pipeline/Failpoint.ts"
export type { FailpointName, Failpoints } from "./pipeline/Failpoint.ts"
export { makePrng, mix, prngFor } from "./sandbox/Prng.ts"
export { sandboxStartError } from "./sandbox/sandboxStartError.ts"
export type { Prng } from "./sandbox/Prng.ts"
export { checkStormOptions, makeRequestStorm } from "./sandbox/RequestStorm.ts"
export type { RequestStorm, StormDecision, StormOptions } from "./sandbox/RequestStorm.ts"
export { checkFaultKinds, FAULT_KINDS } from "./sandbox/FaultKind.ts"
export type { FaultKind } from "./sandbox/FaultKind.ts"
