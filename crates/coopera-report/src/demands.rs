//! The catalog's demand report: how partners' demands move through their workflow — how
//! many stand in each state, the share answered (capacities proposed), and the cycle times
//! from reception to answer and to agreement, in days.

use coopera_domain::catalog::Demand;
use coopera_domain::kinds::DemandState;
use rust_decimal::Decimal;
use time::Date;

use crate::ReportError;
use coopera_store::Store;

/// Days from reception to a step, over the demands that have both dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cycle {
    /// Demands with both dates.
    pub demands: u64,
    pub median_days: Option<Decimal>,
    pub mean_days: Option<Decimal>,
}

impl Cycle {
    fn of(mut days: Vec<i64>) -> Cycle {
        days.sort_unstable();
        let n = days.len();
        let demands = u64::try_from(n).unwrap_or(u64::MAX);
        if n == 0 {
            return Cycle { demands, median_days: None, mean_days: None };
        }
        let mid = n / 2;
        let median = match (n % 2, days.get(mid), mid.checked_sub(1).and_then(|m| days.get(m))) {
            (1, Some(&d), _) => Decimal::from(d),
            (_, Some(&hi), Some(&lo)) => {
                Decimal::from(hi).saturating_add(Decimal::from(lo)).checked_div(Decimal::TWO).unwrap_or_default()
            }
            _ => Decimal::ZERO,
        };
        let sum = days.iter().fold(Decimal::ZERO, |acc, &d| acc.saturating_add(Decimal::from(d)));
        let mean = sum.checked_div(Decimal::from(demands)).unwrap_or(Decimal::ZERO).round_dp(1);
        Cycle { demands, median_days: Some(median.normalize()), mean_days: Some(mean.normalize()) }
    }
}

/// The demand report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandFlow {
    pub demands: u64,
    /// Every state, in workflow order, with its count (zero included).
    pub by_state: Vec<StateCount>,
    /// Demands answered or past it (agreed, closed): capacities were proposed.
    pub answered: u64,
    /// `answered` as a percentage of all demands, two decimals; none without demands.
    pub answered_share: Option<Decimal>,
    pub to_answer: Cycle,
    pub to_agreement: Cycle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateCount {
    pub state: &'static str,
    pub label_es: &'static str,
    pub label_en: &'static str,
    pub demands: u64,
}

fn days(from: Option<Date>, to: Option<Date>) -> Option<i64> {
    Some(i64::from(to?.to_julian_day()).saturating_sub(i64::from(from?.to_julian_day())))
}

impl DemandFlow {
    pub fn of(demands: &[Demand]) -> DemandFlow {
        let count = |f: &dyn Fn(&Demand) -> bool| u64::try_from(demands.iter().filter(|d| f(d)).count()).unwrap_or(0);
        let by_state = DemandState::ALL
            .iter()
            .map(|&s| StateCount {
                state: s.code(),
                label_es: s.label(coopera_domain::Lang::Es),
                label_en: s.label(coopera_domain::Lang::En),
                demands: count(&|d| d.parts().state == s),
            })
            .collect();
        let answered = count(&|d| d.parts().state.was_answered());
        let total = u64::try_from(demands.len()).unwrap_or(0);
        let answered_share = (total > 0).then(|| {
            Decimal::from(answered)
                .saturating_mul(Decimal::ONE_HUNDRED)
                .checked_div(Decimal::from(total))
                .unwrap_or_default()
                .round_dp(2)
        });
        let to_answer = demands.iter().filter_map(|d| days(d.parts().received, d.parts().answered)).collect();
        let to_agreement = demands.iter().filter_map(|d| days(d.parts().received, d.parts().agreed)).collect();
        DemandFlow {
            demands: total,
            by_state,
            answered,
            answered_share: answered_share.map(|s| s.normalize()),
            to_answer: Cycle::of(to_answer),
            to_agreement: Cycle::of(to_agreement),
        }
    }
}

impl Cycle {
    /// As JSON: `{"demands", "median_days", "mean_days"}`, numbers or null.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "demands": self.demands,
            "median_days": self.median_days.map(number),
            "mean_days": self.mean_days.map(number),
        })
    }
}

fn number(d: Decimal) -> serde_json::Value {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().map_or(serde_json::Value::Null, serde_json::Value::from)
}

impl DemandFlow {
    /// As JSON, for `coopera catalog report --format json` and the API.
    pub fn json(&self) -> serde_json::Value {
        let states: Vec<_> = self
            .by_state
            .iter()
            .map(|s| serde_json::json!({"state": s.state, "label_es": s.label_es, "label_en": s.label_en, "demands": s.demands}))
            .collect();
        serde_json::json!({
            "demands": self.demands,
            "by_state": states,
            "answered": self.answered,
            "answered_share": self.answered_share.map(number),
            "to_answer": self.to_answer.json(),
            "to_agreement": self.to_agreement.json(),
        })
    }
}

/// The demand report of the registry.
pub fn demand_flow(store: &Store) -> Result<DemandFlow, ReportError> {
    Ok(DemandFlow::of(&store.demands()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_means_by_hand() {
        assert_eq!(Cycle::of(vec![]), Cycle { demands: 0, median_days: None, mean_days: None });
        let odd = Cycle::of(vec![30, 10, 20]);
        assert_eq!((odd.median_days, odd.mean_days), (Some(Decimal::from(20)), Some(Decimal::from(20))));
        let even = Cycle::of(vec![10, 21, 40, 3]);
        assert_eq!(even.median_days, Some(Decimal::new(155, 1)));
        assert_eq!(even.mean_days, Some(Decimal::new(185, 1)));
    }
}
