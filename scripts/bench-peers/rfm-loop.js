// The benchmark's hand-written JavaScript peer (issue 13): the best single-threaded RFM job over the
// bytes of a transactions CSV that we could write, to measure tierwise against. It runs in the page (a
// plain ES module, no imports) and in Node (tests/bench_peers.test.mjs checks it against the CLI).
//
// What it computes is tierwise's default analysis reduced to RFM (docs/facts.md, docs/scores.md,
// docs/segments.md): returns policy `net`, frequency `orders`, analysis date = the latest day of any
// row, recency in days, monetary the net spend, R/F/M quantile scores (type-7 cut points compared
// exactly, a value on a cut point goes to the lower bin, R reversed) with k = 5, and the rfm11 segment.
//
// How it stays fast: one pass over the Uint8Array with no string per field; the columns are found by
// their header names (order id, customer id, date, quantity, amount: the generated file's
// InvoiceNo, CustomerID, InvoiceDate, Quantity, Amount); customer ids are interned in an
// open-addressing hash table over their bytes (FNV-1a), per-customer state lives in typed arrays;
// dates become day numbers and amounts integer millionths straight from the digits.
//
// Assumptions it makes and tierwise does not (so it is a peer for this shape of file, not a general
// reader): comma-separated, no quoted fields, LF or CRLF line ends, dates `YYYY-MM-DD` (a time after
// them is ignored), plain decimal amounts with at most 6 decimals, and the lines of one order next to
// each other among that customer's rows (true of the generator: rows are sorted by date, then order
// id), so counting orders needs only the customer's last order id, not a set.

const COMMA = 44;
const LF = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** Day number (days since 1970-01-01) of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const HEADER_NAMES = {
  order: ['invoiceno', 'order_id', 'orderid', 'invoice'],
  customer: ['customerid', 'customer_id', 'customer'],
  date: ['invoicedate', 'order_date', 'date'],
  quantity: ['quantity', 'qty'],
  amount: ['amount', 'total'],
};

function findColumns(bytes) {
  let end = bytes.indexOf(LF);
  if (end < 0) end = bytes.length;
  let text = new TextDecoder().decode(bytes.subarray(0, end)).replace(/^\uFEFF/, '').replace(/\r$/, '');
  const names = text.split(',').map((s) => s.trim().toLowerCase());
  const cols = {};
  for (const [role, candidates] of Object.entries(HEADER_NAMES)) {
    cols[role] = names.findIndex((n) => candidates.includes(n));
  }
  for (const role of ['customer', 'date', 'amount']) {
    if (cols[role] < 0) throw new Error(`rfm loop: no ${role} column in the header (${names.join(', ')})`);
  }
  return { cols, dataStart: Math.min(end + 1, bytes.length) };
}

const SEGMENTS = [
  // rows R = 5 … 1, columns FM = 5 … 1 (docs/segments.md, rfm11)
  ['Champions', 'Champions', 'Loyal Customers', 'Potential Loyalist', 'New Customers'],
  ['Champions', 'Loyal Customers', 'Potential Loyalist', 'Potential Loyalist', 'Promising'],
  ['Loyal Customers', 'Loyal Customers', 'Potential Loyalist', 'Need Attention', 'Promising'],
  ['At Risk', 'At Risk', 'Need Attention', 'Need Attention', 'About To Sleep'],
  ["Can't Lose Them", "Can't Lose Them", 'At Risk', 'Hibernating', 'Lost'],
];

/**
 * Counts of the cut points strictly below each value, type-7 quantile cut points at i/k compared
 * exactly: c_i < v  ⇔  k·x[⌊h⌋] + r·(x[⌊h⌋+1] − x[⌊h⌋]) < k·v with (n−1)·i = k·⌊h⌋ + r. Values are
 * integers (days, counts, millionths), so every product is an exact double below 2^53 here.
 */
