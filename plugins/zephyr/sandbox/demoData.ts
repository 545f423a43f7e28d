/**
 * The built-in demo tenant: project DEMO (every feature a migration must handle) and project OTHER (a few
 * entities that a DEMO extraction must never touch). Deterministic: the same call returns the same data, so
 * tests can pin counts and the demo file in test/fixtures/zephyr/demo.json can be regenerated (writeDemo.ts).
 *
 * What DEMO shows: nested folders of the three types (TEST_CASE four levels deep, siblings whose `index`
 * order differs from id order), statuses of all four types, priorities, environments (one archived), ~25 test
 * cases with HTML rich text, Unicode (accents, CJK, emoji, RTL), every custom-field type, labels, component,
 * issue and web links, owners, estimated times, several versions; step-by-step cases with test data;
 * call-to-test chains (T11 → T12 → T13) with MANUAL_INPUT and DEFAULT_VALUE parameters; plain-text and BDD
 * scripts; a case without folder; plans, cycles in cycle folders and ~80 executions (history per cycle item,
 * ad hoc, automated, with step results); binary attachments on cases and executions.
 */
import { allBytesPdf, tinyPng, toBase64, utf8 } from "./demoAttachments.ts"
import { makePrng } from "../../../core/sandbox.ts"
import type {
  CustomFields,
  IssueLink,
  JiraUserLink,
  Link,
  LinkType,
  StepParameter,
  WebLink,
  ZephyrAttachmentData,
  ZephyrData,
  ZephyrExecutionStep,
  ZephyrFolder,
  ZephyrStatus,
  ZephyrTestCase,
  ZephyrTestCycle,
  ZephyrTestExecution,
  ZephyrTestPlan,
  ZephyrTestScript,
  ZephyrTestStep
} from "./ZephyrData.ts"

/** `self` values as the real API would write them; the sandbox rewrites them to its own URL when serving. */
const API = "https://api.zephyrscale.smartbear.com/v2"
const JIRA = "https://demo-tenant.atlassian.net/rest/api/2"

const link = (path: string, id: number): Link => ({ id, self: `${API}/${path}/${id}` })
const projectLink = (id: number) => link("projects", id)

export const DEMO_USERS = {
  alice: "5b10a2844c20165700ede21g",
  bob: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
  chen: "712020:3c1e9d2a-8f4b-4e4f-9a0e-2b7c9d1e5f60",
  dana: "5d8f0e3b7c2a1f0012345678"
} as const
const USER_IDS: ReadonlyArray<string> = Object.values(DEMO_USERS)
const owner = (accountId: string): JiraUserLink => ({ self: `${JIRA}/user?accountId=${accountId}`, accountId })

const DEMO = 10000
const OTHER = 10001

// Status ids by meaning, per project.
const S = {
  caseDraft: 2001,
  caseApproved: 2002,
  caseDeprecated: 2003,
  planNotStarted: 2011,
  planInProgress: 2012,
  planDone: 2013,
  cycleNotExecuted: 2021,
  cycleInProgress: 2022,
  cycleDone: 2023,
  execNotExecuted: 2031,
  execInProgress: 2032,
  execPass: 2033,
  execFail: 2034,
  execBlocked: 2035,
  otherCaseDraft: 2101,
  otherPlan: 2111,
  otherCycle: 2121,
  otherExecNotExecuted: 2131,
  otherExecPass: 2132,
  otherExecFail: 2133
} as const

const statuses = (): Array<ZephyrStatus> => {
  const s = (id: number, project: number, statusType: ZephyrStatus["statusType"], name: string, index: number, color: string, extra: Partial<ZephyrStatus> = {}): ZephyrStatus => ({
    id,
    project: projectLink(project),
    name,
    description: `${name} (${statusType?.toLowerCase().replace("_", " ")})`,
    index,
    color,
    archived: false,
    default: false,
    statusType,
    ...extra
  })
  return [
    s(S.caseDraft, DEMO, "TEST_CASE", "Draft", 0, "#CCCCCC", { default: true }),
    s(S.caseApproved, DEMO, "TEST_CASE", "Approved", 1, "#00875A"),
    s(S.caseDeprecated, DEMO, "TEST_CASE", "Deprecated", 2, "#999999"),
    s(S.planNotStarted, DEMO, "TEST_PLAN", "Not Started", 0, "#CCCCCC", { default: true }),
    s(S.planInProgress, DEMO, "TEST_PLAN", "In Progress", 1, "#0052CC"),
    s(S.planDone, DEMO, "TEST_PLAN", "Done", 2, "#00875A"),
    s(S.cycleNotExecuted, DEMO, "TEST_CYCLE", "Not Executed", 0, "#CCCCCC", { default: true }),
    s(S.cycleInProgress, DEMO, "TEST_CYCLE", "In Progress", 1, "#0052CC"),
    s(S.cycleDone, DEMO, "TEST_CYCLE", "Done", 2, "#00875A"),
    s(S.execNotExecuted, DEMO, "TEST_EXECUTION", "Not Executed", 0, "#CCCCCC", { default: true }),
    s(S.execInProgress, DEMO, "TEST_EXECUTION", "In Progress", 1, "#F4F5F7"),
    s(S.execPass, DEMO, "TEST_EXECUTION", "Pass", 2, "#00FF00"),
    s(S.execFail, DEMO, "TEST_EXECUTION", "Fail", 3, "#FF0000"),
    s(S.execBlocked, DEMO, "TEST_EXECUTION", "Blocked", 4, "#4C9AFF"),
    s(S.otherCaseDraft, OTHER, "TEST_CASE", "Draft", 0, "#CCCCCC", { default: true }),
    s(S.otherPlan, OTHER, "TEST_PLAN", "Not Started", 0, "#CCCCCC", { default: true }),
    s(S.otherCycle, OTHER, "TEST_CYCLE", "Not Executed", 0, "#CCCCCC", { default: true }),
    s(S.otherExecNotExecuted, OTHER, "TEST_EXECUTION", "Not Executed", 0, "#CCCCCC", { default: true }),
    s(S.otherExecPass, OTHER, "TEST_EXECUTION", "Pass", 1, "#00FF00"),
    s(S.otherExecFail, OTHER, "TEST_EXECUTION", "Fail", 2, "#FF0000")
  ]
}

