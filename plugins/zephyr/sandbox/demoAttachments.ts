/**
 * Small, real binary files for the demo's attachments, built from bytes so the demo stays deterministic and
 * self-contained: a valid PNG (an image viewer opens it), a PDF-looking blob holding all 256 byte values (catches
 * any text decoding on the byte path), and UTF-8 text with emoji (catches Latin-1 mix-ups).
 */
import { Buffer } from "node:buffer"
import { crc32 } from "./crc32.ts"


const adler32 = (bytes: Uint8Array): number => {
  let a = 1
  let b = 0
  for (const x of bytes) {
    a = (a + x) % 65521
    b = (b + a) % 65521
  }
  return ((b << 16) | a) >>> 0
}

const u32 = (n: number): Array<number> => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
const ascii = (s: string): Array<number> => Array.from(s, (c) => c.charCodeAt(0))

const chunk = (type: string, data: ReadonlyArray<number>): Array<number> => {
  const body = Uint8Array.from([...ascii(type), ...data])
  return [...u32(data.length), ...body, ...u32(crc32(body))]
}

/** A zlib stream with one uncompressed ("stored") deflate block: valid, and needs no compressor. */
const zlibStored = (raw: Uint8Array): Array<number> => {
  const len = raw.length
  return [0x78, 0x01, 0x01, len & 0xff, (len >>> 8) & 0xff, ~len & 0xff, (~len >>> 8) & 0xff, ...raw, ...u32(adler32(raw))]
}

/** An RGB PNG of `pixels` rows (each pixel `[r, g, b]`). */
export const png = (pixels: ReadonlyArray<ReadonlyArray<readonly [number, number, number]>>): Uint8Array => {
  const height = pixels.length
  const width = pixels[0]?.length ?? 0
  const raw = Uint8Array.from(pixels.flatMap((row) => [0, ...row.flatMap((p) => [...p])]))
  const ihdr = [...u32(width), ...u32(height), 8, 2, 0, 0, 0] // 8-bit, truecolour, deflate, no filter, no interlace
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk("IHDR", ihdr), ...chunk("IDAT", zlibStored(raw)), ...chunk("IEND", [])])
}

/** A 2×2 image: red, green / blue, white. */
export const tinyPng = (): Uint8Array =>
  png([
    [
      [255, 0, 0],
      [0, 255, 0]
    ],
    [
      [0, 0, 255],
      [255, 255, 255]
    ]
  ])

/** `%PDF-1.4` header, every byte value 0..255, `%%EOF`: binary-safe transport or bust. */
export const allBytesPdf = (): Uint8Array =>
  Uint8Array.from([...ascii("%PDF-1.4\n%"), ...Array.from({ length: 256 }, (_, i) => i), ...ascii("\n%%EOF\n")])

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64")
