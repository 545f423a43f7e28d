/**
 * The items of a simulator checklist in our vendor notes (docs/vendors/<system>.md): the `- ` lines of the section
 * under `heading`, up to the next `## ` heading, each item on one line. The sandboxes' checklist tests are named by
 * these items, and compare their names with them.
 */
export const checklistItems = (markdown: string, heading: string): ReadonlyArray<string> => {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`no section "${heading}"`)
  const end = markdown.indexOf("\n## ", start + heading.length + 1)
  return markdown
    .slice(start + heading.length + 2, end < 0 ? undefined : end)
    .split("\n")
    .filter((line) => line.startsWith("- "))
    .map((line) => line.slice(2).trim())
}
