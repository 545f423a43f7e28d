/** The qTest sink's mapping layer: canonical records → qTest request bodies, the target vocabulary, read-back. */
export { actualResult, COMMENT_HEADING } from "./actualResult.ts"
export { automationContent, AUTOMATION_CONTENT_PREFIX, automationRequests, automationTestLogBody, moduleNames } from "./automationTestLogBody.ts"
export type { AutomationTestLogInput } from "./automationTestLogBody.ts"
export type { CustomField, ExecutionStepResult, Folder, Link, TestCase, TestCycle, TestExecution, TestPlan, TestStep } from "./canonical.ts"
export { defectMode } from "./defectMode.ts"
export type { DefectMode } from "./defectMode.ts"
export { defectsText, jiraIssueId, jiraIssueIds } from "./jiraIssueIds.ts"
export { addCustomFieldProperties, customFieldValue } from "./customFieldProperties.ts"
export { escapeParameters, PARAMETER_ESCAPE } from "./escapeParameters.ts"
export { executedSteps } from "./executedSteps.ts"
export type { ExecutedStep, ExecutedSteps, QtestStepShape } from "./executedSteps.ts"
export { addExecutionProperties } from "./executionProperties.ts"
export { executionLabel, executionWindow } from "./executionWindow.ts"
export type { ExecutionWindow } from "./executionWindow.ts"
export { DataType, fieldKind, idList, parseIdList } from "./FieldDataType.ts"
export type { FieldKind, FieldShape } from "./FieldDataType.ts"
export { FieldNeeds, fieldNeeds, MAX_VALUES_PER_FIELD } from "./fieldNeeds.ts"
export type { FieldNeed, FieldNeedsInput, NeededValue } from "./fieldNeeds.ts"
export { htmlToText } from "./htmlToText.ts"
export { isoInstant } from "./isoInstant.ts"
export { managedFields, managedLabels } from "./managedFields.ts"
export type { ManagedKind } from "./managedFields.ts"
export { decodeLoggedSteps, encodeLoggedSteps, loggedStepsOf } from "./loggedSteps.ts"
export type { LoggedSteps } from "./loggedSteps.ts"
export { logNote, manualTestLogBody, sortedResults } from "./manualTestLogBody.ts"
export type { ManualTestLogIds, TestLogInput } from "./manualTestLogBody.ts"
export { MappingNotes, Resolution } from "./MappingGap.ts"
export type { DefaultUsed, GapKind, Mapped, MappingGap } from "./MappingGap.ts"
export { ALLOWED_VALUES_PER_CALL, chunk, missingFields } from "./missingFields.ts"
export type { FieldToCreate, MissingFields, ValuesToAdd } from "./missingFields.ts"
export { moduleBody } from "./moduleBody.ts"
export { completeProperties } from "./completeProperties.ts"
export { PropertyList, sortProperties } from "./PropertyList.ts"
export { otherProject } from "./otherProject.ts"
export { automationTestLogWritten, projectProperties, readBackProjection } from "./readBack.ts"
export type {
  AutomationTestLogWritten,
  ModuleShape,
  PropertyShape,
  ReleaseShape,
  StatusShape,
  TestCaseShape,
  TestCycleShape,
  TestLogShape,
  TestRunShape,
  TestStepLogShape,
  TestStepShape
} from "./readBack.ts"
export { releaseBody, releaseNote } from "./releaseBody.ts"
export { looksLikeHtml, plainToHtml, richText } from "./richText.ts"
export { scriptHeading, scriptHtml, scriptToDescription, scriptToStep } from "./scriptText.ts"
export type { ScriptPlacement, ScriptType } from "./scriptText.ts"
export { appendLabelled, stepDescription, TEST_DATA_HEADING } from "./stepDescription.ts"
export { callParameters, estimatedMinutes, testCaseBody } from "./testCaseBody.ts"
export type { TestCaseIds, TestCaseInput, TestCaseOptions } from "./testCaseBody.ts"
export { cycleFolderBody, executionsWithoutCycleBody, testCycleBody } from "./testCycleBody.ts"
export type { TestCycleIds } from "./testCycleBody.ts"
export { latestExecution, testRunBody } from "./testRunBody.ts"
export type { TestRunIds, TestRunInput } from "./testRunBody.ts"
export { displayValue, makeVocabulary, nameKey, SYSTEM_FIELD_LABELS } from "./Vocabulary.ts"
export type {
  AllowedValueSetting,
  ExecutionStatusSetting,
  FieldObjectType,
  FieldSetting,
  ManagedFields,
  UserSetting,
  ValueKind,
  Vocabulary,
  VocabularyInput
} from "./Vocabulary.ts"
export { canonicalJson, HASH_EXCLUDED_KEYS, writtenHash } from "./writtenHash.ts"
