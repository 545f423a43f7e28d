/** A SQL text with its positional (`?`) binds: what the client executes. Binds are strings or null (BindRow.ts). */
export interface Statement {
  readonly sql: string
  readonly binds: ReadonlyArray<string | null>
}
