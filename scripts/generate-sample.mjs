#!/usr/bin/env node
// generate-sample.mjs — deterministic sample transactions for tierwise.
//
// Usage:
//   node scripts/generate-sample.mjs [--customers N] [--rows N] [--seed S]
//        [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--returns R] [--extra] [--zh] [--out FILE]
//
//   --customers N  number of customers (default 3000; see --rows).
//   --rows N       target number of data rows (benchmarks: 100000, 1000000, 5000000).
//                  Alone: customers are added one by one until the target is reached, which with the
//                  default period comes to about rows / 4.5 customers (≈ 222k for 1M rows).
//                  With --customers: the customer count is fixed and the purchase rate is scaled
//                  (calibrated on a pilot of the same customers) so that the row count lands near N.
//   --seed S       any string or number (default 42). Same arguments ⇒ byte-identical output.
//   --start/--end  first and last calendar day of the period, inclusive (default 2022-01-01 … 2024-12-31).
//   --returns R    share of rows that are returns (default 0.03; 0 disables; at most 0.5).
//   --extra        add the columns Channel (web/app/store) and Complaint (0/1, rare).
//   --zh           write the Chinese header 订单号,客户ID,下单时间,商品类别,数量,单价,实付金额
//                  (with --extra also 渠道,投诉). Data rows are unchanged.
//   --out FILE     output file, `-` for stdout (default: www/sample.csv next to this script's repo).
//   --help         print this usage.
//
// Default run (no arguments) regenerates the shipped www/sample.csv. A one-line summary goes to stderr.
//
// Output (UTF-8, LF, no BOM, no quoting needed):
//   InvoiceNo,CustomerID,InvoiceDate,Category,Quantity,UnitPrice,Amount[,Channel,Complaint]
//   - InvoiceNo: digits, all of the same width, increasing with time. A return row has `C` + the digits
//     of the earlier purchase (same customer) that it cancels, a negative Quantity and a negative Amount,
//     and the Category and UnitPrice of the returned line.
//   - CustomerID: CUST-000123 (never looks like a cancellation), numbered in order of first purchase.
//   - InvoiceDate: `YYYY-MM-DD HH:MM`, local time as written.
//   - UnitPrice and Amount have exactly 2 decimals; Amount = Quantity × UnitPrice exactly (integer cents).
//   - Rows are sorted by InvoiceDate, then by the digits of InvoiceNo (a return before the purchases of
//     the same minute), then line order.
//
// Model (per customer; every draw comes from a seeded sfc32 stream, one per customer and purpose):
//   - joins (= first purchase) at a random day of the period, acquisitions growing over time
//     (the density doubles from start to end) and following the seasonality below;
//   - purchase rate λ ~ 5·Gamma(shape 0.6) per year (many one-time buyers, a few very frequent ones);
//   - BG/NBD-style dropout: after each purchase the customer lapses for good with probability
//     p ~ Beta(1, 3.5), so there are lapsed customers;
//   - spend level ~ log-normal (σ 0.8) that scales prices and quantities: a long tail of big spenders;
//   - seasonality: Nov/Dec peaks, quieter Jan/Feb, busier weekends; hours follow a daytime/evening curve;
//   - 1–12 lines per order (mean ≈ 1.6), one favourite category per customer;
//   - returns: each purchase line is returned with probability R/(1−R), 1–60 days later (never after
//     the end of the period), quantity 1…bought;
//   - Channel: a preferred channel per customer (80% of its orders); Complaint: ≈0.6% of orders, ≈7% of
//     the order after which the customer lapses, 20% of returns. These draws are made even without
//     --extra, so --extra and --zh never change the other columns.
// Determinism: integer arithmetic (Math.imul) for the PRNG, dates computed without Date/locale, money
// in integer cents; the floating-point functions used (log, exp, sqrt, pow) are V8's platform-independent
// implementations, and every float is reduced to an integer before it is written.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE =
  'usage: node scripts/generate-sample.mjs [--customers N] [--rows N] [--seed S] [--start 2022-01-01] ' +
  '[--end 2024-12-31] [--returns 0.03] [--extra] [--zh] [--out FILE]';

