/**
 * The plugin contract. A plugin is a value: `definePlugin({ name, kind, configSchema, make })`.
 * It only says how to talk to its system; retries, rate limits, ordering, storage, dry-run, progress and
 * reporting live in core and reach the plugin through `PluginContext`.
 */
import type { Effect, Option, Scope, Stream } from "effect"
import type { ApiError, PluginError, StoreError, SystemError } from "../errors.ts"
import type { EntityName, EntityTypes, Extracted, SourceItem } from "../canonical/Canonical.ts"
import type { RecordRejected } from "../errors.ts"
import type { BlobStore } from "../store/BlobStore.ts"
import type { ReportSink } from "../report/ReportSink.ts"

export type PluginKind = "source" | "transform" | "sink"

/** Options for `ctx.http`: the plugin says where and how to authenticate; core adds the policies. */
export interface HttpOptions {
  readonly baseUrl: string
  /** Sent as `Authorization: Bearer …`; unwrapped only inside core's HTTP layer. */
  readonly bearer?: import("effect").Redacted.Redacted<string> | undefined
  /** Sent as `Authorization: Basic …` (a server that takes a user's password); the password is unwrapped only inside core's HTTP layer. */
  readonly basic?: { readonly username: string; readonly password: import("effect").Redacted.Redacted<string> } | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /**
   * The message of the system's error body, for ApiError messages (e.g. Zephyr's `{errorCode, message}`); core
   * knows no vendor's format. Undefined (or absent): the body's text, cut to 300 characters.
   */
  readonly errorMessage?: ((body: string) => string | undefined) | undefined
}

/** What core gives a plugin instance. */
export interface PluginContext {
  /** The plugin's name, used for logs, rate limits (`runtime.rateLimits.<system>`) and request counts. */
  readonly system: string
  /**
   * An HTTP client bound to `baseUrl` (ApiHttp: one `send`), with auth, JSON accept header, the per-request
   * timeout, core's token-bucket rate limit for this system, core's retry policy and request counting applied. Non-2xx responses fail
   * with `ApiError` (reason from the status), transport failures with reason Transport/Timeout.
   */
  readonly http: (options: HttpOptions) => ApiHttp
  readonly blobs: BlobStore
  readonly report: ReportSink
  /** Bounded concurrency for remote calls (`runtime.concurrency`). Never "unbounded" against an API. */
  readonly concurrency: number
  readonly dryRun: boolean
  /**
   * Read-only lookup of a record already in the state store (committed by this or an earlier run), e.g. a test
   * case's id by its key when an incremental or resumed run re-reads an execution but not its case. None when
   * the store has no such record. Absent when there is no store to ask (a first dry run, a plugin driven
   * directly in a test): a source then falls back to what it read itself.
   */
  readonly known?: KnownLookup | undefined
  /**
   * For a client that does not go through `http` (a database driver): the run's retry policy (`runtime.retry`,
   * core's backoff) around an operation, retrying the failures `retryable` accepts. The operation must be safe
   * to repeat. Retries are counted in the report like HTTP ones.
   */
  readonly retryWhen: <E>(retryable: (error: E) => boolean) => <A, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Counts one call of such a client in the report's requests for this system (HTTP calls count themselves). */
  readonly countRequest: (failed?: boolean) => void
  /** Counts retries such a client's driver made on its own, out of core's sight (some of them after a 429). */
  readonly countRetries: (retries: number, throttled: number) => void
}

/** `(source_system, source_id)` is the natural key of every entity; `source_key` is indexed too. */
export type KnownLookup = (
  entity: EntityName,
  where: { readonly source_system: string } & ({ readonly source_id: string } | { readonly source_key: string })
) => Effect.Effect<Option.Option<Readonly<Record<string, unknown>>>, StoreError>

/**
 * The HTTP surface a plugin uses: one call, with every policy applied — rate limit, timeout, core's retry policy,
 * request counting — failing with ApiError. Plugins decode the answer (with Schema) where they make the request.
 */
