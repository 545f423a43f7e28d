/**
 * Stable numeric ids for what Zephyr Scale Data Center numbers but the tenant does not (step parameters, step
 * custom-field definitions and values): a CRC-32 of the parts, so the same thing gets the same id on every request,
 * in every run and after a restart, without a counter the sandbox would have to keep.
 */
import { crc32 } from "../crc32.ts"

const utf8 = new TextEncoder()

/** A positive id from 1 to 2^31 - 1; different parts give different ids (barring a CRC collision). */
export const dcDerivedId = (...parts: ReadonlyArray<string | number>): number => (crc32(utf8.encode(parts.join("\u0000"))) % 0x7fffffff) + 1
