/**
 * Jira user keys for the tenant's Cloud accountIds. Zephyr Scale Data Center names every user by a Jira user key
 * (`owner`, `createdBy`, `executedBy`, USER_LIST custom fields …), never an accountId; users created since Jira 8.4
 * have keys of the form `JIRAUSER<number>` (docs/vendors/zephyr.md §2). The sandbox derives one from each accountId — `JIRAUSER`
 * followed by 10000 + the CRC-32 of the accountId — so one user has one key everywhere in the tenant, on every
 * request and after a restart. Entities without a user are attributed to the sandbox's own Basic-auth user,
 * `migrate`, an old-style key (a lower-cased user name), so a client meets both styles.
 */
import { crc32 } from "../crc32.ts"

const utf8 = new TextEncoder()

/** The key of a user the tenant knows only by accountId. */
export const dcUserKey = (accountId: string): string => `JIRAUSER${10_000 + crc32(utf8.encode(accountId))}`

/**
 * Whether a custom-field string is an accountId (a USER_LIST value on Cloud): the three shapes Atlassian issues —
 * 24 lower-case letters and digits with at least one digit, `<number>:<uuid>`, or a bare UUID — as the Cloud
 * mapping reads them (plugins/zephyr/mapping/mapCustomFields.ts; sandbox code does not import the mapping).
 */
export const isAccountId = (value: string): boolean =>
  /^(?=[0-9a-z]*\d)[0-9a-z]{24}$|^\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
