/** Decoders for every Zephyr Scale Cloud v2 response the source reads. */
export { CustomFields, EntityLink, JiraLink, JiraUserLink, ZephyrId, ZephyrTestCaseKey } from "./common.ts"
export { decodeEnvelope, decodeItem, describeParseError, rawSourceId } from "./decode.ts"
export { ExecutionStep, TestCycle, TestExecution, TestPlan } from "./executions.ts"
export { AttachmentEntry, AttachmentList, IssueLink, TestCycleLink, WebLink } from "./links.ts"
export { Environment, Folder, FolderType, Priority, Project, Status } from "./lookups.ts"
export { CursorPage, OffsetPage } from "./paging.ts"
export { StepParameter, TestCase, TestScript, TestStep } from "./testCases.ts"
