/**
 * Helpers for `Plugin.identity`: one spelling per system, so a state is not refused because a spec added a
 * trailing slash or wrote the host in capitals.
 */

/** `https://ACME.qtestnet.com:443/` → `https://acme.qtestnet.com`; what is not a URL is kept as written. */
export const normalizeUrl = (url: string): string => {
  try {
    const u = new URL(url.trim())
    // URL already writes scheme and host in lower case and drops a default port
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`
  } catch {
    return url.trim()
  }
}
