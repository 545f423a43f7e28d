/**
 * A URL that carries a user or password (`https://bot:s3cret@acme.qtestnet.com`) is a credential written in the
 * spec, and a URL is shown everywhere — in errors, hints, reports, the events of the state store. So the loader
 * refuses it as it refuses a literal secret: credentials belong in the section's own secret fields, as references.
 * Any userinfo counts (no HTTP client here sends it: fetch refuses such a URL, and auth is a header).
 */
export const hasUrlCredentials = (value: unknown): boolean =>
  // the authority — between `scheme://` and the first / ? or # — holding an `@`; tested as text, since a URL that
  // does not parse is echoed just the same
  typeof value === "string" && /^\s*[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)
