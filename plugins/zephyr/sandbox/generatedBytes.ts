/**
 * Attachment bytes of the generated tenant, made on request from (seed, attachment) and never stored: real
 * files of 1 KB–200 KB — a valid PNG (stored-deflate blocks, so no compressor is needed), a PDF-looking blob, UTF-8
 * text with several scripts and emoji, and raw binary that starts with all 256 byte values — so that a client
 * that decodes bytes as text, truncates or buffers wrongly is caught by a hash comparison.
 */
import { Buffer } from "node:buffer"
import { crc32 } from "./crc32.ts"

export type GeneratedFileKind = "png" | "text" | "pdf" | "binary"

export const CONTENT_TYPES: Readonly<Record<GeneratedFileKind, string>> = {
  png: "image/png",
  text: "text/plain; charset=utf-8",
  pdf: "application/pdf",
  binary: "application/octet-stream"
}

/** Fills `out` with mulberry32 output, four bytes per step (the sandbox's PRNG, unrolled for speed). */
const fillRandom = (out: Uint8Array, seed: number): void => {
  let state = seed >>> 0
  for (let i = 0; i < out.length; i += 4) {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const r = (t ^ (t >>> 14)) >>> 0
    out[i] = r & 0xff
    if (i + 1 < out.length) out[i + 1] = (r >>> 8) & 0xff
    if (i + 2 < out.length) out[i + 2] = (r >>> 16) & 0xff
    if (i + 3 < out.length) out[i + 3] = r >>> 24
  }
}


const adler32 = (bytes: Uint8Array): number => {
  let a = 1
  let b = 0
  for (let i = 0; i < bytes.length; i++) {
    a = (a + (bytes[i] ?? 0)) % 65521
    b = (b + a) % 65521
  }
  return ((b << 16) | a) >>> 0
}

const u32 = (out: Uint8Array, at: number, n: number): void => {
  out[at] = (n >>> 24) & 0xff
  out[at + 1] = (n >>> 16) & 0xff
  out[at + 2] = (n >>> 8) & 0xff
  out[at + 3] = n & 0xff
}

const chunk = (type: string, data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length)
  u32(out, 0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  u32(out, 8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** zlib stream of uncompressed deflate blocks (≤ 65,535 bytes each). */
const zlibStored = (raw: Uint8Array): Uint8Array => {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535))
  const out = new Uint8Array(2 + blocks * 5 + raw.length + 4)
  out[0] = 0x78
  out[1] = 0x01
  let at = 2
  for (let b = 0; b < blocks; b++) {
    const part = raw.subarray(b * 65535, Math.min(raw.length, (b + 1) * 65535))
    out[at] = b === blocks - 1 ? 1 : 0
    out[at + 1] = part.length & 0xff
    out[at + 2] = (part.length >>> 8) & 0xff
    out[at + 3] = ~part.length & 0xff
    out[at + 4] = (~part.length >>> 8) & 0xff
    out.set(part, at + 5)
    at += 5 + part.length
  }
  u32(out, at, adler32(raw))
  return out
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const WIDTH = 64

const png = (size: number, seed: number): Uint8Array => {
  const rowBytes = 1 + 3 * WIDTH
  const height = Math.max(1, Math.floor((size - 100) / rowBytes))
  const raw = new Uint8Array(height * rowBytes)
  fillRandom(raw, seed)
  for (let y = 0; y < height; y++) raw[y * rowBytes] = 0 // filter type "none" on every row
  const ihdr = new Uint8Array(13)
  u32(ihdr, 0, WIDTH)
  u32(ihdr, 4, height)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit, truecolour, deflate, no filter, no interlace
  return concat([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlibStored(raw)), chunk("IEND", new Uint8Array(0))])
}

const LINES = [
  "INFO  checkout started — commande passée ✅",
  "WARN  レスポンスが遅い: 1234 ms",
  "ERROR 500 at /pay 💥 الدفع فشل",
  "DEBUG user=ユーザー amount=12,50 € tab\there",
  "TRACE שלום עולם · Größe · 🚀🦄"
]

const text = (size: number, seed: number): Uint8Array => {
  const lines: Array<string> = []
  let bytes = 0
  for (let n = 0; bytes < size; n++) {
    const line = `${String(n + 1).padStart(6, "0")} ${LINES[(n + seed) % LINES.length] ?? ""}\r\n`
    lines.push(line)
    bytes += Buffer.byteLength(line, "utf8")
  }
  return new Uint8Array(Buffer.from(lines.join(""), "utf8"))
}

const pdf = (size: number, seed: number): Uint8Array => {
  const head = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")
  const tail = Buffer.from("\n%%EOF\n", "latin1")
  const body = new Uint8Array(Math.max(0, size - head.length - tail.length))
  fillRandom(body, seed)
  return concat([head, body, tail])
}

const binary = (size: number, seed: number): Uint8Array => {
  const out = new Uint8Array(size)
  fillRandom(out, seed)
  for (let i = 0; i < 256 && i < size; i++) out[i] = i
  return out
}

/** The file's bytes: about `size` bytes (exact for pdf and binary), the same for the same arguments. */
export const generatedFile = (kind: GeneratedFileKind, size: number, seed: number): Uint8Array => {
  switch (kind) {
    case "png":
      return png(size, seed)
    case "text":
      return text(size, seed)
    case "pdf":
      return pdf(size, seed)
    case "binary":
      return binary(size, seed)
  }
}
