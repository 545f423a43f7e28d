import { describe, expect, it } from "@effect/vitest"
import { invalidDateTimes, validDateTime } from "../../../../plugins/zephyr/mapping/dateTime.ts"

describe("validDateTime", () => {
  it("keeps RFC 3339 date-times as written, whatever the offset or fraction", () => {
    for (const ok of ["2024-05-01T10:00:00Z", "2024-02-29T23:59:59.123+02:00", "2024-05-01T10:00:00+0000", "0001-01-01T00:00:00Z", "2016-12-31T23:59:60Z"])
      expect(validDateTime(ok), ok).toBe(ok)
  })

  it("drops what is no date-time: impossible days and hours, other formats, words", () => {
    for (const bad of ["2024-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:61:00Z", "2024-13-01T10:00:00Z", "2024-05-01", "2024-05-01T10:00:00", "last tuesday", ""])
      expect(validDateTime(bad), bad).toBeNull()
    expect(validDateTime(null)).toBeNull()
    expect(validDateTime(undefined)).toBeNull()
  })

  it("names the present fields that are no date-time, with their value", () => {
    expect(invalidDateTimes({ createdOn: "2024-02-30T10:00:00Z", plannedStartDate: null, plannedEndDate: "2024-05-01T10:00:00Z" })).toEqual([["createdOn", "2024-02-30T10:00:00Z"]])
  })
})
