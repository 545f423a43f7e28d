/**
 * report.html as a person sees it: two real runs of the CLI on the sandboxes leave their reports, and headless
 * Chromium (Debian's package, test/support/chromium.ts) opens the second one from disk. The page must load
 * nothing from anywhere (every request the browser makes is recorded), log no error, and show the run's verdict
 * and figures — the same ones report.json holds — with the trend over both runs. A report whose record names carry
 * markup shows them as text and runs none of it.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import puppeteer, { type Browser, type Page } from "puppeteer-core"
import { Effect } from "effect"
import { makeProjectsReport, projectSection, writeProjectsReport } from "../../core/report/ProjectsReport.ts"
import { renderHtml } from "../../core/report/renderHtml.ts"
import type { RunReport } from "../../core/report/RunReport.ts"
import { trendPoint } from "../../core/report/RunTrend.ts"
import { chromiumPath } from "../support/chromium.ts"
import { runCliProcess, tempDir } from "./cli.ts"

let browser: Browser

beforeAll(async () => {
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // root in CI: Chromium's sandbox needs user namespaces a container may not give
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
  })
}, 300_000)
afterAll(async () => {
  await browser?.close()
})

interface Seen {
  readonly page: Page
  readonly requests: ReadonlyArray<string>
  readonly errors: ReadonlyArray<string>
  readonly dialogs: ReadonlyArray<string>
}

/** Opens `file` in a fresh page, recording every request, console error, page error and dialog. */
const open = async (file: string): Promise<Seen> => {
  const page = await browser.newPage()
  await page.setViewport({ width: 1200, height: 900 })
  const requests: Array<string> = []
  const errors: Array<string> = []
  const dialogs: Array<string> = []
  page.on("request", (r) => void requests.push(r.url()))
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())))
  page.on("pageerror", (e) => void errors.push(String(e)))
  page.on("dialog", (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await page.goto(`file://${file}`, { waitUntil: "load" })
  return { page, requests, errors, dialogs }
}

// The page's own code runs in the browser; written as strings, it needs no DOM types in this Node program.
const evaluate = <A>(page: Page, expression: string) => page.evaluate(expression) as Promise<A>
/** The text a person sees in the first element matching `selector`. */
const textOf = (page: Page, selector: string) => evaluate<string>(page, `document.querySelector(${JSON.stringify(selector)}).innerText`)
/** The text of each element matching `selector`. */
const textsOf = (page: Page, selector: string) => evaluate<ReadonlyArray<string>>(page, `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.innerText)`)
const count = (page: Page, selector: string) => evaluate<number>(page, `document.querySelectorAll(${JSON.stringify(selector)}).length`)

describe("report.html in Chromium", () => {
  it("loads nothing, logs no error, and shows the run's verdict, figures and trend", async () => {
    const cwd = tempDir()
    const first = await runCliProcess(["run", "--sandbox"], { cwd, timeoutMs: 120_000 })
    expect(first.code, first.stderr).toBe(0)
    const second = await runCliProcess(["run", "--sandbox"], { cwd, timeoutMs: 120_000 })
    expect(second.code, second.stderr).toBe(0)
    const runs = fs.readdirSync(path.join(cwd, ".migrate/runs")).sort()
    expect(runs).toHaveLength(2)
    const dir = path.join(cwd, ".migrate/runs", runs[1]!)
    expect(second.stdout).toContain(`${dir}/report.md (for people: report.html beside it)`)
    const report = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport
    const firstReport = JSON.parse(fs.readFileSync(path.join(cwd, ".migrate/runs", runs[0]!, "report.json"), "utf8")) as RunReport

    const { page, requests, errors } = await open(path.join(dir, "report.html"))
    expect(errors).toEqual([])
    // the page itself, and not one request more: no fonts, scripts, images or styles from anywhere
    expect(requests).toEqual([`file://${path.join(dir, "report.html")}`])

    const text = await textOf(page, "body")
    expect(text).toContain(`migrate run ${report.runId}`)
    expect(await textOf(page, "#status")).toBe("succeeded — against the sandboxes")
    // the verdict is coloured as a person reads it: green
    expect(await evaluate<string>(page, `getComputedStyle(document.querySelector("#status")).backgroundColor`)).toBe("rgb(26, 127, 55)")

    // totals per project: the project key and the figures report.json holds
    const projectRow = await textsOf(page, "#projects tbody tr td")
    expect(projectRow.slice(0, 6)).toEqual(["DEMO", String(report.totals.extracted), "0", "0", String(report.totals.unchanged), "0"])

    // every sink's section, with its totals
    for (const load of report.load) {
      const total = await textOf(page, `#sink-${load.sink} tr.total`)
      expect(total.split("\t").slice(0, 4)).toEqual(["total", "0", "0", String(load.totals.unchanged)])
    }

    // the trend: both runs, this one marked, the first one's writes as report.json has them
    const trendRows = await textsOf(page, "#trend tbody tr")
    expect(trendRows).toHaveLength(2)
    expect(trendRows[0]).toContain("(this run)")
    const firstWritten = firstReport.load.find((l) => l.sink === "qtest")!
    expect(trendRows[1]).toContain((firstWritten.totals.created + firstWritten.totals.updated).toLocaleString("en-US"))
    expect(await count(page, "#trend svg rect")).toBe(2)

    // what needs a person: the sandbox's mapping gaps, with the fix and the records they touched
    const gaps = report.load.find((l) => l.sink === "qtest")!.gaps
    expect(gaps.length).toBeGreaterThan(0)
    const gapText = await textOf(page, "#attention")
    for (const g of gaps) {
      expect(gapText).toContain(g.value)
      if (g.hint) expect(gapText).toContain(g.hint)
      expect(gapText).toContain(g.examples[0]!)
    }

    // requests per API, as counted
    const requestRows = (await textsOf(page, "#requests table:first-of-type tbody tr")).map((r) => r.split("\t"))
    for (const [system, c] of Object.entries(report.requests)) expect(requestRows.find((r) => r[0] === system)?.[1]).toBe(c.requests.toLocaleString("en-US"))

    // nothing is cut off sideways at a laptop's width
    expect(await evaluate<boolean>(page, "document.documentElement.scrollWidth <= window.innerWidth")).toBe(true)
    await page.close()
  }, 300_000)

  it("shows other people's text as text: markup in a record's name or a message runs nothing", async () => {
    const hostile = `<img src="http://example.invalid/x.png" onerror="alert('img')"><script>alert('x')</script>`
    const report: RunReport = {
      runId: "20261206T000000Z-abcdef",
      command: "run",
      status: "succeeded-with-quarantine",
      dryRun: false,
      sandbox: false,
      specFile: "migration.config.yaml",
      statePath: ".migrate/state.db",
      source: { type: "zephyr", project: "PROJ" },
      sinks: ["qtest"],
      startedAt: "2026-12-06T00:00:00.000Z",
      finishedAt: "2026-12-06T00:01:00.000Z",
      durationMs: 60_000,
      extract: { mode: "full", pass: "full", since: null, resumedFrom: null, watermark: null, description: "full extract" },
      fullRunRequests: null,
      deletedAtSource: null,
      entities: { TestCase: { extracted: 3, created: 3, updated: 0, unchanged: 0, skipped: 0, quarantined: 1, removed: 0 } },
      totals: { extracted: 3, created: 3, updated: 0, unchanged: 0, skipped: 0, quarantined: 1, removed: 0 },
      requests: { zephyr: { requests: 10, retries: 1, throttled: 1, failed: 1, timedOut: 0, byKind: {} } },
      notes: [{ kind: "default", system: "qtest", entity: "TestCase", message: `priority ${hostile} mapped to Medium`, count: 1, examples: [hostile] }],
      quarantined: [{ entity: "TestCase", sourceId: hostile, reason: `cannot decode: ${hostile}` }],
      load: [],
      activeMs: { zephyr: 50_000 }
    }
    const dir = tempDir("migrate-report-")
    const file = path.join(dir, "report.html")
    fs.writeFileSync(file, renderHtml(report, [], trendPoint(report)))
    const { page, requests, errors, dialogs } = await open(file)
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    expect(requests).toEqual([`file://${file}`])
    expect(await count(page, "script, img")).toBe(0)
    const quarantine = await textOf(page, "#quarantine")
    expect(quarantine).toContain(hostile)
    expect(await textOf(page, "#status")).toBe("succeeded, with quarantined records")
    await page.close()
  }, 120_000)

  it("the report over the projects of a spec: a section each, links to their reports, nothing loaded, markup as text", async () => {
    const dir = tempDir("migrate-projects-html-")
    const runDir = path.join(dir, "runs", "20261206T000000Z-abcdef")
    const ownReport = path.join(dir, "projects", "WEB", "runs", "20261206T000001Z-123456", "report.html")
    fs.mkdirSync(path.dirname(ownReport), { recursive: true })
    fs.writeFileSync(ownReport, "<!doctype html><title>WEB</title><p>WEB's report</p>")
    const hostile = `<script>alert('x')</script>`
    const report = makeProjectsReport("run", new Date("2026-12-06T00:00:00Z"), [
      projectSection("WEB", 0, "", undefined, runDir),
      projectSection("MOBILE", 1, `zephyr: no project MOBILE ${hostile}`, undefined, runDir)
    ])
    const withLink = { ...report, projects: [{ ...report.projects[0]!, report: path.relative(runDir, ownReport), requests: { zephyr: 24, qtest: 12 } }, report.projects[1]!] }
    const paths = await Effect.runPromise(writeProjectsReport(runDir, { ...withLink, requests: { zephyr: 24, qtest: 12 } }))
    const { page, requests, errors, dialogs } = await open(paths.html)
    expect(requests).toEqual([`file://${paths.html}`])
    expect(errors).toEqual([])
    expect(dialogs).toEqual([])
    expect(await textOf(page, "title")).toBe("migrate run: 1 of 2 projects done")
    const rows = (await textsOf(page, "#projects tbody tr")).map((r) => r.split("\t"))
    expect(rows.map((r) => r[0])).toEqual(["WEB", "MOBILE"])
    expect(rows[1]![1]).toContain(`failed — zephyr: no project MOBILE ${hostile}`)
    expect(await textOf(page, "#project-MOBILE h2")).toBe("MOBILE: failed")
    // the link to a project's own report opens it, from the disk
    await page.click("#projects tbody tr:first-of-type a")
    await page.waitForFunction("document.title === 'WEB'")
    expect(page.url()).toBe(`file://${ownReport}`)
    await page.close()
  })
})
