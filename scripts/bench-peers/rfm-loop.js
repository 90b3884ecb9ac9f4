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
// open-addressing hash table over their bytes (FNV-1a) with the hash beside the entry and the id bytes
// in a small arena; a customer's state is one stride of a Float64Array; dates become day numbers (once
// per run of equal dates) and amounts integer millionths straight from the digits; an order id of up
// to 14 digits is kept as a number, a longer or non-numeric one as a 32-bit hash (two different ids in
// a row of one customer with the same hash would count as one order: not seen on generated files).
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
  // Laid out for few cache misses per row: the hash table holds (hash, customer + 1) pairs side by
  // side; a customer's state is one stride of ST doubles (net spend, last order day, orders, key of
  // the last order id); the id bytes are copied into a small arena instead of compared in the file.
  const ST = 4;
  let cap = 1 << 16;
  let slots = new Int32Array(cap * 2);
  let count = 0;
  let state = new Float64Array((1 << 14) * ST);
  let idOff = new Int32Array(1 << 14);
  let idLen = new Int32Array(1 << 14);
  let arena = new Uint8Array(1 << 18);
  let arenaUsed = 0;
  let maxDay = -2147483648;

  const grow = () => {
    const n = idOff.length * 2;
    const s2 = new Float64Array(n * ST);
    s2.set(state);
    state = s2;
    const o2 = new Int32Array(n);
    o2.set(idOff);
    idOff = o2;
    const l2 = new Int32Array(n);
    l2.set(idLen);
    idLen = l2;
  };
  const rehash = () => {
    const old = slots;
    cap *= 2;
    slots = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let s = old[i] & mask;
      while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
      slots[2 * s] = old[i];
      slots[2 * s + 1] = old[i + 1];
    }
  };

  const cAmount = cols.amount, cCustomer = cols.customer, cDate = cols.date, cOrder = cols.order, cQty = cols.quantity;
  let prevDateS = -1;
  let prevDay = 0;
  const len = bytes.length;
  let p = dataStart;
  while (p < len) {
    // one record: remember where the needed fields start and end
    let custS = -1, custE = -1, dateS = -1, orderS = -1, orderE = -1, qtyNeg = false;
    let amount = 0;
    let haveAmount = false;
    for (let col = 0; col < nCols; col++) {
      const s = p;
      if (col === cAmount) {
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
        if (col === cCustomer) {
          custS = s;
          custE = p;
        } else if (col === cDate) dateS = s;
        else if (col === cOrder) {
          orderS = s;
          orderE = p;
        } else if (col === cQty) qtyNeg = bytes[s] === MINUS;
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
    // the file is mostly in date order: the same 10 date bytes as the previous row, the same day
    let day = prevDay;
    let sameDate = prevDateS >= 0;
    for (let q = 0; sameDate && q < 10; q++) sameDate = bytes[dateS + q] === bytes[prevDateS + q];
    if (!sameDate) {
      const y = (bytes[dateS] - ZERO) * 1000 + (bytes[dateS + 1] - ZERO) * 100 + (bytes[dateS + 2] - ZERO) * 10 + (bytes[dateS + 3] - ZERO);
      const mo = (bytes[dateS + 5] - ZERO) * 10 + (bytes[dateS + 6] - ZERO);
      const d = (bytes[dateS + 8] - ZERO) * 10 + (bytes[dateS + 9] - ZERO);
      if (!(y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && bytes[dateS + 4] === MINUS && bytes[dateS + 7] === MINUS)) continue;
      day = dayNumber(y, mo, d);
      prevDateS = dateS;
      prevDay = day;
    }
    if (day > maxDay) maxDay = day;
    // the order id as a number: its digits and length when it is 1–14 digits (exact), else an FNV
    // hash of its bytes, negative (so a hash never equals a digit key); "C" + digits is a return
    let orderKey = NaN;
    let isReturn = qtyNeg;
    if (orderS >= 0 && orderE > orderS) {
      let v = 0;
      let digits = true;
      for (let q = orderS; q < orderE; q++) {
        const b = bytes[q] - ZERO;
        if (b < 0 || b > 9) {
          digits = false;
          break;
        }
        v = v * 10 + b;
      }
      const ol = orderE - orderS;
      if (digits && ol <= 14) orderKey = v * 16 + ol;
      else {
        if (!isReturn && ol > 1 && bytes[orderS] === 67) {
          isReturn = true;
          for (let q = orderS + 1; q < orderE; q++) if (bytes[q] < ZERO || bytes[q] > ZERO + 9) isReturn = false;
        }
        let oh = 0x811c9dc5 | 0;
        for (let q = orderS; q < orderE; q++) oh = Math.imul(oh ^ bytes[q], 16777619);
        orderKey = -1 - (oh >>> 0) * 64 - Math.min(ol, 63);
      }
    }
    // intern the customer id
    let h = 0x811c9dc5 | 0;
    for (let q = custS; q < custE; q++) h = Math.imul(h ^ bytes[q], 16777619);
    const mask = cap - 1;
    let s = h & mask;
    let c = -1;
    const cl = custE - custS;
    for (;;) {
      const e = slots[2 * s + 1];
      if (e === 0) break;
      if (slots[2 * s] === h) {
        const k = e - 1;
        if (idLen[k] === cl) {
          const o = idOff[k];
          let same = true;
          for (let q = 0; q < cl; q++) {
            if (arena[o + q] !== bytes[custS + q]) {
              same = false;
              break;
            }
          }
          if (same) {
            c = k;
            break;
          }
        }
      }
      s = (s + 1) & mask;
    }
    if (c < 0) {
      if (count === idOff.length) grow();
      c = count++;
      if (arenaUsed + cl > arena.length) {
        const a2 = new Uint8Array(Math.max(arena.length * 2, arenaUsed + cl));
        a2.set(arena);
        arena = a2;
      }
      arena.set(bytes.subarray(custS, custE), arenaUsed);
      idOff[c] = arenaUsed;
      idLen[c] = cl;
      arenaUsed += cl;
      state[c * ST + 1] = -Infinity;
      state[c * ST + 3] = NaN;
      slots[2 * s] = h;
      slots[2 * s + 1] = c + 1;
      if (count * 2 > cap) rehash();
    }
    const st = c * ST;
    if (isReturn) {
      state[st] -= Math.abs(amount);
      continue;
    }
    state[st] += amount;
    if (day > state[st + 1]) state[st + 1] = day;
    // a new order unless this row's order id is the customer's previous one (empty: an order of its own)
    if (Number.isNaN(orderKey) || state[st + 3] !== orderKey) {
      state[st + 2]++;
      state[st + 3] = orderKey;
    }
  }

  // customers with at least one order row
  const keep = [];
  for (let c = 0; c < count; c++) if (state[c * ST + 2] > 0) keep.push(c);
  const n = keep.length;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetaryMicros = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const c = keep[j];
    recency[j] = maxDay - state[c * ST + 1];
    frequency[j] = state[c * ST + 2];
    monetaryMicros[j] = state[c * ST];
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
  const ids = keep.map((c) => dec.decode(arena.subarray(idOff[c], idOff[c] + idLen[c])));
  return { ids, recency, frequency, monetaryMicros, r, f, m, segments, analysisDay: maxDay };
}
