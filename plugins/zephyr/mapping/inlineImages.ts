/**
 * Images pasted into Zephyr's rich text (an objective, a step, a comment) are not attachments: the HTML points at
 * Zephyr's CDN (`cloudfront.tm4j.smartbear.com`), which answers only a browser session of the Zephyr app — an API
 * token cannot fetch them (docs/vendors/zephyr.md). Carried as written, every target would show a broken image.
 * So each is replaced by a visible placeholder naming the file (`[Image: login-error.png]`), and the report names
 * the records (`inlineImages: keep` carries the HTML as written instead). Images from anywhere else are left alone.
 */

/** The rich-text (HTML) columns of each canonical entity the Zephyr source writes. */
export const HTML_COLUMNS: Readonly<Record<string, ReadonlyArray<string>>> = {
  TestCase: ["objective", "precondition"],
  TestStep: ["description", "expected_result", "test_data"],
  TestPlan: ["objective"],
  TestCycle: ["description"],
  TestExecution: ["comment"],
  ExecutionStepResult: ["description", "test_data", "expected_result", "actual_result", "comment"]
}

const IMG = /<img\b[^>]*>/gi
const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")

const attribute = (tag: string, name: string): string | undefined => {
  const m = ATTRIBUTE(name).exec(tag)
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3])
}

const decodeEntities = (s: string) => s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/** Zephyr's CDN for pasted images; only the app's browser session may read it. */
export const isZephyrCdn = (src: string): boolean => {
  try {
    const host = new URL(decodeEntities(src)).hostname.toLowerCase()
    return host === "cloudfront.tm4j.smartbear.com" || host.endsWith(".tm4j.smartbear.com")
  } catch {
    return false
  }
}

/** The file's name: the URL's last path segment (decoded), else the image's alt text, else "image". */
export const imageName = (tag: string): string => {
  const src = attribute(tag, "src")
  if (src !== undefined) {
    try {
      const last = new URL(decodeEntities(src)).pathname.split("/").filter((s) => s !== "").pop()
      if (last !== undefined && last !== "") return decodeURIComponent(last)
    } catch {
      // fall through to the alt text
    }
  }
  const alt = attribute(tag, "alt")
  return alt !== undefined && alt.trim() !== "" ? decodeEntities(alt.trim()) : "image"
}

export interface RewrittenHtml {
  readonly html: string
  /** The names of the images replaced (or, keeping them, found). */
  readonly images: ReadonlyArray<string>
}

/** Replaces each image on Zephyr's CDN in `html` by `[Image: name]`; with `keep`, only finds them. */
export const rewriteInlineImages = (html: string, keep: boolean): RewrittenHtml => {
  if (!html.includes("<img") && !html.includes("<IMG")) return { html, images: [] }
  const images: Array<string> = []
  const rewritten = html.replace(IMG, (tag) => {
    const src = attribute(tag, "src")
    if (src === undefined || !isZephyrCdn(src)) return tag
    const name = imageName(tag)
    images.push(name)
    return keep ? tag : `[Image: ${escapeText(name)}]`
  })
  return { html: keep ? html : rewritten, images }
}
