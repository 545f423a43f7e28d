/** Options shared by several commands. */
import { Options } from "@effect/cli"

// Text, not Options.file: @effect/cli would refuse a directory with its own terse message ("Expected path … to be
// a regular file") before the spec loader, which names the problem and the fix for every kind of bad path.
export const configOption = Options.text("config").pipe(
  Options.withPseudoName("FILE"),
  Options.withAlias("c"),
  Options.withDescription("the migration spec (default: migration.config.yaml in the current directory)"),
  Options.optional
)
export const jsonOption = Options.boolean("json").pipe(Options.withDescription("one JSON object per event on stdout, for machines"))
export const projectOption = Options.text("project").pipe(
  Options.withPseudoName("KEY"),
  Options.withDescription("with a spec of several projects (projects:), only this one"),
  Options.optional
)
export const verboseOption = Options.boolean("verbose").pipe(Options.withDescription("show stack traces of failures"))

/** The sandbox options every sandbox understands, shared by `sandbox` and `run --sandbox` (README, "Commands"). */
export const sandboxOptions = {
  port: Options.integer("port").pipe(Options.withDescription("first port to listen on (each sandbox takes the next one); default: free ports"), Options.optional),
  scale: Options.choice("scale", ["demo", "small", "medium", "large"]).pipe(Options.withDescription("size of the generated project (default: the built-in demo)"), Options.optional),
  seed: Options.integer("seed").pipe(Options.withDescription("seed of generated data and injected faults"), Options.optional),
  latencyMs: Options.integer("latency-ms").pipe(Options.withDescription("added to every response"), Options.optional),
  rateLimit: Options.float("rate-limit").pipe(Options.withDescription("requests per second before answering 429 with Retry-After"), Options.optional),
  quotaPerMinute: Options.integer("quota-per-minute").pipe(Options.withDescription("requests per minute before answering 429; x-ratelimit-* headers on every response"), Options.optional),
  quotaPerMonth: Options.integer("quota-per-month").pipe(Options.withDescription("requests per month before answering 429 (small values for rehearsals); x-ratelimit-* headers on every response"), Options.optional),
  faultRate: Options.float("fault-rate").pipe(Options.withDescription("probability (0–1) of a 5xx or a dropped connection"), Options.optional)
}
