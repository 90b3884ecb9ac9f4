//! Typed labels: the fixed vocabularies a customer is described with — the `cn8` classes and `rfm11`
//! segments, ABC grades, lifecycle stages, activity classes, churn flags, risk levels and the keys
//! of the recommended actions. Each value has a stable machine `code` (what the summary's counts and
//! the English CSV columns of stages, activity, flags and risk hold), an English name and a Chinese
//! name, written once here; the page renders them from [`catalog`] (see `docs/outputs.md`).
//!
//! A customer stores each label in one byte (`#[repr(u8)]`, `Option` through the niche), so the
//! per-customer record stays compact.

use serde::Serialize;

/// Defines a label enum with its code, English and Chinese names, in declaration (index) order.
macro_rules! labels {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $en:literal, $zh:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in index order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable machine code (snake case; what the English CSV and the summary counts hold
            /// where the label is code-like).
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// English name.
            pub const fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Chinese name.
            pub const fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The name in the label language (`zh` = Chinese).
            pub const fn name(self, zh: bool) -> &'static str {
                if zh { self.zh() } else { self.en() }
            }

            /// Position in [`Self::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The value at `i` of [`Self::ALL`] (`None` past the end).
            pub fn from_index(i: usize) -> Option<Self> {
                Self::ALL.get(i).copied()
            }

            /// The value whose code is `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Code, English and Chinese of every value, for `catalog()`.
            #[cfg(not(target_arch = "wasm32"))]
            fn entries() -> Vec<LabelEntry> {
                Self::ALL
                    .iter()
                    .map(|v| LabelEntry { code: v.code(), en: v.en(), zh: v.zh() })
                    .collect()
            }
        }
    };
}

labels! {
    /// The classic Chinese eight classes (客户价值八类), indexed by (R high, F high, M high) as bits
    /// `r << 2 | f << 1 | m` (see `docs/segments.md`).
    Cn8 {
        /// R low, F low, M low.
        GeneralWinBack = ("general_win_back", "General Win-back", "一般挽留客户"),
        /// R low, F low, M high.
        ImportantWinBack = ("important_win_back", "Important Win-back", "重要挽留客户"),
        /// R low, F high, M low.
        GeneralRetention = ("general_retention", "General Retention", "一般保持客户"),
        /// R low, F high, M high.
        ImportantRetention = ("important_retention", "Important Retention", "重要保持客户"),
        /// R high, F low, M low.
        GeneralDevelopment = ("general_development", "General Development", "一般发展客户"),
        /// R high, F low, M high.
        ImportantDevelopment = ("important_development", "Important Development", "重要发展客户"),
        /// R high, F high, M low.
        GeneralValue = ("general_value", "General Value", "一般价值客户"),
        /// R high, F high, M high.
        ImportantValue = ("important_value", "Important Value", "重要价值客户"),
    }
}

impl Cn8 {
    /// The classes in the order of the summary table (important ones first, best first).
    pub const TABLE_ORDER: [Cn8; 8] = [
        Cn8::ImportantValue,
        Cn8::ImportantDevelopment,
        Cn8::ImportantRetention,
        Cn8::ImportantWinBack,
        Cn8::GeneralValue,
        Cn8::GeneralDevelopment,
        Cn8::GeneralRetention,
        Cn8::GeneralWinBack,
    ];

    /// The class for whether R, F and M are on the high side of their splits.
    pub fn of(r_high: bool, f_high: bool, m_high: bool) -> Cn8 {
        Cn8::ALL[(usize::from(r_high) << 2) | (usize::from(f_high) << 1) | usize::from(m_high)]
    }
}

labels! {
    /// The 11 segments of the RFM grid, in display order (see `docs/segments.md`).
    Rfm11 {
        /// Bought recently, buy often and spend the most.
        Champions = ("champions", "Champions", "冠军客户"),
        /// Buy often and spend well.
        LoyalCustomers = ("loyal_customers", "Loyal Customers", "忠诚客户"),
        /// Recent customers with average frequency.
        PotentialLoyalist = ("potential_loyalist", "Potential Loyalist", "潜力忠诚客户"),
        /// Bought most recently, not often.
        NewCustomers = ("new_customers", "New Customers", "新客户"),
        /// Recent shoppers who have not spent much.
        Promising = ("promising", "Promising", "有潜力客户"),
        /// Above-average recency, frequency and spend.
        NeedAttention = ("need_attention", "Need Attention", "需要关注客户"),
        /// Below-average recency and frequency.
        AboutToSleep = ("about_to_sleep", "About To Sleep", "即将沉睡客户"),
        /// Spent a lot and often, but long ago.
        AtRisk = ("at_risk", "At Risk", "流失风险客户"),
        /// Made the biggest purchases, often, but long ago.
        CantLoseThem = ("cant_lose_them", "Can't Lose Them", "不能失去的客户"),
        /// Low spend, low frequency, long ago.
        Hibernating = ("hibernating", "Hibernating", "休眠客户"),
        /// The lowest recency, frequency and spend.
        Lost = ("lost", "Lost", "已流失客户"),
    }
}

