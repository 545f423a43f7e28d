/**
 * The qTest fields our mapping writes, per kind of object: what a read-back projection keeps of the
 * properties qTest returns (it lists every field of the object type, set or not, ours or not). The custom
 * fields are named by the caller (the distinct Zephyr field names of that entity in the store); renames apply.
 */
import { SYSTEM_FIELD_LABELS, type ManagedFields, type Vocabulary } from "./Vocabulary.ts"

export type ManagedKind = "testCase" | "release" | "testRun" | "testLog"

export const managedLabels = (vocab: Vocabulary, kind: ManagedKind, customFieldNames: Iterable<string> = []): ReadonlyArray<string> => {
  const l = vocab.labels
  const custom = [...customFieldNames].map(vocab.customFieldLabel)
  switch (kind) {
    case "testCase":
      return [l.zephyrKey, SYSTEM_FIELD_LABELS.priority, SYSTEM_FIELD_LABELS.testCaseStatus, l.labels, l.component, l.estimatedTime, l.owner, l.coverage, ...custom]
    case "release":
      return [l.labels, l.owner, ...custom]
    case "testRun":
      // defects: emptied by a run in link mode, so ids a field-mode run wrote do not linger beside the links
      return [l.assignedTo, l.defects]
    case "testLog":
      return [l.executionKey, l.executedBy, l.environment, ...custom]
  }
}

export const managedFields = (vocab: Vocabulary, kind: ManagedKind, customFieldNames: Iterable<string> = []): ManagedFields =>
  vocab.managedFields(kind === "testCase" ? "test-cases" : kind === "release" ? "releases" : "test-runs", managedLabels(vocab, kind, customFieldNames))
