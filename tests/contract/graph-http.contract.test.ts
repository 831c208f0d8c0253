/**
 * The Graph HTTP layer against a local fake: retries (concepts/throttling.md),
 * timeouts, JSON batching (concepts/json-batching.md), paging and response
 * validation. Delays are small; the Retry-After test waits its stated second.
 */
import { z } from 'zod';
import { msalTokenSource, staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphContractError, GraphError, GraphTimeoutError } from '../../src/adapters/graph/graphErrors';
import { GraphHttp, retryAfterMs, type GraphHttpOptions } from '../../src/adapters/graph/graphHttp';
import { user } from '../../src/adapters/graph/graphSchemas';
import { FakeGraph, fixture } from '../support/fakeGraph';

let fake: FakeGraph;
beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function http(options: Partial<GraphHttpOptions> = {}): GraphHttp {
  return new GraphHttp({ token: staticTokenSource('test-token'), baseUrl: fake.baseUrl, baseDelayMs: 5, maxDelayMs: 5_000, timeoutMs: 2_000, ...options });
}

const SAM = fixture('user');
const throttled = (seconds: number) => ({ status: 429, headers: { 'Retry-After': String(seconds) }, body: fixture('error-throttled') });
const get = (path: string) => ({ call: 'test', method: 'GET' as const, path });