export interface ApiHttp {
  /**
   * Any request (relative to baseUrl, or an absolute URL such as a `next` link) with any body (JSON, form, raw
   * bytes or a re-creatable byte stream) and per-request headers. Answers the parsed JSON body (null when empty)
   * with status and headers — or, with `response: "bytes"`, the body as a byte stream, never buffered whole (the
   * request is retried until the headers arrive; a stream that breaks off later fails with ApiError Transport).
   * Retries: GET, PUT and DELETE on every transient failure; POST and PATCH only on 429 (`unappliedOnly`), since a
   * create that timed out may have been applied — the caller's exactly-once protocol looks before creating again.
   * `retry` overrides the choice.
   */
  readonly send: {
    (method: HttpMethod, pathOrUrl: string, options: SendOptions & { readonly response: "bytes" }): Effect.Effect<ByteResponse, ApiError>
    (method: HttpMethod, pathOrUrl: string, options?: SendOptions): Effect.Effect<SentResponse, ApiError>
  }
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

export type RequestBody =
  | { readonly _tag: "json"; readonly value: unknown }
  | { readonly _tag: "form"; readonly value: Readonly<Record<string, string>> }
  | { readonly _tag: "bytes"; readonly value: Uint8Array; readonly contentType: string }
  /** Made anew for every attempt, so a retried upload re-reads its source instead of a consumed stream. */
  | { readonly _tag: "stream"; readonly make: () => Stream.Stream<Uint8Array, unknown>; readonly contentType: string; readonly contentLength?: number | undefined }

export interface SendOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>> | undefined
  /** Set after the bearer, so an `authorization` header here replaces it (e.g. a login's Basic auth). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body?: RequestBody | undefined
  readonly retry?: "transient" | "unappliedOnly" | "none" | undefined
  /** `bytes`: answer the body as a stream (downloads); default `json`. */
  readonly response?: "json" | "bytes" | undefined
}

export interface SentResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

export interface ByteResponse {
  readonly contentType: string | undefined
  readonly contentLength: number | undefined
  readonly stream: Stream.Stream<Uint8Array, ApiError>
}

/** A declared CLI option of a sandbox, surfaced by `migrate sandbox` (e.g. zephyr's `--zephyr-data`). */
export interface SandboxOption {
  readonly name: string
  readonly description: string
  readonly type: "string" | "integer" | "number" | "boolean" | "file"
}

/**
 * Options every sandbox understands (docs/architecture.md#sandboxes-and-contract-tests), plus the plugin's own
 * declared ones.
 */
export interface SandboxOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly seed?: number | undefined
  readonly scale?: "demo" | "small" | "medium" | "large" | undefined
  readonly latencyMs?: number | undefined
  readonly rateLimit?: number | undefined
  /** Requests per minute / per month before 429, announced in `x-ratelimit-*` headers (core/sandbox/TransportOptions.ts). */
  readonly quotaPerMinute?: number | undefined
  readonly quotaPerMonth?: number | undefined
  readonly faultRate?: number | undefined
  /**
   * Where a sandbox may keep its state between runs (`run --sandbox`: beside the sandbox store), so rehearsals
   * build on each other like runs against the real system. Absent: start empty.
   */
  readonly stateDir?: string | undefined
  /**
   * The plugin's section of the spec, as written (secrets still references), when the sandbox starts for a spec:
   * so it imitates the kind of system the section points at (a product edition, say). Absent without a spec.
   */
  readonly config?: Readonly<Record<string, unknown>> | undefined
  readonly extra: Readonly<Record<string, string | number | boolean | undefined>>
}

/**
 * Which system and project a plugin's config points at (`Plugin.identity`). The state store records it on the
 * first run and refuses a spec that points the same state at another one (binding): an id map made for one qTest
 * project means nothing in another, and a store of one Zephyr project is not another's.
 */
export interface SystemIdentity {
  /** What must stay the same, normalised, e.g. `{ baseUrl: "https://acme.qtestnet.com", projectId: "12345" }`. */
  readonly key: Readonly<Record<string, string>>
  /** The same for a person: "qTest project 12345 at https://acme.qtestnet.com". */
  readonly description: string
}

