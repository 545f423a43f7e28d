/**
 * Turns the `${env:NAME}` / `${file:PATH}` references of a plugin section into `Redacted` values. Runs after
 * validation (which sees the reference strings), so a plugin receives its secrets already wrapped and nothing
 * downstream can print them by accident. Problems name the variable or file, never a value. A URL with
 * credentials in it is refused here too: it is a literal secret the schema cannot see.
 */
import { readFile } from "node:fs/promises"
import * as path from "node:path"
import { Effect, Redacted } from "effect"
import type { SpecDocument } from "./SpecDocument.ts"
import { pointerOf } from "./jsonPointer.ts"
import type { SpecProblem } from "./SpecProblem.ts"
import { hasUrlCredentials } from "./hasUrlCredentials.ts"
import { embedsReference, malformedReference, secretReference } from "./secretReference.ts"

export interface SecretContext {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Under `run --sandbox` the sandboxes supply URLs and credentials: unresolvable secrets become empty. */
  readonly sandbox: boolean
  /** `${file:…}` paths are relative to the spec file's directory. */
  readonly specDir: string
  readonly document: SpecDocument
}

export interface Resolved {
  readonly value: unknown
  readonly problems: ReadonlyArray<SpecProblem>
}

export const resolveSecrets = (value: unknown, pointer: string, context: SecretContext): Effect.Effect<Resolved> =>
  Effect.gen(function* () {
    if (Array.isArray(value)) {
      const items = yield* Effect.forEach(value, (item, i) => resolveSecrets(item, pointer + pointerOf([i]), context))
      return { value: items.map((r) => r.value), problems: items.flatMap((r) => r.problems) }
    }
    if (typeof value === "object" && value !== null) {
      const entries = yield* Effect.forEach(Object.entries(value), ([key, item]) =>
        Effect.map(resolveSecrets(item, pointer + pointerOf([key]), context), (r) => [key, r] as const)
      )
      return {
        value: Object.fromEntries(entries.map(([key, r]) => [key, r.value])),
        problems: entries.flatMap(([, r]) => r.problems)
      }
    }
    return yield* resolveString(value, pointer, context)
  })

const resolveString = (value: unknown, pointer: string, context: SecretContext): Effect.Effect<Resolved> => {
  const problem = (reason: SpecProblem["reason"], message: string): Resolved => ({
    value,
    problems: [{ reason, at: context.document.valueAt(pointer), path: pointer, message }]
  })
  if (hasUrlCredentials(value)) {
    return Effect.succeed(
      problem("Schema", "a URL must not carry a user or password (user:password@host): that is a secret written in the spec — give the credentials in the section's own fields, as ${env:NAME}")
    )
  }
  if (embedsReference(value)) {
    return Effect.succeed(
      problem("Schema", "a ${env:…} or ${file:…} reference must be the whole value — references inside text are not expanded")
    )
  }
  const reference = secretReference(value)
  if (reference === undefined) return Effect.succeed({ value, problems: [] })
  const malformed = malformedReference(reference)
  if (malformed !== undefined) return Effect.succeed(problem("Schema", malformed))
  const unresolved = (reason: SpecProblem["reason"], message: string): Resolved =>
    context.sandbox ? { value: Redacted.make(""), problems: [] } : problem(reason, message)

  if (reference.kind === "env") {
    const found = context.env[reference.name]
    if (found === undefined) {
      return Effect.succeed(
        unresolved("Env", `environment variable ${reference.name} is not set — export it, or use run --sandbox`)
      )
    }
    if (found === "") {
      return Effect.succeed(
        unresolved("Env", `environment variable ${reference.name} is empty — export its value, or use run --sandbox`)
      )
    }
    return Effect.succeed({ value: Redacted.make(found), problems: [] })
  }

  const file = path.resolve(context.specDir, reference.path)
  return Effect.tryPromise(() => readFile(file, "utf8")).pipe(
    Effect.map((content): Resolved => {
      const secret = content.trim()
      // as an empty variable is: the plugin would only see "token is required" and point at ${env:…}
      if (secret === "") return unresolved("File", `secret file ${reference.path} is empty (looked at ${file}) — write the secret into it, or use run --sandbox`)
      return { value: Redacted.make(secret), problems: [] }
    }),
    Effect.catchAll((error) => {
      const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? "unreadable"
      return Effect.succeed(
        unresolved("File", `cannot read secret file ${reference.path} (${code}, looked at ${file}) — ${unreadableAdvice[code] ?? "check it"}, or use run --sandbox`)
      )
    })
  )
}

const unreadableAdvice: Readonly<Record<string, string>> = {
  ENOENT: "create it",
  EACCES: "make it readable by the user running migrate",
  EPERM: "make it readable by the user running migrate",
  EISDIR: "name the file, not its directory"
}
