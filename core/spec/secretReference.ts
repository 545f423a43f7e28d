/**
 * Secrets are references, not values: a spec string that is exactly `${env:NAME}` or `${file:PATH}` stands for a
 * secret the loader resolves into `Redacted`. Anything else is a literal.
 */

export type SecretReference =
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "file"; readonly path: string }

const referencePattern = /^\$\{(env|file):([^}]*)\}$/
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The reference a value is, if it is one (including malformed ones, so they can be reported). */
export const secretReference = (value: unknown): SecretReference | undefined => {
  if (typeof value !== "string") return undefined
  const match = referencePattern.exec(value)
  if (match === null) return undefined
  const [, kind, target = ""] = match
  return kind === "env" ? { kind: "env", name: target } : { kind: "file", path: target }
}

/** Why a reference cannot be resolved as written, or undefined when it is well-formed. */
export const malformedReference = (reference: SecretReference): string | undefined => {
  if (reference.kind === "env") {
    return envName.test(reference.name)
      ? undefined
      : `"\${env:${reference.name}}" is not a valid variable reference — use letters, digits and _ (e.g. \${env:ZEPHYR_TOKEN})`
  }
  return reference.path.trim() === "" ? "\"${file:}\" names no file — write ${file:path/to/secret}" : undefined
}

/** A string that embeds a reference without being one: resolution is whole-value only, so this is an error. */
export const embedsReference = (value: unknown): boolean =>
  typeof value === "string" && secretReference(value) === undefined && /\$\{(env|file):/.test(value)