const P = { high: 3001, normal: 3002, low: 3003, otherNormal: 3101 } as const
const E = { chrome: 4001, firefox: 4002, safari: 4003, ie: 4004, otherStaging: 4101 } as const

const folders = (): Array<ZephyrFolder> => {
  const f = (id: number, parentId: number | null, name: string, index: number, folderType: ZephyrFolder["folderType"], project = DEMO): ZephyrFolder => ({
    id,
    parentId,
    name,
    index,
    folderType,
    project: projectLink(project)
  })
  return [
    f(1001, null, "Authentication", 1, "TEST_CASE"),
    f(1002, null, "Payments", 0, "TEST_CASE"),
    f(1003, null, "Internationalisation — 国際化", 2, "TEST_CASE"),
    f(1004, 1001, "Login", 0, "TEST_CASE"),
    f(1005, 1001, "Logout", 1, "TEST_CASE"),
    f(1006, 1002, "Refunds", 1, "TEST_CASE"),
    f(1007, 1004, "SSO", 1, "TEST_CASE"),
    f(1008, 1004, "Password", 0, "TEST_CASE"),
    f(1009, 1008, "Edge cases ⚠️", 0, "TEST_CASE"),
    f(1010, 1002, "Checkout", 0, "TEST_CASE"),
    f(1020, null, "Release plans", 0, "TEST_PLAN"),
    f(1021, 1020, "2024", 0, "TEST_PLAN"),
    f(1030, null, "Releases", 0, "TEST_CYCLE"),
    f(1031, 1030, "2024.1", 1, "TEST_CYCLE"),
    f(1032, 1030, "2024.2", 0, "TEST_CYCLE"),
    f(1033, null, "Sprints", 1, "TEST_CYCLE"),
    f(1100, null, "Other root", 0, "TEST_CASE", OTHER),
    f(1101, null, "Other cycles", 0, "TEST_CYCLE", OTHER)
  ]
}

const JIRA_VERSIONS = { v2024_1: 10200, v2024_2: 10201, other: 10300 } as const
const jiraVersion = (id: number): Link => ({ id, self: `${JIRA}/version/${id}` })
const COMPONENTS = { web: 10001, api: 10002 } as const
const component = (id: number): Link => ({ id, self: `${JIRA}/component/${id}` })

/** Link ids are global in Zephyr; one counter keeps them unique. */
const makeLinks = () => {
  let next = 300001
  const issue = (issueId: number, type: LinkType): IssueLink => {
    const id = next++
    return { self: `${API}/links/${id}`, issueId, id, target: `${JIRA}/issue/${issueId}`, type }
  }
  const web = (url: string, description: string, type: LinkType): WebLink => {
    const id = next++
    return { self: `${API}/links/${id}`, description, url, id, type }
  }
  const nextId = () => next++
  return { issue, web, nextId }
}

interface CaseSpec {
  readonly n: number
  readonly name: string
  readonly folder: number | null
  readonly status?: number
  readonly priority?: number
  readonly labels?: ReadonlyArray<string>
  readonly objective?: string | null
  readonly precondition?: string | null
  readonly steps?: ReadonlyArray<StepSpec>
  readonly script?: { readonly type: "plain" | "bdd"; readonly text: string }
}

type StepSpec =
  | { readonly description: string; readonly testData?: string; readonly expectedResult: string; readonly customFields?: CustomFields }
  | { readonly call: string; readonly parameters?: ReadonlyArray<StepParameter> }

const step = (description: string, expectedResult: string, testData = ""): StepSpec => ({ description, testData, expectedResult })

