/** The qTest Manager v3 sandbox: a protocol-faithful local server of a site with one or several projects, reads and writes. */
export {
  startQtestSandbox,
  QtestSandboxError,
  DEFAULT_TOKEN,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  PROJECT_ID,
  type QtestSandboxOptions,
  type QtestSandboxStats,
  type RunningQtestSandbox
} from "./QtestSandbox.ts"
export { AUTOMATION_STATUSES, DEFAULT_STATUSES } from "./ProjectState.ts"
export { CREATED_VIA_API } from "./TestCaseWrites.ts"
export { REJECTABLE_TYPES, type RejectRule } from "./Rejections.ts"
