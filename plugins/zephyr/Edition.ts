/**
 * The Zephyr editions this source reads, and what differs between them. The two Cloud ones speak the same v2 REST
 * shapes (docs/vendors/zephyr.md §1 and §3), so one client and one mapping serve both; what an edition lacks is
 * said here once, as capabilities, and the source's parts ask for the capability, never for an edition's name.
 * Zephyr DC speaks another API altogether (§2): its `lists: "tql"` selects the DC source (dc/DcSource.ts), which
 * lands the same canonical records.
 */
export type EditionName = "cloud" | "essential" | "dc"

export interface Edition {
  readonly name: EditionName
  /** The product as its users know it, for messages and the report. */
  readonly product: string
  /** Provenance of every record (`source_system`): which product a record came from. */
  readonly sourceSystem: string
  /** Undefined: every installation has its own (Zephyr DC runs inside the customer's Jira). */
  readonly defaultBaseUrl: string | undefined
  /** Where the user makes a token, for the hint when the API refuses it. */
  readonly tokenHint: string
  /**
   * How the four big lists are read: `cursor` — the `/nextgen` endpoints, in id order, filtered by `updatedAfter`
   * for incremental runs; `offset` — the `startAt` pages of the plain list endpoints, unfiltered; `tql` — Zephyr
   * DC's REST API v1 (docs/vendors/zephyr.md §2): TQL searches in its own shapes, read by the DC source (dc/).
   */
  readonly lists: "cursor" | "offset" | "tql"
  /** Whether an API token may download attachment files (else the record keeps the file's name, not its bytes). */
  readonly attachmentFiles: boolean
}

export const editions: Readonly<Record<EditionName, Edition>> = {
  cloud: {
    name: "cloud",
    product: "Zephyr (Cloud, formerly Zephyr Scale Cloud)",
    sourceSystem: "zephyr-scale-cloud",
    defaultBaseUrl: "https://api.zephyrscale.smartbear.com/v2",
    tokenHint: "generate a token in Jira → your profile → Zephyr API keys",
    lists: "cursor",
    attachmentFiles: true
  },
  essential: {
    name: "essential",
    product: "Zephyr Essential (Cloud, formerly Zephyr Squad Cloud)",
    sourceSystem: "zephyr-essential-cloud",
    defaultBaseUrl: "https://prod-api.zephyr4jiracloud.com/v2",
    tokenHint: "generate a token in Jira → Settings → Apps → Zephyr API Access Tokens",
    lists: "offset",
    attachmentFiles: false
  },
  dc: {
    name: "dc",
    product: "Zephyr DC (formerly Zephyr Scale Server / Data Center)",
    sourceSystem: "zephyr-dc",
    defaultBaseUrl: undefined,
    tokenHint: "create a personal access token in Jira → your profile → Personal Access Tokens, or set username and give the password as token",
    lists: "tql",
    attachmentFiles: true
  }
}
