//! Whose geography: the places of an activity's partners, seen from the home country. For a
//! country that both gives and receives, "where" means the partner's side — where cooperation
//! went, where it came from — never the home country itself.
//!
//! - **Given**: the recipient countries and regions of the activity, by their percentages
//!   (the home country left out); without any, the countries of the participants that are not
//!   of the home country and do not give (the recipients, implementers), in equal parts.
//!   Co-providers — the second provider of triangular cooperation given — are partners as
//!   organisations (the partner report), not the place cooperation went to.
//! - **Received**: the countries of the participants that give (provider, first and second
//!   provider, funding, extending) and are not of the home country, in equal parts: where it
//!   came from, the providers of triangular cooperation received included.
//! - **Both ways**: each side's partners, each side half of the activity (all of it when the
//!   other side names none).
//! - **Neither** (an activity that does not involve the home country, as imported): the
//!   given rule — the places it went to.
//!
//! An international organisation has no country of its own (its seat or its office in the
//! home country does not make it of that country): it is a partner of its own kind,
//! [`PartnerPlace::Multilateral`], with its own row in the country and region reports — also
//! for regional bodies such as the European Union, until organisations record a region. A
//! partner organisation without a country that is not international adds nothing; an activity
//! without any known partner is "not specified".

use coopera_domain::code::{CountryCode, RegionCode};
use coopera_domain::kinds::{Direction, Role};
use rust_decimal::Decimal;

/// The key of the row of international organisations in the partner reports.
pub const MULTILATERAL: &str = "multilateral";

/// A participating organisation, as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    pub role: Role,
    /// Of the home country: its country, and not an international organisation.
    pub home: bool,
    /// An international organisation.
    pub international: bool,
    pub country: Option<CountryCode>,
}

impl Party {
    /// Where this organisation is as a partner: its country, or "multilateral".
    fn place(&self) -> Option<PartnerPlace> {
        if self.international {
            return Some(PartnerPlace::Multilateral);
        }
        self.country.map(PartnerPlace::Country)
    }
}

/// Where a partner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartnerPlace {
    Country(CountryCode),
    /// A share of the activity given to a region rather than a country.
    Region(RegionCode),
    /// International organisations.
    Multilateral,
}

/// What the rule reads of an activity.
#[derive(Debug, Clone, Copy)]
pub struct Activity<'a> {
    pub direction: Option<Direction>,
    /// Recipient countries and regions with their percentages.
    pub countries: &'a [(CountryCode, Decimal)],
    pub regions: &'a [(RegionCode, Decimal)],
    pub parties: &'a [Party],
    pub home: CountryCode,
}

/// The places of the partners of `a`, each with the part of the activity it takes (the parts
/// add up to one), into `out` (cleared first; left empty when no partner is known). Called
/// once per activity when a snapshot loads, so it allocates nothing beyond `out`.
pub fn partner_places(a: &Activity<'_>, out: &mut Vec<(PartnerPlace, Decimal)>) {
    out.clear();
    let gives = matches!(a.direction, Some(Direction::Given | Direction::Both) | None);
    let receives = matches!(a.direction, Some(Direction::Received | Direction::Both));
    // Each side's places with their raw weights, one after the other in `out`.
    if gives {
        let places = a.countries.iter().filter(|(c, _)| *c != a.home).map(|(c, pct)| (PartnerPlace::Country(*c), *pct));
        out.extend(places.chain(a.regions.iter().map(|(r, pct)| (PartnerPlace::Region(*r), *pct))));
        if out.is_empty() {
            out.extend(equal(a.parties.iter().filter(|p| !p.home && !p.role.gives())));
        }
    }
    let given = out.len();
    if receives {
        out.extend(equal(a.parties.iter().filter(|p| !p.home && p.role.gives())));
    }
    let sides = [0..given, given..out.len()];
    let n = Decimal::from(sides.iter().filter(|s| !s.is_empty()).count());
    for side in sides {
        let entries = &mut out[side];
        let total = crate::sum(entries.iter().map(|p| p.1.max(Decimal::ZERO)));
        let count = Decimal::from(entries.len());
        for (_, weight) in entries.iter_mut() {
            // A side whose percentages add up to nothing is taken in equal parts.
            let part = if total > Decimal::ZERO {
                (*weight).max(Decimal::ZERO).checked_div(total)
            } else {
                Decimal::ONE.checked_div(count)
            };
            *weight = part.and_then(|p| p.checked_div(n)).unwrap_or(Decimal::ZERO);
        }
    }
    // One entry per place: a partner on both sides, or named twice, adds up.
    let mut kept = 0;
    for i in 0..out.len() {
        let (place, weight) = out[i];
        match out[..kept].iter_mut().find(|(p, _)| *p == place) {
            Some((_, w)) => *w = w.saturating_add(weight),
            None => {
                out[kept] = (place, weight);
                kept = kept.saturating_add(1);
            }
        }
    }
    out.truncate(kept);
}

