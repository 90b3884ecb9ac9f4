//! Recommended actions (`docs/actions.md`): a short, editable text in English and Chinese for every segment,
//! grade and lifecycle stage. `options.actions` overrides any of them by English name.

use crate::labels::{Action, Cn8, Flag, Flags, Rfm11, Stage};
use crate::options::{ActionText, Labels, Options};

/// Built-in texts: (key, English, Chinese). Keys are the English names of segments, grades, stages,
/// activity classes and the `high_value_lapsed` flag.
pub const DEFAULTS: &[(&str, &str, &str)] = &[
    // rfm11
    ("Champions", "Reward them: early access, loyalty perks and referral asks; they will promote the brand.", "给予回馈：新品抢先体验、会员专属权益、邀请推荐；他们会成为品牌传播者。"),
    ("Loyal Customers", "Upsell higher-value products, ask for reviews, enrol in the loyalty programme.", "推荐更高价值的产品，邀请评价，引导加入会员计划。"),
    ("Potential Loyalist", "Offer membership or a loyalty programme and personalised recommendations.", "提供会员或积分计划，推送个性化推荐。"),
    ("New Customers", "Onboard well: welcome message, first-use guidance and an early second-purchase offer.", "做好新客引导：欢迎信息、使用指导，并尽早提供复购优惠。"),
    ("Promising", "Build awareness: brand story, free trials, a small offer for the next order.", "加深品牌认知：品牌故事、免费试用、下次购买的小额优惠。"),
    ("Need Attention", "Time-limited offers and recommendations based on past purchases to re-engage.", "基于历史购买推送限时优惠和推荐，重新激发兴趣。"),
    ("About To Sleep", "Share popular products and a limited discount before they drift away.", "推荐热门商品并给予限时折扣，防止其沉睡。"),
    ("At Risk", "Send personalised win-back messages and an offer within one week; find out what changed.", "一周内发送个性化挽回信息和优惠，了解其变化原因。"),
    ("Can't Lose Them", "Win them back personally: a senior contact calls, offers new products or a renewal deal.", "由资深负责人亲自联系挽回，提供新品或续约优惠。"),
    ("Hibernating", "Low-cost reactivation: relevant products and a special discount; do not over-invest.", "低成本唤醒：推送相关商品和专属折扣，避免过度投入。"),
    ("Lost", "Try one reactivation campaign, then stop spending on them.", "尝试一次唤醒活动，无效则停止投入。"),
    // cn8
    ("Important Value", "Dedicated account manager, priority service and exclusive events.", "配备专属客户经理，优先服务，邀请参加专属活动。"),
    ("Important Development", "Recent big spenders who buy rarely: raise frequency with bundles and reminders.", "近期高消费但频次低：通过组合优惠和提醒提升购买频次。"),
    ("Important Retention", "Frequent big spenders who have not bought lately: contact them proactively.", "高频高消费但近期未购：主动联系，保持关系。"),
    ("Important Win-back", "High spend but long gone and rare: a retention programme led by a senior contact.", "高消费但久未购买且频次低：由资深负责人主导挽留计划。"),
    ("General Value", "Frequent, recent, low spend: cross-sell and upsell to raise basket size.", "高频近期但消费低：交叉销售和向上销售，提升客单价。"),
    ("General Development", "Recent, rare, low spend: nurture with guides and a targeted coupon.", "近期、低频、低消费：通过指南和定向优惠券培育。"),
    ("General Retention", "Frequent but not recent and low spend: a light-touch reminder and offer.", "高频但近期未购、消费低：轻量提醒并附带优惠。"),
    ("General Win-back", "Low value and lapsed: include only in low-cost mass campaigns.", "低价值且已流失：仅纳入低成本的批量营销。"),
    // abc
    ("A", "Top grade: dedicated account manager, priority service, exclusive events.", "最高等级：专属客户经理、优先服务、专属活动。"),
    ("B", "Grow towards A: regular check-ins and tailored offers.", "向 A 类培育：定期回访，提供定制化优惠。"),
    ("C", "Serve efficiently: self-service, automated campaigns.", "高效服务：自助服务与自动化营销。"),
    // ladder
    ("VIP", "Dedicated account manager, priority service and exclusive events.", "专属客户经理、优先服务和专属活动。"),
    ("Gold", "Priority service and early access; invite to member events.", "优先服务、抢先体验，邀请参加会员活动。"),
    ("Silver", "Personalised offers to move up a tier.", "个性化优惠，促进等级提升。"),
    ("Bronze", "Regular engagement and a reason to buy again.", "定期互动，提供再次购买的理由。"),
    ("Regular", "Automated nurturing and seasonal campaigns.", "自动化培育与节日营销。"),
    // lifecycle
    ("new", "First contact within 24 hours, usage checklist on day 3, call on day 7, value report on day 30.", "24 小时内首次联系，第 3 天发送使用清单，第 7 天电话回访，第 30 天提供价值报告。"),
    ("one_time", "Encourage a second purchase: a follow-up offer related to the first order.", "促成二次购买：推送与首单相关的跟进优惠。"),
    ("lapsed", "Run a win-back campaign; remove from regular campaigns if it fails.", "开展召回活动；无效则移出常规营销名单。"),
    ("reactivated", "Welcome back: reinforce with a thank-you and a reason to stay.", "欢迎回归：致谢并提供留下的理由。"),
    ("at_risk", "A win-back offer within one week.", "一周内提供挽回优惠。"),
    ("mature", "Keep them engaged: loyalty rewards and referral programme.", "保持互动：忠诚奖励与推荐计划。"),
    ("active", "Keep the relationship warm with relevant recommendations.", "通过相关推荐维系关系。"),
    // activity
    ("high", "Heavy users: ask for feedback and referrals.", "高频用户：邀请反馈和推荐。"),
    ("low", "Low activity: usage guides and a targeted coupon.", "活跃度低：发送使用指南和定向优惠券。"),
    ("idle", "Idle: a reactivation message with a clear benefit.", "闲置：发送带有明确利益点的唤醒信息。"),
    // flags
    ("high_value_lapsed", "Lapsed high value: a retention programme led by a senior contact.", "高价值客户流失：由资深负责人主导挽留计划。"),
];

