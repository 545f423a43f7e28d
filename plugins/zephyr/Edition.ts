/**
 * The Zephyr Cloud editions this source reads, and what differs between them. Both speak the same v2 REST shapes
 * (docs/vendors/zephyr.md §1 and §3), so one client and one mapping serve both; what an edition lacks is said
 * here once, as capabilities, and the source's parts ask for the capability, never for an edition's name.
 */
export type EditionName = "cloud" | "essential"

export interface Edition {
  readonly name: EditionName
  /** The product as its users know it, for messages and the report. */
  readonly product: string
  /** Provenance of every record (`source_system`): which product a record came from. */
  readonly sourceSystem: string
  readonly defaultBaseUrl: string
  /** Where the user makes a token, for the hint when the API refuses it. */
  readonly tokenHint: string
  /**
   * How the four big lists are read: `cursor` — the `/nextgen` endpoints, in id order, filtered by `updatedAfter`
   * for incremental runs; `offset` — the `startAt` pages of the plain list endpoints, unfiltered.
   */
  readonly lists: "cursor" | "offset"
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
  }
}
