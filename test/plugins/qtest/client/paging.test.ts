/** The stop rule of the `{page, page_size, total, items}` lists and the File-Name header encoding. */
import { describe, expect, it } from "@effect/vitest"
import { fileNameHeader, morePagedItems } from "../../../../plugins/qtest/QtestClient.ts"

const page = (n: number, extra: { total?: number | null; page_size?: number | null } = {}) => ({ items: Array.from({ length: n }, (_, i) => i), ...extra })

describe("morePagedItems", () => {
  it("an empty page ends the list whatever the total says", () => {
    expect(morePagedItems(10, page(0, { total: 50 }), 10)).toBe(false)
  })
  it("a known total ends it once reached, even after a full page", () => {
    expect(morePagedItems(10, page(10, { total: 20, page_size: 10 }), 10)).toBe(true)
    expect(morePagedItems(20, page(10, { total: 20, page_size: 10 }), 10)).toBe(false)
  })
  it("a server that clamps the page size below what was asked still pages on (total known)", () => {
    expect(morePagedItems(100, page(100, { total: 250, page_size: 100 }), 999)).toBe(true)
  })
  it("without a total: a page shorter than the applied page size is the last", () => {
    expect(morePagedItems(100, page(100, { page_size: 100 }), 999)).toBe(true)
    expect(morePagedItems(105, page(5, { page_size: 100 }), 999)).toBe(false)
    expect(morePagedItems(5, page(5), 10)).toBe(false)
    expect(morePagedItems(10, page(10), 10)).toBe(true)
  })
})

describe("fileNameHeader", () => {
  it("printable ASCII goes as it is; anything else percent-encoded (header values must be Latin-1)", () => {
    expect(fileNameHeader("screen shot (1).png")).toBe("screen shot (1).png")
    expect(fileNameHeader("résumé.pdf")).toBe("r%C3%A9sum%C3%A9.pdf")
    expect(fileNameHeader("日本.txt")).toBe(encodeURIComponent("日本.txt"))
  })
})
