// The value grades card: ABC by revenue and the customer ladder.

import { $ } from '../lib/dom.js';
import { hasAmount } from '../lib/summary.js';
import { shareTable } from '../lib/tables.js';

export function renderGrades(s) {
  const money = hasAmount(s);
  shareTable($('#grade-abc-table'), s.grades?.abc, { revenue: money, filterColumn: 'gradeAbc' });
  shareTable($('#grade-ladder-table'), s.grades?.ladder, { revenue: money, filterColumn: 'gradeLadder' });
}
