import { afterEach, describe, expect, it, vi } from 'vitest';
import { AcksFirst } from '../../src/chat/slack/acks-first.js';

describe('AcksFirst: work after an acknowledgement lets the unanswered requests go first', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes at once when no request awaits its answer', async () => {
    const acks = new AcksFirst();
    let done = false;
    void acks.turn().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it('waits until every request received has been answered, each counted once', async () => {
    const acks = new AcksFirst();
    const first = acks.received();
    const second = acks.received();
    let done = false;
    void acks.turn().then(() => (done = true));
    first();
    first(); // 'finish' then 'close' of the same response
    await Promise.resolve();
    expect(done).toBe(false);
    second();
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it('waits at most maxWaitMs for a request that is never answered', async () => {
    vi.useFakeTimers();
    const acks = new AcksFirst(250);
    acks.received();
    let done = false;
    void acks.turn().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