const HEADER_EN = ['InvoiceNo', 'CustomerID', 'InvoiceDate', 'Category', 'Quantity', 'UnitPrice', 'Amount'];
const HEADER_ZH = ['订单号', '客户ID', '下单时间', '商品类别', '数量', '单价', '实付金额'];
const EXTRA_EN = ['Channel', 'Complaint'];
const EXTRA_ZH = ['渠道', '投诉'];

// name, base unit price in cents, popularity weight
const CATEGORIES = [
  ['Electronics', 8900, 0.9],
  ['Home', 3500, 1.2],
  ['Clothing', 2900, 1.6],
  ['Beauty', 1900, 1.1],
  ['Sports', 3900, 0.8],
  ['Books', 1400, 1.0],
  ['Toys', 2200, 0.7],
  ['Grocery', 650, 1.4],
];
const CHANNELS = ['web', 'app', 'store'];
const CHANNEL_WEIGHTS = [0.5, 0.3, 0.2];
// relative order intensity per hour of day (0..23)
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 3.5, 4.5, 5, 5.5, 6, 5.5, 5, 5, 5.5, 6, 6.5, 7, 7.5, 7, 5, 2.5];
// seasonality per month (Jan..Dec) and weekday (Sun..Sat)
const MONTH_WEIGHTS = [0.85, 0.8, 0.95, 0.95, 1, 1, 0.95, 0.95, 1, 1.05, 1.35, 1.5];
const WEEKDAY_WEIGHTS = [1.15, 0.95, 0.95, 0.95, 1, 1.05, 1.15];

// ---------------------------------------------------------------------------------------------------
// arguments

