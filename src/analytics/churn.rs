//! Churn flags and risk level (SPEC §6). Several flags can fire; each carries a reason in English and
//! Chinese. Without a fitted model the risk is rule-based: `high` for two or more flags or
//! `high_value_lapsed`, `medium` for one flag, else `low`.

use crate::facts::CustomerFacts;
use crate::options::ChurnOptions;

/// All flag names, in output order; a customer's flags are a bitmask over this list.
pub const FLAG_NAMES: [&str; 5] = [
    "inactive",
    "overdue",
    "high_value_lapsed",
    "declining",
    "signal",
];

/// Bit of `inactive`.
pub const INACTIVE: u8 = 1;
/// Bit of `overdue`.
pub const OVERDUE: u8 = 2;
/// Bit of `high_value_lapsed`.
pub const HIGH_VALUE_LAPSED: u8 = 4;
/// Bit of `declining`.
pub const DECLINING: u8 = 8;
/// Bit of `signal`.
pub const SIGNAL: u8 = 16;

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Evaluates the flags of one customer as a bitmask over [`FLAG_NAMES`]. `top_grade` says whether
/// the customer holds a top grade (grade A or one of the first two ladder grades). `declining` was
/// settled with the facts (it needs the window spends, which are not kept).
pub fn flags(c: &CustomerFacts, top_grade: bool, o: &ChurnOptions) -> u8 {
    let mut f = 0;
    if c.recency >= o.inactive_days as i32 {
        f |= INACTIVE;
    }
    if c.purchase_days >= 3
        && c.median_gap()
            .is_some_and(|gap| c.recency as f64 > o.overdue_factor * gap)
    {
        f |= OVERDUE;
    }
    if top_grade && c.recency >= o.high_value_lapsed_days as i32 {
        f |= HIGH_VALUE_LAPSED;
    }
    if c.declining != 0 {
        f |= DECLINING;
    }
    if c.signal != 0 {
        f |= SIGNAL;
    }
    f
}

/// The human-readable reason of one flag (bit), in English or Chinese.
pub fn reason(bit: u8, r: &CustomerFacts, o: &ChurnOptions, zh: bool) -> String {
    let gap = r.median_gap().map(fmt_num).unwrap_or_default();
    let by_orders = r.declining & crate::facts::DECLINING_ORDERS != 0;
    match (bit, zh) {
        (INACTIVE, false) => format!(
            "no order for {} days (threshold {} days)",
            r.recency, o.inactive_days
        ),
        (INACTIVE, true) => format!("已 {} 天未下单（阈值 {} 天）", r.recency, o.inactive_days),
        (OVERDUE, false) => format!(
            "{} days since the last order, more than {}× the usual gap of {} days",
            r.recency,
            fmt_num(o.overdue_factor),
            gap
        ),
        (OVERDUE, true) => {
            format!(
                "距上次下单 {} 天，超过平时间隔 {} 天的 {} 倍",
                r.recency,
                gap,
                fmt_num(o.overdue_factor)
            )
        }
        (HIGH_VALUE_LAPSED, false) => {
            format!("top-grade customer with no order for {} days", r.recency)
        }
        (HIGH_VALUE_LAPSED, true) => format!("高价值客户已 {} 天未下单", r.recency),
        (DECLINING, false) if by_orders => format!(
            "orders fell from {} to {} between the previous and the last {} days",
            r.previous_orders, r.recent_orders, o.window_days
        ),
        (DECLINING, true) if by_orders => {
            format!(
                "近 {} 天订单数从 {} 降至 {}",
                o.window_days, r.previous_orders, r.recent_orders
            )
        }
        (DECLINING, false) => format!(
            "spend fell by more than {}% between the previous and the last {} days",
            fmt_num(o.decline_ratio * 100.0),
            o.window_days
        ),
        (DECLINING, true) => format!(
            "近 {} 天消费额下降超过 {}%",
            o.window_days,
            fmt_num(o.decline_ratio * 100.0)
        ),
        (SIGNAL, false) => format!(
            "a signal column (complaint, cancellation, refund enquiry …) was set within the last {} days",
            o.window_days
        ),
        (SIGNAL, true) => format!("近 {} 天内出现风险信号（投诉、取消续费、退款咨询等）", o.window_days),
        _ => String::new(),
    }
}

