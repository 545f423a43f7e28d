/**
 * Colour only for a person at a terminal: none when the output is not a terminal (a pipe, a file, CI's log), when
 * `NO_COLOR` is set to anything (no-color.org), or when `TERM=dumb`. `@effect/cli` styles its help and its
 * messages with ANSI codes whatever the output is, so the CLI's console drops them when colour is off.
 */
import { Console, Effect } from "effect"

/** Select Graphic Rendition sequences: the colours and bold of styled text (cursor moves are left alone). */
const SGR = /\u001b\[[0-9;]*m/g

export const stripColour = (text: string): string => text.replace(SGR, "")

/** Whether text written to `stream` may carry colour, under `env`. */
export const colourWanted = (stream: { readonly isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false
  if (env["TERM"] === "dumb") return false
  return stream.isTTY === true
}

const plain = (args: ReadonlyArray<unknown>): ReadonlyArray<unknown> => args.map((a) => (typeof a === "string" ? stripColour(a) : a))

/** A console whose text output carries no colour codes. */
export const plainConsole = (base: Console.Console): Console.Console => ({
  ...base,
  log: (...args) => base.log(...plain(args)),
  info: (...args) => base.info(...plain(args)),
  warn: (...args) => base.warn(...plain(args)),
  error: (...args) => base.error(...plain(args)),
  debug: (...args) => base.debug(...plain(args))
})

/** Runs `effect` with a console that drops colour unless stdout is a terminal that wants it. */
export const withColourManners = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  colourWanted(process.stdout) ? effect : Effect.flatMap(Effect.console, (base) => Console.withConsole(effect, plainConsole(base)))
