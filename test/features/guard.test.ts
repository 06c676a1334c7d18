/**
 * The handler guard: a failure returns the fallback and logs its stack once per handler name.
 */
import * as assert from 'node:assert/strict';
import { createGuard } from '../../server/src/features/guard';

describe('features/guard', () => {
  it('returns the fallback when a handler throws, and logs the stack once per handler name', () => {
    const logs: string[] = [];
    const { guard, failures } = createGuard((m) => logs.push(m));
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(
        guard('hover', null, () => {
          throw new Error('boom');
        }),
        null,
      );
    }
    assert.deepEqual(
      guard('codeAction', [], () => {
        throw new TypeError('bad');
      }),
      [],
    );
    assert.equal(logs.length, 2);
    assert.match(logs[0]!, /hover failed[\s\S]*Error: boom[\s\S]*at /);
    assert.equal(failures.get('hover'), 3);
  });

  it('returns the fallback when an async handler rejects', async () => {
    const logs: string[] = [];
    const { guard } = createGuard((m) => logs.push(m));
    const result = await guard('initialized', Promise.resolve('fallback'), () => Promise.reject(new Error('late')));
    assert.equal(result, 'fallback');
    assert.equal(logs.length, 1);
  });

  it('passes results through untouched', async () => {
    const { guard } = createGuard(() => assert.fail('nothing to log'));
    assert.equal(guard('a', 0, () => 42), 42);
    assert.equal(await guard('b', Promise.resolve(0), () => Promise.resolve(7)), 7);
  });

  it('survives a logger that throws', () => {
    const { guard } = createGuard(() => {
      throw new Error('logger down');
    });
    assert.equal(
      guard('x', 'fallback', () => {
        throw new Error('boom');
      }),
      'fallback',
    );
  });
});