describe('retries', () => {
  it('waits the Retry-After of a 429, then retries', async () => {
    fake.on('GET', '/users/u1', throttled(1), { body: SAM });
    const started = Date.now();
    await expect(http().json(get('/users/u1'), user)).resolves.toMatchObject({ id: SAM.id });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(fake.to('GET', '/users/u1')).toHaveLength(2);
    expect(fake.httpRequests[0]!.headers.authorization).toBe('Bearer test-token');
  });

  it('retries 503 and 504 with backoff, then succeeds', async () => {
    fake.on('GET', '/users/u1', { status: 503 }, { status: 504 }, { body: SAM });
    await expect(http().json(get('/users/u1'), user)).resolves.toMatchObject({ id: SAM.id });
    expect(fake.to('GET', '/users/u1')).toHaveLength(3);
  });

  it('gives up after maxRetries with the last error, naming the call', async () => {
    fake.on('GET', '/users/u1', { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'try later' } } });
    const err = await http({ maxRetries: 2 }).json({ ...get('/users/u1'), call: 'getPerson' }, user).catch((e) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toBe('Graph getPerson failed (503 serviceNotAvailable): try later');
    expect(fake.to('GET', '/users/u1')).toHaveLength(3);
  });

  it('fails at once when Retry-After is beyond the cap instead of stalling', async () => {
    fake.on('GET', '/users/u1', throttled(600));
    await expect(http({ maxDelayMs: 1_000 }).json(get('/users/u1'), user)).rejects.toMatchObject({ status: 429 });
    expect(fake.to('GET', '/users/u1')).toHaveLength(1);
  });

  it('retries a POST after 429 (refused, so not done) but not after 504 (it may have been done)', async () => {
    fake.on('POST', '/users/u1/events', throttled(0), { status: 201, body: { id: 'e1' } });
    await expect(http().json({ call: 'createEvent', method: 'POST', path: '/users/u1/events', body: {} }, z.object({ id: z.string() }))).resolves.toEqual({ id: 'e1' });
    fake.reset();
    fake.on('POST', '/users/u1/events', { status: 504 }, { status: 201, body: { id: 'e1' } });
    const err = await http().send({ call: 'createEvent', method: 'POST', path: '/users/u1/events', body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err.ambiguous).toBe(true);
    expect(fake.to('POST', '/users/u1/events')).toHaveLength(1);
  });

  it('does not retry a 4xx other than 429', async () => {
    fake.on('GET', '/users/nobody', { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } });
    await expect(http().json(get('/users/nobody'), user)).rejects.toMatchObject({ status: 404, code: 'Request_ResourceNotFound', notFound: true });
    expect(fake.to('GET', '/users/nobody')).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 5)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(5000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('timeouts', () => {
  it('abandons a slow attempt and retries a GET', async () => {
    fake.on('GET', '/users/u1', { body: SAM, delayMs: 400 }, { body: SAM });
    await expect(http({ timeoutMs: 100 }).json(get('/users/u1'), user)).resolves.toMatchObject({ id: SAM.id });
    expect(fake.to('GET', '/users/u1')).toHaveLength(2);
  });

  it('reports a timed-out POST as ambiguous and does not repeat it', async () => {
    fake.on('POST', '/users/u1/events', { status: 201, body: { id: 'e1' }, delayMs: 400 });
    const err = await http({ timeoutMs: 100 }).send({ call: 'createEvent', method: 'POST', path: '/users/u1/events', body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphTimeoutError);
    expect(err.ambiguous).toBe(true);
    expect(fake.to('POST', '/users/u1/events')).toHaveLength(1);
  });
});

describe('lost connections', () => {
  it('sends a GET again when the connection drops before the answer', async () => {
    fake.on('GET', '/users/u1', { destroy: true }, { body: SAM });
    await expect(http().json(get('/users/u1'), user)).resolves.toMatchObject({ id: SAM.id });
    expect(fake.to('GET', '/users/u1')).toHaveLength(2);
  });

  it('reports a POST whose connection dropped as ambiguous (no status) and does not repeat it', async () => {
    fake.on('POST', '/users/u1/events', { destroy: true }, { status: 201, body: { id: 'e1' } });
    const err = await http().send({ call: 'createEvent', method: 'POST', path: '/users/u1/events', body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err).not.toBeInstanceOf(GraphTimeoutError);
    expect(err).toMatchObject({ call: 'createEvent', status: 0, ambiguous: true });
    expect(fake.to('POST', '/users/u1/events')).toHaveLength(1);
  });
});

describe('validation', () => {
  it('names the call and the field when a response lacks what the adapter reads', async () => {
    fake.on('GET', '/users/u1', { body: { displayName: 'No id' } });
    const err = await http().json({ ...get('/users/u1'), call: 'getPerson' }, user).catch((e) => e);
    expect(err).toBeInstanceOf(GraphContractError);
    expect(err.message).toMatch(/^Graph getPerson response does not match what the adapter reads: id: /);
  });
});

describe('paging', () => {
  it('follows @odata.nextLink to the end', async () => {
    fake.on('GET', '/groups/g/members', { body: fixture('transitiveMembers-page1') });
    fake.on('GET', /transitiveMembers/, { body: fixture('transitiveMembers-page2') });
    const { items } = await http().pages(get('/groups/g/members'), user);
    expect(items.map((u) => u.displayName)).toEqual(['Sam Okafor', 'Ria Shah', 'Ola Nowak']);
    expect(fake.httpRequests[1]!.query.$skiptoken).toBe('RFNwdAIAAQAAABc');
  });

  it('reports a later page Graph refused with Graph\'s error, naming the call, after retrying it', async () => {
    fake.on('GET', '/groups/g/members', { body: fixture('transitiveMembers-page1') });
    fake.on('GET', /transitiveMembers/, { status: 503 }, { status: 404, headers: { 'request-id': 'r-404' }, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } });
    const err = await http().pages({ ...get('/groups/g/members'), call: 'listMembers' }, user).catch((e) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ call: 'listMembers', status: 404, code: 'Request_ResourceNotFound', options: { requestId: 'r-404' } });
    expect(fake.to('GET', /transitiveMembers/)).toHaveLength(2);
  });

  it('names the page when a later page is not a page', async () => {
    fake.on('GET', '/groups/g/members', { body: fixture('transitiveMembers-page1') });
    fake.on('GET', /transitiveMembers/, { body: { items: [] } });
    const err = await http().pages({ ...get('/groups/g/members'), call: 'listMembers' }, user).catch((e) => e);
    expect(err).toBeInstanceOf(GraphContractError);
    expect(err.message).toMatch(/^Graph listMembers response does not match what the adapter reads: page 1\.value: /);
  });

  it('names the page and the item that does not validate', async () => {
    fake.on('GET', '/groups/g/members', { body: fixture('transitiveMembers-page1') });
    fake.on('GET', /transitiveMembers/, { body: { value: [{ id: 'u3', displayName: 'Fine' }, { displayName: 'No id' }] } });
    const err = await http().pages(get('/groups/g/members'), user).catch((e) => e);
    expect(err).toBeInstanceOf(GraphContractError);
    expect(err.issues[0].path).toBe('page 1 value[1].id');
  });

  it('returns the @odata.deltaLink of the last page', async () => {
    fake.on('GET', '/users/delta', (req) => (req.query.$skiptoken ? { body: { value: [], '@odata.deltaLink': `${fake.baseUrl}/users/delta?$deltatoken=d1` } } : { body: { value: [SAM], '@odata.nextLink': `${fake.baseUrl}/users/delta?$skiptoken=p2` } }));
    const { items, deltaLink } = await http().pages(get('/users/delta'), user);
    expect(items).toHaveLength(1);
    expect(deltaLink).toBe(`${fake.baseUrl}/users/delta?$deltatoken=d1`);
    expect(fake.httpRequests.map((r) => r.query)).toEqual([{}, { $skiptoken: 'p2' }]);
  });

  it('refuses to send the token to a link outside the base URL', async () => {
    fake.on('GET', '/groups/g/members', { body: { value: [], '@odata.nextLink': 'https://evil.example/v1.0/steal' } });
    await expect(http().pages(get('/groups/g/members'), user)).rejects.toThrow(/refusing to follow a link outside/);
  });
});

describe('JSON batching', () => {
  it('sends up to 20 requests per $batch and reads each answer by id', async () => {
    fake.on('GET', /^\/users\/u\d+$/, (req) => ({ body: { ...SAM, id: req.path.slice('/users/'.length) } }));
    const calls = Array.from({ length: 45 }, (_, i) => get(`/users/u${i}`));
    const results = await http().many(calls, user);
    expect(results.map((r) => (r.ok ? r.value.id : 'failed'))).toEqual(calls.map((_, i) => `u${i}`));
    // 45 requests: 20 + 20 in two batches, and the last 5 in a third.
    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch', '/$batch', '/$batch']);
    expect(fake.httpRequests.map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([20, 20, 5]);
  });

  it('surfaces a failed inner request as that request\'s result (fixture batch-response.json)', async () => {
    fake.on('POST', '/$batch', { body: fixture('batch-response') });
    const results = await http().many([get('/users/a'), get('/users/b'), get('/users/c')], user);
    expect(results[0]).toMatchObject({ ok: true, value: { displayName: 'Sam Okafor' } });
    expect(results[1]).toMatchObject({ ok: false, error: { status: 403, code: 'Authorization_RequestDenied' } });
    expect(results[2]).toMatchObject({ ok: true, value: { displayName: 'Ola Nowak' } });
    expect(fake.httpRequests).toHaveLength(1);
  });

  it('retries only the inner requests Graph throttled, after their Retry-After', async () => {
    fake.on('GET', '/users/a', { body: { ...SAM, id: 'a' } });
    fake.on('GET', '/users/b', throttled(1), { body: { ...SAM, id: 'b' } });
    fake.on('GET', '/users/c', { body: { ...SAM, id: 'c' } });
    const started = Date.now();
    const results = await http().many([get('/users/a'), get('/users/b'), get('/users/c')], user);
    expect(results.map((r) => r.ok && r.value.id)).toEqual(['a', 'b', 'c']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    // The batch, then b alone (one request needs no batch).
    expect(fake.httpRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /$batch', 'GET /users/b']);
    expect(fake.to('GET', '/users/a')).toHaveLength(1);
  });

  it('re-batches several throttled inner requests together', async () => {
    for (const id of ['a', 'b', 'c']) fake.on('GET', `/users/${id}`, { status: 503 }, { body: { ...SAM, id } });
    fake.on('GET', '/users/d', { body: { ...SAM, id: 'd' } });
    const results = await http().many(['a', 'b', 'c', 'd'].map((id) => get(`/users/${id}`)), user);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.httpRequests.map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([4, 3]);
  });

  it('runs a batch in sequence (dependsOn) when more than 4 requests hit one mailbox', async () => {
    fake.on('GET', /^\/users\/u\d$/, { body: SAM });
    await http().many(
      Array.from({ length: 5 }, (_, i) => ({ ...get(`/users/u${i}`), mailbox: 'm1' })),
      user,
    );
    const requests = (fake.httpRequests[0]!.body as { requests: { id: string; dependsOn?: string[] }[] }).requests;
    expect(requests.map((r) => r.dependsOn)).toEqual([undefined, ['0'], ['1'], ['2'], ['3']]);
  });
});

describe('401: one retry with a fresh token', () => {
  /** A token source like MSAL's: the cached token until asked to refresh. */
  function rotatingToken() {
    const asked: { forceRefresh: boolean }[] = [];
    let current = 'stale-token';
    return {
      asked,
      source: {
        async getToken(_scope?: string, options: { forceRefresh?: boolean } = {}) {
          asked.push({ forceRefresh: Boolean(options.forceRefresh) });
          if (options.forceRefresh) current = 'fresh-token';
          return current;
        },
      },
    };
  }
  const expired = { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } } };

  it('fetches a token past the cache and sends the request once more, a POST too (Graph refused it unread)', async () => {
    const token = rotatingToken();
    fake.on('POST', '/users/u1/events', expired, { status: 201, body: { id: 'e1' } });
    await expect(http({ token: token.source }).json({ call: 'createEvent', method: 'POST', path: '/users/u1/events', body: { subject: 'x' } }, z.object({ id: z.string() }))).resolves.toEqual({ id: 'e1' });
    expect(fake.httpRequests.map((r) => r.headers.authorization)).toEqual(['Bearer stale-token', 'Bearer fresh-token']);
    expect(fake.httpRequests[1]!.body).toEqual({ subject: 'x' });
    expect(token.asked).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
  });

  it('reports a second 401 instead of asking again', async () => {
    const token = rotatingToken();
    fake.on('GET', '/users/u1', expired);
    await expect(http({ token: token.source }).json(get('/users/u1'), user)).rejects.toMatchObject({ status: 401, code: 'InvalidAuthenticationToken' });
    expect(fake.to('GET', '/users/u1')).toHaveLength(2);
  });
});

describe('app-only token', () => {
  const ids = { tenantId: '00000000-0000-4000-8000-000000000001', clientId: '00000000-0000-4000-8000-000000000002' };

  it('builds an MSAL confidential client from a secret or a certificate without touching the network', () => {
    expect(msalTokenSource({ ...ids, clientSecret: 's3cret' }).getToken).toBeInstanceOf(Function);
    expect(msalTokenSource({ ...ids, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----', thumbprintSha1: 'A'.repeat(40) }).getToken).toBeInstanceOf(Function);
  });

  it('refuses a certificate without its thumbprint', () => {
    expect(() => msalTokenSource({ ...ids, privateKeyPem: 'pem' })).toThrow(/thumbprint/);
  });
});
