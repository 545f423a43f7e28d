/**
 * Looks for secrets where a user, a CI log or an uploaded state directory would find them: in text (stdout,
 * stderr) and in files read as raw bytes, the way `strings` would — SQLite pages, WAL frames, DuckDB blocks,
 * JSON snapshots. A secret counts as found in any form that would give it away: UTF-8 (also upper-cased, as a
 * system that upper-cases identifiers would store it), UTF-16LE, base64 and base64url at each of the three byte
 * alignments (so inside a longer encoded value too), hex, and URL/form encoding. A private key is found by any
 * line of its PEM or any slice of its DER bytes.
 */
import * as fs from "node:fs"
import * as path from "node:path"

export interface NamedSecret {
  /** How a leak names it (never the value). */
  readonly name: string
  readonly value: string | Uint8Array
}

export interface Leak {
  readonly secret: string
  readonly form: string
  readonly where: string
  readonly offset: number
}

interface Needle {
  readonly secret: string
  readonly form: string
  readonly bytes: Buffer
}

/** Shorter needles could match by chance in megabytes of binary data. */
const MIN_NEEDLE = 16

/** base64 of `bytes` as it appears inside a longer encoded value that starts `shift` bytes before it. */
const base64Core = (bytes: Buffer, shift: number): string => {
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64")
  // the first group mixes in the unknown bytes before; a last partial group depends on the bytes after
  return encoded.slice(shift === 0 ? 0 : 4, 4 * Math.floor((shift + bytes.length) / 3))
}

/** Every form of one secret the scan looks for. */
export const secretForms = (value: string | Uint8Array): ReadonlyArray<{ readonly form: string; readonly bytes: Buffer }> => {
  const raw = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value)
  const forms: Array<{ form: string; bytes: Buffer }> = [{ form: typeof value === "string" ? "UTF-8" : "raw bytes", bytes: raw }]
  if (typeof value === "string") {
    forms.push({ form: "UTF-16LE", bytes: Buffer.from(value, "utf16le") })
    if (value.toUpperCase() !== value) {
      forms.push({ form: "UTF-8 upper-cased", bytes: Buffer.from(value.toUpperCase(), "utf8") })
      forms.push({ form: "UTF-16LE upper-cased", bytes: Buffer.from(value.toUpperCase(), "utf16le") })
    }
    forms.push({ form: "URL-encoded", bytes: Buffer.from(encodeURIComponent(value)) })
    forms.push({ form: "form-encoded", bytes: Buffer.from(new URLSearchParams({ v: value }).toString().slice(2)) })
  }
  for (const shift of [0, 1, 2]) {
    const core = base64Core(raw, shift)
    forms.push({ form: `base64 (+${shift})`, bytes: Buffer.from(core) })
    forms.push({ form: `base64url (+${shift})`, bytes: Buffer.from(core.replaceAll("+", "-").replaceAll("/", "_")) })
  }
  forms.push({ form: "hex", bytes: Buffer.from(raw.toString("hex")) })
  forms.push({ form: "HEX", bytes: Buffer.from(raw.toString("hex").toUpperCase()) })
  return forms
}

/** A PEM private key as scan targets: each base64 line, and its DER in slices (a key stored as binary). */
export const keySecrets = (name: string, pem: string): ReadonlyArray<NamedSecret> => {
  const lines = pem.split(/\r?\n/).filter((l) => l !== "" && !l.startsWith("-----"))
  const der = Buffer.from(lines.join(""), "base64")
  const slices: Array<NamedSecret> = []
  for (let i = 0; i + 32 <= der.length; i += 32) slices.push({ name: `${name} (DER bytes ${i}–${i + 31})`, value: der.subarray(i, i + 32) })
  return [
    ...lines.filter((l) => l.length >= MIN_NEEDLE).map((l, i) => ({ name: `${name} (PEM line ${i + 1})`, value: l })),
    ...slices
  ]
}

/** Every regular file under `root` (itself, when it is one), skipping the given absolute paths. */
const filesUnder = (root: string, skip: ReadonlySet<string>): ReadonlyArray<string> => {
  if (!fs.existsSync(root) || skip.has(root)) return []
  const stat = fs.lstatSync(root)
  if (stat.isFile()) return [root]
  if (!stat.isDirectory()) return []
  return fs.readdirSync(root).flatMap((name) => filesUnder(path.join(root, name), skip))
}

export interface SecretScanner {
  readonly scanBytes: (where: string, bytes: Uint8Array) => ReadonlyArray<Leak>
  readonly scanText: (where: string, text: string) => ReadonlyArray<Leak>
  /**
   * Every file under each path (recursively, as raw bytes), except `skip`. `files` lists what was read, so a
   * test can tell a clean directory from one that was never there.
   */
  readonly scanPaths: (paths: ReadonlyArray<string>, o?: { readonly skip?: ReadonlyArray<string>; readonly label?: (file: string) => string }) => { readonly leaks: ReadonlyArray<Leak>; readonly files: ReadonlyArray<string> }
}

/** The first 8 bytes at `i` as one number: the index key of a needle, and what the scan computes at each byte. */
const keyAt = (b: Uint8Array, i: number): number =>
  ((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) ^ Math.imul(b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24), 0x9e3779b1)) | 0

export const secretScanner = (secrets: ReadonlyArray<NamedSecret>): SecretScanner => {
  const seen = new Set<string>()
  // Thousands of needles (every form of every PEM line and DER slice) over megabytes: one pass per file, each
  // position looked up by its first 8 bytes (a 64 KiB filter first), a candidate compared in full.
  const index = new Map<number, Array<Needle>>()
  const filter = new Uint8Array(1 << 16)
  for (const s of secrets)
    for (const f of secretForms(s.value)) {
      const key = f.bytes.toString("latin1")
      if (f.bytes.length < MIN_NEEDLE || seen.has(key)) continue
      seen.add(key)
      const k = keyAt(f.bytes, 0)
      filter[k & 0xffff] = 1
      index.set(k, [...(index.get(k) ?? []), { secret: s.name, form: f.form, bytes: f.bytes }])
    }
  const scanBytes = (where: string, bytes: Uint8Array): ReadonlyArray<Leak> => {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const found = new Map<Needle, number>()
    for (let i = 0; i + MIN_NEEDLE <= buffer.length; i++) {
      const k = keyAt(buffer, i)
      if (filter[k & 0xffff] === 0) continue
      for (const n of index.get(k) ?? [])
        if (!found.has(n) && i + n.bytes.length <= buffer.length && buffer.compare(n.bytes, 0, n.bytes.length, i, i + n.bytes.length) === 0) found.set(n, i)
    }
    return [...found].map(([n, offset]) => ({ secret: n.secret, form: n.form, where, offset }))
  }
  return {
    scanBytes,
    scanText: (where, text) => scanBytes(where, Buffer.from(text, "utf8")),
    scanPaths: (paths, o = {}) => {
      const skip = new Set((o.skip ?? []).map((p) => path.resolve(p)))
      const files = paths.flatMap((p) => filesUnder(path.resolve(p), skip))
      // a file can vanish between listing and reading (a WAL checkpointed, a temporary snapshot renamed)
      const leaks = files.flatMap((f) => {
        let bytes: Buffer
        try {
          bytes = fs.readFileSync(f)
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT") return []
          throw e
        }
        return scanBytes(o.label?.(f) ?? f, bytes)
      })
      return { leaks, files }
    }
  }
}
