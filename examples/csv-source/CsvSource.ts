/**
 * The CSV source: `check` (the file or URL answers, and its header names known columns), `estimate` (counts, by
 * reading it once) and `extract` (Project, then per case: the folders it needs not yet emitted, the TestCase,
 * its TestSteps — each record after everything it refers to). Bytes stream in from the file or the download and
 * rows come out as their lines end: the file is never held whole. A row the plugin cannot turn into a case is
 * quarantined, never dropped; what the user must fix (path, URL, token, header) fails with a SystemError and a hint.
 */
import * as fs from "node:fs"
import { Chunk, Effect, Option, Stream } from "effect"
import { SystemError, type ApiError, type ApiHttp, type Extracted, type PluginContext, type SourceInstance, quarantine } from "../../core/index.ts"
import { cell, headerHint, readHeader, type Column } from "./CsvColumns.ts"
import { describeLocation, type CsvConfig } from "./CsvConfig.ts"
import { CsvParser, type CsvRow } from "./CsvParser.ts"
import { FolderTracker, mapCase, mapProject } from "./mapCases.ts"

const SYSTEM = "csv"

const fileError = (file: string) => (e: unknown): SystemError => {
  const code = (e as { code?: string } | null)?.code
  const message = `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`
  switch (code) {
    case "ENOENT":
      return new SystemError({ system: SYSTEM, reason: "NotFound", message, hint: `check source.file — a relative path is relative to the directory migrate runs in (${process.cwd()})` })
    case "EACCES":
    case "EPERM":
      return new SystemError({ system: SYSTEM, reason: "Forbidden", message, hint: "make the file readable by the user that runs migrate" })
    case "EISDIR":
      return new SystemError({ system: SYSTEM, reason: "NotFound", message, hint: "source.file names a directory: name the CSV file in it" })
    default:
      return new SystemError({ system: SYSTEM, reason: "Unreachable", message, hint: "check that the file exists and is readable" })
  }
}

const apiError = (url: string) => (e: ApiError): SystemError => {
  switch (e.reason) {
    case "Unauthorized":
    case "Forbidden":
      return new SystemError({ system: SYSTEM, reason: e.reason, message: `${url} refused the download (${e.status ?? e.reason})`, hint: "check source.token: give the server's token as ${env:CSV_TOKEN}" })
    case "NotFound":
      return new SystemError({ system: SYSTEM, reason: "NotFound", message: `${url} answered 404`, hint: "check source.url: it must name the CSV file itself" })
    case "Transport":
    case "Timeout":
      return new SystemError({ system: SYSTEM, reason: "Unreachable", message: e.message, hint: "check source.url and that the server is up" })
    default:
      return new SystemError({ system: SYSTEM, reason: "Protocol", message: e.message, hint: "check source.url: it must serve the CSV as is" })
  }
}

const malformed = (config: CsvConfig, problem: string) =>
  new SystemError({ system: SYSTEM, reason: "Protocol", message: `${describeLocation(config.location)}: ${problem}`, hint: headerHint })

export const makeCsvSource = (config: CsvConfig, ctx: PluginContext): SourceInstance => {
  const location = config.location
  // The download goes through core's HTTP layer: auth, rate limit, timeout, retries and request counting.
  const download = (url: string, http: ApiHttp) =>
    Stream.unwrap(Effect.map(http.send("GET", url, { response: "bytes" }), (r) => r.stream)).pipe(Stream.mapError(apiError(url)))
  const bytes: Stream.Stream<Uint8Array, SystemError> =
    location._tag === "File"
      ? Stream.suspend(() => Stream.fromAsyncIterable(fs.createReadStream(location.file) as AsyncIterable<Uint8Array>, fileError(location.file)))
      : download(location.url, ctx.http({ baseUrl: location.url, bearer: location.token }))

  /** Every row of the file, header first; a fresh parser per run of the stream, so extract can be run again. */
  const rows: Stream.Stream<CsvRow, SystemError> = Stream.suspend(() => {
    const parser = new CsvParser(config.delimiter)
    const end = Stream.suspend(() => {
      try {
        return Stream.fromIterable(parser.end())
      } catch (e) {
        return Stream.fail(malformed(config, e instanceof Error ? e.message : String(e)))
      }
    })
    return bytes.pipe(Stream.decodeText(), Stream.mapConcat((text) => parser.feed(text)), Stream.concat(end))
  })

  const headerOf = (row: CsvRow): Effect.Effect<ReadonlyMap<Column, number>, SystemError> => {
    const parsed = readHeader(row.fields)
    return parsed._tag === "Invalid" ? Effect.fail(malformed(config, `line ${row.line}: ${parsed.problems.join("; ")}`)) : Effect.succeed(parsed.index)
  }

  const header = Effect.flatMap(Stream.runHead(rows), (first) =>
    first._tag === "None" ? Effect.fail(malformed(config, "the file is empty")) : headerOf(first.value)
  )

  /** One read of the file: the header row, then the cases. State lives per run of the stream. */
  const records: Stream.Stream<Extracted, SystemError> = Stream.suspend(() => {
    let index: ReadonlyMap<Column, number> | undefined
    const folders = new FolderTracker(config)
    const firstLine = new Map<string, number>()
    const body = rows.pipe(
      Stream.mapEffect((row) =>
        index === undefined ? Effect.map(headerOf(row), (i) => ((index = i), Option.none<CsvRow>())) : Effect.succeed(Option.some(row))
      ),
      Stream.filterMap((row) => row),
      // A row without a key is a group of its own, quarantined below; its line makes the group key unique.
      Stream.groupAdjacentBy((row) => (index && cell(index, row.fields, "key")) ?? `\0${row.line}`),
      Stream.mapConcat(([key, group]): ReadonlyArray<Extracted> => {
        const [first, ...more] = Chunk.toReadonlyArray(group)
        if (first === undefined || index === undefined) return []
        if (key.startsWith("\0"))
          return [quarantine("TestCase", `line ${first.line}`, `line ${first.line}: the row has no key, so it belongs to no test case`, first.fields)]
        const seenAt = firstLine.get(key)
        if (seenAt !== undefined)
          return [
            // Its own source_id: the first occurrence was stored under the key and must not be confused with it.
            quarantine("TestCase", `${key} (line ${first.line})`, `line ${first.line}: test case ${key} appears again (first on line ${seenAt}); the rows of one case must be consecutive`, [first, ...more])
          ]
        firstLine.set(key, first.line)
        const { records: newFolders, folderId } = folders.enter(cell(index, first.fields, "folder"))
        return [...newFolders, ...mapCase(config, index, key, [first, ...more], folderId)]
      })
    )
    const emptyFile = Stream.suspend(() => (index === undefined ? Stream.fail(malformed(config, "the file is empty")) : Stream.empty))
    return Stream.succeed(mapProject(config)).pipe(Stream.concat(body), Stream.concat(emptyFile))
  })

  const extract = () => records

  return {
    check: Effect.asVoid(header),
    // Best effort, as the contract allows: one read of the file, counted per entity.
    estimate: Stream.runFold(extract(), {} as Record<string, number>, (counts, item) => {
      const entity = item.entity === "Quarantine" ? item.data.of : item.entity
      counts[entity] = (counts[entity] ?? 0) + 1
      return counts
    }),
    extract
  }
}
