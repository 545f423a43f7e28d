/**
 * The message of a qTest error body (docs/vendors/qtest.md): `{"message": "…"}` from the REST API, and OAuth's
 * `{"error": "invalid_grant", "error_description": "…"}` from `/oauth/token`. Anything else: undefined (core
 * shows the text).
 */
export const qtestErrorMessage = (body: string): string | undefined => {
  const parsed: unknown = JSON.parse(body)
  if (typeof parsed !== "object" || parsed === null) return undefined
  const { message, error, error_description } = parsed as { readonly message?: unknown; readonly error?: unknown; readonly error_description?: unknown }
  return typeof message === "string" ? message : typeof error_description === "string" ? error_description : typeof error === "string" ? error : undefined
}
