import { describe, expect, it } from "@effect/vitest"
import { htmlProblem } from "../../../../plugins/zephyr/mapping/htmlProblem.ts"
import { demoData } from "../../../../plugins/zephyr/sandbox/index.ts"

describe("htmlProblem", () => {
  it("accepts what HTML accepts: omitted optional end tags, void elements, comments, plain text", () => {
    for (const ok of ["plain text", "<p>one<p>two", "<ul><li>a<li>b</ul>", "a<br>b<img src=x>", "<b>bold</b> <i>it</i>", "<!-- <b> -->", "x < y and y > z", "<table><tr><td>1<td>2</table>"])
      expect(htmlProblem(ok), ok).toBeUndefined()
  })

  it("names an element left open and an end tag that closes nothing", () => {
    expect(htmlProblem("<p>unclosed <b>bold")).toBe("<b> is never closed")
    expect(htmlProblem("<div><span>x</div>")).toBe("<span> is never closed")
    expect(htmlProblem("text</strong>")).toBe("</strong> closes nothing")
  })

  it("finds nothing wrong in the demo tenant's rich text", () => {
    const d = demoData()
    const texts = [...d.testcases.flatMap((t) => [t.objective, t.precondition]), ...Object.values(d.teststeps).flat().flatMap((s) => [s.inline?.description, s.inline?.expectedResult, s.inline?.testData])]
    expect(texts.filter((t) => htmlProblem(t) !== undefined)).toEqual([])
  })
})
