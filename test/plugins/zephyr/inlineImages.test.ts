/**
 * Inline images in Zephyr's rich text (mapping/inlineImages.ts): those on Zephyr's CDN become a visible
 * placeholder naming the file, others are left alone; `keep` finds them and changes nothing. Then through a whole
 * migration: the store, qTest and Snowflake hold the placeholder, and the report names each record with its count.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { demoData } from "../../../plugins/zephyr/sandbox/demoData.ts"
import { imageName, isZephyrCdn, rewriteInlineImages } from "../../../plugins/zephyr/mapping/inlineImages.ts"
import { fullSpec, migrate, reportOf, startSystems, stateRows, workdir, type Systems } from "../../support/fullMigration.ts"

const CDN = "https://cloudfront.tm4j.smartbear.com/1a2b/attachments/login%20error.png?Expires=1767225600&amp;Signature=abc"

describe("inline images", () => {
  it("replaces images on Zephyr's CDN by a placeholder naming the file, and leaves others", () => {
    expect(isZephyrCdn(CDN)).toBe(true)
    expect(isZephyrCdn("https://example.com/a.png")).toBe(false)
    expect(isZephyrCdn("data:image/png;base64,AAAA")).toBe(false)
    expect(imageName(`<img src="${CDN}">`)).toBe("login error.png")
    expect(imageName(`<img alt="diagram" src="https://cloudfront.tm4j.smartbear.com/">`)).toBe("diagram")
    const html = `<p>See <img src="${CDN}" width="200"> and <IMG SRC='https://example.com/logo.png'> and <img alt="x" src=https://eu.tm4j.smartbear.com/i/b%3C1%3E.jpg></p>`
    const r = rewriteInlineImages(html, false)
    expect(r.images).toEqual(["login error.png", "b<1>.jpg"])
    expect(r.html).toBe(`<p>See [Image: login error.png] and <IMG SRC='https://example.com/logo.png'> and [Image: b&lt;1&gt;.jpg]</p>`)
    const kept = rewriteInlineImages(html, true)
    expect(kept.images).toEqual(r.images)
    expect(kept.html).toBe(html)
    expect(rewriteInlineImages("<p>no images</p>", false)).toEqual({ html: "<p>no images</p>", images: [] })
  })
})

describe("inline images through a migration", () => {
  let systems: Systems
  beforeAll(async () => {
    const data = demoData()
    const testcases = data.testcases.map((tc) => (tc.key === "DEMO-T1" ? { ...tc, objective: `<p>The error looks like <img src="${CDN}"></p>` } : tc))
    const steps = data.teststeps["DEMO-T1"]!
    const teststeps = { ...data.teststeps, "DEMO-T1": steps.map((s, i) => (i === 0 && s.inline ? { ...s, inline: { ...s.inline, expectedResult: `Shown: <img src="https://cloudfront.tm4j.smartbear.com/x/dashboard.png">` } } : s)) }
    systems = await startSystems({ zephyr: { data: { ...data, testcases, teststeps } } })
  }, 120_000)
  afterAll(() => systems?.close())

  it("carries a placeholder to the store, qTest and Snowflake, and names the record in the report; keep carries the HTML", async () => {
    const cwd = workdir(fullSpec(systems))
    const r = await migrate(systems, cwd, ["run"])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const [tc] = stateRows<{ objective: string }>(cwd, `SELECT objective FROM "TestCase" WHERE source_key = 'DEMO-T1'`)
    expect(tc!.objective).toBe("<p>The error looks like [Image: login error.png]</p>")
    expect(stateRows<{ n: number }>(cwd, `SELECT COUNT(*) AS n FROM "TestStep" WHERE expected_result LIKE '%[Image: dashboard.png]%'`)[0]!.n).toBe(1)
    const note = reportOf(r).notes.find((n) => n.message.startsWith("inline images in rich text"))
    expect(note).toMatchObject({ kind: "warning", system: "zephyr", count: 1, examples: ["DEMO-T1"] })
    expect(reportOf(r).notes.filter((n) => n.message.startsWith("inline images in rich text")).reduce((sum, n) => sum + n.count, 0)).toBe(2)
    // what qTest shows: the placeholder in the test case's description
    const search = await fetch(`${systems.qtest.baseUrl}/api/v3/projects/${systems.qtest.projectId}/search?page=1&pageSize=100`, {
      method: "POST",
      headers: { authorization: `Bearer ${systems.qtest.token}`, "content-type": "application/json" },
      body: JSON.stringify({ object_type: "test-cases", fields: ["*"], query: "'Zephyr Key' = 'DEMO-T1'" })
    })
    const items = ((await search.json()) as { items: ReadonlyArray<{ description?: string }> }).items
    expect(items[0]?.description).toContain("[Image: login error.png]")
    expect(JSON.stringify(items)).not.toContain("cloudfront")
    const rows = await systems.snowflake.query(`SELECT OBJECTIVE FROM MIGRATE.PUBLIC.TESTCASE WHERE SOURCE_KEY = 'DEMO-T1'`)
    expect(String(Object.values(rows[0]!)[0])).toContain("[Image: login error.png]")

    // keep: the HTML as written, and the report still names the record
    const keepDir = workdir(fullSpec(systems, { sinks: [] }).replace("  token: ${env:ZEPHYR_TOKEN}\n", "  token: ${env:ZEPHYR_TOKEN}\n  inlineImages: keep\n"))
    const kept = await migrate(systems, keepDir, ["run"])
    expect(kept.code, kept.stdout + kept.stderr).toBe(0)
    expect(stateRows<{ objective: string }>(keepDir, `SELECT objective FROM "TestCase" WHERE source_key = 'DEMO-T1'`)[0]!.objective).toContain(`src="${CDN}"`)
    expect(reportOf(kept).notes.some((n) => n.message.includes("carried as written") && n.examples.includes("DEMO-T1"))).toBe(true)
  }, 300_000)
})
