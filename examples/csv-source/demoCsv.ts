/**
 * The sandbox's default content: a deterministic CSV of test cases (same seed, same bytes), with the shapes a
 * real export has — nested folders, cases without steps, quoted cells holding commas, quotes and line breaks.
 */
import { caseColumns, stepColumns } from "./CsvColumns.ts"

/** mulberry32: tiny, seedable, and the same on every runtime. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const folders = ["/Accounts/Login", "/Accounts/Profile", "/Checkout", "/Checkout/Payment", "/Search", ""]
const priorities = ["High", "Normal", "Low"]
const statuses = ["Draft", "Approved", "Deprecated"]
const verbs = ["Open", "Submit", "Cancel", "Refresh", "Filter", "Sort", "Export"]
const things = ["the basket", "the login form", "a saved card", "the search results", "the profile page", "an order"]

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)

export interface DemoCsvOptions {
  readonly seed?: number | undefined
  readonly cases?: number | undefined
  readonly projectKey?: string | undefined
}

export const demoCsv = (options: DemoCsvOptions = {}): string => {
  const random = prng(options.seed ?? 1)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)] as A
  const columns = [...caseColumns, ...stepColumns]
  const lines = [columns.join(",")]
  const key = options.projectKey ?? "DEMO"
  for (let n = 1; n <= (options.cases ?? 40); n++) {
    const thing = pick(things)
    const steps = Math.floor(random() * 5) // 0..4; a case with none is one row with empty step cells
    const caseCells = {
      key: `${key}-${n}`,
      name: `${pick(verbs)} ${thing}${n % 7 === 0 ? ', then "undo"' : ""}`,
      folder: pick(folders),
      objective: n % 5 === 0 ? `Covers ${thing}.\nSecond line of the objective.` : "",
      precondition: n % 3 === 0 ? "Signed in as a customer" : "",
      priority: pick(priorities),
      status: pick(statuses),
      labels: n % 2 === 0 ? "regression;smoke" : "regression",
      component: n % 4 === 0 ? "web" : ""
    }
    for (let s = 0; s < Math.max(steps, 1); s++) {
      const first = s === 0
      const stepCells = steps === 0 ? { step: "", expected: "", test_data: "" } : { step: `${pick(verbs)} ${pick(things)}`, expected: `Step ${s + 1} succeeds`, test_data: s === 1 ? "user=demo, pass=secret" : "" }
      const cells: Record<string, string> = { ...(first ? caseCells : { ...Object.fromEntries(caseColumns.map((c) => [c, ""])), key: caseCells.key }), ...stepCells }
      lines.push(columns.map((c) => quote(cells[c] ?? "")).join(","))
    }
  }
  return `${lines.join("\r\n")}\r\n`
}
