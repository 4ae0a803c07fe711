/**
 * The deployment the plan is for, read as the function and `infra/` read it: `readConfig` on
 * this environment (so `ROOM_POSTS_PER_SECOND=5000 npm run capacity …` plans that setting), the
 * stage throttle and the reserved concurrency `infra/` deploys.
 */

import { STAGE_THROTTLE } from '../../infra/api.js';
import { DEFAULT_RESERVED_CONCURRENCY } from '../../infra/settings.js';
import { readConfig } from '../../src/config.js';
import type { PlanSettings } from './limits.js';
import { ACCOUNT_CONCURRENCY } from './quotas.js';

/** The function's settings from `env`, with the names Lambda and `infra/` always set filled in. */
export const functionSettings = (env: NodeJS.ProcessEnv) =>
  readConfig({
    ...env,
    TABLE_NAME: 'capacity-plan',
    CALLBACK_URL: 'https://example.invalid',
    AWS_LAMBDA_FUNCTION_NAME: 'capacity-plan',
  });

/** The settings of a deployment with `env`'s function settings and `infra/`'s defaults. */
export const planSettings = (
  env: NodeJS.ProcessEnv,
  overrides: Partial<Pick<PlanSettings, 'reservedConcurrency' | 'accountConcurrency'>> = {},
): PlanSettings & { batchWindowMs: number | undefined } => {
  const config = functionSettings(env);
  return {
    limits: config.limits,
    membersPerWorker: config.fanoutMembersPerWorker,
    batchWindowMs: config.batchWindowMs,
    reservedConcurrency: DEFAULT_RESERVED_CONCURRENCY,
    accountConcurrency: ACCOUNT_CONCURRENCY,
    stageRate: STAGE_THROTTLE.rateLimit,
    ...overrides,
  };
};
