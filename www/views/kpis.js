// The key figures card: customers, revenue, order value, repeat rate, revenue concentration.

import { t } from '../i18n.js';
import { $, setValue } from '../lib/dom.js';
import { isNum, fmtInt, fmtMoney, fmtShare } from '../lib/format.js';
import { hasAmount } from '../lib/summary.js';

export function renderKpis(s) {
  const k = s.kpis || {};
  const p = s.pareto || {};
  const customers = k.customers ?? s.customers;
  setValue($('#kpi-customers'), customers, fmtInt(customers));
  setValue($('#kpi-orders'), k.orders, isNum(k.orders) ? t('kpiOrders', { orders: fmtInt(k.orders) }) : '');
  const money = hasAmount(s);
  setValue($('#kpi-revenue'), money ? k.revenue : null, money ? fmtMoney(k.revenue) : '—');
  $('#kpi-revenue-sub').textContent = money ? t('kpiRevenueSub') : t('kpiNoAmount');
  setValue($('#kpi-aov'), money && isNum(k.aov) ? k.aov : null, money ? fmtMoney(k.aov) : '—');
  $('#kpi-aov-sub').textContent = money ? t('kpiAovSub') : t('kpiNoAmount');
  setValue($('#kpi-repeat'), k.repeatRate, fmtShare(k.repeatRate));
  const x80 = money && isNum(p.customerShareFor80) ? p.customerShareFor80 : null;
  setValue($('#kpi-pareto80'), x80, fmtShare(x80));
  $('#kpi-pareto80-sub').textContent = money ? t('kpiPareto80Sub') : t('kpiNoAmount');
  const top20 = money && isNum(p.top20RevenueShare) ? p.top20RevenueShare : null;
  setValue($('#kpi-top20'), top20, top20 == null ? '' : t('kpiTop20', { share: fmtShare(top20) }));
}
