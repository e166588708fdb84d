'use strict';
// Drives the shop fixture's compiled controllers, services and error handler with fake
// Express requests/responses and a fake Prisma delegate. argv: <dist>.
const path = require('node:path');
const assert = require('node:assert/strict');
const { Prisma } = require('@prisma/client');

const dist = process.argv[2];
const load = (file) => require(path.join(dist, file));
const base = load('base/index.js');
const { createPersonService } = load('services/person/person.service.js');
const { createPersonController } = load('controllers/person/person.controller.js');
const { createProductService } = load('services/product/product.service.js');
const { createProductController } = load('controllers/product/product.controller.js');
const { verifySecret } = load('hooks/secrets.js');

function known(code, meta) {
  return new Prisma.PrismaClientKnownRequestError(`failed with ${code}`, { code, meta, clientVersion: '6.19.0' });
}

/** A delegate whose methods answer from `script` (a function per method) and record calls. */
function fakeDelegate(script) {
  const calls = [];
  const delegate = {};
  for (const method of ['findMany', 'findUnique', 'count', 'create', 'update', 'delete']) {
    delegate[method] = async (args) => {
      calls.push({ method, args });
      if (!script[method]) throw new Error(`unexpected ${method}`);
      return script[method](args);
    };
  }
  return { delegate, calls };
}

function fakeRes() {
  const res = { statusCode: 200, body: undefined, headersSent: false };
  res.status = (code) => ((res.statusCode = code), res);
  res.json = (body) => ((res.body = body), (res.headersSent = true), res);
  res.end = () => ((res.headersSent = true), res);
  res.type = () => res;
  res.send = (body) => ((res.body = body), (res.headersSent = true), res);
  return res;
}

