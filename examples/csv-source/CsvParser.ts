/**
 * An incremental RFC 4180 CSV parser: fed text in chunks of any size (as bytes arrive from a file or a
 * download), it returns each complete row once its line ends, so a large file is never held whole. Quoted
 * fields may hold the delimiter, doubled quotes and line breaks; CRLF and LF both end a row.
 */
export interface CsvRow {
  /** 1-based line on which the row starts, for messages a person can follow to the file. */
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

export class CsvParser {
  private field = ""
  private fields: Array<string> = []
  private inQuotes = false
  /** A quote seen inside quotes: either the closing one or the first of a doubled `""`; the next char decides. */
  private quotePending = false
  /** A CR seen outside quotes: the row ended; an LF right after it belongs to the same line break. */
  private crPending = false
  private line = 1
  private rowLine = 1
  private rowStarted = false
  private readonly delimiter: string

  constructor(delimiter = ",") {
    this.delimiter = delimiter
  }

  feed(text: string): Array<CsvRow> {
    const rows: Array<CsvRow> = []
    for (const ch of text) {
      if (this.crPending) {
        this.crPending = false
        if (ch === "\n") continue
      }
      if (this.quotePending) {
        this.quotePending = false
        if (ch === '"') {
          this.field += '"'
          continue
        }
        this.inQuotes = false
      }
      if (this.inQuotes) {
        if (ch === '"') this.quotePending = true
        else {
          if (ch === "\n") this.line++
          this.field += ch
        }
        continue
      }
      if (!this.rowStarted) {
        this.rowStarted = true
        this.rowLine = this.line
      }
      if (ch === '"' && this.field === "") this.inQuotes = true
      else if (ch === this.delimiter) this.endField()
      else if (ch === "\n" || ch === "\r") {
        this.crPending = ch === "\r"
        this.line++
        const row = this.endRow()
        if (row) rows.push(row)
      } else this.field += ch
    }
    return rows
  }

  /** The input ended: the last row, if the file does not end with a line break. */
  end(): Array<CsvRow> {
    if (this.inQuotes && !this.quotePending) throw new Error(`a quoted field opened on line ${this.rowLine} is never closed`)
    this.quotePending = false
    this.inQuotes = false
    const row = this.endRow()
    return row ? [row] : []
  }

  private endField() {
    this.fields.push(this.field)
    this.field = ""
  }

  private endRow(): CsvRow | undefined {
    this.endField()
    const fields = this.fields
    this.fields = []
    const started = this.rowStarted
    this.rowStarted = false
    // Blank lines separate nothing in a CSV of test cases: skip them rather than emit a row of one empty field.
    if (!started || (fields.length === 1 && fields[0] === "")) return undefined
    return { line: this.rowLine, fields }
  }
}
