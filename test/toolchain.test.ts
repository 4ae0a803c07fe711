import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs the suite on Node.js 24, the Lambda runtime we deploy to', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});
