/**
 * The Jira issues linked to a Zephyr execution, as qTest is given them: the numeric Jira issue id Zephyr keeps
 * (canonical Link `issue_id`; the source gives no issue key), as text, distinct, in numeric order —
 * so the "Zephyr Defects" text, and its hash, do not depend on the order links were read in.
 */
import type { Link } from "./canonical.ts"

/** The issue's id: `issue_id`, else the trailing number of its REST URL (`…/issue/10023`), else the target as is. */
export const jiraIssueId = (link: Link): string => (link.issue_id !== null ? String(link.issue_id) : (/(\d+)\/?$/.exec(link.target)?.[1] ?? link.target))

const byNumber = (a: string, b: string) => {
  const x = Number(a)
  const y = Number(b)
  return Number.isFinite(x) && Number.isFinite(y) && x !== y ? x - y : a < b ? -1 : a > b ? 1 : 0
}

/** The distinct Jira issue ids of the ISSUE links among `links`, sorted. */
export const jiraIssueIds = (links: Iterable<Link>): ReadonlyArray<string> => {
  const ids = new Set<string>()
  for (const l of links) if (l.kind === "ISSUE") ids.add(jiraIssueId(l))
  return [...ids].sort(byNumber)
}

/** The "Zephyr Defects" field's text: `10023, 10031`; null for none. */
export const defectsText = (ids: ReadonlyArray<string>): string | null => (ids.length === 0 ? null : [...ids].sort(byNumber).join(", "))
