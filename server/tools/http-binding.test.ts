import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../domain/dialogue.ts';
import { CUSTOMER_HEADER } from './http-binding.ts';
import { createToolRunner } from './registry.ts';
import { createSandbox, seedFromCustomer } from './sandbox.ts';
import { ToolError } from './tool.ts';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

let base = '';
const seen: Seen[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let data = '';
  req.on('data', (c) => (data += c));
  req.on('end', () => {
    const body = JSON.parse(data || 'null');
    seen.push({ path: req.url ?? '', headers: req.headers, body });
    const send = (status: number, text: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    if (req.url === '/tickets') return send(200, JSON.stringify({ ok: true, ticket_id: 'ACME-77', order_id: body.order_id, charge: 'free', warranty_status: 'in_warranty', existing: false, repair_business_days: { min: 3, max: 7 }, free_diagnosis: true }));
    if (req.url === '/wrong-shape') return send(200, JSON.stringify({ ok: true, ticket: 42 }));
    if (req.url === '/not-json') return send(200, '<html>oops</html>');
    if (req.url === '/down') return send(503, JSON.stringify({ error: 'maintenance' }));
    if (req.url === '/slow') return void setTimeout(() => send(200, '{}'), 500);
    send(404, '{}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const customer: Customer = { customer_id: 'c-9', tier: 'standard', purchases: [{ product: 'Nova X5 phone', category: 'phone', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'DD1' }] };
const args = { order_id: 'DD1', issue: 'cracked screen', issue_kind: 'screen_damage' as const };

function runnerBoundTo(path: string, timeout_ms?: number) {
  const sandbox = createSandbox(seedFromCustomer(customer, '2026-03-02'));
  const tools = createToolRunner({ sandbox, bindings: [{ tool: 'create_repair_ticket', url: `${base}${path}`, headers: { authorization: 'Bearer k' }, ...(timeout_ms ? { timeout_ms } : {}) }] });
  return { sandbox, tools };
}

async function toolError(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    if (ToolError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ToolError');
}

describe('HTTP tool binding', () => {
  it("POSTs the arguments to the company's endpoint and returns its parsed result; the sandbox stays untouched", async () => {
    const { sandbox, tools } = runnerBoundTo('/tickets');
    const result = await tools.call('create_repair_ticket', args);
    expect(result).toMatchObject({ ok: true, ticket_id: 'ACME-77', order_id: 'DD1' });
    const last = seen.at(-1)!;
    expect(last.body).toEqual({ ...args, accidental: false, accept_paid: false });
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers.authorization).toBe('Bearer k');
    expect(last.headers[CUSTOMER_HEADER]).toBe('c-9');
    expect(sandbox.state().tickets).toEqual([]);
    expect(tools.calls).toEqual([{ name: 'create_repair_ticket', arguments: last.body, result }]);
    // Tools without a binding still run on the sandbox.
    expect(await tools.call('check_warranty', { order_id: 'DD1' })).toMatchObject({ ok: true, status: 'in_warranty' });
  });

  it('turns a result that breaks the schema, a non-JSON body, an HTTP error, a timeout or a dead server into a typed ToolError', async () => {
    expect((await toolError(runnerBoundTo('/wrong-shape').tools.call('create_repair_ticket', args))).kind).toBe('bad_response');
    expect((await toolError(runnerBoundTo('/not-json').tools.call('create_repair_ticket', args))).kind).toBe('bad_response');
    const down = await toolError(runnerBoundTo('/down').tools.call('create_repair_ticket', args));
    expect(down).toMatchObject({ kind: 'http_status', status: 503, tool: 'create_repair_ticket' });
    expect(down.message).toContain('maintenance');
    expect((await toolError(runnerBoundTo('/slow', 50).tools.call('create_repair_ticket', args))).kind).toBe('timeout');
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const tools = createToolRunner({ sandbox: createSandbox(seedFromCustomer(customer, '2026-03-02')), bindings: [{ tool: 'create_repair_ticket', url: `http://127.0.0.1:${port}/x` }] });
    expect((await toolError(tools.call('create_repair_ticket', args))).kind).toBe('network');
  });

  it('rejects a binding to an unknown tool or a non-HTTP URL', () => {
    const sandbox = createSandbox(seedFromCustomer(customer, '2026-03-02'));
    expect(() => createToolRunner({ sandbox, bindings: [{ tool: 'launch_rocket' as 'cancel_order', url: `${base}/x` }] })).toThrow();
    expect(() => createToolRunner({ sandbox, bindings: [{ tool: 'cancel_order', url: 'file:///etc/passwd' }] })).toThrow();
  });
});