/** Runs a handler like Express would: errors go to the error handler. */
async function call(handler, req) {
  const res = fakeRes();
  let forwarded;
  await new Promise((resolve) => {
    const next = (err) => {
      forwarded = err;
      resolve();
    };
    const origJson = res.json;
    res.json = (body) => (origJson(body), resolve(), res);
    res.end = () => ((res.headersSent = true), resolve(), res);
    handler({ params: {}, query: {}, body: undefined, method: 'GET', path: '/', ...req }, res, next);
  });
  if (forwarded !== undefined) base.errorHandler(forwarded, req, res, () => {});
  return res;
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

const personRow = { id: 1, email: 'a@b.c', name: 'A', role: 'CUSTOMER', nicknames: [], managerId: null, createdAt: new Date('2024-01-31T00:00:00Z'), updatedAt: new Date('2024-01-31T00:00:00Z'), internalNote: null };

function person(script) {
  const { delegate, calls } = fakeDelegate(script);
  const prisma = { person: delegate, order: delegate };
  return { controller: createPersonController(createPersonService(prisma)), calls };
}

test('a path parameter given twice (string[]) is a 400, not a crash', async () => {
  const { controller } = person({});
  const res = await call(controller.get, { params: { id: ['1', '2'] } });
  assert.equal(res.statusCode, 400);
  assert.match(res.body.message, /single value/);
});

test('the key is parsed from a string parameter; out of 32-bit range is a 400', async () => {
  const { controller, calls } = person({ findUnique: async () => personRow });
  const ok = await call(controller.get, { params: { id: '7' } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(calls[0].args.where, { id: 7 });
  const big = await call(controller.get, { params: { id: '2147483648' } });
  assert.equal(big.statusCode, 400);
});

test('a missing row answers 404 naming the model (GET, PATCH, DELETE)', async () => {
  const { controller } = person({
    findUnique: async () => null,
    update: async () => { throw known('P2025'); },
    delete: async () => { throw known('P2025'); },
  });
  for (const [handler, body] of [[controller.get, undefined], [controller.update, { name: 'B' }], [controller.remove, undefined]]) {
    const res = await call(handler, { params: { id: '5' }, body });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.body, { error: 'NotFound', message: 'Person not found', details: undefined });
  }
});

test('a foreign key to a missing row (P2003 on create) is a 422 naming the relation', async () => {
  const { controller } = person({ create: async () => { throw known('P2003', { field_name: 'Person_managerId_fkey (index)' }); } });
  const res = await call(controller.create, { body: { email: 'x@y.z', name: 'X', passwordHash: 'pw', managerId: 99 } });
  assert.equal(res.statusCode, 422);
  assert.equal(res.body.error, 'UnprocessableEntity');
  assert.deepEqual(res.body.details.relations, ['manager']);
});

test('a failed m:n connect (P2025 on create) is a 422 naming the relation, not a 404', async () => {
  const { delegate } = fakeDelegate({ create: async () => { throw known('P2025', { cause: 'Expected 1 records to be connected, found only 0.' }); } });
  const controller = createProductController(createProductService({ product: delegate, category: delegate, orderLine: delegate }));
  const res = await call(controller.create, { body: { sku: 's', title: 't', price: '1.00', categories: { connect: [{ id: 'nope' }] } } });
  assert.equal(res.statusCode, 422);
  assert.deepEqual(res.body.details.relations, ['categories']);
});

test('PATCH with a failed connect on an existing row is a 422; on a missing row a 404', async () => {
  let exists = true;
  const { delegate } = fakeDelegate({
    update: async () => { throw known('P2025'); },
    findUnique: async () => (exists ? { id: 1n } : null),
  });
  const controller = createProductController(createProductService({ product: delegate, category: delegate, orderLine: delegate }));
  const req = { params: { id: '1' }, body: { categories: { connect: [{ id: 'c1' }] } } };
  assert.equal((await call(controller.update, req)).statusCode, 422);
  exists = false;
  assert.equal((await call(controller.update, req)).statusCode, 404);
});

test('a unique violation is a 409', async () => {
  const { controller } = person({ create: async () => { throw known('P2002', { target: ['email'] }); } });
  const res = await call(controller.create, { body: { email: 'x@y.z', name: 'X', passwordHash: 'pw' } });
  assert.equal(res.statusCode, 409);
  assert.equal(res.body.error, 'Conflict');
});

test('an autoincrement id in a create body is refused (400)', async () => {
  const { controller } = person({ create: async (args) => args.data });
  const res = await call(controller.create, { body: { id: 5, email: 'x@y.z', name: 'X', passwordHash: 'pw' } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.body.error, 'ValidationError');
});

test('a password is stored hashed by the default hashSecret hook, and verifies', async () => {
  let stored;
  const { controller } = person({ create: async (args) => ((stored = args.data), personRow) });
  const res = await call(controller.create, { body: { email: 'x@y.z', name: 'X', passwordHash: 'hunter2' } });
  assert.equal(res.statusCode, 201);
  assert.match(stored.passwordHash, /^scrypt\$/);
  assert.equal(await verifySecret('hunter2', stored.passwordHash), true);
  assert.equal(await verifySecret('wrong', stored.passwordHash), false);
  assert.equal('passwordHash' in res.body.data, false);
});

test('body-parser errors keep their status: 413, 415, malformed JSON 400', async () => {
  const cases = [
    [{ status: 413, statusCode: 413, expose: true, type: 'entity.too.large', message: 'request entity too large' }, 413],
    [{ status: 415, statusCode: 415, expose: true, type: 'charset.unsupported', message: 'unsupported charset "X"' }, 415],
    [{ status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed', message: 'Unexpected token' }, 400],
  ];
  for (const [err, status] of cases) {
    const res = fakeRes();
    base.errorHandler(Object.assign(new Error(err.message), err), {}, res, () => {});
    assert.equal(res.statusCode, status);
    assert.equal(res.err, undefined);
  }
});

test('a 500 is put on res.err for pino-http to log with its stack; the body hides internals in production', async () => {
  const res = fakeRes();
  const boom = new Error('database exploded');
  process.env.NODE_ENV = 'production';
  base.errorHandler(boom, {}, res, () => {});
  delete process.env.NODE_ENV;
  assert.equal(res.statusCode, 500);
  assert.equal(res.err, boom);
  assert.equal(res.body.message, 'Internal server error');
});

test('a polluting query is a 400 and leaves Object.prototype alone; the next list still works', async () => {
  const { controller } = person({ findMany: async () => [personRow], count: async () => 1 });
  const bad = await call(controller.list, { query: { '__proto__[polluted]': '1' } });
  assert.equal(bad.statusCode, 400);
  assert.equal({}.polluted, undefined);
  const ok = await call(controller.list, { query: { 'name[contains]': 'a' } });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.body.meta.total, 1);
});

test('?managerId[isNull]=false becomes { not: null }; the word null is a plain string value', async () => {
  const { controller, calls } = person({ findMany: async () => [], count: async () => 0 });
  await call(controller.list, { query: { 'managerId[isNull]': 'false', name: 'null' } });
  assert.deepEqual(JSON.parse(JSON.stringify(calls[0].args.where)), { managerId: { not: null }, name: 'null' });
});

test('serialize keeps a stored __proto__ key as data', async () => {
  const value = base.serialize(JSON.parse('{"__proto__": {"x": 1}, "n": 2n}'.replace('2n', '2')));
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__', 'n']);
});

(async () => {
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    try {
      await t.fn();
      passed += 1;
    } catch (err) {
      failed += 1;
      console.log(`FAIL ${t.name}: ${err && err.stack ? err.stack : err}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
