/** Text conversions: parameter escaping, plain → HTML, HTML kept, HTML → plain notes, step and script formats. */
import { describe, expect, it } from "@effect/vitest"
import {
  appendLabelled,
  escapeParameters,
  htmlToText,
  looksLikeHtml,
  PARAMETER_ESCAPE,
  plainToHtml,
  richText,
  scriptToDescription,
  scriptToStep,
  stepDescription
} from "../../../../plugins/qtest/mapping/index.ts"

describe("escapeParameters", () => {
  it("turns every literal [~ into &#91;~ and leaves everything else alone", () => {
    expect(escapeParameters("Use [~user] and [~password]")).toBe("Use &#91;~user] and &#91;~password]")
    expect(escapeParameters("[ ~ not a parameter] [x] ~[")).toBe("[ ~ not a parameter] [x] ~[")
    expect(PARAMETER_ESCAPE).toBe("&#91;~")
  })

  it("is idempotent, and the escape renders as the original characters", () => {
    const once = escapeParameters("a [~b] [~~c")
    expect(escapeParameters(once)).toBe(once)
    expect(once).not.toContain("[~")
    expect(htmlToText(once)).toBe("a [~b] [~~c")
  })
})

describe("looksLikeHtml / plainToHtml / richText", () => {
  it("tells HTML from plain text", () => {
    expect(looksLikeHtml("<p>x</p>")).toBe(true)
    expect(looksLikeHtml("a<br>b")).toBe(true)
    expect(looksLikeHtml("Fish &amp; chips")).toBe(true)
    expect(looksLikeHtml("a < b > c")).toBe(false)
    expect(looksLikeHtml("Tom & Jerry")).toBe(false)
    expect(looksLikeHtml("Given <user> logs in")).toBe(true)
  })

  it("escapes plain text once, turns line breaks into <br/> and keeps indentation", () => {
    expect(plainToHtml("a < b & c > d")).toBe("a &lt; b &amp; c &gt; d")
    expect(plainToHtml("one\ntwo\r\nthree\rfour")).toBe("one<br/>two<br/>three<br/>four")
    expect(plainToHtml("Scenario: x\n  Given y\n\tWhen z")).toBe("Scenario: x<br/>&nbsp;&nbsp;Given y<br/>&nbsp;&nbsp;&nbsp;&nbsp;When z")
  })

  it("keeps HTML as it is (no double escaping), converts plain text, escapes [~ in both", () => {
    expect(richText("<p>Fish &amp; <b>chips</b></p>")).toBe("<p>Fish &amp; <b>chips</b></p>")
    expect(richText("Fish & chips\nand [~peas]")).toBe("Fish &amp; chips<br/>and &#91;~peas]")
    expect(richText("<p>[~x]</p>")).toBe("<p>&#91;~x]</p>")
    expect(richText(null)).toBe("")
    expect(richText(undefined)).toBe("")
    expect(richText("")).toBe("")
  })

  it("keeps Unicode and emoji untouched", () => {
    expect(richText("Blue mug ☕ — 国際化 🔥")).toBe("Blue mug ☕ — 国際化 🔥")
    expect(richText("<p>Blue mug ☕ — 国際化</p>")).toBe("<p>Blue mug ☕ — 国際化</p>")
  })
})

describe("htmlToText", () => {
  it("keeps line structure, link targets and decodes character references", () => {
    expect(htmlToText("<p>Failed: the <b>Pay</b> button stayed disabled.</p><p>See attached screenshot.</p>")).toBe(
      "Failed: the Pay button stayed disabled.\nSee attached screenshot."
    )
    expect(htmlToText('Retest after fix <a href="https://x.atlassian.net/browse/DEMO-42">DEMO-42</a> ✅')).toBe(
      "Retest after fix DEMO-42 (https://x.atlassian.net/browse/DEMO-42) ✅"
    )
    expect(htmlToText('<a href="https://a.b/c">https://a.b/c</a>')).toBe("https://a.b/c")
    expect(htmlToText("Passed on the second attempt; flaky network.<br>Build 2024.1.3")).toBe("Passed on the second attempt; flaky network.\nBuild 2024.1.3")
    expect(htmlToText("<ul><li>one</li><li>two</li></ul>")).toBe("- one\n- two")
    expect(htmlToText("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; &#x1F525; &nbsp;e")).toBe("a <b> & \"c\" 'd' 🔥 e")
  })

  it("returns plain text unchanged", () => {
    expect(htmlToText("a < b\nc")).toBe("a < b\nc")
  })
})

describe("stepDescription", () => {
  it("joins description and test data with a Test data heading (the documented format)", () => {
    expect(stepDescription("Open the <b>login</b> page", "URL = https://x")).toBe(
      "Open the <b>login</b> page<br/><br/><strong>Test data:</strong><br/>URL = https://x"
    )
  })

  it("is the description alone without test data, the data block alone without a description", () => {
    expect(stepDescription("Do it", null)).toBe("Do it")
    expect(stepDescription("Do it", "")).toBe("Do it")
    expect(stepDescription("", "x = 1")).toBe("<strong>Test data:</strong><br/>x = 1")
    expect(stepDescription(null, null)).toBe("")
  })

  it("converts plain parts and escapes [~ in both", () => {
    expect(stepDescription("Type [~name]", "a < b\nc")).toBe("Type &#91;~name]<br/><br/><strong>Test data:</strong><br/>a &lt; b<br/>c")
  })

  it("appends labelled lines", () => {
    expect(appendLabelled("Do it", [["Step Type", "UI"], ["Risk", "a < b"]])).toBe("Do it<br/><br/><strong>Step Type:</strong> UI<br/><strong>Risk:</strong> a &lt; b")
    expect(appendLabelled("", [["Step Type", "UI"]])).toBe("<strong>Step Type:</strong> UI")
    expect(appendLabelled("Do it", [])).toBe("Do it")
  })
})

describe("scripts", () => {
  const bdd = "Feature: Login\n  Scenario: valid\n    Given a user <name>\n    When [~x]"

  it("appends the script to the objective under a heading", () => {
    expect(scriptToDescription("<p>Objective</p>", "BDD", bdd)).toBe(
      "<p>Objective</p><br/><br/><strong>Test script (BDD):</strong><br/>Feature: Login<br/>&nbsp;&nbsp;Scenario: valid<br/>&nbsp;&nbsp;&nbsp;&nbsp;Given a user &lt;name&gt;<br/>&nbsp;&nbsp;&nbsp;&nbsp;When &#91;~x]"
    )
    expect(scriptToDescription(null, "PLAIN_TEXT", "<p>Do <b>this</b></p>")).toBe("<strong>Test script (plain text):</strong><br/><p>Do <b>this</b></p>")
    expect(scriptToDescription("Objective", "PLAIN_TEXT", "  ")).toBe("Objective")
  })

  it("or makes it the single step", () => {
    expect(scriptToStep("PLAIN_TEXT", "Line 1\nLine 2")).toEqual([{ description: "Line 1<br/>Line 2", expected: "", order: 1 }])
    expect(scriptToStep("BDD", null)).toEqual([])
  })
})
