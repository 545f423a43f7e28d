import { it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { harness } from "./harness.ts"

it.scoped("dbg", () =>
  Effect.gen(function* () {
    const h = yield* harness({ faultRate: 0.05, seed: 7 }, {}, { maxAttempts: 10 })
    const t0 = Date.now()
    let n = 0
    yield* Stream.runForEach(h.source.extract({}), (r) => Effect.sync(() => { n++; if (n % 50 === 0) console.log(n, r.entity, Date.now() - t0, h.ctx.requestCount(), JSON.stringify(h.ctx.metrics.snapshot())) }))
    console.log("done", n, Date.now() - t0)
  }), 120_000
)
