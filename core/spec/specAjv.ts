/**
 * The ajv setup plugin sections are checked with, shared by the spec loader (SpecSchemas.ts) and decodeConfig
 * (a plugin driven directly): JSON Schema 2020-12, every error collected (`allErrors`), the failing subschema
 * attached (`verbose`, so messages can name limits and examples), and formats that refuse what no client can open.
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose `.default` is the plugin
// (TOOLCHAIN.md); this form works under tsc, tsx, vitest and Deno alike.
const addFormats = addFormatsModule.default

export const makeSectionAjv = (options: { readonly useDefaults?: boolean } = {}): Ajv2020 => {
  // Not strict: plugin schemas come from third parties and may carry annotations ajv does not know; an unknown
  // keyword there must not stop a migration. Our own schema is compiled strictly in its test.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, useDefaults: options.useDefaults ?? false })
  addFormats(ajv)
  // ajv-formats checks a URI's syntax with a regular expression that lets through what no client can open
  // (port 99999, a bracketed host that is no IPv6 address): the spec must catch those, not the first request.
  const uriSyntax = ajv.formats["uri"]
  ajv.addFormat("uri", (value: string) => (typeof uriSyntax === "function" ? uriSyntax(value) : true) && URL.canParse(value))
  return ajv
}
