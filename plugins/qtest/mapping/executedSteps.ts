/**
 * The steps a test log reports against, in execution order. Zephyr's step results are the executed case's
 * steps with every call expanded (the calling step itself is not a result), so the qTest side is expanded the
 * same way: each step of the case, and for a calling step the steps of the called case, recursively.
 *
 * Each expanded step carries what a step log needs: the step's id and, for a step of a called case,
 * `called_test_case_id` = the case that owns the step and `parent_test_step_id` = the calling step (the
 * immediate one, for nested calls). A call loop or a called case whose steps are unknown stops the expansion
 * there and is reported in `problems`.
 */

/** A qTest test step as `GET …/test-cases/{id}/test-steps` returns it (the decoded TestStep satisfies this). */
export interface QtestStepShape {
  readonly id: number
  readonly order?: number | null | undefined
  readonly called_test_case_id?: number | null | undefined
}

export interface ExecutedStep {
  readonly test_step_id: number
  readonly called_test_case_id?: number | undefined
  readonly parent_test_step_id?: number | undefined
}

export interface ExecutedSteps {
  readonly steps: ReadonlyArray<ExecutedStep>
  readonly problems: ReadonlyArray<string>
}

const byOrder = (steps: ReadonlyArray<QtestStepShape>): ReadonlyArray<QtestStepShape> =>
  steps.map((s, i) => [s, i] as const).sort(([a, i], [b, j]) => (a.order ?? i) - (b.order ?? j) || i - j).map(([s]) => s)

export const executedSteps = (testCaseId: number, stepsOf: (testCaseId: number) => ReadonlyArray<QtestStepShape> | undefined): ExecutedSteps => {
  const steps: Array<ExecutedStep> = []
  const problems: Array<string> = []
  const walk = (caseId: number, call: { readonly parentStepId: number } | undefined, path: ReadonlyArray<number>): void => {
    const own = stepsOf(caseId)
    if (own === undefined) {
      problems.push(`the steps of qTest test case ${caseId} are unknown`)
      return
    }
    for (const step of byOrder(own)) {
      const called = step.called_test_case_id ?? undefined
      if (called !== undefined) {
        if (path.includes(called)) problems.push(`call loop: ${[...path, called].join(" → ")}`)
        else walk(called, { parentStepId: step.id }, [...path, called])
        continue
      }
      steps.push(call === undefined ? { test_step_id: step.id } : { test_step_id: step.id, called_test_case_id: caseId, parent_test_step_id: call.parentStepId })
    }
  }
  walk(testCaseId, undefined, [testCaseId])
  return { steps, problems }
}
