/**
 * qTest's numeric object ids (int64 on the wire; every real id fits a double). Branded, so an id decoded from
 * qTest is a different type from a Zephyr id or a canonical row id; plain numbers still go into request bodies.
 */
import { Schema } from "effect"

export const QtestId = Schema.Int.pipe(Schema.brand("QtestId"))
export type QtestId = typeof QtestId.Type
