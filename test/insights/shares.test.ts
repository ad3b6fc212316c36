import { describe, expect, it } from 'vitest';
import { shareOf } from '../../src/insights/index.ts';
import { doc } from '../helpers/documents.ts';

describe('shareOf', () => {
  it('lists values by conversations, ties by byte order, with shares of the period', () => {
    const channel = { web: { conversations: 50 }, app: { conversations: 20 }, Voice: { conversations: 20 }, é: { conversations: 10 } };
    const d = doc({ kpis: { conversations: 100 }, segments: { channel } });
    expect(shareOf(d, 'channel')).toEqual([
      { value: 'web', conversations: 50, share: 0.5 },
      { value: 'Voice', conversations: 20, share: 0.2 },
      { value: 'app', conversations: 20, share: 0.2 },
      { value: 'é', conversations: 10, share: 0.1 },
    ]);
    expect(shareOf(d, 'entry_point')).toEqual([]);
  });

  it('has no shares in a period without conversations', () => {
    const d = doc({ kpis: { conversations: 0 }, segments: { channel: { web: { conversations: 0 } } } });
    expect(shareOf(d, 'channel')).toEqual([{ value: 'web', conversations: 0, share: null }]);
  });
});
