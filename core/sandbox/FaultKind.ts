/**
 * The kinds of failure a sandbox's `faultRate` injects, for scenarios that want one kind at a time: a 5xx
 * answer, a dropped connection (the client sees a reset, never a status), or a correct answer held past the
 * client's timeout. A sandbox given no `faultKinds` keeps its historical mix (and its seeded sequence).
 */
export type FaultKind = "5xx" | "drop" | "slow"

export const FAULT_KINDS: ReadonlyArray<FaultKind> = ["5xx", "drop", "slow"]

export const checkFaultKinds = (kinds: ReadonlyArray<FaultKind> | undefined, slowResponseMs: number | undefined): string | undefined => {
  if (kinds === undefined) return undefined
  if (kinds.length === 0) return "faultKinds must name at least one kind"
  const unknown = kinds.find((k) => !FAULT_KINDS.includes(k))
  if (unknown !== undefined) return `faultKinds: unknown kind ${JSON.stringify(unknown)} (known: ${FAULT_KINDS.join(", ")})`
  if (kinds.includes("slow") && slowResponseMs === undefined) return "faultKinds includes slow: set slowResponseMs (how long the answer is held)"
  return undefined
}
