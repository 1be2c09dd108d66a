/** The adapter contract on the in-memory fake adapter, on a fake clock. */
import { afterAll, beforeAll, vi } from 'vitest';
import { adapterContract } from './adapter-contract.js';
import { fakeDriver } from './fake-driver.js';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});

adapterContract('fake (in memory)', fakeDriver);
