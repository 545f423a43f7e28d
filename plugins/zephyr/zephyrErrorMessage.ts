/**
 * The message of a Zephyr error body (docs/vendors/zephyr.md): `{"errorCode": 400, "message": "…"}`, or — for a
 * missing or wrong token, from the gateway — `{"error": "…"}`; Zephyr DC's (Jira's) `{"errorMessages": ["…"]}`.
 * Anything else: undefined (core shows the text).
 */
export const zephyrErrorMessage = (body: string): string | undefined => {
  const parsed: unknown = JSON.parse(body)
  if (typeof parsed !== "object" || parsed === null) return undefined
  const { message, error, errorMessages } = parsed as { readonly message?: unknown; readonly error?: unknown; readonly errorMessages?: unknown }
  if (typeof message === "string") return message
  if (typeof error === "string") return error
  const messages = Array.isArray(errorMessages) ? errorMessages.filter((m): m is string => typeof m === "string") : []
  return messages.length > 0 ? messages.join("; ") : undefined
}
