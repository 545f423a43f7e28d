/**
 * The blob store on a real file system: a write that meets a full disk fails with DiskFull naming the blob
 * directory and leaves nothing behind (no temp file, nothing under a hash), and succeeds once there is room;
 * a deleted blob is absent to `has` and a Missing failure, with `run --full` as the fix, to `get`; a blob store
 * that cannot be looked in is a failure, not "absent".
 *
 * The full disk is a small tmpfs filled but for two pages (root, and a kernel that allows the mount); where the
 * mount is refused, the same write runs in a child process under `ulimit -f` (the OS answers EFBIG), and the
 * test says which ran.
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Chunk, Effect, Either, Stream } from "effect"
import { describe, expect, it } from "@effect/vitest"
import type { StoreError } from "../../../core/errors.ts"
import { makeFsBlobStore } from "../../../core/store/FsBlobStore.ts"

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "blobs-"))
const bytes = (n: number, fill = 7) => Stream.make(new Uint8Array(n).fill(fill))
const failure = <A>(e: Effect.Effect<A, StoreError>): Promise<StoreError> =>
  Effect.runPromise(Effect.either(e)).then((r) => {
    if (Either.isRight(r)) throw new Error("expected a failure")
    return r.left
  })
const leftovers = (stateDir: string) =>
  fs.existsSync(path.join(stateDir, "blobs")) ? fs.readdirSync(path.join(stateDir, "blobs"), { recursive: true }).filter((f) => f !== "tmp") : []

describe("FsBlobStore", () => {
  it("a write on a full disk: DiskFull naming the blob directory, nothing left behind; with room, the same write succeeds", async () => {
    const stateDir = tmp()
    let mounted = true
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", stateDir], { stdio: "pipe" })
    } catch (e) {
      mounted = false
      console.info(`full disk: mount refused (${(e as { stderr?: Buffer }).stderr?.toString().trim() || String(e)}); ulimit -f in a child process instead`)
    }
    if (mounted) {
      console.info("full disk: a 256 KiB tmpfs, filled but for 8 KiB")
      try {
        const store = makeFsBlobStore({ stateDir })
        fs.mkdirSync(path.join(stateDir, "blobs/tmp"), { recursive: true })
        const filler = path.join(stateDir, "filler")
        const { bavail, bsize } = fs.statfsSync(stateDir)
        // 8 KiB left: the write is cut short first, then refused — a blob must never be kept short under its hash
        fs.writeFileSync(filler, Buffer.alloc(bavail * bsize - 8192))
        const e = await failure(store.put(bytes(64 * 1024)))
        expect(e.reason).toBe("DiskFull")
        expect(e.code).toBe("ENOSPC")
        expect(e.path).toBe(path.join(stateDir, "blobs"))
        expect(e.message).toBe(`cannot store an attachment in the blob store ${path.join(stateDir, "blobs")}: the disk is full (ENOSPC: no space left on device)`)
        expect(e.hint).toMatch(/^free space on the disk that holds /)
        expect(leftovers(stateDir)).toEqual([])
        expect(fs.readdirSync(path.join(stateDir, "blobs/tmp"))).toEqual([])

        fs.rmSync(filler)
        const stored = await Effect.runPromise(store.put(bytes(64 * 1024)))
        expect(stored.size).toBe(64 * 1024)
        const back = await Effect.runPromise(Stream.runCollect(store.get(stored.sha256)))
        expect(Chunk.toReadonlyArray(back).reduce((n, c) => n + c.byteLength, 0)).toBe(64 * 1024)
      } finally {
        execFileSync("umount", [stateDir])
      }
    } else {
      const script = `
        import { Effect, Either, Stream } from "effect"
        import { makeFsBlobStore } from ${JSON.stringify(pathToFileURL(path.resolve("core/store/FsBlobStore.ts")).href)}
        const r = await Effect.runPromise(Effect.either(makeFsBlobStore({ stateDir: ${JSON.stringify(stateDir)} }).put(Stream.make(new Uint8Array(256 * 1024)))))
        process.stdout.write(JSON.stringify(Either.isLeft(r) ? { reason: r.left.reason, code: r.left.code, path: r.left.path } : { ok: true }))
      `
      const child = spawnSync("bash", ["-c", `trap '' XFSZ; ulimit -f 64; exec "$@"`, "bash", process.execPath, "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" })
      expect(JSON.parse(child.stdout), child.stderr).toEqual({ reason: "DiskFull", code: "EFBIG", path: path.join(stateDir, "blobs") })
      expect(leftovers(stateDir)).toEqual([])
    }
  })

  it("a deleted blob: absent to has, and get fails with Missing, naming the file and `run --full`", async () => {
    const stateDir = tmp()
    const store = makeFsBlobStore({ stateDir })
    const stored = await Effect.runPromise(store.put(bytes(100)))
    expect(await Effect.runPromise(store.has(stored.sha256))).toBe(true)
    fs.rmSync(path.join(stateDir, stored.path))
    expect(await Effect.runPromise(store.has(stored.sha256))).toBe(false)
    const e = await failure(Stream.runDrain(store.get(stored.sha256)))
    expect(e.reason).toBe("Missing")
    expect(e.path).toBe(path.join(stateDir, "blobs", stored.sha256))
    expect(e.message).toContain(`cannot read the attachment blob ${path.join(stateDir, "blobs", stored.sha256)}: the file is missing (ENOENT`)
    expect(e.hint).toMatch(/migrate run --full/)
  })

  it("a blob store that cannot be looked in is a failure, not 'absent'", async () => {
    const stateDir = tmp()
    fs.writeFileSync(path.join(stateDir, "blobs"), "not a directory")
    const store = makeFsBlobStore({ stateDir })
    const e = await failure(store.has("ab".repeat(32)))
    expect(e.reason).toBe("NotADirectory")
    expect(e.code).toBe("ENOTDIR")
    const put = await failure(store.put(bytes(10)))
    expect(put.reason).toBe("NotADirectory")
    expect(put.path).toBe(path.join(stateDir, "blobs"))
  })
})
