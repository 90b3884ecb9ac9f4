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

/// Which band set a customer's risk level: the level is the higher of the rule band and, with a
/// converged model, the model band (`docs/churn.md#risk-level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskSource {
    /// The rule band alone (it was higher, or no model was fitted).
    Rules,
    /// The model band was higher.
    Model,
    /// Both bands gave the same level.
    Both,
}

impl RiskSource {
    /// Every source, in summary order.
    pub const ALL: [RiskSource; 3] = [RiskSource::Rules, RiskSource::Model, RiskSource::Both];

    /// The code used in `summary.churn.decidedBy`.
    pub const fn code(self) -> &'static str {
        match self {
            RiskSource::Rules => "rules",
            RiskSource::Model => "model",
            RiskSource::Both => "both",
        }
    }

    /// Position in [`RiskSource::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A customer's risk level from the rule band and, when a model was fitted and gave this customer
/// a P(alive) (a finite number), the model band: the higher of the two, and which band set it. So a
/// customer with a churn flag is never `low`, whatever the model says (BG/NBD gives every one-time
/// buyer P(alive) = 1).
pub fn risk(rule: Risk, p_alive: Option<f64>) -> (Risk, RiskSource) {
    let Some(p) = p_alive.filter(|p| p.is_finite()) else {
        return (rule, RiskSource::Rules);
    };
    let model = model_risk(p);
    // (a lower index is a higher level: High, Medium, Low)
    match rule.index().cmp(&model.index()) {
        std::cmp::Ordering::Less => (rule, RiskSource::Rules),
        std::cmp::Ordering::Greater => (model, RiskSource::Model),
        std::cmp::Ordering::Equal => (rule, RiskSource::Both),
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

    /// The higher of the two bands (`docs/churn.md#risk-level`), worked by hand for each pair.
    #[test]
    fn risk_is_the_higher_band() {
        use RiskSource::*;
        // one flag (rule medium) and P(alive) = 1 (model low): medium, by the rules
        assert_eq!(risk(Risk::Medium, Some(1.0)), (Risk::Medium, Rules));
        // no flag (rule low), P(alive) 0.2 (1 − p = 0.8 > 0.66: model high): high, by the model
        assert_eq!(risk(Risk::Low, Some(0.2)), (Risk::High, Model));
        // two flags (high) and P(alive) 0.2 (high): both
        assert_eq!(risk(Risk::High, Some(0.2)), (Risk::High, Both));
        // one flag and P(alive) 0.5 (1 − p = 0.5 ≥ 0.33: medium): both
        assert_eq!(risk(Risk::Medium, Some(0.5)), (Risk::Medium, Both));
        // high_value_lapsed (high) against a model that says low: high, by the rules
        assert_eq!(risk(Risk::High, Some(0.99)), (Risk::High, Rules));
        // no model, or no P(alive) for this customer: the rule band
        assert_eq!(risk(Risk::Low, None), (Risk::Low, Rules));
        assert_eq!(risk(Risk::Medium, Some(f64::NAN)), (Risk::Medium, Rules));
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
