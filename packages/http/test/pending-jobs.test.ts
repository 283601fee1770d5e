import { describe, expect, it } from 'vitest';
import { type PendingClock, PendingJobs } from '../src/queue/pending-jobs.js';
import type { WorkOutcome } from '../src/queue/image-work.js';

/** A clock that moves only when the test says so, with timers that fire as it passes them. */
function manualClock() {
  let now = 0;
  const timers = new Set<{ at: number; fn: () => void }>();
  const clock: PendingClock = {
    now: () => now,
    after: (ms, fn) => {
      const timer = { at: now + ms, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const timer of [...timers].sort((a, b) => a.at - b.at)) {
      if (timer.at > now) continue;
      timers.delete(timer);
      timer.fn();
    }
  };
  return { clock, advance, timers };
}

const ok: WorkOutcome = { ok: true, attempts: 1, contentType: 'image/png', b64: 'AAAA' };
const giveUp = { giveUpAfterMs: 5000, onGiveUp: () => new Error('queue unavailable') };

describe("PendingJobs (the BullMQ adapter's waiting requests, on a manual clock)", () => {
  it('answers a request once, and forgets it', async () => {
    const { clock } = manualClock();
    const pending = new PendingJobs(clock);
    const outcome = pending.wait('a', 'flux', giveUp);
    expect(pending.size).toBe(1);
    expect(pending.finish('a', ok)).toBe(true);
    expect(pending.finish('a', { ...ok, attempts: 2 })).toBe(false);
    expect(await outcome).toEqual(ok);
    expect(pending.size).toBe(0);
  });

  it('gives up on a job that was not added in time, and not on one that was', async () => {
    const { clock, advance, timers } = manualClock();
    const pending = new PendingJobs(clock);
    const lost = pending.wait('lost', 'flux', giveUp);
    const added = pending.wait('added', 'flux', giveUp);
    pending.added('added');
    advance(4999);
    expect(pending.size).toBe(2);
    advance(1);
    await expect(lost).rejects.toThrow('queue unavailable');
    expect(pending.size).toBe(1);
    advance(60_000);
    expect(pending.finish('added', ok)).toBe(true);
    expect(await added).toEqual(ok);
    expect(timers.size).toBe(0);
  });

  it('names the requests that waited too long, oldest rules first, at most the limit', () => {
    const { clock, advance } = manualClock();
    const pending = new PendingJobs(clock);
    void pending.wait('old', 'flux', giveUp);
    advance(3000);
    void pending.wait('young', 'sdxl', giveUp);
    for (const id of ['old', 'young']) pending.added(id);
    advance(2001);
    expect(pending.waitingLongerThan(5000, 10)).toEqual([{ jobId: 'old', model: 'flux' }]);
    advance(3000);
    expect(pending.waitingLongerThan(5000, 10)).toEqual([
      { jobId: 'old', model: 'flux' },
      { jobId: 'young', model: 'sdxl' },
    ]);
    expect(pending.waitingLongerThan(5000, 1)).toHaveLength(1);
  });

  it('is idle once the last request is answered or rejected', async () => {
    const { clock } = manualClock();
    const pending = new PendingJobs(clock);
    await pending.idle();
    const first = pending.wait('a', 'flux', giveUp);
    const second = pending.wait('b', 'flux', giveUp);
    let idle = false;
    const waiting = pending.idle().then(() => (idle = true));
    pending.finish('a', ok);
    await first;
    expect(idle).toBe(false);
    pending.reject('b', new Error('gone'));
    await expect(second).rejects.toThrow('gone');
    await waiting;
    expect(idle).toBe(true);
  });
});
