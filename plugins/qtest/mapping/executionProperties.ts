/**
 * The fields every test log of a Zephyr execution carries (test-run field settings, since qTest logs take the
 * run's fields): the execution key (fields.executionKey, the recovery key of a log), the original executor
 * (fields.executedBy — qTest records the API user as executor), the environment (fields.environment) and the
 * execution's custom fields.
 */
import type { CustomField, TestExecution } from "./canonical.ts"
import { addCustomFieldProperties } from "./customFieldProperties.ts"
import { executionLabel } from "./executionWindow.ts"
import type { PropertyList } from "./PropertyList.ts"
import type { Vocabulary } from "./Vocabulary.ts"

export const addExecutionProperties = (properties: PropertyList, execution: TestExecution, customFields: ReadonlyArray<CustomField>, vocab: Vocabulary): void => {
  const object = executionLabel(execution)
  properties.add(vocab.fieldValue("test-runs", vocab.labels.executionKey, execution.key, object), "the execution key")
  properties.add(vocab.fieldValue("test-runs", vocab.labels.executedBy, execution.executed_by_id, object, "user"), "the executor")
  properties.add(vocab.fieldValue("test-runs", vocab.labels.environment, execution.environment, object), "the environment")
  addCustomFieldProperties(properties, "test-runs", customFields, vocab, object)
}
