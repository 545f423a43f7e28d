/** What one `migrate run` (or `plan`, a dry run) is asked to do: the spec's sections, the runtime, the command line. */
import type { SandboxOptions } from "../../plugin/Plugin.ts"
import type { Registry } from "../../plugin/Registry.ts"
import type { BudgetRule } from "../../policy/RequestBudget.ts"
import type { RetryOptions } from "../../policy/RetryPolicy.ts"
import type { SystemThrottles } from "../../policy/SystemThrottles.ts"
import type { RunReport } from "../../report/RunReport.ts"
import type { ReportPaths } from "../../report/writeRunReport.ts"
import type { Progress } from "../Progress.ts"

export interface PluginSection {
  readonly type: string
  readonly config: Readonly<Record<string, unknown>>
}

export interface RuntimeSettings {
  readonly concurrency: number
  readonly requestTimeoutMs: number
  readonly retry: RetryOptions
  readonly rateLimits: Readonly<Record<string, string>>
  /** `runtime.budget`; absent: no budget. */
  readonly budget?: Readonly<Record<string, BudgetRule>> | undefined
}

export interface RunSettings {
  readonly command: string
  readonly specFile: string | null
  readonly statePath: string
  readonly source: PluginSection
  readonly transforms: ReadonlyArray<PluginSection>
  readonly sinks: ReadonlyArray<PluginSection>
  readonly runtime: RuntimeSettings
  readonly dryRun: boolean
  readonly full: boolean
  /** When set, every plugin with a sandbox gets one, and its section is pointed at it. */
  readonly sandbox: SandboxOptions | undefined
  readonly registry: Registry
  readonly progress: Progress
  /** `run --rebind`: the state follows the spec to another source project or target (checkBindings.ts). */
  readonly rebind?: boolean | undefined
  /** `plan`: keep the estimate beside the state for the next run's report (a `run --dry-run` only shows it). */
  readonly keepEstimate?: boolean | undefined
  /**
   * A dry run without sinks extracts into a throw-away copy of the store all the same, so that its counts say what
   * is new or changed at the source since the store was written (`cutover` re-reads the source this way).
   */
  readonly compareWithStore?: boolean | undefined
  /** The source must see every change since the last run (`cutover`): ExtractOptions.everyChange. */
  readonly everyChange?: boolean | undefined
  /** The systems' throttles, when several runs share them (the projects of one spec); absent: the run's own. */
  readonly throttles?: SystemThrottles | undefined
  /** The project of a spec with `projects:` this run migrates (its key), for the report. */
  readonly project?: string | undefined
  /** Subtracted from an extract's start to make its watermark; default `WATERMARK_SAFETY_MS` (planExtract.ts). */
  readonly watermarkSafetyMs?: number | undefined
}

export interface RunResult {
  readonly report: RunReport
  readonly reportPaths: ReportPaths | undefined
}
