/**
 * Every route of the qTest sandbox, one list per concern (routes/*.ts).
 *
 * Choices where the public docs (docs/vendors/qtest.md, S1) are silent, made so that a client that works here does
 * not depend on anything a real site might do differently:
 * - a test run's version defaults to the case's latest approved version, else its current one; a manual log
 *   without `test_case_version_id` needs an approved version (400 otherwise: approve before executing, §3.3.4);
 * - every test case PUT is a new minor version, even when nothing changed; minors go past 9 (0.9 → 0.10);
 *   a PUT changes what its body names and keeps the rest (properties merge by field id);
 * - a parameter `[~identifier]` reads back as `[~<parameter id>]` unless `showParamIdentifier=true` (S1's
 *   "ID number mode"), so an unescaped literal is visible on read-back;
 * - an auto-test-logs job advances one state per poll (`jobPolls`), not with time, and its work exists only
 *   once it is SUCCESS; automation cases are created approved (1.0) and their steps follow later submissions
 *   in place (S1's known issue: no new version);
 * - search: criteria joined with `and` only; `=` and `~` ignore case; results are immediate (no index lag);
 * - user search matches login names containing the text, ignoring case;
 * - page sizes above an endpoint's maximum are clamped (the envelope says so); an unknown container or module
 *   given as a parent is a 400 on create, a missing object in the path a 404;
 * - deleting a test case deletes its runs and their logs; deleting a release deletes what is under it;
 * - OAuth failures answer `{message}` like every other error; a body sent with another Content-Type than JSON
 *   on a JSON route is a 405 (S2: "unsupported Content-Type"), malformed JSON a 400;
 * - `x-ratelimit-*` headers are sent only when a quota (`rateLimit`, `quotaPerMinute`, `quotaPerMonth`) is
 *   configured, as on a site without a gateway quota.
 */
import { attachmentRoutes } from "./routes/attachmentRoutes.ts"
import { authRoutes } from "./routes/authRoutes.ts"
import { automationRoutes } from "./routes/automationRoutes.ts"
import { defectRoutes } from "./routes/defectRoutes.ts"
import type { Env } from "./routes/Env.ts"
import { executionTreeRoutes } from "./routes/executionTreeRoutes.ts"
import { fieldRoutes } from "./routes/fieldRoutes.ts"
import { moduleRoutes } from "./routes/moduleRoutes.ts"
import { projectRoutes } from "./routes/projectRoutes.ts"
import { requirementRoutes } from "./routes/requirementRoutes.ts"
import { searchRoutes } from "./routes/searchRoutes.ts"
import { testCaseRoutes } from "./routes/testCaseRoutes.ts"
import { testRunRoutes } from "./routes/testRunRoutes.ts"
import { makeRouter } from "./Router.ts"

export const makeQtestRouter = (env: Env) =>
  makeRouter([
    ...authRoutes(env),
    ...projectRoutes(env),
    ...fieldRoutes(env),
    ...moduleRoutes(env),
    ...testCaseRoutes(env),
    ...searchRoutes(env),
    ...executionTreeRoutes(env),
    ...testRunRoutes(env),
    ...automationRoutes(env),
    ...attachmentRoutes(env),
    ...requirementRoutes(env),
    ...defectRoutes(env)
  ])
