//! Churn flags and risk level (`docs/churn.md`). Several flags can fire; each carries a reason in English and
//! Chinese. Without a fitted model the risk is rule-based: `high` for two or more flags or
//! `high_value_lapsed`, `medium` for one flag, else `low`.

use crate::facts::CustomerFacts;
use crate::labels::{Flag, Flags, Risk};
use crate::options::ChurnOptions;

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Evaluates the flags of one customer. `top_grade` says whether
/// the customer holds a top grade (grade A or one of the first two ladder grades). `declining` was
/// settled with the facts (it needs the window spends, which are not kept).
pub fn flags(c: &CustomerFacts, top_grade: bool, o: &ChurnOptions) -> Flags {
    let mut f = Flags::NONE;
    if c.recency >= o.inactive_days as i32 {
        f.insert(Flag::Inactive);
    }
    if c.purchase_days >= 3
        && c.median_gap()
            .is_some_and(|gap| c.recency as f64 > o.overdue_factor * gap)
    {
        f.insert(Flag::Overdue);
    }
    if top_grade && c.recency >= o.high_value_lapsed_days as i32 {
        f.insert(Flag::HighValueLapsed);
    }
    if c.declining != 0 {
        f.insert(Flag::Declining);
    }
    if c.signal != 0 {
        f.insert(Flag::Signal);
    }
    f
}

/// The human-readable reason of one flag, in English or Chinese.
pub fn reason(flag: Flag, r: &CustomerFacts, o: &ChurnOptions, zh: bool) -> String {
    let gap = r.median_gap().map(fmt_num).unwrap_or_default();
    let by_orders = r.declining & crate::facts::DECLINING_ORDERS != 0;
    match (flag, zh) {
        (Flag::Inactive, false) => format!(
            "no order for {} days (threshold {} days)",
            r.recency, o.inactive_days
        ),
        (Flag::Inactive, true) => format!("已 {} 天未下单（阈值 {} 天）", r.recency, o.inactive_days),
        (Flag::Overdue, false) => format!(
            "{} days since the last order, more than {}× the usual gap of {} days",
            r.recency,
            fmt_num(o.overdue_factor),
            gap
        ),
        (Flag::Overdue, true) => {
            format!(
                "距上次下单 {} 天，超过平时间隔 {} 天的 {} 倍",
                r.recency,
                gap,
                fmt_num(o.overdue_factor)
            )
        }
        (Flag::HighValueLapsed, false) => {
            format!("top-grade customer with no order for {} days", r.recency)
        }
        (Flag::HighValueLapsed, true) => format!("高价值客户已 {} 天未下单", r.recency),
        (Flag::Declining, false) if by_orders => format!(
            "orders fell from {} to {} between the previous and the last {} days",
            r.previous_orders, r.recent_orders, o.window_days
        ),
        (Flag::Declining, true) if by_orders => {
            format!(
                "近 {} 天订单数从 {} 降至 {}",
                o.window_days, r.previous_orders, r.recent_orders
            )
        }
        (Flag::Declining, false) => format!(
            "spend fell by more than {}% between the previous and the last {} days",
            fmt_num(o.decline_ratio * 100.0),
            o.window_days
        ),
        (Flag::Declining, true) => format!(
            "近 {} 天消费额下降超过 {}%",
            o.window_days,
            fmt_num(o.decline_ratio * 100.0)
        ),
        (Flag::Signal, false) => format!(
            "a signal column (complaint, cancellation, refund enquiry …) was set within the last {} days",
            o.window_days
        ),
        (Flag::Signal, true) => format!("近 {} 天内出现风险信号（投诉、取消续费、退款咨询等）", o.window_days),
    }
}

/// Rule-based risk level: high for two or more flags or `high_value_lapsed`, medium for one flag,
/// else low.
pub fn rule_risk(flags: Flags) -> Risk {
    if flags.count() >= 2 || flags.contains(Flag::HighValueLapsed) {
        Risk::High
    } else if !flags.is_empty() {
        Risk::Medium
    } else {
        Risk::Low
    }
}

/// 1 − P(alive) above this is high risk.
pub const MODEL_HIGH: f64 = 0.66;
/// 1 − P(alive) from this is medium risk.
pub const MODEL_MEDIUM: f64 = 0.33;

/// Risk from a converged model (see `docs/churn.md`): 1 − P(alive) above 0.66 high, from 0.33
/// medium, else low.
pub fn model_risk(p_alive: f64) -> Risk {
    let dead = 1.0 - p_alive;
    if dead > MODEL_HIGH {
        Risk::High
    } else if dead >= MODEL_MEDIUM {
        Risk::Medium
    } else {
        Risk::Low
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

    fn names(f: Flags) -> Vec<&'static str> {
        f.iter().map(Flag::code).collect()
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
        assert_eq!(flags(&cust(40, 3, Some(20.0)), false, &o), Flags::NONE);
        assert_eq!(
            names(flags(&cust(41, 3, Some(20.0)), false, &o)),
            vec!["overdue"]
        );
        assert_eq!(flags(&cust(41, 2, Some(20.0)), false, &o), Flags::NONE);
    }

    #[test]
    fn high_value_lapsed_and_risk() {
        let o = ChurnOptions::default();
        let f = flags(&cust(180, 1, None), true, &o);
        assert_eq!(names(f), vec!["inactive", "high_value_lapsed"]);
        assert_eq!(rule_risk(f).code(), "high");
        assert_eq!(rule_risk(Flags(Flag::Inactive.bit())), Risk::Medium);
        assert_eq!(rule_risk(Flags(Flag::HighValueLapsed.bit())), Risk::High);
        assert_eq!(rule_risk(Flags::NONE), Risk::Low);
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
            reason(Flag::Inactive, &r, &o, false),
            "no order for 120 days (threshold 90 days)"
        );
        assert_eq!(
            reason(Flag::Overdue, &r, &o, true),
            "距上次下单 120 天，超过平时间隔 15 天的 2 倍"
        );
    }
}
