/**
 * External plugins end to end, through the real CLI: a plugin in a file of its own, named in the spec's
 * `plugins:` by path (relative to the spec) or by package name (from a `node_modules` beside the spec), is
 * loaded, checked against the contract and run; a broken one stops the command with exit 2 and a message that
 * names the field and the file; an unknown `type:` lists the built-ins and the loaded externals.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { repoRoot, runCliProcess, tempDir } from "./cli.ts"

const exampleCsv = path.join(repoRoot, "examples/csv-source/cases.example.csv")

/**
 * A project directory whose `examples` is the repo's (a symlink), so its spec can name the example plugin exactly
 * as a spec at the repo root would: `./examples/csv-source/index.ts`.
 */
const projectDir = (spec: string, files: Readonly<Record<string, string>> = {}) => {
  const dir = tempDir("migrate-plugin-")
  fs.symlinkSync(path.join(repoRoot, "examples"), path.join(dir, "examples"), "dir")
  fs.writeFileSync(path.join(dir, "migration.config.yaml"), spec)
  // A TypeScript project of today: ES modules, so a plugin written as `.ts` is loaded as one (else name it `.mts`).
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "my-migration", private: true, type: "module" }))
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

const csvSpec = (source: string, plugins = ["./examples/csv-source/index.ts"]) =>
  `version: 1\nsource:\n${source}\nplugins:\n${plugins.map((p) => `  - "${p}"`).join("\n")}\nstate: { path: .migrate/state.db }\n`

const counts = (dbFile: string) => {
  const db = new Database(dbFile, { readonly: true })
  try {
    const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n
    return { Project: n("Project"), Folder: n("Folder"), TestCase: n("TestCase"), TestStep: n("TestStep"), quarantine: n("quarantine") }
  } finally {
    db.close()
  }
}

