//! Percentages, and lists of shares whose percentages add up to 100.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::problem::{Problem, Problems, Rule};

/// The tolerance on a sum of percentages, as in the IATI rules.
pub const SUM_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// A percentage between 0 and 100 inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(Decimal);

impl Percent {
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    pub fn new(value: Decimal) -> Result<Percent, Problem> {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            return Err(Problem::new("", Some(&value.to_string()), Rule::PercentRange));
        }
        Ok(Percent(value.normalize()))
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    /// The share as a fraction, 0–1.
    pub fn fraction(self) -> Decimal {
        // 0–100 divided by a nonzero constant: exact, cannot fail.
        self.0.checked_div(Decimal::ONE_HUNDRED).unwrap_or(Decimal::ZERO)
    }
}

stored_as_text!(Percent, |p| &p.0.to_string(), Percent::from_str);

impl FromStr for Percent {
    type Err = Problem;

    fn from_str(s: &str) -> Result<Percent, Problem> {
        let d = Decimal::from_str(s.trim())
            .map_err(|_| Problem::new("", Some(s), Rule::Format { expected: crate::problem::Expected::Percent }))?;
        Percent::new(d)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Checks that the percentages of every group add up to 100 within [`SUM_TOLERANCE`].
///
/// `items` yields `(group, percent)`; the group is a vocabulary (DAC, SDG…) or one name for a
/// whole list. The problem names the group and the sum found, at `path`.
pub fn check_sums<'a>(path: &str, items: impl IntoIterator<Item = (&'a str, Percent)>) -> Result<(), Problems> {
    let mut sums: Vec<(&str, Decimal)> = Vec::new();
    for (group, p) in items {
        match sums.iter_mut().find(|(g, _)| *g == group) {
            Some((_, s)) => *s = s.saturating_add(p.value()),
            None => sums.push((group, p.value())),
        }
    }
    let mut problems = Problems::new();
    for (group, sum) in sums {
        if sum.saturating_sub(Decimal::ONE_HUNDRED).abs() > SUM_TOLERANCE {
            problems.add(path, None, Rule::PercentSum { group: group.to_owned(), sum: sum.normalize() });
        }
    }
    problems.finish(|| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Percent {
        s.parse().unwrap()
    }

    #[test]
    fn percent_is_bounded() {
        assert!("100".parse::<Percent>().is_ok());
        assert!("0".parse::<Percent>().is_ok());
        assert!("100.01".parse::<Percent>().is_err());
        assert!("-1".parse::<Percent>().is_err());
        assert!("abc".parse::<Percent>().is_err());
    }

    #[test]
    fn sums_per_group_within_tolerance() {
        assert!(check_sums("s", [("dac", p("33.33")), ("dac", p("33.33")), ("dac", p("33.33"))]).is_ok());
        assert!(check_sums("s", [("dac", p("60")), ("sdg", p("100")), ("dac", p("40"))]).is_ok());
        let err = check_sums("sectors", [("dac", p("60")), ("dac", p("30"))]).unwrap_err();
        assert_eq!(err.0[0].path, "sectors");
        assert_eq!(err.0[0].rule, Rule::PercentSum { group: "dac".into(), sum: Decimal::from(90) });
        assert!(check_sums("s", [("dac", p("99.98"))]).is_err());
        assert!(check_sums("s", [("dac", p("99.99"))]).is_ok());
    }
}
