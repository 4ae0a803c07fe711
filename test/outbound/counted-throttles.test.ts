import { describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { countingThrottles } from '../../src/outbound/counted-throttles.js';
import { postWithRetry } from '../../src/outbound/post-with-retry.js';
import { useFakeAws } from '../support/fake-aws.js';
import { useFileEnv } from '../support/file-env.js';

// The API's requests are signed, as on AWS.
useFileEnv({
  AWS_REGION: localAwsConfig.region,
  AWS_ACCESS_KEY_ID: localAwsConfig.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: localAwsConfig.credentials.secretAccessKey,
});

const aws = useFakeAws();

describe('the @connections API counting throttles', () => {
  it("tells of each 429 the API answers, though the post's retries deliver it", async () => {
    let throttles = 0;
    const api = countingThrottles(createConnectionsApi(aws.url, 2), () => throttles++);
    aws.scripts.set('ct-busy', [429, 429]);
    aws.scripts.set('ct-gone', [410]);
    const policy = { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 };
    expect(await postWithRetry(api, 'ct-busy', '{"type":"message"}', policy)).toMatchObject({
      outcome: 'delivered',
      attempts: 3,
    });
    expect(await postWithRetry(api, 'ct-gone', '{"type":"message"}', policy)).toMatchObject({
      outcome: 'gone',
    });
    expect(throttles).toBe(2);
  });
});