describe("external plugins", { timeout: 150_000 }, () => {
  it("runs the example CSV plugin named by path in the spec: validate, run, re-run", async () => {
    const cwd = projectDir(csvSpec("  type: csv\n  file: ./cases.csv\n  projectKey: SHOP"), { "cases.csv": fs.readFileSync(exampleCsv, "utf8") })
    const validate = await runCliProcess(["validate"], { cwd })
    expect(validate.code, validate.stderr).toBe(0)

    const first = await runCliProcess(["run"], { cwd })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain("extract csv")
    expect(first.stdout).toMatch(/run \S+: succeeded/)
    expect(counts(path.join(cwd, ".migrate/state.db"))).toEqual({ Project: 1, Folder: 5, TestCase: 4, TestStep: 5, quarantine: 0 })

    const second = await runCliProcess(["run"], { cwd })
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toMatch(/total\s+15 extracted\s+0 new\s+0 changed\s+15 unchanged/)
  })

  it("runs the example plugin against its own sandbox with run --sandbox", async () => {
    const cwd = projectDir(csvSpec("  type: csv\n  file: ./nowhere.csv\n  projectKey: DEMO"))
    const r = await runCliProcess(["run", "--sandbox"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/sandbox csv at http:\/\/127\.0\.0\.1:\d+\/cases\.csv/)
    expect(counts(path.join(cwd, ".migrate/sandbox.db"))).toEqual({ Project: 1, Folder: 6, TestCase: 40, TestStep: 78, quarantine: 0 })
  })

  it("quarantines a case it cannot map and exits 3", async () => {
    const csv = "key,name,step\nOK-1,Fine,Do it\nBAD-1,,Step of a case without a name\n"
    const cwd = projectDir(csvSpec("  type: csv\n  file: ./cases.csv\n  projectKey: SHOP"), { "cases.csv": csv })
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(3)
    expect(counts(path.join(cwd, ".migrate/state.db"))).toMatchObject({ TestCase: 1, TestStep: 1, quarantine: 1 })
  })

  it("a plugin's check failure is exit 1 with the plugin's hint", async () => {
    const cwd = projectDir(csvSpec("  type: csv\n  file: ./missing.csv\n  projectKey: SHOP"))
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toContain("cannot read ./missing.csv")
    expect(r.stderr).toContain("→ check source.file")
  })

  it("a module that breaks the contract is exit 2, naming each field and the file", async () => {
    const cwd = projectDir(csvSpec("  type: exporter", ["./plugins/broken.ts"]), {
      "plugins/broken.ts": `export default { name: "exporter", kind: "exporter", configSchema: { type: "object" } }\n`
    })
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain("migration.config.yaml:5:5  /plugins/0")
    expect(r.stderr).toContain(`\`kind\` must be "source", "transform" or "sink" (it is "exporter")`)
    expect(r.stderr).toContain("`make` is missing")
    expect(r.stderr).toContain(path.join(fs.realpathSync(cwd), "plugins/broken.ts"))
  })

  it("a make that builds an incomplete instance is exit 2, naming the member and the file", async () => {
    const plugin = `import { Effect } from "effect"
export default {
  name: "half", kind: "source", configSchema: { type: "object", additionalProperties: false },
  make: () => Effect.succeed({ check: Effect.void, estimate: Effect.succeed({}) })
}
`
    const cwd = projectDir(csvSpec("  type: half", ["./plugins/half.ts"]), { "plugins/half.ts": plugin })
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(cwd, "node_modules"), "dir")
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain("the source instance's `extract` is missing (must be a function)")
    expect(r.stderr).toContain("plugins/half.ts")
  })

  it("an unknown type lists the built-ins and the loaded external plugins", async () => {
    const cwd = projectDir(csvSpec("  type: cvs\n  file: ./cases.csv\n  projectKey: SHOP"))
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain(`unknown source type "cvs" (did you mean "csv"?) — known source types: zephyr, csv`)
  })

  it("an external plugin may not take a built-in's name", async () => {
    const cwd = projectDir(csvSpec("  type: zephyr", ["./plugins/zephyr.ts"]), {
      "plugins/zephyr.ts": `export default { name: "zephyr", kind: "source", configSchema: { type: "object" }, make: () => null }\n`
    })
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain(`a name the built-in plugin already has`)
  })

  it("loads a plugin by package name from node_modules beside the spec", async () => {
    // An ESM-only package (only an "import" condition), as a plugin published to a registry would ship.
    const cwd = projectDir(csvSpec("  type: inline\n  projectKey: PKG", ["@acme/migrate-plugin-inline"]), {
      "node_modules/@acme/migrate-plugin-inline/package.json": JSON.stringify({
        name: "@acme/migrate-plugin-inline",
        version: "1.0.0",
        type: "module",
        exports: { ".": { import: "./dist/index.js" } }
      }),
      "node_modules/@acme/migrate-plugin-inline/dist/index.js": `import { Effect, Stream } from "effect"
export default {
  name: "inline",
  kind: "source",
  configSchema: { type: "object", additionalProperties: false, required: ["projectKey"], properties: { projectKey: { type: "string" } } },
  make: (config) => Effect.succeed({
    check: Effect.void,
    estimate: Effect.succeed({ Project: 1 }),
    extract: () => Stream.make({ entity: "Project", data: {
      project_id: config.projectKey, project_key: config.projectKey, name: "From a package", description: null,
      jira_project_id: null, enabled: true, source_system: "inline", source_id: config.projectKey, source_key: config.projectKey } })
  })
}
`
    })
    // The package's own dependency (effect), as npm would have installed it beside it.
    fs.symlinkSync(path.join(repoRoot, "node_modules/effect"), path.join(cwd, "node_modules/effect"), "dir")
    const r = await runCliProcess(["run"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    expect(counts(path.join(cwd, ".migrate/state.db"))).toMatchObject({ Project: 1 })

    const missing = projectDir(csvSpec("  type: inline", ["@acme/not-installed"]))
    const m = await runCliProcess(["run"], { cwd: missing })
    expect(m.code, m.stderr).toBe(2)
    expect(m.stderr).toContain("cannot load plugin @acme/not-installed")
  })
})
