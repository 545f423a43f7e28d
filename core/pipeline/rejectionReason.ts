/**
 * The quarantine reason of a record a target refused: the record as the user finds it (its label, e.g. the
 * Zephyr key), the target's own message, and what to do — unless the sink's message already says (` — `).
 * Refused records are tried again by every later run, so the fix is always at the source, then a run.
 */
import type { RecordRejected } from "../errors.ts"

const fixes: Readonly<Record<RecordRejected["reason"], string>> = {
  Refused: "correct the record at the source so the target accepts it; the next run tries it again",
  TooLarge: "the target refuses it as too large: shorten it at the source (or raise the target's limit); the next run tries it again",
  Loop: "break the loop at the source; the next run tries it again",
  Dependency: "load what it depends on first (see the record it names); the next run tries it again",
  Invalid: "correct the record at the source; the next run tries it again",
  Failing: "the target failed on this record at every attempt while it answered others: the next run looks it up (it may have been made) and tries it again; if it keeps failing, ask the target's support about this record"
}

export const rejectionReason = (r: RecordRejected): string => {
  const message = r.message.replace(/\s*\n\s*/g, " ")
  return `${r.label}: ${message.includes(" — ") ? message : `${message} — ${fixes[r.reason]}`}`
}