const CASES: ReadonlyArray<CaseSpec> = [
  {
    n: 1,
    name: "Login with valid credentials",
    folder: 1008,
    status: S.caseApproved,
    priority: P.high,
    labels: ["Regression", "Smoke", "Login"],
    objective: "<p>Ensure a registered user can <strong>log in</strong> with a valid e-mail and password.</p>",
    precondition: "<ul><li>User <code>jane@example.com</code> exists</li><li>Account is <em>active</em></li></ul>",
    steps: [
      { description: "Open the <b>login</b> page", testData: "URL = <a href=\"https://shop.example.com/login\">https://shop.example.com/login</a>", expectedResult: "The login form is shown", customFields: { "Step Type": "UI" } },
      step("Enter e-mail and password, press <kbd>Enter</kbd>", "Dashboard is shown<br>Welcome banner says <i>Hello, Jane</i>", "Username = jane@example.com<br>Password = weLoveAtlassian"),
      step("Reload the page", "User stays logged in")
    ]
  },
  {
    n: 2,
    name: "Login with invalid password shows an error",
    folder: 1008,
    status: S.caseApproved,
    priority: P.high,
    labels: ["Regression", "Negative"],
    objective: "Wrong passwords are rejected with a <span style=\"color:red\">clear</span> message.",
    steps: [step("Enter a valid e-mail and a wrong password", "Error <q>Invalid credentials</q> is shown", "Password = not-the-password"), step("Check the audit log", "A failed login event is recorded")]
  },
  {
    n: 3,
    name: "Password reset e-mail — réinitialisation du mot de passe",
    folder: 1009,
    labels: ["Regression", "i18n"],
    objective: "Le courriel de réinitialisation arrive en <b>français</b> avec les accents corrects : é, è, à, ç, ô.",
    steps: [step("Request a password reset for a user whose locale is fr-FR", "Mail subject: « Réinitialisation de votre mot de passe »", "Locale = fr-FR"), step("Open the link in the e-mail", "The reset form is shown, pre-filled with the e-mail")]
  },
  {
    n: 4,
    name: "Password with emoji and CJK characters 🔑 パスワード",
    folder: 1009,
    priority: P.low,
    labels: ["Edge", "Unicode"],
    steps: [step("Set the password to a string of emoji and CJK", "Password is accepted", "Password = 🔑🦄密码パスワード"), step("Log out and log in with that password", "Login succeeds")]
  },
  {
    n: 5,
    name: "SSO login via Okta",
    folder: 1007,
    status: S.caseApproved,
    labels: ["SSO"],
    steps: [step("Click <b>Sign in with Okta</b>", "Redirected to Okta"), step("Authenticate at Okta", "Redirected back and logged in", "Okta user = qa-okta@example.com")]
  },
  {
    n: 6,
    name: "SSO login via Azure AD",
    folder: 1007,
    labels: ["SSO"],
    steps: [step("Click <b>Sign in with Microsoft</b>", "Redirected to login.microsoftonline.com"), step("Authenticate", "Redirected back and logged in")]
  },
  {
    n: 7,
    name: "Logout clears session",
    folder: 1005,
    status: S.caseApproved,
    steps: [step("Click <i>Log out</i>", "Login page is shown"), step("Press the browser's Back button", "Still logged out; no cached dashboard")]
  },
  {
    n: 8,
    name: "Checkout with credit card",
    folder: 1010,
    status: S.caseApproved,
    priority: P.high,
    labels: ["Checkout", "Payments"],
    steps: [
      step("Add one item to the cart and open checkout", "Checkout page shows the total"),
      step("Pay with card", "Payment is authorised", "Card = 4111 1111 1111 1111<br>Expiry = 12/30<br>CVC = 123"),
      step("Open <em>My orders</em>", "The order is listed as <b>Paid</b>")
    ]
  },
  {
    n: 9,
    name: "Checkout with saved card",
    folder: 1010,
    labels: ["Checkout"],
    steps: [step("Choose the saved card", "Card ending 1111 is pre-selected"), step("Confirm", "Payment is authorised without asking for the CVC")]
  },
  {
    n: 10,
    name: "Refund a full order",
    folder: 1006,
    priority: P.high,
    labels: ["Refunds"],
    steps: [step("Open a paid order as support agent", "Refund button is enabled"), step("Refund the full amount", "Order status becomes <b>Refunded</b>", "Amount = 100 %")]
  },
  {
    n: 11,
    name: "End-to-end purchase (calls DEMO-T12)",
    folder: 1010,
    status: S.caseApproved,
    priority: P.high,
    labels: ["E2E"],
    objective: "Exercises call-to-test: this case calls DEMO-T12, which calls DEMO-T13.",
    steps: [
      step("Start from an empty cart", "Cart badge shows 0"),
      {
        call: "DEMO-T12",
        parameters: [
          { name: "item", type: "DEFAULT_VALUE", value: "Blue mug ☕" },
          { name: "quantity", type: "MANUAL_INPUT", value: "2" }
        ]
      },
      step("Pay and confirm", "Order confirmation page shows the order number")
    ]
  },
  {
    n: 12,
    name: "Add item to cart (calls DEMO-T13)",
    folder: 1010,
    labels: ["Reusable"],
    steps: [
      {
        call: "DEMO-T13",
        parameters: [
          { name: "username", type: "DEFAULT_VALUE", value: "buyer@example.com" },
          { name: "password", type: "MANUAL_INPUT", value: "" }
        ]
      },
      step("Search for {item}", "The product page of {item} is shown", "item = {item}"),
      step("Add {quantity} to the cart", "Cart badge shows {quantity}", "quantity = {quantity}")
    ]
  },
  {
    n: 13,
    name: "Log in as {username} (reusable)",
    folder: 1004,
    labels: ["Reusable", "Login"],
    steps: [step("Open the login page", "The login form is shown"), step("Log in", "Dashboard is shown", "Username = {username}<br>Password = {password}")]
  },
  {
    n: 14,
    name: "Partial refund",
    folder: 1006,
    labels: ["Refunds"],
    steps: [step("Refund 30 % of a paid order", "Order status becomes <b>Partially refunded</b>", "Amount = 30 %")]
  },
  {
    n: 15,
    name: "واجهة عربية: اختبار تسجيل الدخول",
    folder: 1003,
    labels: ["i18n", "RTL"],
    objective: "<p dir=\"rtl\">التحقق من أن صفحة تسجيل الدخول تُعرض من اليمين إلى اليسار.</p>",
    steps: [step("افتح صفحة تسجيل الدخول باللغة العربية", "يتم عرض النموذج من اليمين إلى اليسار", "اللغة = ar")]
  },
  {
    n: 16,
    name: "ממשק עברי: בדיקת התחברות",
    folder: 1003,
    labels: ["i18n", "RTL"],
    steps: [step("פתח את דף ההתחברות בעברית", "הטופס מוצג מימין לשמאל", "שפה = he")]
  },
  {
    n: 17,
    name: "日本語UI: ログイン画面の表示確認",
    folder: 1003,
    labels: ["i18n", "CJK"],
    objective: "ログイン画面の文言がすべて<b>日本語</b>で表示されること。",
    steps: [step("ブラウザの言語を日本語に設定してログイン画面を開く", "「ログイン」ボタンが表示される", "言語 = ja-JP"), step("中文: 输入用户名", "显示欢迎信息")]
  },
  {
    n: 18,
    name: "Überprüfung der Größe: Maße in ÄÖÜ ß",
    folder: 1003,
    labels: ["i18n"],
    steps: [step("Produktgröße anzeigen", "„Größe: 42“ wird angezeigt")]
  },
  {
    n: 19,
    name: "Emoji in product names 🚀🛒",
    folder: 1003,
    priority: P.low,
    labels: ["Unicode"],
    steps: [step("Create a product named 🚀 Rocket 🛒", "Product list shows 🚀 Rocket 🛒 unchanged", "Name = 🚀 Rocket 🛒 👩🏽‍💻")]
  },
  {
    n: 20,
    name: "API contract smoke (plain text)",
    folder: 1002,
    labels: ["API", "Automated"],
    script: {
      type: "plain",
      text: "<p>1. Call <code>GET /health</code> → 200</p><p>2. Call <code>GET /orders?limit=1</code> → 200 with one order</p><p>3. Check the <b>X-Request-Id</b> header is echoed</p>"
    }
  },
  {
    n: 21,
    name: "Checkout feature (BDD)",
    folder: 1010,
    labels: ["BDD", "Automated"],
    script: {
      type: "bdd",
      text: "Feature: Checkout\n  Scenario: Pay with card\n    Given a cart with 1 item\n    When I pay with card \"4111 1111 1111 1111\"\n    Then the order is \"Paid\"\n\n  Scenario Outline: Currencies\n    Given the currency <currency>\n    Then the total shows <symbol>\n    Examples:\n      | currency | symbol |\n      | EUR      | €      |\n      | JPY      | ¥      |"
    }
  },
  {
    n: 22,
    name: "Orphan case without folder",
    folder: null,
    priority: P.low,
    objective: null,
    precondition: null,
    steps: [step("Anything", "Something")]
  },
  {
    n: 23,
    name: "Deprecated: legacy login form",
    folder: 1004,
    status: S.caseDeprecated,
    labels: ["Legacy"],
    steps: [step("Open /legacy-login", "Redirected to /login")]
  },
  {
    n: 24,
    name: "Session timeout after 30 minutes",
    folder: 1005,
    labels: ["Security"],
    steps: [step("Log in and stay idle for 30 minutes", "Session expires; login page is shown", "Idle = 30 min")]
  },
  {
    n: 25,
    name: "Currency rounding",
    folder: 1002,
    labels: ["Payments"],
    steps: [step("Buy 3 items at 0.333 €", "Total is 1.00 €", "Prices = 0.333 ×3"), step("Buy 1 item at 100 ¥", "Total is ¥100 (no decimals)")]
  }
]

