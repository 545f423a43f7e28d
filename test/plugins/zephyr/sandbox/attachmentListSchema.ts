/**
 * The attachment list of a test case or an execution, which neither vendor description has (docs/vendors/zephyr.md
 * §1.6, and §3.6 for Essential, which answers the same): `{attachments: [{id, name}]}`. Both contract tests use it.
 */
export const attachmentListSchema = {
  type: "object",
  required: ["attachments"],
  additionalProperties: false,
  properties: {
    attachments: {
      type: "array",
      items: { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer" }, name: { type: "string", minLength: 1, maxLength: 255 } } }
    }
  }
} as const
