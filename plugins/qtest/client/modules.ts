/** Modules: the Test Design tree. */
import { Effect, Schema } from "effect"
import { Module, arrayOf } from "../api/index.ts"
import type { ModuleBody } from "../api/index.ts"
import { descendants, json, type Send } from "./send.ts"

export const modules = ({ project, call, get }: Send) => ({
  /** Root modules, or the children of `parentId`; `descendants` nests each subtree in `children`. */
  listModules: Effect.fn("QtestClient.listModules")(function* (
    options: { readonly parentId?: number | undefined; readonly descendants?: boolean | undefined } = {}
  ) {
    return yield* get(arrayOf(Module), `${project}/modules`, { parentId: options.parentId, expand: descendants(options.descendants) })
  }),

  getModule: Effect.fn("QtestClient.getModule")(function* (moduleId: number, options: { readonly descendants?: boolean | undefined } = {}) {
    return yield* get(Module, `${project}/modules/${moduleId}`, { expand: descendants(options.descendants) })
  }),

  /** Under `parentId`, or at the root when it is absent. */
  createModule: Effect.fn("QtestClient.createModule")(function* (body: ModuleBody, parentId?: number | undefined) {
    return yield* call(Module, "POST", `${project}/modules`, { query: { parentId }, body: json(body) })
  }),

  /** Name and description only: a move (`?parentId=`) would ignore the body. */
  updateModule: Effect.fn("QtestClient.updateModule")(function* (moduleId: number, body: ModuleBody) {
    return yield* call(Module, "PUT", `${project}/modules/${moduleId}`, { body: json(body) })
  })
})