const caseId = (n: number) => 50000 + n
const caseCustomFields = (n: number): CustomFields => {
  const all: CustomFields = {
    "Build Number": 20 + n,
    "Release Date": `2024-${String(1 + (n % 12)).padStart(2, "0")}-${String(1 + (n % 28)).padStart(2, "0")}`,
    Implemented: n % 2 === 0,
    Category: n % 3 === 0 ? ["Performance", "Regression"] : ["Functional"],
    "Short Note": `Note for case ${n} — ✓`,
    "Pre-Condition(s)": "User should have logged in. <br> User should have navigated to the administration panel.",
    Risk: ["High", "Medium", "Low"][n % 3] ?? "Low",
    Tester: USER_IDS[n % USER_IDS.length] ?? DEMO_USERS.alice
  }
  // Early cases carry every type; the rest a varying subset, as real tenants do.
  if (n <= 5) return all
  const keys = Object.keys(all).filter((_, i) => (i + n) % 3 !== 0)
  return Object.fromEntries(keys.map((k) => [k, all[k] ?? null]))
}

const VERSIONS: Readonly<Record<string, number>> = { "DEMO-T1": 3, "DEMO-T13": 2 }

export const demoData = (): ZephyrData => {
  const links = makeLinks()
  const rng = makePrng(2024)

  // ---- test cases, steps, scripts ------------------------------------------------------------------------
  const testcases: Array<ZephyrTestCase> = []
  const teststeps: Record<string, Array<ZephyrTestStep>> = {}
  const testscripts: Record<string, ZephyrTestScript> = {}
  let stepId = 70001
  let scriptId = 75001
  for (const c of CASES) {
    const key = `DEMO-T${c.n}`
    const issues = c.n % 4 === 1 ? [links.issue(10100 + c.n, "COVERAGE"), links.issue(10200 + c.n, c.n % 8 === 1 ? "BLOCKS" : "RELATED")] : c.n % 4 === 2 ? [links.issue(10100 + c.n, "COVERAGE")] : []
    const webLinks = c.n % 5 === 1 ? [links.web(`https://wiki.example.com/qa/${key}`, `Spec for ${key}`, "RELATED")] : c.n === 8 ? [links.web("https://stripe.com/docs/testing", "Stripe test cards", "COVERAGE")] : []
    testcases.push({
      id: caseId(c.n),
      key,
      name: c.name,
      project: projectLink(DEMO),
      createdOn: `2024-01-${String(2 + (c.n % 27)).padStart(2, "0")}T${String(8 + (c.n % 10)).padStart(2, "0")}:15:13Z`,
      objective: c.objective === undefined ? `<p>Verify: ${c.name}</p>` : c.objective,
      precondition: c.precondition === undefined ? (c.n % 3 === 0 ? "Latest build deployed to <b>staging</b>" : null) : c.precondition,
      estimatedTime: c.n % 4 === 3 ? null : 60000 * (1 + (c.n % 7)),
      labels: c.labels ?? [],
      component: c.n % 3 === 0 ? null : component(c.folder === 1002 || c.n === 20 ? COMPONENTS.api : COMPONENTS.web),
      priority: link("priorities", c.priority ?? P.normal),
      status: link("statuses", c.status ?? S.caseDraft),
      folder: c.folder === null ? null : link("folders", c.folder),
      owner: c.n % 6 === 0 ? null : owner(USER_IDS[c.n % USER_IDS.length] ?? DEMO_USERS.alice),
      testScript: { self: `${API}/testcases/${key}/testscript` },
      customFields: caseCustomFields(c.n),
      links: { self: `${API}/testcases/${key}/links`, issues, webLinks }
    })
    if (c.script) testscripts[key] = { id: scriptId++, type: c.script.type, text: c.script.text }
    if (c.steps) {
      teststeps[key] = c.steps.map((s): ZephyrTestStep =>
        "call" in s
          ? {
              id: stepId++,
              testCase: { self: `${API}/testcases/${s.call}/versions/${VERSIONS[s.call] ?? 1}`, testCaseKey: s.call, parameters: s.parameters ?? [] }
            }
          : {
              id: stepId++,
              inline: { description: s.description, testData: s.testData ?? "", expectedResult: s.expectedResult, customFields: s.customFields ?? {}, reflectRef: null }
            }
      )
    }
  }

  // OTHER project: a few plain entities that a DEMO-scoped extraction must leave alone.
  const otherCases: Array<ZephyrTestCase> = [1, 2, 3].map((n) => ({
    id: 60000 + n,
    key: `OTHER-T${n}`,
    name: `Other project case ${n}`,
    project: projectLink(OTHER),
    createdOn: `2024-02-0${n}T10:00:00Z`,
    objective: null,
    precondition: null,
    estimatedTime: null,
    labels: [],
    component: null,
    priority: link("priorities", P.otherNormal),
    status: link("statuses", S.otherCaseDraft),
    folder: n === 3 ? null : link("folders", 1100),
    owner: owner(DEMO_USERS.dana),
    testScript: { self: `${API}/testcases/OTHER-T${n}/testscript` },
    customFields: {},
    links: { self: `${API}/testcases/OTHER-T${n}/links`, issues: [], webLinks: [] }
  }))
  teststeps["OTHER-T1"] = [{ id: stepId++, inline: { description: "Other step", testData: "", expectedResult: "Other result", customFields: {}, reflectRef: null } }]
  teststeps["OTHER-T2"] = [{ id: stepId++, testCase: { self: `${API}/testcases/OTHER-T1/versions/1`, testCaseKey: "OTHER-T1", parameters: [] } }]
  testscripts["OTHER-T3"] = { id: scriptId++, type: "plain", text: "Other plain script" }

  // ---- plans and cycles ----------------------------------------------------------------------------------
  interface CycleSpec {
    readonly n: number
    readonly name: string
    readonly folder: number
    readonly version: number | null
    readonly status: number
    readonly start: string
    readonly cases: ReadonlyArray<number>
  }
  const CYCLES: ReadonlyArray<CycleSpec> = [
    { n: 1, name: "Release 2024.1 regression", folder: 1031, version: JIRA_VERSIONS.v2024_1, status: S.cycleDone, start: "2024-03-04", cases: [1, 2, 3, 5, 7, 8, 10, 11, 20, 21] },
    { n: 2, name: "Release 2024.1 smoke", folder: 1031, version: JIRA_VERSIONS.v2024_1, status: S.cycleDone, start: "2024-03-11", cases: [1, 8, 13, 14, 25] },
    { n: 3, name: "Release 2024.2 regression", folder: 1032, version: JIRA_VERSIONS.v2024_2, status: S.cycleInProgress, start: "2024-06-03", cases: [1, 2, 4, 6, 9, 11, 12, 15, 16, 17, 19, 24] },
    { n: 4, name: "Sprint 14", folder: 1033, version: JIRA_VERSIONS.v2024_2, status: S.cycleDone, start: "2024-04-15", cases: [3, 5, 10, 18, 22, 23] },
    { n: 5, name: "Sprint 15 — ünïcödé 🧪", folder: 1033, version: null, status: S.cycleInProgress, start: "2024-05-06", cases: [4, 7, 9, 12, 15, 17, 21] },
    { n: 6, name: "Exploratory — 探索的テスト", folder: 1033, version: null, status: S.cycleNotExecuted, start: "2024-07-01", cases: [2, 6, 13, 19, 25] }
  ]
  const cycleId = (n: number) => 90000 + n
  const planId = (n: number) => 80000 + n
  const PLANS = [
    { n: 1, name: "Release 2024.1 test plan", folder: 1021, status: S.planDone, cycles: [1, 2, 4] },
    { n: 2, name: "Release 2024.2 test plan", folder: 1021, status: S.planInProgress, cycles: [3, 5] },
    { n: 3, name: "Exploratory testing — plan 🧭", folder: null, status: S.planNotStarted, cycles: [6] }
  ] as const
  const planLinkIds = new Map<string, number>()
  for (const p of PLANS) for (const c of p.cycles) planLinkIds.set(`${p.n}/${c}`, links.nextId())

  const testplans: Array<ZephyrTestPlan> = PLANS.map((p) => ({
    id: planId(p.n),
    key: `DEMO-P${p.n}`,
    name: p.name,
    objective: `<p>Plan the testing for <b>${p.name}</b>.</p>`,
    project: projectLink(DEMO),
    status: link("statuses", p.status),
    folder: p.folder === null ? null : link("folders", p.folder),
    owner: owner(USER_IDS[p.n % USER_IDS.length] ?? DEMO_USERS.alice),
    customFields: { "Release Manager": DEMO_USERS.bob, "Sign-off Date": `2024-0${2 + p.n * 2}-28`, Approved: p.n === 1, "Risk Level": p.n === 3 ? "High" : "Medium" },
    labels: p.n === 3 ? ["Exploratory"] : ["Release", `R2024.${p.n}`],
    links: {
      webLinks: [links.web(`https://confluence.example.com/plans/DEMO-P${p.n}`, `Plan page ${p.n}`, "RELATED")],
      issues: p.n === 3 ? [] : [links.issue(10500 + p.n, "COVERAGE")],
      testCycles: p.cycles.map((c) => ({
        id: planLinkIds.get(`${p.n}/${c}`) ?? 0,
        self: `${API}/links/${planLinkIds.get(`${p.n}/${c}`) ?? 0}`,
        testCycleId: cycleId(c),
        type: "RELATED" as const,
        target: `${API}/testcycles/${cycleId(c)}`
      }))
    }
  }))

  const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T09:00:00Z`) + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z")

  const testcycles: Array<ZephyrTestCycle> = CYCLES.map((c) => ({
    id: cycleId(c.n),
    key: `DEMO-R${c.n}`,
    name: c.name,
    project: projectLink(DEMO),
    jiraProjectVersion: c.version === null ? null : jiraVersion(c.version),
    status: link("statuses", c.status),
    folder: link("folders", c.folder),
    description: c.n % 2 === 1 ? `<p>Cycle <b>${c.name}</b>: run every case in scope.</p>` : null,
    plannedStartDate: addDays(c.start, 0),
    plannedEndDate: addDays(c.start, 5),
    owner: owner(USER_IDS[c.n % USER_IDS.length] ?? DEMO_USERS.alice),
    customFields: { "Test Environment": c.n % 2 === 0 ? "Staging" : "QA", "Sprint Number": 10 + c.n, Automated: c.n === 1 },
    links: {
      self: `${API}/testcycles/${cycleId(c.n)}/links`,
      issues: c.n <= 3 ? [links.issue(10600 + c.n, "COVERAGE")] : [],
      webLinks: c.n === 1 ? [links.web("https://ci.example.com/builds/2024.1", "CI build 2024.1", "RELATED")] : [],
      testPlans: PLANS.filter((p) => (p.cycles as ReadonlyArray<number>).includes(c.n)).map((p) => {
        const id = planLinkIds.get(`${p.n}/${c.n}`) ?? 0
        return { id, self: `${API}/links/${id}`, testPlanId: planId(p.n), type: "RELATED" as const, target: `${API}/testplans/${planId(p.n)}` }
      })
    }
  }))

  // ---- executions and step results -----------------------------------------------------------------------
  const caseByKey = new Map(testcases.map((tc) => [tc.key, tc]))
  /** Execution steps are the case's steps with calls expanded and parameters substituted, as Zephyr does. */
  const expand = (key: string, params: Readonly<Record<string, string>>, depth = 0): Array<{ description: string; testData: string; expectedResult: string }> => {
    if (depth > 5) return []
    const script = testscripts[key]
    if (script) return [{ description: script.text, testData: "", expectedResult: "" }]
    const subst = (text: string | null | undefined) => (text ?? "").replace(/\{(\w+)\}/g, (m, name: string) => params[name] || m)
    return (teststeps[key] ?? []).flatMap((s) => {
      if (s.testCase) {
        const inner: Record<string, string> = {}
        for (const p of s.testCase.parameters ?? []) inner[p.name] = subst(p.value ?? "")
        return expand(s.testCase.testCaseKey, inner, depth + 1)
      }
      return [{ description: subst(s.inline?.description), testData: subst(s.inline?.testData), expectedResult: subst(s.inline?.expectedResult) }]
    })
  }

  const testexecutions: Array<ZephyrTestExecution> = []
  const executionsteps: Record<string, Array<ZephyrExecutionStep>> = {}
  let execN = 0
  let execStepId = 200001
  const ENVIRONMENTS = [E.chrome, E.firefox, E.safari]
  const COMMENTS = [
    "<p>Failed: the <b>Pay</b> button stayed disabled.</p><p>See attached screenshot.</p>",
    "Retest after fix <a href=\"https://demo-tenant.atlassian.net/browse/DEMO-42\">DEMO-42</a> ✅",
    "Blocked by the staging outage 🔥 — <i>retry tomorrow</i>",
    "Passed on the second attempt; flaky network.<br>Build 2024.1.3"
  ]

  interface ExecSpec {
    readonly caseKey: string
    readonly cycle: CycleSpec | null
    readonly status: number
    readonly at: string | null
    readonly automated: boolean
    readonly version: number
  }
  const addExecution = (spec: ExecSpec): ZephyrTestExecution => {
    execN++
    const id = 100000 + execN
    const tc = caseByKey.get(spec.caseKey)
    if (!tc) throw new Error(`demo: unknown case ${spec.caseKey}`)
    const latest = VERSIONS[spec.caseKey] ?? 1
    const executed = spec.status !== S.execNotExecuted && spec.at !== null
    const failed = spec.status === S.execFail || spec.status === S.execBlocked
    const env = execN % 5 === 0 ? null : ENVIRONMENTS[execN % ENVIRONMENTS.length]
    const comment = failed ? (COMMENTS[execN % 3 === 0 ? 2 : 0] ?? null) : execN % 7 === 0 ? (COMMENTS[1] ?? null) : execN % 11 === 0 ? (COMMENTS[3] ?? null) : null
    const execution: ZephyrTestExecution = {
      id,
      key: `DEMO-E${execN}`,
      project: projectLink(DEMO),
      testCase: { self: `${API}/testcases/${spec.caseKey}/versions/${spec.version}`, id: spec.version === latest ? tc.id : tc.id * 1000 + spec.version },
      environment: env === undefined || env === null ? null : link("environments", env),
      jiraProjectVersion: spec.cycle?.version ? jiraVersion(spec.cycle.version) : null,
      testExecutionStatus: link("statuses", spec.status),
      actualEndDate: executed ? spec.at : null,
      estimatedTime: tc.estimatedTime ?? null,
      executionTime: executed ? 30000 + rng.int(600) * 1000 : null,
      executedById: executed ? (spec.automated ? DEMO_USERS.dana : (USER_IDS[rng.int(3)] ?? DEMO_USERS.alice)) : null,
      assignedToId: execN % 4 === 0 ? null : (USER_IDS[execN % 3] ?? DEMO_USERS.alice),
      comment,
      automated: spec.automated,
      testCycle: spec.cycle ? link("testcycles", cycleId(spec.cycle.n)) : null,
      customFields: execN % 3 === 0 ? {} : { Browser: ["Chrome", "Firefox", "Safari"][execN % 3] ?? "Chrome", "Build Number": 1000 + execN, Flaky: execN % 9 === 0 },
      links: { self: `${API}/testexecutions/${id}/links`, issues: failed ? [links.issue(10700 + execN, "BLOCKS")] : [] }
    }
    testexecutions.push(execution)
    // Step results follow the outcome: a failure stops the run at a step, later steps stay unexecuted.
    const steps = expand(spec.caseKey, {})
    const failAt = failed ? rng.int(Math.max(1, steps.length)) : -1
    const inProgressUntil = spec.status === S.execInProgress ? Math.ceil(steps.length / 2) : -1
    executionsteps[String(id)] = steps.map((s, i) => {
      const status =
        spec.status === S.execNotExecuted
          ? S.execNotExecuted
          : spec.status === S.execPass
            ? S.execPass
            : spec.status === S.execInProgress
              ? i < inProgressUntil
                ? S.execPass
                : S.execNotExecuted
              : i < failAt
                ? S.execPass
                : i === failAt
                  ? spec.status
                  : S.execNotExecuted
      const actualResult =
        status === S.execPass ? (i % 2 === 0 ? "As expected" : "<p>As expected ✓</p>") : status === S.execNotExecuted ? "" : status === S.execBlocked ? "Could not run: <b>environment down</b>" : "<p>Got <code>HTTP 500</code> instead</p>"
      return {
        id: execStepId++,
        inline: { description: s.description, testData: s.testData, expectedResult: s.expectedResult, actualResult, testDataRowNumber: 1, reflectRef: null, status: link("statuses", status) }
      }
    })
    return execution
  }

  const at = (date: string, dayOffset: number, hour: number): string => addDays(date, dayOffset).replace("T09:", `T${String(hour).padStart(2, "0")}:`)
  for (const c of CYCLES) {
    c.cases.forEach((n, i) => {
      const caseKey = `DEMO-T${n}`
      const latest = VERSIONS[caseKey] ?? 1
      // Older releases ran older versions of the cases that have several.
      const version = c.n <= 2 ? 1 : c.n === 3 ? Math.min(2, latest) : latest
      if (c.status === S.cycleNotExecuted && i % 2 === 0) {
        addExecution({ caseKey, cycle: c, status: S.execNotExecuted, at: null, automated: false, version })
        return
      }
      // History: 1..3 runs of the same item, earlier ones failing more often, the last one mostly passing.
      const runs = 1 + ((n + c.n) % 3 === 0 ? 2 : (n * c.n) % 4 === 1 ? 1 : 0)
      for (let r = 0; r < runs; r++) {
        const last = r === runs - 1
        const roll = rng.next()
        const status = !last
          ? roll < 0.6
            ? S.execFail
            : S.execBlocked
          : c.status === S.cycleInProgress && roll < 0.25
            ? S.execInProgress
            : roll < 0.78
              ? S.execPass
              : roll < 0.92
                ? S.execFail
                : S.execBlocked
        const automated = n === 20 || n === 21
        addExecution({ caseKey, cycle: c, status, at: status === S.execInProgress ? null : at(c.start, r + (i % 4), 10 + ((i + r) % 8)), automated, version })
      }
    })
  }
  // Ad hoc executions (no cycle), some from CI.
  const adHoc: ReadonlyArray<[number, number, boolean]> = [
    [1, S.execPass, false],
    [8, S.execFail, false],
    [20, S.execPass, true],
    [20, S.execFail, true],
    [21, S.execPass, true],
    [22, S.execPass, false],
    [11, S.execBlocked, false],
    [17, S.execPass, false]
  ]
  adHoc.forEach(([n, status, automated], i) => {
    const caseKey = `DEMO-T${n}`
    addExecution({ caseKey, cycle: null, status, at: at("2024-08-01", i, 14), automated, version: VERSIONS[caseKey] ?? 1 })
  })

  // OTHER project executions.
  const otherCycle: ZephyrTestCycle = {
    id: 90101,
    key: "OTHER-R1",
    name: "Other cycle",
    project: projectLink(OTHER),
    jiraProjectVersion: jiraVersion(JIRA_VERSIONS.other),
    status: link("statuses", S.otherCycle),
    folder: link("folders", 1101),
    description: null,
    plannedStartDate: "2024-02-01T09:00:00Z",
    plannedEndDate: "2024-02-02T09:00:00Z",
    owner: owner(DEMO_USERS.dana),
    customFields: {},
    links: { self: `${API}/testcycles/90101/links`, issues: [], webLinks: [], testPlans: [] }
  }
  const otherExec = (n: number, caseN: number, status: number, inCycle: boolean): ZephyrTestExecution => ({
    id: 110000 + n,
    key: `OTHER-E${n}`,
    project: projectLink(OTHER),
    testCase: { self: `${API}/testcases/OTHER-T${caseN}/versions/1`, id: 60000 + caseN },
    environment: link("environments", E.otherStaging),
    jiraProjectVersion: null,
    testExecutionStatus: link("statuses", status),
    actualEndDate: `2024-02-0${n}T12:00:00Z`,
    estimatedTime: null,
    executionTime: 10000,
    executedById: DEMO_USERS.dana,
    assignedToId: DEMO_USERS.dana,
    comment: null,
    automated: false,
    testCycle: inCycle ? link("testcycles", 90101) : null,
    customFields: {},
    links: { self: `${API}/testexecutions/${110000 + n}/links`, issues: [] }
  })
  const otherExecutions = [otherExec(1, 1, S.otherExecPass, true), otherExec(2, 2, S.otherExecFail, true), otherExec(3, 1, S.otherExecPass, true), otherExec(4, 3, S.otherExecPass, false)]
  for (const e of otherExecutions) {
    executionsteps[String(e.id)] = [
      { id: execStepId++, inline: { description: "Other step", testData: "", expectedResult: "Other result", actualResult: "ok", testDataRowNumber: 1, reflectRef: null, status: e.testExecutionStatus } }
    ]
  }

  // ---- attachments ---------------------------------------------------------------------------------------
  let attachmentId = 400001
  const file = (name: string, contentType: string, bytes: Uint8Array): ZephyrAttachmentData => ({ id: attachmentId++, name, contentType, base64: toBase64(bytes) })
  const firstFailed = testexecutions.find((e) => e.testExecutionStatus.id === S.execFail)
  const firstAutomated = testexecutions.find((e) => e.automated === true && e.actualEndDate)
  const notes = "Release notes ✅\nCafé, naïve, façade — 日本語テキスト — مرحبا — 🚀🦄\nLine 3: tab\tand CRLF\r\nend\n"
  const attachments: Record<string, Array<ZephyrAttachmentData>> = {
    "testcases/DEMO-T1": [file("login-screen.png", "image/png", tinyPng()), file("notes ✅.txt", "text/plain; charset=utf-8", utf8(notes))],
    "testcases/DEMO-T3": [file("reset-spec.pdf", "application/pdf", allBytesPdf())],
    "testcases/DEMO-T17": [file("ログイン画面.png", "image/png", tinyPng())],
    "testcases/OTHER-T1": [file("other.txt", "text/plain; charset=utf-8", utf8("Other project attachment\n"))]
  }
  if (firstFailed) attachments[`testexecutions/${firstFailed.id}`] = [file("failure-screenshot.png", "image/png", tinyPng()), file("console.log", "text/plain; charset=utf-8", utf8("ERROR 500 at /pay 💥\nstack: …\n"))]
  if (firstAutomated)
    attachments[`testexecutions/${firstAutomated.id}`] = [file("junit-report.xml", "application/xml", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"api\" tests=\"3\" failures=\"0\"/>\n"))]
  const lastExecution = testexecutions[testexecutions.length - 1]
  if (lastExecution) attachments[`testexecutions/${lastExecution.id}`] = [file("evidence.bin", "application/octet-stream", allBytesPdf())]

  return {
    projects: [
      { id: DEMO, jiraProjectId: 10000, key: "DEMO", enabled: true },
      { id: OTHER, jiraProjectId: 10001, key: "OTHER", enabled: true }
    ],
    folders: folders(),
    statuses: statuses(),
    priorities: [
      { id: P.high, project: projectLink(DEMO), name: "High", description: "Must pass before release", index: 0, color: "#FF5630", default: false },
      { id: P.normal, project: projectLink(DEMO), name: "Normal", description: null, index: 1, color: "#FFAB00", default: true },
      { id: P.low, project: projectLink(DEMO), name: "Low", description: "Nice to have", index: 2, color: "#36B37E", default: false },
      { id: P.otherNormal, project: projectLink(OTHER), name: "Normal", description: null, index: 0, color: "#FFAB00", default: true }
    ],
    environments: [
      { id: E.chrome, project: projectLink(DEMO), name: "Chrome 120 / Windows 11", description: "Default desktop browser", index: 0, archived: false },
      { id: E.firefox, project: projectLink(DEMO), name: "Firefox ESR / Ubuntu 22.04", description: null, index: 1, archived: false },
      { id: E.safari, project: projectLink(DEMO), name: "Safari / iOS 17 📱", description: "Mobile", index: 2, archived: false },
      { id: E.ie, project: projectLink(DEMO), name: "Internet Explorer 11 (retired)", description: null, index: 3, archived: true },
      { id: E.otherStaging, project: projectLink(OTHER), name: "Staging", description: null, index: 0, archived: false }
    ],
    testcases: [...testcases, ...otherCases],
    teststeps,
    testscripts,
    testcycles: [...testcycles, otherCycle],
    testplans,
    testexecutions: [...testexecutions, ...otherExecutions],
    executionsteps,
    attachments,
    versions: VERSIONS
  }
}
