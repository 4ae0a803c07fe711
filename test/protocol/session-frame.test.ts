import { describe, expect, it } from 'vitest';
import { OPEN_ROOM, sessionFrame } from '../../src/protocol/session-frame.js';

const alice = {
  room: 'general',
  userId: 'Qm9iIGlzIGhlcmUh',
  name: 'alice',
  capabilities: ['read', 'send'] as const,
};

describe('the session frame', () => {
  it('says who the connection is, what it may do and the room’s settings, as the doc shows it', () => {
    expect(sessionFrame(alice, OPEN_ROOM)).toBe(
      '{"type":"session","room":"general","userId":"Qm9iIGlzIGhlcmUh","name":"alice",' +
        '"capabilities":["read","send"],"settings":{"slowModeSeconds":0,"readOnly":false}}',
    );
  });

  it('adds a mute with its end and reason, and without an end when it lasts until lifted', () => {
    const settings = { slowModeSeconds: 30, readOnly: true };
    const until = '2026-12-07T10:00:00.000Z';
    expect(JSON.parse(sessionFrame(alice, settings, { until, reason: 'spam' }))).toMatchObject({
      settings,
      muted: { until, reason: 'spam' },
    });
    expect(JSON.parse(sessionFrame(alice, settings, {})).muted).toEqual({});
  });

  it('carries no field of the connection beyond those it names', () => {
    const stored = { ...alice, author: 'key:secret-hash', connectionId: 'c-1' };
    expect(sessionFrame(stored, OPEN_ROOM)).not.toMatch(/secret-hash|c-1/);
  });
});
