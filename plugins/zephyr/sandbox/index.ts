/** The Zephyr Scale Cloud v2 sandbox: a protocol-faithful local server, its data format and the demo tenant. */
export { startZephyrSandbox, SandboxStartError, type RunningZephyrSandbox, type SandboxStats, type ZephyrSandboxOptions } from "./ZephyrSandbox.ts"
export { loadZephyrData, checkZephyrData, SandboxDataError, type ZephyrData } from "./ZephyrData.ts"
export { demoData, DEMO_USERS } from "./demoData.ts"
