/**
 * The generated TypeScript must match the schemas: a schema edit without `npm run schemas:types` fails here,
 * not later as a confusing type error (or worse, as types that silently disagree with validation).
 */
import { existsSync, readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import * as path from "node:path"
import { paths, pluginConfigs, renderCanonicalTypes, renderPluginConfig, renderSpecTypes } from "../../schemas/generate.ts"

const committed = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, "utf8") : undefined)

describe("generated types are in step with the schemas", () => {
  it("core/canonical/types.gen.ts", () => {
    const expected = renderCanonicalTypes()
    const actual = committed(paths.canonicalTypes)
    expect(actual === expected, `core/canonical/types.gen.ts is out of date: run npm run schemas:types`).toBe(true)
  })

  it("core/spec/Spec.gen.ts", () => {
    const expected = renderSpecTypes()
    const actual = committed(paths.specTypes)
    expect(expected).toBeDefined()
    expect(actual === expected, `core/spec/Spec.gen.ts is out of date: run npm run schemas:types`).toBe(true)
  })

  for (const source of pluginConfigs) {
    const name = path.relative(path.resolve(paths.specTypes, "../../.."), source.generated)
    it(name, () => {
      const actual = committed(source.generated)
      expect(actual === renderPluginConfig(source), `${name} is out of date: run npm run schemas:types`).toBe(true)
    })
  }

  it("a plugin schema changed without regenerating is caught", () => {
    const source = pluginConfigs[0]!
    const edited = (file: string) => {
      const schema = JSON.parse(readFileSync(file, "utf8")) as { properties: Record<string, { default?: unknown }> }
      const first = Object.keys(schema.properties)[0]!
      return { ...schema, properties: { ...schema.properties, [first]: { ...schema.properties[first], default: "changed" } } }
    }
    expect(renderPluginConfig(source, edited) === committed(source.generated)).toBe(false)
  })
})