labels! {
    /// ABC grades by cumulative share of net revenue (see `docs/grades.md`).
    Abc {
        /// The customers making the first `grades.abc[0]` of revenue.
        A = ("A", "A", "A类"),
        /// The next ones up to `grades.abc[1]`.
        B = ("B", "B", "B类"),
        /// The rest.
        C = ("C", "C", "C类"),
    }
}

labels! {
    /// Lifecycle stages, in the order they are tested (see `docs/lifecycle.md`).
    Stage {
        /// First order within `lifecycle.newDays`.
        New = ("new", "New", "新客"),
        /// One purchase day.
        OneTime = ("one_time", "One-time", "一次性客户"),
        /// Recency ≥ `lifecycle.lapsedDays`.
        Lapsed = ("lapsed", "Lapsed", "已流失"),
        /// Came back after a gap longer than `lifecycle.lapsedDays`.
        Reactivated = ("reactivated", "Reactivated", "已挽回"),
        /// Any churn flag.
        AtRisk = ("at_risk", "At risk", "有风险"),
        /// Tenure ≥ `lifecycle.matureDays`.
        Mature = ("mature", "Mature", "成熟"),
        /// None of the above.
        Active = ("active", "Active", "活跃"),
    }
}

labels! {
    /// Activity classes by purchases per week in the `activity.windowDays` window (see
    /// `docs/churn.md`).
    Activity {
        /// At least `activity.high` per week.
        High = ("high", "High", "高频活跃"),
        /// At least `activity.low` per week.
        Low = ("low", "Low", "低频使用"),
        /// Fewer.
        Idle = ("idle", "Idle", "闲置"),
    }
}

labels! {
    /// Churn flags, in output order (see `docs/churn.md`).
    Flag {
        /// No order for `churn.inactiveDays`.
        Inactive = ("inactive", "Inactive", "长期未购"),
        /// Recency above `churn.overdueFactor` × the usual gap.
        Overdue = ("overdue", "Overdue", "超期未复购"),
        /// A top-grade customer with no order for `churn.highValueLapsedDays`.
        HighValueLapsed = ("high_value_lapsed", "High value lapsed", "高价值流失"),
        /// Orders or spend fell by `churn.declineRatio` between the last two windows.
        Declining = ("declining", "Declining", "消费下滑"),
        /// A mapped signal column was true within the churn window.
        Signal = ("signal", "Signal", "风险信号"),
    }
}

impl Flag {
    /// The flag's bit in [`Flags`].
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A customer's churn flags: a set of [`Flag`]s in one byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u8);

impl Flags {
    /// No flag.
    pub const NONE: Flags = Flags(0);

    /// True when `flag` is set.
    pub const fn contains(self, flag: Flag) -> bool {
        self.0 & flag.bit() != 0
    }

    /// Sets `flag`.
    pub fn insert(&mut self, flag: Flag) {
        self.0 |= flag.bit();
    }

    /// The flags set, in output order.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.iter().copied().filter(move |f| self.contains(*f))
    }

    /// Number of flags set.
    pub const fn count(self) -> u32 {
        self.0.count_ones()
    }

