-- tierwise 0.1.0: customer grading as DuckDB SQL (docs/sql.md)
-- Reads the table or view `transactions` with the columns: customer "CustomerID", date "InvoiceDate", order id "InvoiceNo", amount "Amount", quantity "Quantity".
-- Cut points: as fitted on the analysed data (3000 customers, analysis date 2024-12-31). Returns one row per customer with the columns of customers.csv;
-- p_alive, expected_purchases and predicted_clv are empty (the purchase models are not part of it).
WITH
tw_in AS (
  SELECT
    TRIM(CAST("CustomerID" AS VARCHAR)) AS customer_id,
    CAST("InvoiceDate" AS DATE) AS day,
    COALESCE(TRIM(CAST("InvoiceNo" AS VARCHAR)), '') AS order_id,
    CAST(CAST(CAST("Amount" AS DECIMAL(38, 6)) AS DECIMAL(38, 6)) * 1000000 AS HUGEINT) AS amount,
    (regexp_matches(COALESCE(TRIM(CAST("InvoiceNo" AS VARCHAR)), ''), '^C[0-9]+$') OR CAST(CAST(CAST("Quantity" AS DECIMAL(38, 6)) AS DECIMAL(38, 6)) * 1000000 AS HUGEINT) < 0) AS is_return,
    FALSE AS signal
  FROM "transactions"
  WHERE "CustomerID" IS NOT NULL
    AND TRIM(CAST("CustomerID" AS VARCHAR)) <> ''
    AND "InvoiceDate" IS NOT NULL
    AND "Amount" IS NOT NULL
    AND "Quantity" IS NOT NULL
),
tw_date AS (
  SELECT DATE '2024-12-31' AS d
),
tw_rows AS (
  SELECT
    r.customer_id,
    r.day,
    (t.d - r.day) AS age,
    NOT r.is_return AS is_order,
    TRUE AS counted,
    CASE WHEN r.is_return THEN -ABS(r.amount) ELSE r.amount END AS value,
    CASE WHEN r.order_id = '' THEN NULL ELSE r.order_id END AS unit,
    r.is_return,
    r.signal
  FROM tw_in r CROSS JOIN tw_date t
  WHERE r.day <= t.d
),
tw_days AS (
  SELECT DISTINCT customer_id, day FROM tw_rows WHERE is_order
),
tw_gaps AS (
  SELECT
    customer_id,
    (day - LAG(day) OVER (PARTITION BY customer_id ORDER BY day)) AS gap,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY day DESC) AS from_last
  FROM tw_days
),
tw_gap_ranks AS (
  SELECT
    customer_id,
    gap,
    from_last,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY gap) AS k,
    COUNT(*) OVER (PARTITION BY customer_id) AS n
  FROM tw_gaps
  WHERE gap IS NOT NULL
),
tw_gap AS (
  SELECT
    customer_id,
    SUM(CASE WHEN MOD(n, 2) = 1 AND k = ((n + 1) // (2)) THEN 2 * gap WHEN NOT MOD(n, 2) = 1 AND (k = ((n) // (2)) OR k = ((n) // (2)) + 1) THEN gap ELSE 0 END) AS median_gap2,
    MAX(CASE WHEN from_last = 1 THEN gap END) AS gap_before_last
  FROM tw_gap_ranks
  GROUP BY customer_id
),
tw_sums AS (
  SELECT
    customer_id,
    MIN(CASE WHEN is_order THEN day END) AS first_day,
    MAX(CASE WHEN is_order THEN day END) AS last_day,
    SUM(CASE WHEN counted THEN value ELSE 0 END) AS monetary,
    SUM(CASE WHEN counted AND age < 90 THEN value ELSE 0 END) AS recent_spend,
    SUM(CASE WHEN counted AND age >= 90 AND age < 180 THEN value ELSE 0 END) AS previous_spend,
    SUM(CASE WHEN counted AND age < 365 THEN value ELSE 0 END) AS window_spend,
    (COUNT(DISTINCT CASE WHEN is_order THEN unit END) + SUM(CASE WHEN is_order AND unit IS NULL THEN 1 ELSE 0 END)) AS frequency,
    (COUNT(DISTINCT CASE WHEN is_order AND age < 90 THEN unit END) + SUM(CASE WHEN is_order AND age < 90 AND unit IS NULL THEN 1 ELSE 0 END)) AS recent_orders,
    (COUNT(DISTINCT CASE WHEN is_order AND age >= 90 AND age < 180 THEN unit END) + SUM(CASE WHEN is_order AND age >= 90 AND age < 180 AND unit IS NULL THEN 1 ELSE 0 END)) AS previous_orders,
    (COUNT(DISTINCT CASE WHEN is_order AND age < 28 THEN unit END) + SUM(CASE WHEN is_order AND age < 28 AND unit IS NULL THEN 1 ELSE 0 END)) AS activity_events,
    COUNT(DISTINCT CASE WHEN is_order THEN day END) AS purchase_days,
    MAX(CASE WHEN signal AND age < 90 THEN 1 ELSE 0 END) AS signal
  FROM tw_rows
  GROUP BY customer_id
  HAVING SUM(CASE WHEN is_order THEN 1 ELSE 0 END) > 0
),
tw_facts AS (
  SELECT
    f.*,
    (t.d - f.last_day) AS recency,
    (t.d - f.first_day) AS tenure,
    g.median_gap2,
    g.gap_before_last,
    CASE WHEN f.previous_orders > 0 AND CAST(f.recent_orders AS DOUBLE) <= CAST('0.5' AS DOUBLE) * CAST(f.previous_orders AS DOUBLE) THEN 1 ELSE 0 END AS declining_orders,
    CASE WHEN f.previous_spend > 0 AND CAST(f.recent_spend AS DOUBLE) <= CAST('0.5' AS DOUBLE) * CAST(f.previous_spend AS DOUBLE) THEN 1 ELSE 0 END AS declining_spend
  FROM tw_sums f
  CROSS JOIN tw_date t
  LEFT JOIN tw_gap g ON g.customer_id = f.customer_id
),
tw_cut_r AS (
  SELECT CAST(230 AS HUGEINT) AS c1, CAST(800 AS HUGEINT) AS c2, CAST(1792 AS HUGEINT) AS c3, CAST(3020 AS HUGEINT) AS c4
),
tw_cut_f AS (
  SELECT CAST(5 AS HUGEINT) AS c1, CAST(5 AS HUGEINT) AS c2, CAST(10 AS HUGEINT) AS c3, CAST(20 AS HUGEINT) AS c4
),
tw_cut_m AS (
  SELECT CAST(124950000 AS HUGEINT) AS c1, CAST(299560000 AS HUGEINT) AS c2, CAST(609920000 AS HUGEINT) AS c3, CAST(1409250000 AS HUGEINT) AS c4
),
tw_scores AS (
  SELECT
    f.*,
    5 - (CASE WHEN tw_cut_r.c1 < 5 * f.recency THEN 1 ELSE 0 END + CASE WHEN tw_cut_r.c2 < 5 * f.recency THEN 1 ELSE 0 END + CASE WHEN tw_cut_r.c3 < 5 * f.recency THEN 1 ELSE 0 END + CASE WHEN tw_cut_r.c4 < 5 * f.recency THEN 1 ELSE 0 END) AS r_score,
    1 + CASE WHEN tw_cut_f.c1 < 5 * f.frequency THEN 1 ELSE 0 END + CASE WHEN tw_cut_f.c2 < 5 * f.frequency THEN 1 ELSE 0 END + CASE WHEN tw_cut_f.c3 < 5 * f.frequency THEN 1 ELSE 0 END + CASE WHEN tw_cut_f.c4 < 5 * f.frequency THEN 1 ELSE 0 END AS f_score,
    1 + CASE WHEN tw_cut_m.c1 < 5 * f.monetary THEN 1 ELSE 0 END + CASE WHEN tw_cut_m.c2 < 5 * f.monetary THEN 1 ELSE 0 END + CASE WHEN tw_cut_m.c3 < 5 * f.monetary THEN 1 ELSE 0 END + CASE WHEN tw_cut_m.c4 < 5 * f.monetary THEN 1 ELSE 0 END AS m_score
  FROM tw_facts f
  CROSS JOIN tw_cut_r
  CROSS JOIN tw_cut_f
  CROSS JOIN tw_cut_m
),
tw_split AS (
  SELECT CAST(976665 AS HUGEINT) AS sum_r, CAST(3000 AS HUGEINT) AS n_r, CAST(8544 AS HUGEINT) AS sum_f, CAST(3000 AS HUGEINT) AS n_f, CAST(657030890000 AS HUGEINT) AS sum_m, CAST(3000 AS HUGEINT) AS n_m
),
tw_rank AS (
  SELECT
    customer_id,
    ROW_NUMBER() OVER (ORDER BY monetary DESC, customer_id) AS pos,
    COUNT(*) OVER () AS n,
    SUM(CASE WHEN monetary > 0 THEN monetary ELSE 0 END) OVER () AS total,
    COALESCE(SUM(CASE WHEN monetary > 0 THEN monetary ELSE 0 END) OVER (ORDER BY monetary DESC, customer_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS above
  FROM tw_facts
),
tw_graded AS (
  SELECT
    f.*,
    (CASE WHEN f.recency * p.n_r < p.sum_r THEN 4 ELSE 0 END + CASE WHEN f.frequency * p.n_f > p.sum_f THEN 2 ELSE 0 END + CASE WHEN f.monetary * p.n_m > p.sum_m THEN 1 ELSE 0 END) AS cn8,
    ((f.f_score + f.m_score + 1) // (2)) AS fm,
    CASE WHEN g.total <= 0 OR f.monetary <= 0 THEN 'C' WHEN g.above < ((800000 * g.total + 999999) // (1000000)) THEN 'A' WHEN g.above < ((950000 * g.total + 999999) // (1000000)) THEN 'B' ELSE 'C' END AS abc,
    CASE WHEN g.pos <= ((50000 * g.n + 999999) // (1000000)) THEN 0 WHEN g.pos <= ((150000 * g.n + 999999) // (1000000)) THEN 1 WHEN g.pos <= ((350000 * g.n + 999999) // (1000000)) THEN 2 WHEN g.pos <= ((600000 * g.n + 999999) // (1000000)) THEN 3 WHEN g.pos <= ((1000000 * g.n + 999999) // (1000000)) THEN 4 ELSE NULL END AS ladder,
    CAST(NULL AS VARCHAR) AS absolute_grade
  FROM tw_scores f
  CROSS JOIN tw_split p
  JOIN tw_rank g ON g.customer_id = f.customer_id
),
tw_flagged AS (
  SELECT
    g.*,
    CASE WHEN recency >= 90 THEN 1 ELSE 0 END AS flag_inactive,
    CASE WHEN purchase_days >= 3 AND median_gap2 IS NOT NULL AND CAST(recency AS DOUBLE) > CAST('2.0' AS DOUBLE) * (CAST(median_gap2 AS DOUBLE) / CAST('2.0' AS DOUBLE)) THEN 1 ELSE 0 END AS flag_overdue,
    CASE WHEN COALESCE((abc = 'A' OR ladder IN (0, 1)), FALSE) AND recency >= 180 THEN 1 ELSE 0 END AS flag_high_value_lapsed,
    CASE WHEN (declining_orders = 1 OR declining_spend = 1) THEN 1 ELSE 0 END AS flag_declining,
    CASE WHEN signal = 1 THEN 1 ELSE 0 END AS flag_signal,
    CASE WHEN CAST(7 * activity_events AS DOUBLE) >= CAST('84.0' AS DOUBLE) THEN 'high' WHEN CAST(7 * activity_events AS DOUBLE) >= CAST('28.0' AS DOUBLE) THEN 'low' ELSE 'idle' END AS activity
  FROM tw_graded g
),
tw_staged AS (
  SELECT
    f.*,
    CASE WHEN tenure < 30 THEN 'new' WHEN purchase_days = 1 THEN 'one_time' WHEN recency >= 180 THEN 'lapsed' WHEN recency < 90 AND gap_before_last IS NOT NULL AND gap_before_last > 180 THEN 'reactivated' WHEN (flag_inactive + flag_overdue + flag_high_value_lapsed + flag_declining + flag_signal) > 0 THEN 'at_risk' WHEN tenure >= 365 THEN 'mature' ELSE 'active' END AS stage,
    CASE WHEN flag_high_value_lapsed = 1 OR (flag_inactive + flag_overdue + flag_high_value_lapsed + flag_declining + flag_signal) >= 2 THEN 'high' WHEN (flag_inactive + flag_overdue + flag_high_value_lapsed + flag_declining + flag_signal) = 1 THEN 'medium' ELSE 'low' END AS risk,
    CASE WHEN r_score = 1 AND fm = 1 THEN 'lost' WHEN r_score = 1 AND fm = 2 THEN 'hibernating' WHEN r_score = 1 AND fm = 3 THEN 'at_risk' WHEN r_score = 1 AND fm = 4 THEN 'cant_lose_them' WHEN r_score = 1 AND fm = 5 THEN 'cant_lose_them' WHEN r_score = 2 AND fm = 1 THEN 'about_to_sleep' WHEN r_score = 2 AND fm = 2 THEN 'need_attention' WHEN r_score = 2 AND fm = 3 THEN 'need_attention' WHEN r_score = 2 AND fm = 4 THEN 'at_risk' WHEN r_score = 2 AND fm = 5 THEN 'at_risk' WHEN r_score = 3 AND fm = 1 THEN 'promising' WHEN r_score = 3 AND fm = 2 THEN 'need_attention' WHEN r_score = 3 AND fm = 3 THEN 'potential_loyalist' WHEN r_score = 3 AND fm = 4 THEN 'loyal_customers' WHEN r_score = 3 AND fm = 5 THEN 'loyal_customers' WHEN r_score = 4 AND fm = 1 THEN 'promising' WHEN r_score = 4 AND fm = 2 THEN 'potential_loyalist' WHEN r_score = 4 AND fm = 3 THEN 'potential_loyalist' WHEN r_score = 4 AND fm = 4 THEN 'loyal_customers' WHEN r_score = 4 AND fm = 5 THEN 'champions' WHEN r_score = 5 AND fm = 1 THEN 'new_customers' WHEN r_score = 5 AND fm = 2 THEN 'potential_loyalist' WHEN r_score = 5 AND fm = 3 THEN 'loyal_customers' WHEN r_score = 5 AND fm = 4 THEN 'champions' WHEN r_score = 5 AND fm = 5 THEN 'champions' ELSE NULL END AS rfm11
  FROM tw_flagged f
),
tw_out AS (
  SELECT
    s.*
  FROM tw_staged s
)
SELECT
  customer_id AS "customer_id",
  CAST(first_day AS VARCHAR) AS "first_date",
  CAST(last_day AS VARCHAR) AS "last_date",
  recency AS "recency_days",
  frequency AS "frequency",
  CAST(CAST(monetary AS DECIMAL(38, 6)) * CAST('0.000001' AS DECIMAL(38, 6)) AS DECIMAL(38, 6)) AS "monetary",
  CAST(CAST(CASE WHEN monetary < 0 THEN -(((ABS(monetary)) // (GREATEST(frequency, 1))) + CASE WHEN 2 * MOD(ABS(monetary), GREATEST(frequency, 1)) > GREATEST(frequency, 1) OR (2 * MOD(ABS(monetary), GREATEST(frequency, 1)) = GREATEST(frequency, 1) AND MOD(((ABS(monetary)) // (GREATEST(frequency, 1))), 2) = 1) THEN 1 ELSE 0 END) ELSE (((ABS(monetary)) // (GREATEST(frequency, 1))) + CASE WHEN 2 * MOD(ABS(monetary), GREATEST(frequency, 1)) > GREATEST(frequency, 1) OR (2 * MOD(ABS(monetary), GREATEST(frequency, 1)) = GREATEST(frequency, 1) AND MOD(((ABS(monetary)) // (GREATEST(frequency, 1))), 2) = 1) THEN 1 ELSE 0 END) END AS DECIMAL(38, 6)) * CAST('0.000001' AS DECIMAL(38, 6)) AS DECIMAL(38, 6)) AS "aov",
  r_score AS "r_score",
  f_score AS "f_score",
  m_score AS "m_score",
  CONCAT_WS('', CAST(r_score AS VARCHAR), CAST(f_score AS VARCHAR), CAST(m_score AS VARCHAR)) AS "rfm_code",
  CASE cn8 WHEN 0 THEN 'General Win-back' WHEN 1 THEN 'Important Win-back' WHEN 2 THEN 'General Retention' WHEN 3 THEN 'Important Retention' WHEN 4 THEN 'General Development' WHEN 5 THEN 'Important Development' WHEN 6 THEN 'General Value' WHEN 7 THEN 'Important Value' ELSE NULL END AS "segment_cn8",
  CASE rfm11 WHEN 'champions' THEN 'Champions' WHEN 'loyal_customers' THEN 'Loyal Customers' WHEN 'potential_loyalist' THEN 'Potential Loyalist' WHEN 'new_customers' THEN 'New Customers' WHEN 'promising' THEN 'Promising' WHEN 'need_attention' THEN 'Need Attention' WHEN 'about_to_sleep' THEN 'About To Sleep' WHEN 'at_risk' THEN 'At Risk' WHEN 'cant_lose_them' THEN 'Can''t Lose Them' WHEN 'hibernating' THEN 'Hibernating' WHEN 'lost' THEN 'Lost' ELSE NULL END AS "segment_rfm11",
  CAST(NULL AS VARCHAR) AS "segment_custom",
  abc AS "grade_abc",
  CASE ladder WHEN 0 THEN 'VIP' WHEN 1 THEN 'Gold' WHEN 2 THEN 'Silver' WHEN 3 THEN 'Bronze' WHEN 4 THEN 'Regular' ELSE NULL END AS "grade_ladder",
  absolute_grade AS "grade_absolute",
  CASE activity WHEN 'high' THEN 'high' WHEN 'low' THEN 'low' WHEN 'idle' THEN 'idle' ELSE NULL END AS "activity",
  CASE stage WHEN 'new' THEN 'new' WHEN 'one_time' THEN 'one_time' WHEN 'lapsed' THEN 'lapsed' WHEN 'reactivated' THEN 'reactivated' WHEN 'at_risk' THEN 'at_risk' WHEN 'mature' THEN 'mature' WHEN 'active' THEN 'active' ELSE NULL END AS "lifecycle",
  CONCAT_WS('|', CASE WHEN flag_inactive = 1 THEN 'inactive' END, CASE WHEN flag_overdue = 1 THEN 'overdue' END, CASE WHEN flag_high_value_lapsed = 1 THEN 'high_value_lapsed' END, CASE WHEN flag_declining = 1 THEN 'declining' END, CASE WHEN flag_signal = 1 THEN 'signal' END) AS "churn_flags",
  risk AS "risk",
  CAST(NULL AS DOUBLE) AS "p_alive",
  CAST(NULL AS DOUBLE) AS "expected_purchases",
  CAST(NULL AS DOUBLE) AS "predicted_clv",
  CASE WHEN flag_high_value_lapsed = 1 THEN 'Lapsed high value: a retention programme led by a senior contact.' WHEN stage = 'new' THEN 'First contact within 24 hours, usage checklist on day 3, call on day 7, value report on day 30.' WHEN rfm11 = 'champions' THEN 'Reward them: early access, loyalty perks and referral asks; they will promote the brand.' WHEN rfm11 = 'loyal_customers' THEN 'Upsell higher-value products, ask for reviews, enrol in the loyalty programme.' WHEN rfm11 = 'potential_loyalist' THEN 'Offer membership or a loyalty programme and personalised recommendations.' WHEN rfm11 = 'new_customers' THEN 'Onboard well: welcome message, first-use guidance and an early second-purchase offer.' WHEN rfm11 = 'promising' THEN 'Build awareness: brand story, free trials, a small offer for the next order.' WHEN rfm11 = 'need_attention' THEN 'Time-limited offers and recommendations based on past purchases to re-engage.' WHEN rfm11 = 'about_to_sleep' THEN 'Share popular products and a limited discount before they drift away.' WHEN rfm11 = 'at_risk' THEN 'Send personalised win-back messages and an offer within one week; find out what changed.' WHEN rfm11 = 'cant_lose_them' THEN 'Win them back personally: a senior contact calls, offers new products or a renewal deal.' WHEN rfm11 = 'hibernating' THEN 'Low-cost reactivation: relevant products and a special discount; do not over-invest.' WHEN rfm11 = 'lost' THEN 'Try one reactivation campaign, then stop spending on them.' WHEN cn8 = 0 THEN 'Low value and lapsed: include only in low-cost mass campaigns.' WHEN cn8 = 1 THEN 'High spend but long gone and rare: a retention programme led by a senior contact.' WHEN cn8 = 2 THEN 'Frequent but not recent and low spend: a light-touch reminder and offer.' WHEN cn8 = 3 THEN 'Frequent big spenders who have not bought lately: contact them proactively.' WHEN cn8 = 4 THEN 'Recent, rare, low spend: nurture with guides and a targeted coupon.' WHEN cn8 = 5 THEN 'Recent big spenders who buy rarely: raise frequency with bundles and reminders.' WHEN cn8 = 6 THEN 'Frequent, recent, low spend: cross-sell and upsell to raise basket size.' WHEN cn8 = 7 THEN 'Dedicated account manager, priority service and exclusive events.' WHEN stage = 'new' THEN 'First contact within 24 hours, usage checklist on day 3, call on day 7, value report on day 30.' WHEN stage = 'one_time' THEN 'Encourage a second purchase: a follow-up offer related to the first order.' WHEN stage = 'lapsed' THEN 'Run a win-back campaign; remove from regular campaigns if it fails.' WHEN stage = 'reactivated' THEN 'Welcome back: reinforce with a thank-you and a reason to stay.' WHEN stage = 'at_risk' THEN 'A win-back offer within one week.' WHEN stage = 'mature' THEN 'Keep them engaged: loyalty rewards and referral programme.' WHEN stage = 'active' THEN 'Keep the relationship warm with relevant recommendations.' ELSE NULL END AS "action"
FROM tw_out
ORDER BY customer_id;