function fail(msg) {
  process.stderr.write(`generate-sample: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { customers: null, rows: null, seed: '42', start: '2022-01-01', end: '2024-12-31', returns: 0.03, extra: false, zh: false, out: null };
  const valued = new Set(['customers', 'rows', 'seed', 'start', 'end', 'returns', 'out']);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    }
    if (!a.startsWith('--')) fail(`unexpected argument ${JSON.stringify(a)}`);
    a = a.slice(2);
    let v = null;
    const eq = a.indexOf('=');
    if (eq >= 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    if (a === 'extra' || a === 'zh') {
      if (v !== null) fail(`--${a} takes no value`);
      o[a] = true;
      continue;
    }
    if (!valued.has(a)) fail(`unknown option --${a}`);
    if (v === null) {
      if (i + 1 >= argv.length) fail(`--${a} needs a value`);
      v = argv[++i];
    }
    o[a] = v;
  }
  const posInt = (name, v) => {
    if (v === null) return null;
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000_000) fail(`--${name} must be an integer from 1 to 100000000`);
    return Number(v);
  };
  o.customers = posInt('customers', o.customers);
  o.rows = posInt('rows', o.rows);
  if (typeof o.returns === 'string') {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(o.returns)) fail('--returns must be a number from 0 to 0.5');
    o.returns = Number(o.returns);
  }
  if (!(o.returns >= 0 && o.returns <= 0.5)) fail('--returns must be a number from 0 to 0.5');
  o.startDay = parseDay(o.start, 'start');
  o.endDay = parseDay(o.end, 'end');
  if (o.endDay < o.startDay) fail('--end is before --start');
  if (o.endDay - o.startDay + 1 > 36600) fail('the period may span at most 100 years');
  if (o.seed === '') fail('--seed must not be empty');
  return o;
}

// ---------------------------------------------------------------------------------------------------
// calendar (proleptic Gregorian, days since 1970-01-01; H. Hinnant's algorithms)

function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z) {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function parseDay(s, name) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s));
  if (!m) fail(`--${name} must be a date YYYY-MM-DD`);
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const z = daysFromCivil(y, mo, d);
  const [y2, m2, d2] = civilFromDays(z);
  if (y2 !== y || m2 !== mo || d2 !== d) fail(`--${name} is not a valid date: ${s}`);
  return z;
}

const pad2 = (n) => (n < 10 ? '0' : '') + n;

// ---------------------------------------------------------------------------------------------------
// PRNG: sfc32 (32-bit arithmetic only), one stream per (seed, customer, purpose)

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class Rng {
  constructor() { this.a = 0; this.b = 0; this.c = 0; this.d = 1; this.spare = 0; this.hasSpare = false; }
  seed(s, i, purpose) {
    this.a = fmix(s ^ 0x9e3779b9);
    this.b = fmix((i + Math.imul(purpose, 0x632be5ab)) ^ 0x7f4a7c15);
    this.c = fmix(s + Math.imul(i, 0x2545f491) + purpose);
    this.d = 1;
    this.hasSpare = false;
    for (let k = 0; k < 12; k++) this.u32();
  }
  u32() {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }
  // uniform in (0, 1)
  u() { return (this.u32() + 0.5) / 4294967296; }
  exp() { return -Math.log(this.u()); }
  normal() {
    if (this.hasSpare) { this.hasSpare = false; return this.spare; }
    let x, y, s;
    do {
      x = 2 * this.u() - 1;
      y = 2 * this.u() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt(-2 * Math.log(s) / s);
    this.spare = y * f;
    this.hasSpare = true;
    return x * f;
  }
  gamma(a) {
    if (a < 1) return this.gamma(a + 1) * Math.pow(this.u(), 1 / a);
    const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const u = this.u();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }
  beta(a, b) {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }
  pick(cum) { // cum: cumulative weights ending in 1
    const u = this.u();
    let k = 0;
    while (k < cum.length - 1 && u >= cum[k]) k++;
    return k;
  }
}

const cumulative = (w) => {
  const tot = w.reduce((s, x) => s + x, 0);
  let acc = 0;
  const out = w.map((x) => (acc += x / tot));
  out[out.length - 1] = 1;
  return out;
};

// ---------------------------------------------------------------------------------------------------
// growable typed-array columns

class Col {
  constructor(Type, cap = 1024) { this.Type = Type; this.a = new Type(cap); this.n = 0; }
  push(v) {
    if (this.n === this.a.length) {
      const b = new this.Type(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

class Store {
  constructor() { this.reset(); }
  reset() {
    // customers
    this.custJoin = new Col(Int32Array); // minutes since period start of the first purchase
    this.custChannel = new Col(Uint8Array);
    // orders
    this.ordTime = new Col(Int32Array);
    this.ordCust = new Col(Int32Array);
    this.ordLine = new Col(Int32Array); // first line index
    this.ordNLines = new Col(Uint8Array);
    this.ordChannel = new Col(Uint8Array);
    this.ordComplaint = new Col(Uint8Array);
    // purchase lines
    this.lineCat = new Col(Uint8Array);
    this.lineQty = new Col(Int32Array);
    this.linePrice = new Col(Int32Array); // cents
    // returns (one per returned order) and their lines
    this.retTime = new Col(Int32Array);
    this.retOrder = new Col(Int32Array);
    this.retFirst = new Col(Int32Array); // first index in retLine*
    this.retN = new Col(Uint8Array);
    this.retComplaint = new Col(Uint8Array);
    this.retLineRef = new Col(Int32Array); // purchase line index
    this.retLineQty = new Col(Int32Array); // negative
    this.rows = 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// the model

function buildModel(opts) {
  const nDays = opts.endDay - opts.startDay + 1;
  const seasonW = new Float64Array(nDays);
  let wMax = 0;
  for (let i = 0; i < nDays; i++) {
    const z = opts.startDay + i;
    const [, m] = civilFromDays(z);
    const wd = ((z % 7) + 11) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
    seasonW[i] = MONTH_WEIGHTS[m - 1] * WEEKDAY_WEIGHTS[wd];
    if (seasonW[i] > wMax) wMax = seasonW[i];
  }
  for (let i = 0; i < nDays; i++) seasonW[i] /= wMax;
  const q = opts.returns / (1 - opts.returns);
  return {
    nDays,
    seasonW,
    wMax,
    q,
    seedHash: fnv1a(String(opts.seed)),
    catCum: cumulative(CATEGORIES.map((c) => c[2])),
    hourCum: cumulative(HOUR_WEIGHTS),
    chanCum: cumulative(CHANNEL_WEIGHTS),
    growth: 1.0, // acquisition density rises by this factor (+100%) over the period
  };
}

const rng = new Rng(); // purchase behaviour
const rr = new Rng(); // returns
const rx = new Rng(); // channel / complaint

function minuteOfDay(r, M) {
  return r.pick(M.hourCum) * 60 + Math.floor(r.u() * 60);
}

// Simulates customer i into the store. rate: multiplier of the purchase rate (1 = natural model).
function simulateCustomer(i, M, S, rate) {
  const D = M.nDays;
  rng.seed(M.seedHash, i, 1);
  rr.seed(M.seedHash, i, 2);
  rx.seed(M.seedHash, i, 3);

  // join day: growing acquisition density (inverse CDF of 1 + g·x), thinned by seasonality
  let day;
  const g = M.growth;
  for (;;) {
    const u = rng.u();
    const x = (-1 + Math.sqrt(1 + 2 * g * u * (1 + g / 2))) / g;
    day = Math.min(D - 1, Math.floor(x * D));
    if (rng.u() < M.seasonW[day]) break;
  }
  const joinMinute = minuteOfDay(rng, M);

  const lambdaYear = 5 * rng.gamma(0.6) * rate; // orders per year while active
  const lambdaDay = (lambdaYear / 365.25) * M.wMax;
  let pDrop = rng.beta(1.0, 3.5);
  if (rate > 1) pDrop /= Math.sqrt(rate);
  const spend = Math.exp(0.8 * rng.normal());
  const priceF = Math.pow(spend, 0.7);
  const qtyF = 0.45 * (0.4 + Math.pow(spend, 0.35));
  const fav = rng.pick(M.catCum);
  const loyalty = 0.2 + 0.6 * rng.u();
  const chan = rx.pick(M.chanCum);

  const cust = S.custJoin.n;
  S.custJoin.push(day * 1440 + joinMinute);
  S.custChannel.push(chan);

  let t = day; // in days, fractional
  let minute = joinMinute;
  for (;;) {
    // one order at `day`/`minute`
    const oi = S.ordTime.n;
    const firstLine = S.lineCat.n;
    let nLines = 1;
    while (nLines < 12 && rng.u() < 0.38) nLines++;
    for (let k = 0; k < nLines; k++) {
      const cat = rng.u() < loyalty ? fav : rng.pick(M.catCum);
      let cents = CATEGORIES[cat][1] * priceF * Math.exp(0.35 * rng.normal());
      // shelf prices: x.99 / x.49 above 10, x.x9 below
      cents = cents >= 1000 ? Math.max(1049, Math.round(cents / 50) * 50 - 1) : Math.max(49, Math.round(cents / 10) * 10 - 1);
      const qty = Math.min(99, 1 + Math.floor(rng.exp() * qtyF));
      S.lineCat.push(cat);
      S.lineQty.push(qty);
      S.linePrice.push(cents);
    }
    S.ordTime.push(day * 1440 + minute);
    S.ordCust.push(cust);
    S.ordLine.push(firstLine);
    S.ordNLines.push(nLines);
    S.rows += nLines;

    // returns of this order (own stream)
    let nRet = 0;
    const retFirst = S.retLineRef.n;
    for (let k = 0; k < nLines; k++) {
      if (rr.u() < M.q) {
        const bought = S.lineQty.a[firstLine + k];
        const back = 1 + Math.floor(rr.u() * bought);
        S.retLineRef.push(firstLine + k);
        S.retLineQty.push(-back);
        nRet++;
      }
    }
    if (nRet > 0) {
      const rday = day + 1 + Math.min(59, Math.floor(rr.exp() * 9));
      const rmin = minuteOfDay(rr, M);
      if (rday < D) {
        S.retTime.push(rday * 1440 + rmin);
        S.retOrder.push(oi);
        S.retFirst.push(retFirst);
        S.retN.push(nRet);
        S.retComplaint.push(rx.u() < 0.2 ? 1 : 0);
        S.rows += nRet;
      } else {
        S.retLineRef.n = retFirst; // happens after the end of the period: drop
        S.retLineQty.n = retFirst;
      }
    }

    // dropout after this purchase (BG/NBD)
    const drops = rng.u() < pDrop;
    S.ordChannel.push(rx.u() < 0.8 ? chan : rx.pick(M.chanCum));
    S.ordComplaint.push(rx.u() < (drops ? 0.07 : 0.006) ? 1 : 0);
    if (drops) break;

    // next purchase: Poisson process thinned by seasonality
    let next = false;
    while (lambdaDay > 0) {
      t += rng.exp() / lambdaDay;
      if (!(t < D)) break;
      day = Math.floor(t);
      if (rng.u() < M.seasonW[day]) { next = true; break; }
    }
    if (!next) break;
    minute = minuteOfDay(rng, M);
  }
}

// Finds the rate multiplier that gives ≈ targetRows for nCust customers (pilot on the first customers).
function calibrateRate(M, nCust, targetRows) {
  const pilotN = Math.min(nCust, 3000);
  const pilotTarget = (targetRows * pilotN) / nCust;
  const S = new Store();
  const rowsAt = (logRate) => {
    S.reset();
    const rate = Math.pow(2, logRate);
    for (let i = 0; i < pilotN; i++) {
      simulateCustomer(i, M, S, rate);
      if (S.rows > 4 * pilotTarget + 1000) break;
    }
    return S.rows;
  };
  let lo = -12, hi = 12;
  if (rowsAt(lo) >= pilotTarget) return Math.pow(2, lo);
  if (rowsAt(hi) <= pilotTarget) return Math.pow(2, hi);
  for (let k = 0; k < 30 && hi - lo > 1e-4; k++) {
    const mid = (lo + hi) / 2;
    if (rowsAt(mid) < pilotTarget) lo = mid; else hi = mid;
  }
  return Math.pow(2, (lo + hi) / 2);
}

// ---------------------------------------------------------------------------------------------------
// output

function money(c) {
  const neg = c < 0;
  const a = neg ? -c : c;
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  return (neg ? '-' : '') + whole + (frac < 10 ? '.0' : '.') + frac;
}

function writeAll(fd, str) {
  const buf = Buffer.from(str, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
  return buf.length;
}

// sorts indices 0..n-1 by (key[i], i) with key < 2^27 and n < 2^26, using a native Float64Array sort
function sortedIndex(n, keyOf) {
  if (n >= 2 ** 26) throw new Error('too many orders');
  const k = new Float64Array(n);
  for (let i = 0; i < n; i++) k[i] = keyOf(i) * 67108864 + i;
  k.sort();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = k[i] % 67108864;
  return out;
}

function main() {
  const t0 = process.hrtime.bigint();
  const opts = parseArgs(process.argv.slice(2));
  const scriptDir = path.dirname(fileURLToPath(import.meta.url));
  const outPath = opts.out ?? path.join(scriptDir, '..', 'www', 'sample.csv');
  const M = buildModel(opts);
  const S = new Store();

  let nCust;
  if (opts.rows !== null && opts.customers === null) {
    nCust = 0;
    while (S.rows < opts.rows) simulateCustomer(nCust++, M, S, 1);
  } else {
    nCust = opts.customers ?? 3000;
    const rate = opts.rows !== null ? calibrateRate(M, nCust, opts.rows) : 1;
    for (let i = 0; i < nCust; i++) simulateCustomer(i, M, S, rate);
  }

  // customer numbers in order of first purchase
  const custOrder = sortedIndex(nCust, (i) => S.custJoin.a[i]);
  const custNo = new Int32Array(nCust);
  for (let r = 0; r < nCust; r++) custNo[custOrder[r]] = r + 1;
  const custId = new Array(nCust);
  for (let i = 0; i < nCust; i++) custId[i] = 'CUST-' + String(custNo[i]).padStart(6, '0');

  // invoice numbers in time order, all of one width
  const nOrd = S.ordTime.n;
  const ordSorted = sortedIndex(nOrd, (i) => S.ordTime.a[i]);
  const width = Math.max(6, String(nOrd).length + 1);
  const invBase = 10 ** (width - 1);
  const invNo = new Float64Array(nOrd);
  for (let r = 0; r < nOrd; r++) invNo[ordSorted[r]] = invBase + r + 1;
  const nRet = S.retTime.n;
  // returns sorted by (time, referenced invoice); the rank of the referenced order < 2^26
  const retSorted = (() => {
    const rank = new Int32Array(nOrd);
    for (let r = 0; r < nOrd; r++) rank[ordSorted[r]] = r;
    const k = new Float64Array(nRet);
    for (let i = 0; i < nRet; i++) k[i] = S.retTime.a[i] * 67108864 + rank[S.retOrder.a[i]];
    const idx = Array.from({ length: nRet }, (_, i) => i);
    idx.sort((a, b) => k[a] - k[b] || a - b);
    return idx;
  })();

  // strings
  const dayStr = new Array(M.nDays);
  for (let i = 0; i < M.nDays; i++) {
    const [y, m, d] = civilFromDays(opts.startDay + i);
    dayStr[i] = String(y).padStart(4, '0') + '-' + pad2(m) + '-' + pad2(d) + ' ';
  }
  const hmStr = new Array(1440);
  for (let i = 0; i < 1440; i++) hmStr[i] = pad2(Math.floor(i / 60)) + ':' + pad2(i % 60);
  const catStr = CATEGORIES.map((c) => c[0]);
  const header = (opts.zh ? HEADER_ZH : HEADER_EN).concat(opts.extra ? (opts.zh ? EXTRA_ZH : EXTRA_EN) : []).join(',') + '\n';

  const toStdout = outPath === '-';
  const tmpPath = toStdout ? null : `${outPath}.tmp-${process.pid}`;
  if (!toStdout) fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  const fd = toStdout ? 1 : fs.openSync(tmpPath, 'w');
  let bytes = 0;
  let buf = header;
  let rows = 0;
  const CHUNK = 1 << 22;
  const custNet = new Float64Array(nCust); // cents
  const extra = opts.extra;
  const ordTime = S.ordTime.a, ordCust = S.ordCust.a, ordLine = S.ordLine.a, ordNLines = S.ordNLines.a;
  const lineCat = S.lineCat.a, lineQty = S.lineQty.a, linePrice = S.linePrice.a;

  const timeStr = (tm) => dayStr[Math.floor(tm / 1440)] + hmStr[tm % 1440];
  let oi = 0, ri = 0;
  while (oi < nOrd || ri < nRet) {
    let takeReturn;
    if (ri >= nRet) takeReturn = false;
    else if (oi >= nOrd) takeReturn = true;
    else {
      const o = ordSorted[oi], r = retSorted[ri];
      const to = ordTime[o], tr = S.retTime.a[r];
      takeReturn = tr < to || (tr === to && invNo[S.retOrder.a[r]] <= invNo[o]);
    }
    if (!takeReturn) {
      const o = ordSorted[oi++];
      const c = ordCust[o];
      const head = invNo[o] + ',' + custId[c] + ',' + timeStr(ordTime[o]) + ',';
      const tail = extra ? ',' + CHANNELS[S.ordChannel.a[o]] + ',' + S.ordComplaint.a[o] + '\n' : '\n';
      for (let l = ordLine[o], end = l + ordNLines[o]; l < end; l++) {
        const amount = lineQty[l] * linePrice[l];
        custNet[c] += amount;
        buf += head + catStr[lineCat[l]] + ',' + lineQty[l] + ',' + money(linePrice[l]) + ',' + money(amount) + tail;
        rows++;
      }
    } else {
      const r = retSorted[ri++];
      const o = S.retOrder.a[r];
      const c = ordCust[o];
      const head = 'C' + invNo[o] + ',' + custId[c] + ',' + timeStr(S.retTime.a[r]) + ',';
      const tail = extra ? ',' + CHANNELS[S.ordChannel.a[o]] + ',' + S.retComplaint.a[r] + '\n' : '\n';
      for (let j = S.retFirst.a[r], end = j + S.retN.a[r]; j < end; j++) {
        const l = S.retLineRef.a[j];
        const qty = S.retLineQty.a[j];
        const amount = qty * linePrice[l];
        custNet[c] += amount;
        buf += head + catStr[lineCat[l]] + ',' + qty + ',' + money(linePrice[l]) + ',' + money(amount) + tail;
        rows++;
      }
    }
    if (buf.length > CHUNK) {
      bytes += writeAll(fd, buf);
      buf = '';
    }
  }
  bytes += writeAll(fd, buf);
  if (!toStdout) {
    fs.closeSync(fd);
    fs.renameSync(tmpPath, outPath);
  }

  // summary statistics (for the one-line report only)
  const net = Float64Array.from(custNet).sort().reverse();
  let total = 0, top = 0;
  const nTop = Math.ceil(nCust * 0.2);
  for (let i = 0; i < nCust; i++) { total += net[i]; if (i < nTop) top += net[i]; }
  const ordersPerCust = new Int32Array(nCust);
  for (let i = 0; i < nOrd; i++) ordersPerCust[ordCust[i]]++;
  let oneTime = 0, lapsed = 0;
  const lastOrder = new Int32Array(nCust).fill(-1);
  for (let i = 0; i < nOrd; i++) {
    const d = Math.floor(ordTime[i] / 1440);
    if (d > lastOrder[ordCust[i]]) lastOrder[ordCust[i]] = d;
  }
  for (let i = 0; i < nCust; i++) {
    if (ordersPerCust[i] === 1) oneTime++;
    if (M.nDays - 1 - lastOrder[i] >= 180) lapsed++;
  }
  const retRows = S.retLineRef.n;
  if (opts.rows !== null && Math.abs(rows - opts.rows) > 0.1 * opts.rows) {
    process.stderr.write(`generate-sample: note: ${rows} rows is far from --rows ${opts.rows} (not reachable with ${nCust} customers)\n`);
  }
  const pct = (x) => (100 * x).toFixed(1) + '%';
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(
    `generate-sample: ${rows} rows, ${nCust} customers, ${bytes} bytes -> ${toStdout ? 'stdout' : outPath} ` +
      `(seed ${opts.seed}; ${nOrd} orders, ${retRows} return rows = ${pct(retRows / rows)}, ` +
      `top 20% of customers = ${pct(total > 0 ? top / total : 0)} of net revenue, one-time buyers ${pct(oneTime / nCust)}, ` +
      `no order in last 180 days ${pct(lapsed / nCust)}; ${secs.toFixed(1)} s)\n`,
  );
}

main();