    /// True without any flag.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

labels! {
    /// Churn risk levels (see `docs/churn.md`). The CSV holds the code in both languages.
    Risk {
        /// Two or more flags, `high_value_lapsed`, or 1 − P(alive) above 0.66.
        High = ("high", "High", "高"),
        /// One flag, or 1 − P(alive) from 0.33.
        Medium = ("medium", "Medium", "中"),
        /// Otherwise.
        Low = ("low", "Low", "低"),
    }
}

labels! {
    /// Why a row was rejected, in the order the checks run (see `docs/input.md`).
    Reason {
        /// More fields than the header, a quote never closed, or a row too long.
        MalformedRow = ("malformed_row", "Malformed row (too many fields, unclosed quote or too long)", "格式错误（字段过多、引号未闭合或行过长）"),
        /// The header row again.
        RepeatedHeader = ("repeated_header", "Repeated header", "重复的表头"),
        /// No customer id.
        MissingCustomer = ("missing_customer", "Missing customer id", "缺少客户编号"),
        /// No date, or one the column's format cannot read.
        BadDate = ("bad_date", "Bad or missing date", "日期无效或缺失"),
        /// No amount, or one that is not a number.
        BadAmount = ("bad_amount", "Bad or missing amount", "金额无效或缺失"),
    }
}

/// The key of a customer's recommended action (see `docs/actions.md`): the customer's `rfm11`
/// segment, else `cn8` class, else lifecycle stage, unless a rule of higher priority applies (a
/// lapsed high-value customer, a new customer). `options.actions` overrides texts by [`Action::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The action of an `rfm11` segment.
    Rfm11(Rfm11),
    /// The action of a `cn8` class.
    Cn8(Cn8),
    /// The action of a lifecycle stage.
    Stage(Stage),
    /// The `high_value_lapsed` churn flag's action.
    HighValueLapsed,
}

impl Action {
    /// The key under which the text is found and overridden: the segment's or class's English
    /// name, the stage's code, or `high_value_lapsed`.
    pub const fn key(self) -> &'static str {
        match self {
            Action::Rfm11(s) => s.en(),
            Action::Cn8(c) => c.en(),
            Action::Stage(s) => s.code(),
            Action::HighValueLapsed => Flag::HighValueLapsed.code(),
        }
    }
}

impl Default for Action {
    fn default() -> Self {
        Action::Stage(Stage::New)
    }
}

/// The custom segment of the customers no rule of `segments.rules` matches.
pub const OTHERS: (&str, &str) = ("Others", "其他");

/// The default ladder grades (`grades.ladder`) in Chinese; a name of the user's own is kept as given.
pub fn ladder_name_zh(name: &str) -> &str {
    DEFAULT_LADDER
        .iter()
        .find(|(en, _)| *en == name)
        .map_or(name, |(_, zh)| zh)
}

/// The default ladder grades' names, English and Chinese.
pub const DEFAULT_LADDER: [(&str, &str); 5] = [
    ("VIP", "VIP"),
    ("Gold", "金牌"),
    ("Silver", "银牌"),
    ("Bronze", "铜牌"),
    ("Regular", "普通"),
];

/// One label value for the page: its code and both names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelEntry {
    /// Stable machine code.
    pub code: &'static str,
    /// English name.
    pub en: &'static str,
    /// Chinese name.
    pub zh: &'static str,
}

/// Every label vocabulary by kind (`cn8`, `rfm11`, `abc`, `lifecycle`, `activity`, `flag`,
/// `risk`, `reason`), so a page can show any label in either language from its code.
#[cfg(not(target_arch = "wasm32"))]
pub fn catalog() -> std::collections::BTreeMap<&'static str, Vec<LabelEntry>> {
    std::collections::BTreeMap::from([
        ("cn8", Cn8::entries()),
        ("rfm11", Rfm11::entries()),
        ("abc", Abc::entries()),
        ("lifecycle", Stage::entries()),
        ("activity", Activity::entries()),
        ("flag", Flag::entries()),
        ("risk", Risk::entries()),
        ("reason", Reason::entries()),
    ])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_names_present() {
        for (kind, entries) in catalog() {
            let mut seen = std::collections::HashSet::new();
            for e in &entries {
                assert!(seen.insert(e.code), "{kind}: duplicate code {}", e.code);
                assert!(
                    e.code
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                    "{kind}: {}",
                    e.code
                );
                assert!(!e.en.is_empty() && !e.zh.is_empty(), "{kind}: {}", e.code);
                assert!(!e.zh.is_ascii(), "{kind}: {} has no Chinese name", e.code);
            }
        }
    }

    #[test]
    fn cn8_bits_and_flags() {
        assert_eq!(Cn8::of(true, true, true), Cn8::ImportantValue);
        assert_eq!(Cn8::of(false, false, true), Cn8::ImportantWinBack);
        assert_eq!(Cn8::of(true, false, false), Cn8::GeneralDevelopment);
        let mut f = Flags::NONE;
        f.insert(Flag::Signal);
        f.insert(Flag::Inactive);
        assert_eq!(f.0, 0b10001);
        assert_eq!(f.iter().collect::<Vec<_>>(), [Flag::Inactive, Flag::Signal]);
        assert_eq!(Action::Stage(Stage::OneTime).key(), "one_time");
        assert_eq!(Action::Cn8(Cn8::GeneralValue).key(), "General Value");
        assert_eq!(std::mem::size_of::<Option<Cn8>>(), 1);
    }
}
