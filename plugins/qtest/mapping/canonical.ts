/** The canonical record types the mapping reads, through core's public API (plugins never reach into core's internals). */
import type { EntityTypes } from "../../../core/index.ts"

export type Folder = EntityTypes["Folder"]
export type TestCase = EntityTypes["TestCase"]
export type TestStep = EntityTypes["TestStep"]
export type TestPlan = EntityTypes["TestPlan"]
export type TestCycle = EntityTypes["TestCycle"]
export type TestExecution = EntityTypes["TestExecution"]
export type ExecutionStepResult = EntityTypes["ExecutionStepResult"]
export type CustomField = EntityTypes["CustomField"]
export type Link = EntityTypes["Link"]