/// The places of `parties`, one equal part each (an organisation's place counts once per
/// organisation: two German agencies give Germany two parts).
fn equal<'a>(parties: impl Iterator<Item = &'a Party>) -> impl Iterator<Item = (PartnerPlace, Decimal)> {
    parties.filter_map(Party::place).map(|p| (p, Decimal::ONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(c: &str) -> CountryCode {
        CountryCode::parse(c).unwrap()
    }

    fn party(role: Role, country_code: Option<&str>, international: bool) -> Party {
        let c = country_code.map(country);
        Party { role, home: c.is_some_and(|c| c.as_str() == "MX") && !international, international, country: c }
    }

    /// (place, part) with places written as keys: `GT`, `r:1032`, `multilateral`.
    fn places(
        direction: Option<Direction>,
        countries: &[(&str, i64)],
        regions: &[(&str, i64)],
        parties: &[Party],
    ) -> Vec<(String, Decimal)> {
        let countries: Vec<(CountryCode, Decimal)> =
            countries.iter().map(|(c, p)| (country(c), Decimal::from(*p))).collect();
        let regions: Vec<(RegionCode, Decimal)> =
            regions.iter().map(|(r, p)| (RegionCode::parse(r).unwrap(), Decimal::from(*p))).collect();
        let a = Activity { direction, countries: &countries, regions: &regions, parties, home: country("MX") };
        let mut out = Vec::new();
        partner_places(&a, &mut out);
        out.into_iter()
            .map(|(p, w)| {
                let key = match p {
                    PartnerPlace::Country(c) => c.as_str().to_owned(),
                    PartnerPlace::Region(r) => format!("r:{}", r.as_str()),
                    PartnerPlace::Multilateral => MULTILATERAL.to_owned(),
                };
                (key, w.normalize())
            })
            .collect()
    }

    /// (name, places found, places expected).
    type Case<'a> = (&'a str, Vec<(String, Decimal)>, Vec<(&'a str, Decimal)>);

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn each_direction_has_its_partners() {
        use Role::*;
        let amexcid = party(Provider, Some("MX"), false);
        let amexcid_receives = party(Recipient, Some("MX"), false);
        let guatemala = party(Recipient, Some("GT"), false);
        let giz = party(Provider, Some("DE"), false);
        let undp = party(Provider, None, true);
        let jica_second = party(SecondProvider, Some("JP"), false);
        let cases: Vec<Case<'_>> = vec![
            // Given: the recipient places by percentage.
            (
                "given to GT 75, HN 25",
                places(Some(Direction::Given), &[("GT", 75), ("HN", 25)], &[], &[amexcid, guatemala]),
                vec![("GT", d("0.75")), ("HN", d("0.25"))],
            ),
            (
                "given to a region",
                places(Some(Direction::Given), &[], &[("1032", 100)], &[amexcid]),
                vec![("r:1032", d("1"))],
            ),
            // Triangular given: the recipient, not the second provider's country.
            (
                "triangular given",
                places(
                    Some(Direction::Given),
                    &[("HN", 100)],
                    &[],
                    &[party(FirstProvider, Some("MX"), false), jica_second, guatemala],
                ),
                vec![("HN", d("1"))],
            ),
            // Without places: the recipient organisations; an international one is multilateral.
            (
                "given without places",
                places(Some(Direction::Given), &[], &[], &[amexcid, guatemala, party(Recipient, None, true)]),
                vec![("GT", d("0.5")), ("multilateral", d("0.5"))],
            ),
            // Received: the providers, never Mexico (the recipient country of IATI's view).
            (
                "received from GIZ",
                places(Some(Direction::Received), &[("MX", 100)], &[], &[giz, amexcid_receives]),
                vec![("DE", d("1"))],
            ),
            (
                "received from UNDP and GIZ",
                places(Some(Direction::Received), &[("MX", 100)], &[], &[undp, giz, amexcid_receives]),
                vec![("multilateral", d("0.5")), ("DE", d("0.5"))],
            ),
            // Triangular received: first and second providers both.
            (
                "triangular received",
                places(
                    Some(Direction::Received),
                    &[("MX", 100)],
                    &[],
                    &[party(FirstProvider, Some("BR"), false), jica_second, amexcid_receives],
                ),
                vec![("BR", d("0.5")), ("JP", d("0.5"))],
            ),
            // Both ways: an exchange with Costa Rica, 50/50 with Mexico: Costa Rica on both sides.
            (
                "exchange",
                places(
                    Some(Direction::Both),
                    &[("CR", 50), ("MX", 50)],
                    &[],
                    &[
                        amexcid,
                        party(Provider, Some("CR"), false),
                        amexcid_receives,
                        party(Recipient, Some("CR"), false),
                    ],
                ),
                vec![("CR", d("1"))],
            ),
            // Both ways with different partners: half each side.
            (
                "both, different sides",
                places(Some(Direction::Both), &[("GT", 100)], &[], &[amexcid, giz, amexcid_receives, guatemala]),
                vec![("GT", d("0.5")), ("DE", d("0.5"))],
            ),
            // Received from no known partner: nothing (the report's "not specified").
            (
                "received from nobody known",
                places(Some(Direction::Received), &[("MX", 100)], &[], &[amexcid_receives]),
                vec![],
            ),
            // An activity that does not involve Mexico: where it went.
            ("neither", places(None, &[("PE", 100)], &[], &[giz]), vec![("PE", d("1"))]),
        ];
        for (name, got, want) in cases {
            let want: Vec<(String, Decimal)> = want.into_iter().map(|(k, w)| (k.to_owned(), w)).collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
