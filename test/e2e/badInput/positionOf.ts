/**
 * `line:col` (1-based, as the CLI reports) of the first occurrence of `needle` in a spec's text. A `|` in the needle
 * marks the column within it (`concurrency: |0` is the 0), for needles that must include context to be unique.
 */
export const positionOf = (text: string, needle: string): string => {
  const mark = Math.max(needle.indexOf("|"), 0)
  const found = text.indexOf(needle.replace("|", ""))
  if (found < 0) throw new Error(`"${needle}" is not in the spec:\n${text}`)
  const offset = found + mark
  const before = text.slice(0, offset)
  return `${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`
}