/// The recommended action of a customer: the segment's, class's or stage's text, unless a rule
/// of higher priority applies — a lapsed high-value customer first, then a new customer.
pub fn choose(flags: Flags, stage: Stage, rfm11: Option<Rfm11>, cn8: Option<Cn8>) -> Action {
    if flags.contains(Flag::HighValueLapsed) {
        Action::HighValueLapsed
    } else if stage == Stage::New {
        Action::Stage(Stage::New)
    } else if let Some(s) = rfm11 {
        Action::Rfm11(s)
    } else if let Some(c) = cn8 {
        Action::Cn8(c)
    } else {
        Action::Stage(stage)
    }
}

/// Looks up the action for `key` in the requested language, applying overrides. Unknown keys give
/// an empty text.
pub fn action(key: &str, labels: Labels, opts: &Options) -> String {
    action_text(key, labels, opts).to_string()
}

/// [`action`] without a copy: the override's text or the default's (the CSV writer's hot path).
pub fn action_text<'a>(key: &str, labels: Labels, opts: &'a Options) -> &'a str {
    let zh = labels == Labels::Zh;
    if let Some(o) = opts.actions.get(key) {
        match o {
            ActionText::Text(t) => return t,
            ActionText::Both { en, zh: z } => {
                let pick = if zh { z.as_ref() } else { en.as_ref() };
                if let Some(t) = pick {
                    return t;
                }
            }
        }
    }
    DEFAULTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, z)| if zh { *z } else { *en })
        .unwrap_or("")
}

/// Both languages for `key`, overrides applied.
pub fn both(key: &str, opts: &Options) -> (String, String) {
    (action(key, Labels::En, opts), action(key, Labels::Zh, opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_key_has_texts() {
        let keys = Rfm11::ALL
            .iter()
            .map(|&s| Action::Rfm11(s))
            .chain(Cn8::ALL.iter().map(|&c| Action::Cn8(c)))
            .chain(Stage::ALL.iter().map(|&s| Action::Stage(s)))
            .chain([Action::HighValueLapsed]);
        for k in keys {
            let (en, zh) = both(k.key(), &Options::default());
            assert!(!en.is_empty() && !zh.is_empty(), "{}", k.key());
        }
    }

    #[test]
    fn priority() {
        let lapsed = Flags(Flag::HighValueLapsed.bit());
        let some = (Some(Rfm11::Lost), Some(Cn8::GeneralValue));
        assert_eq!(
            choose(lapsed, Stage::New, some.0, some.1),
            Action::HighValueLapsed
        );
        assert_eq!(
            choose(Flags::NONE, Stage::New, some.0, some.1),
            Action::Stage(Stage::New)
        );
        assert_eq!(
            choose(Flags::NONE, Stage::Mature, some.0, some.1),
            Action::Rfm11(Rfm11::Lost)
        );
        assert_eq!(
            choose(Flags::NONE, Stage::Mature, None, some.1),
            Action::Cn8(Cn8::GeneralValue)
        );
        assert_eq!(
            choose(Flags::NONE, Stage::Mature, None, None),
            Action::Stage(Stage::Mature)
        );
    }

    #[test]
    fn overrides_win() {
        let o = Options::from_json(
            r#"{"actions": {"Champions": "Call them", "Lost": {"zh": "放弃"}}}"#,
        )
        .unwrap();
        assert_eq!(action("Champions", Labels::Zh, &o), "Call them");
        assert_eq!(action("Lost", Labels::Zh, &o), "放弃");
        assert!(action("Lost", Labels::En, &o).starts_with("Try one"));
    }
}