/// Rule-based risk level (0 = high, 1 = medium, 2 = low): high for two or more flags or
/// `high_value_lapsed`, medium for one flag, else low.
pub fn rule_risk(flags: u8) -> u8 {
    if flags.count_ones() >= 2 || flags & HIGH_VALUE_LAPSED != 0 {
        0
    } else if flags != 0 {
        1
    } else {
        2
    }
}

/// Risk from a converged model (SPEC §6): 1 − P(alive) above 0.66 high, from 0.33 medium, else
/// low (index into [`RISKS`]).
pub fn model_risk(p_alive: f64) -> u8 {
    let dead = 1.0 - p_alive;
    if dead > 0.66 {
        0
    } else if dead >= 0.33 {
        1
    } else {
        2
    }
}

/// Risk names in index order.
pub const RISKS: [&str; 3] = ["high", "medium", "low"];

/// Chinese risk label.
pub fn risk_zh(risk: &str) -> &'static str {
    match risk {
        "high" => "高",
        "medium" => "中",
        _ => "低",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cust(recency: i32, days: u32, gap: Option<f64>) -> CustomerFacts {
        let median_gap2 = gap.map_or(crate::facts::NO_GAP, |g| (g * 2.0) as u32);
        CustomerFacts {
            recency,
            tenure: 400,
            frequency: days,
            purchase_days: days,
            median_gap2,
            ..Default::default()
        }
    }

    fn names(f: u8) -> Vec<&'static str> {
        (0..5)
            .filter(|b| f & (1 << b) != 0)
            .map(|b| FLAG_NAMES[b])
            .collect()
    }

    #[test]
    fn inactive_at_threshold() {
        let o = ChurnOptions::default();
        assert_eq!(
            names(flags(&cust(89, 1, None), false, &o)),
            Vec::<&str>::new()
        );
        assert_eq!(
            names(flags(&cust(90, 1, None), false, &o)),
            vec!["inactive"]
        );
    }

    #[test]
    fn overdue_needs_three_days_and_strictly_more() {
        let o = ChurnOptions::default();
        // gap 20 → overdue when recency > 40
        assert_eq!(flags(&cust(40, 3, Some(20.0)), false, &o), 0);
        assert_eq!(
            names(flags(&cust(41, 3, Some(20.0)), false, &o)),
            vec!["overdue"]
        );
        assert_eq!(flags(&cust(41, 2, Some(20.0)), false, &o), 0);
    }

    #[test]
    fn high_value_lapsed_and_risk() {
        let o = ChurnOptions::default();
        let f = flags(&cust(180, 1, None), true, &o);
        assert_eq!(names(f), vec!["inactive", "high_value_lapsed"]);
        assert_eq!(RISKS[rule_risk(f) as usize], "high");
        assert_eq!(RISKS[rule_risk(INACTIVE) as usize], "medium");
        assert_eq!(RISKS[rule_risk(HIGH_VALUE_LAPSED) as usize], "high");
        assert_eq!(RISKS[rule_risk(0) as usize], "low");
    }

    #[test]
    fn reasons_in_both_languages() {
        // median gap 15 days is stored doubled
        let r = CustomerFacts {
            recency: 120,
            median_gap2: 30,
            ..Default::default()
        };
        let o = ChurnOptions::default();
        assert_eq!(
            reason(INACTIVE, &r, &o, false),
            "no order for 120 days (threshold 90 days)"
        );
        assert_eq!(
            reason(OVERDUE, &r, &o, true),
            "距上次下单 120 天，超过平时间隔 15 天的 2 倍"
        );
    }
}
