/** JSON pointers (RFC 6901), the way every spec problem names its place besides line and column. */

/** `/sinks/0/a~1b` → ["sinks", "0", "a/b"]. */
export const pointerSegments = (pointer: string): ReadonlyArray<string> =>
  pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))

export const pointerOf = (segments: ReadonlyArray<string | number>): string =>
  segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")
