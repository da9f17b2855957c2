import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartPolicy } from '../../client/src/restart-policy';

test('restarts at once, then backs off, and gives up after 4 restarts within 3 minutes', () => {
  let now = 0;
  const policy = new RestartPolicy({ now: () => now });
  const decisions = [0, 1, 2, 3, 4].map((i) => {
    now = i * 1000;
    return policy.onCrash();
  });
  assert.deepEqual(decisions.map((d) => d.restart), [true, true, true, true, false]);
  assert.deepEqual(decisions.slice(0, 4).map((d) => d.delayMs), [0, 500, 1000, 2000]);
  assert.equal(decisions[4].crashes, 5);
});

test('crashes older than the window are forgotten', () => {
  let now = 0;
  const policy = new RestartPolicy({ now: () => now });
  for (let i = 0; i < 4; i++) policy.onCrash();
  now = 3 * 60 * 1000 + 1;
  const decision = policy.onCrash();
  assert.equal(decision.restart, true);
  assert.equal(decision.crashes, 1);
  assert.equal(decision.delayMs, 0);
});

test('reset() forgets the crashes; the delay is capped', () => {
  const policy = new RestartPolicy({ maxRestarts: 20, maxDelayMs: 4000, now: () => 0 });
  for (let i = 0; i < 4; i++) policy.onCrash();
  policy.reset();
  assert.equal(policy.onCrash().crashes, 1);
  let last = policy.onCrash();
  for (let i = 0; i < 10; i++) last = policy.onCrash();
  assert.equal(last.delayMs, 4000);
});