function scoresBelow(values, k) {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const lo = new Float64Array(k - 1);
  const num = new Float64Array(k - 1);
  for (let i = 1; i < k; i++) {
    const t = (n - 1) * i;
    const fl = Math.floor(t / k);
    const r = t - fl * k;
    lo[i - 1] = k * sorted[fl];
    num[i - 1] = r === 0 ? 0 : r * (sorted[fl + 1] - sorted[fl]);
  }
  const below = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const kv = k * values[j];
    let c = 0;
    for (let i = 0; i < k - 1; i++) if (lo[i] + num[i] < kv) c++;
    below[j] = c;
  }
  return below;
}

/**
 * The RFM job over `bytes` (a Uint8Array of the whole CSV). Returns the customers in order of first
 * appearance: `ids` (strings, made once per customer at the end), `recency` (days), `frequency`
 * (orders), `monetaryMicros` (net spend in millionths), `r`, `f`, `m` (scores 1…5), `segments`
 * (rfm11 names), and `analysisDay` (day number). Customers with only returns are left out, as tierwise
 * does under the default returns policy.
 */
export function rfmLoop(bytes, { bins = 5 } = {}) {
  const { cols, dataStart } = findColumns(bytes);
  const nCols = Math.max(cols.order, cols.customer, cols.date, cols.quantity, cols.amount) + 1;
  // hash table of customer ids: slot → customer index + 1; customer → offset/length of its id bytes
  let cap = 1 << 16;
  let slots = new Int32Array(cap);
  let count = 0;
  let idStart = new Int32Array(1 << 14);
  let idLen = new Int32Array(1 << 14);
  let hashes = new Int32Array(1 << 14);
  let lastDay = new Int32Array(1 << 14).fill(-2147483648);
  let freq = new Int32Array(1 << 14);
  let money = new Float64Array(1 << 14);
  let lastOrderStart = new Int32Array(1 << 14);
  let lastOrderLen = new Int32Array(1 << 14).fill(-1);
  let maxDay = -2147483648;

  const grow = () => {
    const n = idStart.length * 2;
    const g = (a, fill) => {
      const b = new a.constructor(n);
      if (fill !== undefined) b.fill(fill);
      b.set(a);
      return b;
    };
    idStart = g(idStart);
    idLen = g(idLen);
    hashes = g(hashes);
    lastDay = g(lastDay, -2147483648);
    freq = g(freq);
    money = g(money);
    lastOrderStart = g(lastOrderStart);
    lastOrderLen = g(lastOrderLen, -1);
  };
  const rehash = () => {
    cap *= 2;
    slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let c = 0; c < count; c++) {
      let s = hashes[c] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = c + 1;
    }
  };

  const len = bytes.length;
  let p = dataStart;
  while (p < len) {
    // one record: remember where the needed fields start and end
    let custS = -1, custE = -1, dateS = -1, orderS = -1, orderE = -1, qtyNeg = false;
    let amount = 0;
    let haveAmount = false;
    for (let col = 0; col < nCols; col++) {
      const s = p;
      if (col === cols.amount) {
        // amount to millionths straight from the digits
        let neg = false;
        if (bytes[p] === MINUS) {
          neg = true;
          p++;
        }
        let v = 0;
        let b = bytes[p];
        while (b >= ZERO && b <= ZERO + 9) {
          v = v * 10 + (b - ZERO);
          b = bytes[++p];
        }
        v *= 1e6;
        if (b === DOT) {
          b = bytes[++p];
          let scale = 1e5;
          while (b >= ZERO && b <= ZERO + 9) {
            v += (b - ZERO) * scale;
            scale /= 10;
            b = bytes[++p];
          }
        }
        amount = neg ? -v : v;
        haveAmount = p > s;
      } else {
        while (p < len) {
          const b = bytes[p];
          if (b === COMMA || b === LF || b === CR) break;
          p++;
        }
        if (col === cols.customer) {
          custS = s;
          custE = p;
        } else if (col === cols.date) dateS = s;
        else if (col === cols.order) {
          orderS = s;
          orderE = p;
        } else if (col === cols.quantity) qtyNeg = bytes[s] === MINUS;
      }
      if (col < nCols - 1) {
        if (bytes[p] !== COMMA) break; // short record: skipped below
        p++;
      }
    }
    // to the end of the line
    while (p < len && bytes[p] !== LF) p++;
    p++;
    if (custS < 0 || custE === custS || dateS < 0 || !haveAmount) continue;
    const y = (bytes[dateS] - ZERO) * 1000 + (bytes[dateS + 1] - ZERO) * 100 + (bytes[dateS + 2] - ZERO) * 10 + (bytes[dateS + 3] - ZERO);
    const mo = (bytes[dateS + 5] - ZERO) * 10 + (bytes[dateS + 6] - ZERO);
    const d = (bytes[dateS + 8] - ZERO) * 10 + (bytes[dateS + 9] - ZERO);
    if (!(y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) continue;
    const day = dayNumber(y, mo, d);
    if (day > maxDay) maxDay = day;
    // a return: order id = "C" + digits, or a negative quantity
    let isReturn = qtyNeg;
    if (!isReturn && orderS >= 0 && orderE - orderS > 1 && bytes[orderS] === 67) {
      isReturn = true;
      for (let q = orderS + 1; q < orderE; q++) if (bytes[q] < ZERO || bytes[q] > ZERO + 9) isReturn = false;
    }
    // intern the customer id
    let h = 0x811c9dc5 | 0;
    for (let q = custS; q < custE; q++) h = Math.imul(h ^ bytes[q], 16777619);
    const mask = cap - 1;
    let s = h & mask;
    let c = -1;
    const cl = custE - custS;
    for (;;) {
      const e = slots[s];
      if (e === 0) break;
      const k = e - 1;
      if (hashes[k] === h && idLen[k] === cl) {
        const o = idStart[k];
        let same = true;
        for (let q = 0; q < cl; q++) {
          if (bytes[o + q] !== bytes[custS + q]) {
            same = false;
            break;
          }
        }
        if (same) {
          c = k;
          break;
        }
      }
      s = (s + 1) & mask;
    }
    if (c < 0) {
      if (count === idStart.length) grow();
      c = count++;
      idStart[c] = custS;
      idLen[c] = cl;
      hashes[c] = h;
      slots[s] = c + 1;
      if (count * 2 > cap) rehash();
    }
    if (isReturn) {
      money[c] -= Math.abs(amount);
      continue;
    }
    money[c] += amount;
    if (day > lastDay[c]) lastDay[c] = day;
    // a new order unless this row's order id is the customer's previous one (empty: an order of its own)
    const ol = orderS < 0 ? 0 : orderE - orderS;
    let newOrder = ol === 0 || lastOrderLen[c] !== ol;
    if (!newOrder) {
      const o = lastOrderStart[c];
      for (let q = 0; q < ol; q++) {
        if (bytes[o + q] !== bytes[orderS + q]) {
          newOrder = true;
          break;
        }
      }
    }
    if (newOrder) {
      freq[c]++;
      lastOrderStart[c] = orderS;
      lastOrderLen[c] = ol;
    }
  }

  // customers with at least one order row
  const keep = [];
  for (let c = 0; c < count; c++) if (freq[c] > 0) keep.push(c);
  const n = keep.length;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetaryMicros = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const c = keep[j];
    recency[j] = maxDay - lastDay[c];
    frequency[j] = freq[c];
    monetaryMicros[j] = money[c];
  }
  const rb = scoresBelow(recency, bins);
  const fb = scoresBelow(frequency, bins);
  const mb = scoresBelow(monetaryMicros, bins);
  const r = new Uint8Array(n);
  const f = new Uint8Array(n);
  const m = new Uint8Array(n);
  const segments = new Array(n);
  for (let j = 0; j < n; j++) {
    r[j] = bins - rb[j];
    f[j] = 1 + fb[j];
    m[j] = 1 + mb[j];
    if (bins === 5) segments[j] = SEGMENTS[5 - r[j]][5 - Math.floor((f[j] + m[j] + 1) / 2)];
  }
  const dec = new TextDecoder();
  const ids = keep.map((c) => dec.decode(bytes.subarray(idStart[c], idStart[c] + idLen[c])));
  return { ids, recency, frequency, monetaryMicros, r, f, m, segments, analysisDay: maxDay };
}
