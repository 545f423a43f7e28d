/** The extract's batches (batchesOf.ts): closed by size, by the first item a second after the batch's first, and by the end. */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Queue, Stream, TestClock } from "effect"
import { batchesOf } from "../../../core/pipeline/batchesOf.ts"

const collect = <A>(s: Stream.Stream<Chunk.Chunk<A>>) => Effect.map(Stream.runCollect(s), (c) => Chunk.toReadonlyArray(c).map((b) => Chunk.toReadonlyArray(b)))

describe("batchesOf", () => {
  it.effect("closes a batch at its size, keeps the order, and emits what is left at the end", () =>
    Effect.gen(function* () {
      expect(yield* collect(Stream.range(1, 7).pipe(batchesOf(3, 1000)))).toEqual([[1, 2, 3], [4, 5, 6], [7]])
      expect(yield* collect(Stream.range(1, 6).pipe(Stream.rechunk(1), batchesOf(3, 1000)))).toEqual([[1, 2, 3], [4, 5, 6]])
      expect(yield* collect(Stream.empty.pipe(batchesOf(3, 1000)))).toEqual([])
    })
  )

  it.effect("an item that comes a second or more after the batch's first closes it, with that item in it", () =>
    Effect.gen(function* () {
      const items = yield* Queue.unbounded<number>()
      const out = yield* Queue.unbounded<ReadonlyArray<number>>()
      const fiber = yield* Stream.fromQueue(items).pipe(
        Stream.takeWhile((n) => n > 0),
        batchesOf(100, 1000),
        Stream.runForEach((b) => Queue.offer(out, Chunk.toReadonlyArray(b))),
        Effect.fork
      )
      yield* Queue.offer(items, 1)
      yield* TestClock.adjust("400 millis")
      yield* Queue.offer(items, 2)
      yield* TestClock.adjust("400 millis")
      expect(yield* Queue.size(out)).toBe(0)
      yield* TestClock.adjust("200 millis")
      yield* Queue.offer(items, 3)
      expect(yield* Queue.take(out)).toEqual([1, 2, 3])
      // the next batch opens with its own first item
      yield* Queue.offer(items, 4)
      yield* TestClock.adjust("999 millis")
      yield* Queue.offer(items, 5)
      yield* Queue.offer(items, 0)
      yield* Fiber.join(fiber)
      expect(yield* Queue.takeAll(out)).toEqual(Chunk.make([4, 5]))
    })
  )
})
