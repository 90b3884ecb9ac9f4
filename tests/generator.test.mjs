// Tests for scripts/generate-sample.mjs — run with: node --test tests/generator.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'scripts', 'generate-sample.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-gen-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const HEADER = 'InvoiceNo,CustomerID,InvoiceDate,Category,Quantity,UnitPrice,Amount';
const SMALL = ['--customers', '400', '--seed', '7', '--start', '2023-01-01', '--end', '2023-12-31', '--returns', '0.05'];

let counter = 0;
function gen(args) {
  const out = path.join(tmp, `out-${counter++}.csv`);
  const r = spawnSync(process.execPath, [script, ...args, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `generator failed: ${r.stderr}`);
  assert.match(r.stderr, /\d+ rows, \d+ customers, \d+ bytes/);
  return fs.readFileSync(out);
}
const lines = (buf) => {
  const text = buf.toString('utf8');
  assert.ok(text.endsWith('\n'), 'file ends with a newline');
  return text.slice(0, -1).split('\n');
};
// "12.34" / "-12.34" -> integer cents, strictly 2 decimals
function cents(s) {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(s);
  assert.ok(m, `money with exactly 2 decimals: ${s}`);
  const v = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -v : v;
}

const small = gen(SMALL);

test('same arguments give byte-identical output', () => {
  assert.ok(small.length > 1000);
  assert.ok(gen(SMALL).equals(small));
});

test('a different seed gives different output', () => {
  const other = gen(SMALL.map((a) => (a === '7' ? '8' : a)));
  assert.ok(!other.equals(small));
});

test('rows are well formed and consistent', () => {
  const [header, ...rows] = lines(small);
  assert.equal(header, HEADER);
  assert.ok(rows.length > 500, `rows: ${rows.length}`);
  const purchases = new Map(); // invoice -> { cust, date }
  let returns = 0;
  let prev = null;
  for (const line of rows) {
    const f = line.split(',');
    assert.equal(f.length, 7, line);
    const [inv, cust, date, cat, qtyS, priceS, amountS] = f;
    assert.match(cust, /^CUST-\d{6,}$/);
    assert.doesNotMatch(cust, /^C\d+$/);
    assert.match(date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const day = date.slice(0, 10);
    assert.ok(day >= '2023-01-01' && day <= '2023-12-31', `date in range: ${date}`);
    assert.match(cat, /^[A-Z][a-z]+$/);
    assert.match(qtyS, /^-?\d+$/);
    const qty = Number(qtyS);
    const price = cents(priceS);
    assert.ok(price > 0);
    assert.equal(cents(amountS), qty * price, `amount = quantity × price: ${line}`);
    assert.notEqual(qty, 0);
    const isReturn = inv.startsWith('C');
    if (isReturn) {
      returns++;
      assert.match(inv, /^C\d+$/);
      assert.ok(qty < 0 && cents(amountS) < 0, line);
      const orig = purchases.get(inv.slice(1));
      assert.ok(orig, `return refers to an earlier purchase: ${line}`);
      assert.equal(orig.cust, cust);
      assert.ok(orig.date < date);
    } else {
      assert.match(inv, /^\d+$/);
      assert.ok(qty > 0, line);
      if (!purchases.has(inv)) purchases.set(inv, { cust, date });
      else assert.equal(purchases.get(inv).cust, cust);
    }
    // sorted by date, then invoice digits
    const key = [date, Number(inv.replace(/^C/, ''))];
    if (prev) assert.ok(prev[0] < key[0] || (prev[0] === key[0] && prev[1] <= key[1]), `sorted: ${line}`);
    prev = key;
  }
  const share = returns / rows.length;
  assert.ok(share > 0.02 && share < 0.09, `return share ${share}`);
});

test('--extra adds Channel and Complaint, --zh changes only the header', () => {
  const base = lines(small);
  const extra = lines(gen([...SMALL, '--extra']));
  assert.equal(extra[0], HEADER + ',Channel,Complaint');
  assert.equal(extra.length, base.length);
  let complaints = 0;
  for (let i = 1; i < extra.length; i++) {
    const f = extra[i].split(',');
    assert.equal(f.length, 9);
    assert.equal(f.slice(0, 7).join(','), base[i]);
    assert.ok(['web', 'app', 'store'].includes(f[7]));
    assert.ok(f[8] === '0' || f[8] === '1');
    complaints += Number(f[8]);
  }
  assert.ok(complaints > 0 && complaints < 0.1 * extra.length, `complaints ${complaints}`);
  const zh = lines(gen([...SMALL, '--zh']));
  assert.equal(zh[0], '订单号,客户ID,下单时间,商品类别,数量,单价,实付金额');
  assert.deepEqual(zh.slice(1), base.slice(1));
});

test('--rows 10000 gives about 10000 rows', () => {
  const rows = lines(gen(['--rows', '10000'])).length - 1;
  assert.ok(rows >= 9000 && rows <= 11000, `rows: ${rows}`);
});

test('www/sample.csv is what the default command generates', () => {
  const shipped = fs.readFileSync(path.join(root, 'www', 'sample.csv'));
  const fresh = gen([]);
  assert.ok(fresh.equals(shipped), 'regenerate with: node scripts/generate-sample.mjs');
  const rows = lines(fresh);
  assert.equal(rows[0], HEADER);
  assert.ok(rows.length - 1 >= 10000 && rows.length - 1 <= 20000, `rows: ${rows.length - 1}`);
  assert.ok(fresh.length < 1.5e6);
  const customers = new Set(rows.slice(1).map((l) => l.split(',')[1]));
  assert.equal(customers.size, 3000);
});
