/**
 * Rejection rules set through the control endpoint `POST /__sandbox/reject`: the next creates and updates of an
 * object type whose name contains a string are answered with a chosen status and `{message}` instead of being
 * applied. It lets a test provoke what a real site does to one record (a 400 for a value it dislikes, a 413,
 * a 500) and check that the migrator quarantines that record and goes on. A rule with a `projectId` applies to
 * that project's writes only; without, to every project's.
 */
import { isObject } from "./Body.ts"

export const REJECTABLE_TYPES = ["test-cases", "test-steps", "modules", "test-runs", "test-logs", "test-cycles", "test-suites", "releases", "requirements", "fields"] as const
export type RejectableType = (typeof REJECTABLE_TYPES)[number]

export interface RejectRule {
  readonly objectType: RejectableType
  /** Only writes to this project; absent: every project of the site. */
  readonly projectId?: number
  readonly nameContains?: string
  readonly status: number
  readonly message: string
  /** How many more requests it answers; undefined = until reset. */
  readonly times?: number
}

/** Validates a control-endpoint body: the rule, or the problems. */
export const parseRejectRule = (body: unknown): RejectRule | Array<string> => {
  if (!isObject(body)) return ["the body must be a JSON object {objectType, projectId?, nameContains?, status, message, times?}"]
  const problems: Array<string> = []
  const { objectType, projectId, nameContains, status, message, times } = body
  if (typeof objectType !== "string" || !(REJECTABLE_TYPES as ReadonlyArray<string>).includes(objectType)) problems.push(`objectType must be one of ${REJECTABLE_TYPES.join(", ")}`)
  if (projectId !== undefined && !(typeof projectId === "number" && Number.isInteger(projectId) && projectId > 0)) problems.push("projectId must be a project id")
  if (nameContains !== undefined && typeof nameContains !== "string") problems.push("nameContains must be a string")
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) problems.push("status must be an HTTP error status (400..599)")
  if (typeof message !== "string") problems.push("message must be a string")
  if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) problems.push("times must be a positive integer")
  if (problems.length > 0) return problems
  return {
    objectType: objectType as RejectableType,
    ...(typeof projectId === "number" ? { projectId } : {}),
    ...(typeof nameContains === "string" ? { nameContains } : {}),
    status: status as number,
    message: message as string,
    ...(typeof times === "number" ? { times } : {})
  }
}

export const makeRejections = () => {
  let rules: Array<RejectRule> = []
  return {
    add: (rule: RejectRule): void => {
      rules.push(rule)
    },
    /** Every rule, or (with `projectId`) the rules of that project alone. */
    clear: (projectId?: number): void => {
      rules = projectId === undefined ? [] : rules.filter((r) => r.projectId !== projectId)
    },
    /** The refusal for a write of `objectType` named `name` to a project, consuming one use of the matching rule. */
    take: (objectType: string, name: string | undefined, projectId: number): { readonly status: number; readonly message: string } | undefined => {
      const index = rules.findIndex(
        (r) => r.objectType === objectType && (r.projectId === undefined || r.projectId === projectId) && (r.nameContains === undefined || (name ?? "").includes(r.nameContains))
      )
      const rule = rules[index]
      if (rule === undefined) return undefined
      if (rule.times !== undefined) {
        if (rule.times <= 1) rules.splice(index, 1)
        else rules[index] = { ...rule, times: rule.times - 1 }
      }
      return { status: rule.status, message: rule.message }
    },
    list: (): ReadonlyArray<RejectRule> => [...rules]
  }
}

export type Rejections = ReturnType<typeof makeRejections>