export interface RunningSandbox {
  readonly baseUrl: string
  /**
   * The sandbox's stable identity, in place of `Plugin.identity` of its config: its URL changes with every start,
   * what it serves does not.
   */
  readonly identity?: SystemIdentity | undefined
  /** What `run --sandbox` merges into the plugin's spec section so it points at this sandbox (URL, token, project). */
  readonly configOverrides: Readonly<Record<string, unknown>>
  /**
   * What a person needs besides the URL to point a client at the sandbox (account, user, password, …), printed by
   * `migrate sandbox` under the URL. Sandbox credentials only: never a real secret.
   */
  readonly connect?: Readonly<Record<string, string>> | undefined
}

export interface SandboxCapability {
  readonly options: ReadonlyArray<SandboxOption>
  /** Starts a local server; it stops when the scope closes. */
  readonly start: (options: SandboxOptions) => Effect.Effect<RunningSandbox, SystemError | PluginError, Scope.Scope>
}

export interface ExtractOptions {
  /**
   * Incremental runs: an ISO date-time; extract what changed after it (plus whatever cannot be filtered, e.g.
   * small lookup lists). Absent: a complete pass. Core takes it from the last completed extract's watermark.
   */
  readonly since?: string | undefined
  /**
   * The `state` of the last committed `Checkpoint` of an extract that did not finish (killed, failed,
   * interrupted). The source continues from there without re-reading what the checkpoint covers; `since` is the
   * one the cut-short extract had. Absent: start from the beginning. A state the source cannot read (written by
   * another version) should be reported and treated as absent.
   */
  readonly resume?: unknown
  /**
   * The caller must see every change since `since` (the cut-over's final run and its re-read of the source): a
   * source whose incremental read may miss some changes (one told to read only new records, say) reads
   * everything instead, and says so in the report. Absent: the source reads as configured.
   */
  readonly everyChange?: boolean | undefined
}

export interface SourceInstance {
  /** Reachability and permissions: fails with SystemError carrying a hint the user can act on. */
  readonly check: Effect.Effect<void, SystemError>
  /** Counts for progress, per canonical entity (best effort). */
  readonly estimate: Effect.Effect<Readonly<Record<string, number>>, SystemError>
  /**
   * Every record in dependency order; malformed source records come out as `Quarantine` items, not failures.
   * `Checkpoint` items mark resume points (emit one often — after every page — so a resumed run re-reads
   * little); `ChildSet` items declare a re-read parent's complete children so vanished ones are removed.
   */
  readonly extract: (options: ExtractOptions) => Stream.Stream<SourceItem, SystemError>
}

export interface TransformInstance {
  /** Pure: returns the record (possibly changed) or `undefined` to skip it. */
  readonly apply: (record: Extracted) => Effect.Effect<Extracted | undefined>
}

/**
 * One write a sink wants done exactly once (docs/architecture.md#exactly-once-sinks), handed to
 * `LoadContext.write`. Core records an intent, calls `create` (or `update` when the hash changed since the last
 * write), and commits the id map row after the target confirms. When an earlier attempt left an intent open —
 * killed, or a timeout whose answer never came — `lookup` is asked first, so an object the target did create is
 * found instead of made twice.
 */
export interface TargetWrite {
  /** The sink's object kind, e.g. qTest "test-case", "test-run". */
  readonly entity: string
  /** The source identity the object is keyed by (a source id, or a composite such as `cycle|case`). */
  readonly key: string
  /** For the report and progress, e.g. "PROJ-T12". */
  readonly label: string
  /** Hash of what would be written; equal to the id map's → nothing to do. */
  readonly hash: string
  readonly create: Effect.Effect<string, ApiError | SystemError>
  /** Absent: the object cannot change after creation; a changed hash is reported, not written. */
  readonly update?: ((targetId: string) => Effect.Effect<void, ApiError | SystemError>) | undefined
  /** The object an unconfirmed earlier create may have left on the target, by its recovery key. */
  readonly lookup: Effect.Effect<Option.Option<string>, ApiError | SystemError>
  /**
   * A note kept with the id map row (`LoadContext.mapped` returns it): what the sink must remember about the
   * object as it was written and cannot derive again from the store. Absent: the row keeps the memo it had.
   */
  readonly memo?: string | undefined
  /**
   * Requests a create or an update of this object sends, when not one: an upload in parts, a job submitted and
   * then polled, a write that only records what another one sent (0). Planning adds it to the run's estimate.
   */
  readonly requests?: number | undefined
}

