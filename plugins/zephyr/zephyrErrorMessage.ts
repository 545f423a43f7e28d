/**
 * The message of a Zephyr error body (docs/vendors/zephyr.md): `{"errorCode": 400, "message": "…"}`, or — for a
 * missing or wrong token, from the gateway — `{"error": "…"}`. Anything else: undefined (core shows the text).
 */
export const zephyrErrorMessage = (body: string): string | undefined => {
  const parsed: unknown = JSON.parse(body)
  if (typeof parsed !== "object" || parsed === null) return undefined
  const { message, error } = parsed as { readonly message?: unknown; readonly error?: unknown }
  return typeof message === "string" ? message : typeof error === "string" ? error : undefined
}
