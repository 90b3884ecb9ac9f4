// The lifecycle and churn card: lifecycle stages, churn warnings and churn risk.

import { t } from '../i18n.js';
import { $ } from '../lib/dom.js';
import { modelsPending } from '../lib/summary.js';
import { shareTable, countTable, spanRow } from '../lib/tables.js';

export function renderLifecycle(s) {
  shareTable($('#lifecycle-table'), s.lifecycle, { revenue: false, kind: 'lifecycle', filterColumn: 'lifecycle' });
  const flags = Object.entries(s.churn?.flags || {});
  const riskObj = s.churn?.risk || {};
  const risk = ['high', 'medium', 'low'].filter((k) => k in riskObj).map((k) => [k, riskObj[k]]);
  for (const [k, v] of Object.entries(riskObj)) if (!['high', 'medium', 'low'].includes(k)) risk.push([k, v]);
  countTable($('#churn-flags-table'), flags, 'flag', 'colFlag', 'churnFlags');
  countTable($('#churn-risk-table'), risk, 'risk', 'colRisk', 'risk');
  // risk is withheld until the models are fitted (docs/models.md#later)
  if (modelsPending(s)) $('#churn-risk-table').tBodies[0].append(spanRow(2, t('modelsFitting'), { 'data-pending': 'true' }));
}
