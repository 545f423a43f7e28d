/**
 * What the projects of one sandbox site share beneath their tables: the undo journal and the id sequences. A
 * qTest site numbers its objects site-wide — an id names one object of one project, never two — so every
 * project draws entity ids and field ids from the same counters, and an id of another project is simply one
 * this project does not have (the same 404 or 400 as an id that never existed). One journal for all of them
 * keeps a refused request atomic even though its counters are shared: a request touches one project, and
 * whatever it drew is given back with its table changes.
 */
import { Counter, Journal } from "./Store.ts"

/** Field and allowed-value ids start here; entity ids (every kind, versions, steps, logs, …) there. */
export const FIRST_FIELD_ID = 800_000
export const FIRST_ENTITY_ID = 3_100_001

export interface SiteCounters {
  readonly journal: Journal
  /** Entity ids (every kind, versions, steps, logs, attachments, jobs), across all projects. */
  readonly ids: Counter
  /** Field ids, allowed-value ids and custom status ids, across all projects. */
  readonly fieldIds: Counter
}

/** Fresh counters; `firstEntityId` lets a reset go on from the last id handed out (ids are never reused). */
export const makeSiteCounters = (firstEntityId: number = FIRST_ENTITY_ID): SiteCounters => {
  const journal = new Journal()
  return { journal, ids: new Counter(journal, firstEntityId), fieldIds: new Counter(journal, FIRST_FIELD_ID) }
}
