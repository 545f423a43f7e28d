/**
 * The words of the generated tenant: pools of names, rich text and custom-field values that put the hard cases
 * of a migration (HTML, accents, CJK, emoji, right-to-left scripts, every custom-field type) into every scale.
 * Everything is chosen by the caller's seeded PRNG, so the same seed gives the same text.
 */
import type { Prng } from "../../../core/sandbox.ts"
import type { CustomFields } from "./ZephyrData.ts"

/** Atlassian accountIds (`^[-:a-zA-Z0-9]{1,128}$`), in both the old and the `<org>:<uuid>` form. */
export const GENERATED_USERS: ReadonlyArray<string> = [
  "5b10a2844c20165700ede21g",
  "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
  "712020:3c1e9d2a-8f4b-4e4f-9a0e-2b7c9d1e5f60",
  "5d8f0e3b7c2a1f0012345678",
  "630f1c2e9a8b7c6d5e4f3a21"
]

const VERBS = ["Verify", "Check", "Validate", "Ensure", "Confirm", "Reject", "Export", "Import", "Search for", "Archive"]
const OBJECTS = ["login form", "checkout total", "refund flow", "invoice PDF", "user profile", "password reset", "cart badge", "order history", "SSO redirect", "audit log", "currency rounding", "CSV export"]

/** Names with the scripts a migration must carry unchanged; chosen by index so every scale has each of them. */
const UNICODE_NAMES: ReadonlyArray<string> = [
  "Réinitialisation du mot de passe — accents é è à ç ô",
  "ログイン画面の表示確認（日本語UI）",
  "中文界面：用户名输入验证",
  "واجهة عربية: اختبار تسجيل الدخول",
  "ממשק עברי: בדיקת התחברות",
  "Emoji in product names 🚀🛒 👩🏽‍💻",
  "Überprüfung der Größe: Maße in ÄÖÜ ß",
  "Пароль с кириллицей и 🔑"
]

export const caseName = (i: number, rng: Prng): string => {
  if (i % 5 === 3) return `${UNICODE_NAMES[Math.floor(i / 5) % UNICODE_NAMES.length] ?? ""} #${i + 1}`
  return `${rng.pick(VERBS)} ${rng.pick(OBJECTS)} #${i + 1}`
}

const OBJECTIVES: ReadonlyArray<string> = [
  "<p>Ensure a registered user can <strong>log in</strong> with a valid e-mail and password.</p>",
  "<p>Wrong input is rejected with a <span style=\"color:red\">clear</span> message &amp; no data is lost.</p>",
  "<ul><li>Totals are rounded <em>half-up</em></li><li>Currency symbol follows the locale: € ¥ £</li></ul>",
  "<p dir=\"rtl\">التحقق من أن الصفحة تُعرض من اليمين إلى اليسار.</p>",
  "ログイン画面の文言がすべて<b>日本語</b>で表示されること。",
  "<p>Le courriel arrive en <b>français</b> avec les accents corrects : é, è, à, ç, ô.</p>",
  "Plain objective without markup, with a tab\tand a line<br>break.",
  "<p>See <a href=\"https://wiki.example.com/spec?id=42&amp;v=2\">the spec</a> — <code>GET /orders?limit=1</code> → 200 ✅</p>"
]

const PRECONDITIONS: ReadonlyArray<string> = [
  "<ul><li>User <code>jane@example.com</code> exists</li><li>Account is <em>active</em></li></ul>",
  "User should have logged in. <br> User should have navigated to the administration panel.",
  "<p>Staging database seeded with fixture <b>orders-2024</b> 📦</p>",
  "<ol><li>ミドルウェア起動済み</li><li>テストデータ投入済み</li></ol>"
]

export const objective = (i: number, rng: Prng): string | null => (i % 11 === 10 ? null : (OBJECTIVES[(i + rng.int(3)) % OBJECTIVES.length] ?? null))
export const precondition = (i: number, rng: Prng): string | null => (i % 3 === 1 ? null : rng.pick(PRECONDITIONS))

const LABELS = ["Regression", "Smoke", "E2E", "Negative", "i18n", "Performance", "Automated", "Security", "回归测试", "Légal", "RTL"]
export const labels = (rng: Prng): Array<string> => {
  const n = rng.int(4)
  const out: Array<string> = []
  for (let k = 0; k < n; k++) {
    const l = rng.pick(LABELS)
    if (!out.includes(l)) out.push(l)
  }
  return out
}

