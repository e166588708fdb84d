'use strict';
// Runs the cases in cases.json against a generated project's compiled validators and query
// layer (real Zod 3.25.76). argv: <dist> <cases.json>. Prints one line per failed case and a
// closing "N passed, N failed"; exits 1 if any case failed.
const path = require('node:path');
const fs = require('node:fs');
const querystring = require('node:querystring');

const dist = process.argv[2];
const cases = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const load = (file) => require(path.join(dist, file));
const { normalizeQuery } = load('base/query.js');

/** JSON-comparable form: bigint → string, Date → ISO, Buffer → base64, null-prototype objects as plain. */
function plain(value) {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `base64:${value.toString('base64')}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = plain(value[key]);
    return out;
  }
  return value;
}

/** Every key of `expected` matches in `actual` (deep, JSON equality of leaves). */
function matches(actual, expected) {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
    return JSON.stringify(actual) === JSON.stringify(expected);
  }
  if (actual === null || typeof actual !== 'object') return false;
  return Object.keys(expected).every((key) => matches(actual[key], expected[key]));
}

function run(c) {
  const schema = load(c.module)[c.schema];
  if (!schema) return `no export ${c.schema} in ${c.module}`;
  let input = c.input;
  try {
    if (c.query !== undefined) input = normalizeQuery(querystring.parse(c.query));
  } catch (err) {
    if (c.expect === 'error' && err.status === 400) return null;
    return `normalizeQuery threw ${err}`;
  }
  const result = schema.safeParse(input);
  if (c.expect === 'ok') {
    if (!result.success) return `expected ok, got ${JSON.stringify(result.error.issues)}`;
    if (c.output !== undefined && !matches(plain(result.data), c.output)) {
      return `output ${JSON.stringify(plain(result.data))} does not match ${JSON.stringify(c.output)}`;
    }
    return null;
  }
  if (result.success) return `expected an error, got ${JSON.stringify(plain(result.data))}`;
  if (c.errorPath !== undefined && !result.error.issues.some((i) => i.path.join('.') === c.errorPath || i.path.join('.').startsWith(`${c.errorPath}.`))) {
    return `error not at '${c.errorPath}': ${JSON.stringify(result.error.issues)}`;
  }
  return null;
}

let passed = 0;
let failed = 0;
for (const c of cases) {
  let problem;
  try {
    problem = run(c);
  } catch (err) {
    problem = `threw ${err && err.stack ? err.stack : err}`;
  }
  if (problem === null) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${c.name}: ${problem}`);
  }
}
if (Object.prototype.polluted !== undefined || {}.polluted !== undefined) {
  failed += 1;
  console.log('FAIL Object.prototype was polluted');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
