import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallStop } from '../src/call-stop.js';
import { ImageGenerator, loadSettings, MemoryStore, type Transport } from '../src/index.js';
import { SignalLinks } from '../src/signal-links.js';
import { makePng } from '@imagegen/testkit';

afterEach(() => void vi.useRealTimers());

describe('CallStop', () => {
  it('tells its one listener once, with the first reason; a listener added after the stop is told at once', () => {
    const stop = new CallStop();
    const first = vi.fn();
    const undo = stop.onStop(first);
    undo();
    const second = vi.fn();
    stop.onStop(second);
    stop.abort('closed');
    stop.abort('later');
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith('closed');
    expect(stop.reason).toBe('closed');
    const late = vi.fn();
    stop.onStop(late);
    expect(late).toHaveBeenCalledWith('closed');
  });

  it('hands out a signal that aborts with the stop, and is let go of on release', () => {
    const stop = new CallStop();
    const released = stop.signal();
    released.release();
    const { signal } = stop.signal();
    stop.abort('why');
    expect(released.signal.aborted).toBe(false);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('why');
  });
});

describe('SignalLinks', () => {
  it('one listener on a shared signal however many calls use it; an abort reaches every linked call', () => {
    const links = new SignalLinks();
    const shared = new AbortController();
    const spy = vi.spyOn(shared.signal, 'addEventListener');
    const stops = Array.from({ length: 50 }, () => new CallStop());
    const unlinks = stops.map((stop) => links.link(shared.signal, stop));
    expect(spy).toHaveBeenCalledOnce();
    unlinks[0]!();
    shared.abort('interrupted');
    expect(stops[0]!.aborted).toBe(false);
    expect(stops.slice(1).every((stop) => stop.reason === 'interrupted')).toBe(true);
  });

  it('the listener leaves the signal with the last call; an aborted signal stops a new call at once', () => {
    const links = new SignalLinks();
    const shared = new AbortController();
    const removed = vi.spyOn(shared.signal, 'removeEventListener');
    const unlink = links.link(shared.signal, new CallStop());
    const unlinkToo = links.link(shared.signal, new CallStop());
    unlink();
    expect(removed).not.toHaveBeenCalled();
    unlinkToo();
    expect(removed).toHaveBeenCalledOnce();
    const stop = new CallStop();
    links.link(AbortSignal.abort('gone'), stop);
    expect(stop.reason).toBe('gone');
  });
});

describe('a signal shared by many calls', () => {
  it('fifty calls at once on one signal: no listener warning, and its abort stops them all as aborted', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const pending: Array<() => void> = [];
    // A transport that answers only when told to, or fails when its signal aborts.
    const transport: Transport = ({ signal }) =>
      new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        pending.push(() => {
          const png = makePng(4, 4, [1, 2, 3]);
          let sent = false;
          resolve({
            status: 200,
            headers: new Headers({ 'content-type': 'image/png' }),
            read: async () => (sent ? { done: true } : ((sent = true), { done: false, value: png })),
            cancel: () => {},
          });
        });
      });
    const generator = new ImageGenerator({
      settings: loadSettings({ FLUX_WORKER_URL: 'http://127.0.0.1:9/' }),
      transport,
      store: new MemoryStore(),
    });
    const shared = new AbortController();
    const calls = Array.from({ length: 50 }, (_, index) => generator.generateWithFlux(`cat ${index}`, { signal: shared.signal }));
    await vi.waitFor(() => expect(pending).toHaveLength(50));
    pending[0]!();
    expect((await calls[0])!.ok).toBe(true);
    shared.abort();
    const results = await Promise.all(calls.slice(1));
    expect(results.every((result) => !result.ok && result.error.code === 'aborted')).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
    await generator.close();
  });
});
