/**
 * Where the contract tests find what they check the sandboxes against, all inside the repository:
 * the vendors' published interface descriptions (test/contracts/vendor/, listed with their origin in its README)
 * and our notes on each vendor's API (docs/vendors/), whose examples and simulator checklists the tests read.
 */
import { resolve } from "node:path"

const here = import.meta.dirname
const root = resolve(here, "../..")

/** The vendors' own descriptions, byte for byte as published (or, where the README says so, a transcription). */
export const vendorSpecs = {
  /** SmartBear's OpenAPI 3.0 description of Zephyr Scale Cloud REST API v2. */
  zephyrCloud: resolve(here, "vendor/zephyr-scale-cloud-v2.openapi.yml"),
  /** An OpenAPI 3.0 transcription of SmartBear's Zephyr Scale Server/Data Center REST API v1 docs. */
  zephyrServer: resolve(here, "vendor/zephyr-scale-server-v1.openapi.json"),
  /**
   * A hand transcription of the component schemas of SmartBear's OpenAPI 3.0 description of Zephyr Essential
   * Cloud API 2.9 (descriptions and examples left out): an excerpt, not the vendor's file.
   */
  zephyrEssential: resolve(here, "vendor/zephyr-essential-cloud-v2.9.schemas.json"),
  /**
   * A bundle of 23 third-party (MIT) JSON schema files of Zephyr Scale Server/Data Center REST API v1 objects
   * (test case, step, test run, test result, …), each file's JSON unchanged under its name: client-grade evidence,
   * not SmartBear's (see the README).
   */
  zephyrDc: resolve(here, "vendor/zephyr-dc-v1.objects.schemas.json"),
  /** Tricentis' Swagger 2.0 description of qTest Manager API v3. */
  qtest: resolve(here, "vendor/qtest-manager-v3.swagger.yaml")
} as const

/** Our notes on what each vendor's API does, with the public sources (docs/vendors/), that tests read. */
export const vendorNotes = {
  zephyr: resolve(root, "docs/vendors/zephyr.md"),
  qtest: resolve(root, "docs/vendors/qtest.md")
} as const

export const vendorReadme = resolve(here, "vendor/README.md")
