import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { readOperations } from '../helpers/openapi-requests.js';

/*
 * Unknown fields are refused everywhere, never ignored: a status change that was sent
 * {"publishAt": …} once published at once. Every operation that takes a body refuses a field it
 * does not have with 400 naming it, before anything else happens.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const sample: Record<string, string> = { slug: 'no-such-thing', type: 'role' };

describe('unknown fields in a body', () => {
  it('are a 400 naming the field on every POST, PUT and PATCH', async () => {
    const { operations } = await readOperations();
    const writes = operations.filter((op) => ['POST', 'PUT', 'PATCH'].includes(op.method));
    expect(writes.length).toBeGreaterThan(30);
    for (const op of writes) {
      // Syntactically good parameters (a role's key is a slug, a question's an id), naming nothing.
      const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'position' || name === 'version'
          ? '1'
          : name === 'key' && op.path.startsWith('/v1/admin/roles/')
            ? 'no-such-thing'
            : (sample[name] ?? randomUUID()),
      );
      const res = await send(t.app, op.method as 'POST', url, { unexpectedField: true });
      expect(res.status, `${op.method} ${op.path}: ${JSON.stringify(res.body)}`).toBe(400);
      expectProblem(res, 400, 'unexpectedField');
    }
  });
});