export type WriteOutcome = "created" | "updated" | "unchanged" | "recovered" | "stale"

/**
 * What a load tallies: a write's outcomes, rows removed from a target that mirrors the store (`counted`), and
 * objects found already migrated on the target and taken into the id map (`adopt`).
 */
export type LoadOutcome = WriteOutcome | "removed" | "adopted"

export interface WriteResult {
  /** The target's id; while planning, `planned:<entity>:<key>` for an object not created yet. */
  readonly targetId: string
  readonly outcome: WriteOutcome
  /** True while planning (`plan`, `--dry-run`): nothing was sent. */
  readonly planned: boolean
}

/** A mapping the spec does not cover: listed by `plan`, reported by `run`. */
export interface MappingGap {
  readonly kind: string
  /** The target field or vocabulary, e.g. "Priority", "execution status". */
  readonly field?: string | undefined
  /** The source value with no counterpart. */
  readonly value: string
  /** The record it touched, e.g. "PROJ-T12". */
  readonly object?: string | undefined
  readonly hint?: string | undefined
}

/** Reading the canonical store (RecordReader): streams, children by owner column, one record by source id. */
export interface StoreView {
  /**
   * Every record of an entity, page by page. In store order by default; `orderBy` (columns, ascending, nulls
   * first) when the sink needs another, e.g. executions by cycle, case and time.
   */
  readonly records: <E extends EntityName>(entity: E, options?: { readonly orderBy?: ReadonlyArray<keyof EntityTypes[E] & string> }) => Stream.Stream<EntityTypes[E], StoreError>
  readonly where: <E extends EntityName>(
    entity: E,
    match: Readonly<Partial<Record<keyof EntityTypes[E] & string, string | number>>>
  ) => Effect.Effect<ReadonlyArray<EntityTypes[E]>, StoreError>
  readonly bySourceId: <E extends EntityName>(entity: E, sourceId: string) => Effect.Effect<Option.Option<EntityTypes[E]>, StoreError>
  readonly count: (entity: EntityName) => Effect.Effect<number, StoreError>
  /**
   * Every record's natural key (values in the schema's key order) and content hash, and nothing else: what a sink
   * needs to tell whether a whole table changed since it last loaded it, at a fraction of reading the records.
   */
  readonly keyHashes: (entity: EntityName) => Stream.Stream<{ readonly key: ReadonlyArray<string | number>; readonly hash: string }, StoreError>
}

