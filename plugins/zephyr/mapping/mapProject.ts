/** Zephyr project → canonical Project. Zephyr returns no name or description: name = key, description = null. */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import type { Project } from "../api/index.ts"
import { provenance } from "./provenance.ts"

export const mapProject = (p: Project): CanonicalRecord =>
  record("Project", {
    ...provenance(String(p.id), p.key),
    project_id: String(p.id),
    project_key: p.key,
    name: p.key,
    description: null,
    created_at: null,
    updated_at: null,
    jira_project_id: p.jiraProjectId ?? null,
    // Zephyr only lists enabled projects on most tenants; an absent flag means the API did not say otherwise.
    enabled: p.enabled ?? true
  })
