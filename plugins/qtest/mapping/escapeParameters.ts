/**
 * qTest turns `[~name]` in step and case text into a project Parameter ("Parameters will be automatically added
 * to current project", swagger on POST test-cases). Zephyr text is never meant that way, so every literal `[~`
 * in rich text we write becomes `&#91;~`: the HTML character reference of `[`, which a browser renders as `[`
 * (the text looks the same) but which no longer matches qTest's `[~` pattern.
 *
 * Only rich-text (HTML) values are escaped: in a plain-text field the reference would show literally, and plain
 * fields are not parameterised. Idempotent: escaped text has no `[~` left.
 */
export const PARAMETER_ESCAPE = "&#91;~"

export const escapeParameters = (text: string): string => text.replaceAll("[~", PARAMETER_ESCAPE)