export interface LoadContext {
  readonly store: StoreView
  /** The exactly-once write. Fails with RecordRejected when the target refuses this record (a 4xx). */
  readonly write: (write: TargetWrite) => Effect.Effect<WriteResult, RecordRejected | SystemError | StoreError>
  /** What an earlier write of this identity produced, if any, with the memo it left (TargetWrite.memo). */
  readonly mapped: (entity: string, key: string) => Effect.Effect<Option.Option<{ readonly targetId: string; readonly hash: string; readonly memo?: string | undefined }>, StoreError>
  /**
   * Keys of this sink's writes of `entity` that an earlier run began and never confirmed (open intents). A sink
   * that decides from the target whether to write (e.g. "create the field unless it exists") writes these again,
   * so their look-up closes them; otherwise they stay open, and `verify` reports them, forever.
   */
  readonly unconfirmed: (entity: string) => Effect.Effect<ReadonlyArray<string>, StoreError>
  /** Quarantines a record the sink cannot load (its own rule or the target's refusal); the load goes on. */
  readonly reject: (rejection: RecordRejected) => Effect.Effect<void, StoreError>
  /**
   * For a sink that writes sets, not objects (a warehouse MERGE is idempotent by its natural key and needs no id
   * map): tallies `n` records of `entity` with one outcome, for the report and progress. Object sinks use `write`.
   */
  readonly counted: (entity: string, outcome: LoadOutcome, n: number) => Effect.Effect<void>
  /** A record not loaded because something it depends on was not (counted, reported). */
  readonly skip: (entity: string, label: string, reason: string) => Effect.Effect<void>
  readonly gap: (gap: MappingGap) => Effect.Effect<void>
  /**
   * An object already on the target that this state's id map does not know — migrated by a run whose state was
   * lost, emptied, restored from an older copy, or belongs to another state — taken into the id map as if this
   * state had written it: `hash` is the hash of what the target holds now (as `verify` computes it), so the next
   * write of it sends only what differs. Closes an open create intent of the same key. Tallied as "adopted", and
   * answers true. Never replaces a mapping the state has (answers false): when the state maps the key to this same
   * object, only the row's hash is brought up to what the target holds — a state restored from an older copy then
   * does not send again what a later run wrote. This is how no loss of state can make a sink create its objects
   * twice: a sink whose objects carry a recovery key looks for them before it creates.
   */
  readonly adopt: (a: { readonly entity: string; readonly key: string; readonly targetId: string; readonly hash: string; readonly memo?: string | undefined }) => Effect.Effect<boolean, StoreError>
  /** Id map rows of this sink per entity: with the target's own counts, tells whether the target holds more. */
  readonly mappedCounts: Effect.Effect<Readonly<Record<string, number>>, StoreError>
  /** A small JSON value the sink keeps in the state between runs (e.g. what its last census found). */
  readonly sinkState: {
    readonly get: (name: string) => Effect.Effect<unknown, StoreError>
    readonly set: (name: string, value: unknown) => Effect.Effect<void, StoreError>
  }
  /** `plan` and `--dry-run`: `write` sends nothing and answers planned ids. Reads still happen. */
  readonly planning: boolean
  /**
   * False in a pass that runs while the extract still does (a sink that `follows`): `store` shows what the
   * extract has committed up to its last checkpoint — every parent with all of its children, but not yet
   * everything. Load what is ready and leave the rest for a later pass: a record whose parent or callee is not
   * in the store yet is left, not written in a degraded form. Such a pass's skips and gaps are not reported; the
   * final pass (true), after the extract, sees the whole store, loads the rest and reports.
   */
  readonly final: boolean
  /**
   * In a pass that is not final and follows an earlier one: the store as `store` shows it, less what the earlier
   * pass saw — by rowid, which for a table keyed by a source id is that id. For records the source lists in id
   * order (test cases, plans, cycles, executions) that is exactly what the extract committed in between; children
   * with derived ids (steps, fields, links, attachments) may fall outside it: reach those through their parents.
   * A sink may load only what this makes ready (new test cases, the pairs of new executions) instead of going
   * over everything again; the final pass goes over everything. Undefined in the first pass and in the final one.
   */
  readonly fresh?: StoreView | undefined
  /**
   * Planning: requests a run would send that this planning pass neither sends nor writes through `write` — reads
   * of objects the run creates first, a warehouse's staging statements — so `plan` can estimate the run's
   * requests. A run ignores it.
   */
  readonly willSend: (requests: number) => Effect.Effect<void>
  /**
   * `run --full`: the user asked for a complete pass. A sink that skips work on the strength of what it recorded
   * itself (the Snowflake sink's table fingerprints) checks everything instead, so it also repairs what was changed
   * on the target behind its back.
   */
  readonly full: boolean
}

