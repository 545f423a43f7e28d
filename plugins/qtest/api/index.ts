/**
 * Decoders for every qTest Manager v3 response the client reads, and the request bodies it sends — by resource
 * area, as the client (`../client/`) is: common building blocks, projects and users, field settings, Test Design,
 * Test Execution; request bodies in requests.ts.
 */
export { arrayOf, decodeBody, describeParseError, Link, Links, nullable, PagedItems, Properties, Property, QtestId } from "./common.ts"
export type { DecodeSite } from "./common.ts"
export { DefectTrackingSystem, LinkedArtifactContainer, LinkedDefect, LinkedDefectContainer } from "./defects.ts"
export { AllowedValue, AllowedValuesCreated, ExecutionStatus, Field, StatusRef } from "./fields.ts"
export { CurrentUser, OAuthToken, Project, User } from "./projects.ts"
export type * from "./requests.ts"
export { Attachment, LinkedObjects, Module, Requirement, SearchItem, TestCase, TestStep } from "./testDesign.ts"
export type { ModuleEncoded, SearchObjectType } from "./testDesign.ts"
export { isTerminalState, LatestTestLog, QueueProcessingResponse, Release, TestCycle, TestLog, TestRun, TestRunCase, TestStepLog } from "./testExecution.ts"
export type { ParentType, TestCycleEncoded } from "./testExecution.ts"