const STEP_ACTIONS: ReadonlyArray<string> = [
  "Open the <b>login</b> page",
  "Enter e-mail and password, press <kbd>Enter</kbd>",
  "Add one item to the cart and open checkout",
  "Pay with card",
  "Open <em>My orders</em>",
  "Reload the page",
  "ブラウザの言語を日本語に設定して画面を開く",
  "افتح الصفحة باللغة العربية",
  "Create a product named 🚀 Rocket 🛒",
  "Request a password reset for a user whose locale is fr-FR"
]
const STEP_RESULTS: ReadonlyArray<string> = [
  "The login form is shown",
  "Dashboard is shown<br>Welcome banner says <i>Hello, Jane</i>",
  "Checkout page shows the total",
  "Payment is authorised",
  "The order is listed as <b>Paid</b>",
  "「ログイン」ボタンが表示される",
  "يتم عرض النموذج من اليمين إلى اليسار",
  "Product list shows 🚀 Rocket 🛒 unchanged",
  "Mail subject: « Réinitialisation de votre mot de passe »",
  "User stays logged in"
]
const STEP_DATA: ReadonlyArray<string> = [
  "",
  "Username = jane@example.com<br>Password = weLoveAtlassian",
  "Card = 4111 1111 1111 1111<br>Expiry = 12/30<br>CVC = 123",
  "Locale = fr-FR",
  "Password = 🔑🦄密码パスワード",
  "Amount = 100 %"
]

export const stepText = (rng: Prng): { description: string; expectedResult: string; testData: string } => ({
  description: rng.pick(STEP_ACTIONS),
  expectedResult: rng.pick(STEP_RESULTS),
  testData: rng.pick(STEP_DATA)
})

export const plainScript = (i: number): string =>
  `<p>1. Call <code>GET /health</code> → 200</p><p>2. Call <code>GET /orders?limit=${(i % 9) + 1}</code> → 200</p><p>3. Check the <b>X-Request-Id</b> header is echoed — ✓ 確認</p>`

export const bddScript = (i: number): string =>
  [
    `Feature: Checkout ${i + 1}`,
    "  Scenario: Pay with card",
    "    Given a cart with 1 item",
    '    When I pay with card "4111 1111 1111 1111"',
    '    Then the order is "Paid"',
    "",
    "  Scenario Outline: Currencies",
    "    Given the currency <currency>",
    "    Then the total shows <symbol>",
    "    Examples:",
    "      | currency | symbol |",
    "      | EUR      | €      |",
    "      | JPY      | ¥      |"
  ].join("\n")

const pad = (n: number) => String(n).padStart(2, "0")

/**
 * Every custom-field value type Zephyr has (number, decimal, date, checkbox, multi-select, single-select,
 * single- and multi-line text, user): all of them on every fourth entity, a varying subset elsewhere, none on some.
 */
export const customFields = (i: number, rng: Prng): CustomFields => {
  if (i % 13 === 12) return {}
  const all: CustomFields = {
    "Build Number": 100 + rng.int(900),
    Coverage: Math.round(rng.next() * 10_000) / 100,
    "Release Date": `2024-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`,
    Implemented: rng.next() < 0.5,
    Category: rng.next() < 0.5 ? ["Performance", "Regression"] : ["Functional"],
    Risk: rng.pick(["High", "Medium", "Low"]),
    "Short Note": rng.pick(["Note — ✓", "備考あり", "ملاحظة", "n/a"]),
    "Pre-Condition(s)": "User should have logged in. <br> User should have navigated to the administration panel.",
    Tester: rng.pick(GENERATED_USERS),
    "Legacy Id": i % 7 === 0 ? null : `LEG-${i}`
  }
  if (i % 4 === 0) return all
  return Object.fromEntries(Object.entries(all).filter((_, k) => (k + i) % 3 !== 0))
}

export const EXECUTION_COMMENTS: ReadonlyArray<string> = [
  "<p>Failed: the <b>Pay</b> button stayed disabled.</p><p>See attached screenshot.</p>",
  "Retest after fix <a href=\"https://jira.example.com/browse/GEN-42\">GEN-42</a> ✅",
  "Blocked by the staging outage 🔥 — <i>retry tomorrow</i>",
  "Passed on the second attempt; flaky network.<br>Build 2024.1.3",
  "<p dir=\"rtl\">فشل الاختبار بسبب انقطاع الشبكة</p>",
  "テスト環境のタイムアウトで失敗 ⏱"
]

export const FOLDER_NAMES: ReadonlyArray<string> = [
  "Authentication",
  "Payments",
  "Internationalisation — 国際化",
  "Login",
  "Checkout",
  "Refunds",
  "Edge cases ⚠️",
  "Reporting",
  "Administration",
  "العربية",
  "API",
  "Mobile 📱"
]