export interface VerifyContext {
  readonly store: StoreView
  /** Every id map row of this sink, page by page. */
  readonly mapped: (entity?: string) => Stream.Stream<{ readonly entity: string; readonly source_id: string; readonly target_id: string; readonly content_hash: string }, StoreError>
  /** The id map row that names this target object, if any: how a bulk read of the target is reconciled. */
  readonly mappedTarget: (
    entity: string,
    targetId: string
  ) => Effect.Effect<Option.Option<{ readonly entity: string; readonly source_id: string; readonly target_id: string; readonly content_hash: string }>, StoreError>
  /**
   * One object checked: equal, different (with what differs) or missing on the target — or `extra`: on the
   * target, carrying the recovery key of a record of this store, but not the object the id map knows for it (a
   * duplicate, made by anything).
   */
  readonly result: (r: {
    readonly entity: string
    readonly key: string
    readonly label: string
    readonly targetId: string
    readonly status: "match" | "mismatch" | "missing" | "extra"
    readonly detail?: string | undefined
  }) => Effect.Effect<void>
}

export interface SinkInstance {
  /** Reachability and permissions: fails with SystemError carrying a hint the user can act on. */
  readonly check: Effect.Effect<void, SystemError>
  /**
   * Loads the store into the target: reads records through `ctx.store`, writes each target object through
   * `ctx.write` (exactly once, resumable), in the target's dependency order and at the concurrency it chooses
   * (`PluginContext.concurrency`). Fails only for what stops the whole load (401, unreachable); a refused
   * record is `ctx.reject`ed and the rest go on.
   */
  readonly load: (ctx: LoadContext) => Effect.Effect<void, SystemError | StoreError | PluginError>
  /**
   * Loads while the extract runs: core calls `load` once per new horizon of the store (`ctx.final` false) and
   * once more after the extract (`ctx.final` true), so the target's requests overlap the source's. The instance
   * keeps what it learnt of the target between passes (its vocabulary, a census) rather than asking again.
   * Absent or false: `load` is called once, after the extract.
   */
  readonly follows?: boolean | undefined
  /** Reads the target back and reports each mapped object through `ctx.result` (`migrate verify`). */
  readonly verify?: ((ctx: VerifyContext) => Effect.Effect<void, SystemError | StoreError | PluginError>) | undefined
}

type InstanceOf<K extends PluginKind> = K extends "source" ? SourceInstance : K extends "transform" ? TransformInstance : SinkInstance

export interface Plugin<K extends PluginKind = PluginKind, C = unknown> {
  readonly name: string
  readonly kind: K
  /** JSON Schema of the plugin's section of the spec (minus `type`); unknown keys must be rejected. */
  readonly configSchema: Readonly<Record<string, unknown>>
  /** Example configs; the conformance kit checks that each one validates. */
  readonly examples?: ReadonlyArray<Readonly<Record<string, unknown>>> | undefined
  /**
   * Builds the instance. `make` and `identity` are methods so that their `config` compares bivariantly: a
   * `Plugin<K, SomeConfig>` is a `Plugin` (the registry's element type) without a cast — the registry hands `make`
   * the plugin's spec section only after validating it against `configSchema`.
   */
  make(config: C, ctx: PluginContext): Effect.Effect<InstanceOf<K>, SystemError | PluginError, Scope.Scope>
  readonly sandbox?: SandboxCapability | undefined
  /**
   * Which system and project the config points at (no secrets: it is stored and printed). Optional: a plugin
   * without one is not bound, and a state can be pointed anywhere by its spec.
   */
  identity?(config: C): SystemIdentity
  /**
   * A source's name for the part of its system the config reads (Zephyr: the project key). It names the extract's
   * checkpoint (`extract:<plugin>:<scope>`), so one state can hold several, and the report's source project.
   */
  scope?(config: C): string | undefined
  /**
   * A source's config key that names one project of its system (Zephyr: `projectKey`). With the spec's
   * `projects:`, core sets it to each project's key, so one source section serves every project; a source without
   * it migrates one project per spec.
   */
  readonly projectField?: string | undefined
}

export const definePlugin = <K extends PluginKind, C>(plugin: Plugin<K, C>): Plugin<K, C> => plugin
