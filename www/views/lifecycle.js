// The lifecycle and churn card: lifecycle stages, churn warnings and churn risk.

import { $ } from '../lib/dom.js';
import { shareTable, countTable } from '../lib/tables.js';

export function renderLifecycle(s) {
  shareTable($('#lifecycle-table'), s.lifecycle, { revenue: false, kind: 'lifecycle', filterColumn: 'lifecycle' });
  const flags = Object.entries(s.churn?.flags || {});
  const riskObj = s.churn?.risk || {};
  const risk = ['high', 'medium', 'low'].filter((k) => k in riskObj).map((k) => [k, riskObj[k]]);
  for (const [k, v] of Object.entries(riskObj)) if (!['high', 'medium', 'low'].includes(k)) risk.push([k, v]);
  countTable($('#churn-flags-table'), flags, 'flag', 'colFlag', 'churnFlags');
  countTable($('#churn-risk-table'), risk, 'risk', 'colRisk', 'risk');
}
