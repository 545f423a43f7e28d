/**
 * Core's public API for plugins (built-in or external): the contract, canonical records, errors, HTTP and identity
 * helpers. Plugins import core from here only — never core's internals, never each other; a plugin's sandbox also
 * imports `core/sandbox.ts`, and tests import `core/testing.ts`. It exports what some plugin imports, nothing
 * more; test/architecture/boundary.test.ts holds the rule.
 */
export { definePlugin } from "./plugin/Plugin.ts"
export { decodeConfig } from "./plugin/decodeConfig.ts"
export type {
  ApiHttp,
  ByteResponse,
  LoadContext,
  Plugin,
  PluginContext,
  SendOptions,
  SentResponse,
  SinkInstance,
  SourceInstance,
  StoreView,
  TargetWrite,
  VerifyContext,
  WriteResult
} from "./plugin/Plugin.ts"
export { ApiError, PluginError, RecordRejected, StoreError, SystemError } from "./errors.ts"
export { entityOrder, quarantine, record } from "./canonical/Canonical.ts"
export type { CanonicalRecord, EntityName, EntityTypes, Extracted } from "./canonical/Canonical.ts"
export { columns, naturalKey } from "./canonical/schemas.ts"
export type { Column } from "./canonical/schemas.ts"
export { derivedId } from "./canonical/ids.ts"
export { normalizeUrl } from "./plugin/identity.ts"
export type { StoredBlob } from "./store/BlobStore.ts"
export { failpoints } from "./pipeline/Failpoint.ts"
export { requestsCountedAs } from "./http/RequestKind.ts"
