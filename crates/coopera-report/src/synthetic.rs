//! Synthetic registries for benchmarks and load tests: any number of realistic activities,
//! the same for the same seed, with every dimension reports read populated.
//!
//! The mix follows the seed's picture of Mexican cooperation: most cooperation given goes to
//! Central America, then South America and the Caribbean; sector groups weigh 20 % environment
//! and 15 % each government, education and agriculture; cooperation received comes from
//! bilateral donors (in their currencies) and international organisations; triangular
//! cooperation pairs a Mexican first provider with a second provider from the North; states
//! and municipalities cooperate directly, some across the northern and southern borders.
//! One pair of activities in twenty describes the same flow twice — the donor's record with a
//! disbursement to the Mexican activity, and the Mexican record of the incoming funds naming
//! the donor's activity — so that reports have flows to merge.
//!
//! Keys start with `syn-` (organisations) and `SYN-` (activities): a synthetic registry can
//! share a database with real records and is easy to tell apart. The data is invented.
//!
//! Its arithmetic runs on the generator's own small counters and constants, never on input,
//! so the crate's overflow lint is lifted here.
#![allow(clippy::arithmetic_side_effects)]

use coopera_domain::activity::{
    Activity, ActivityDates, ActivityParts, Budget, CountryShare, CrossBorder, InKind, Money, MxPlace, Participant,
    RegionShare, RelatedActivity, Schemes, Sdg, SectorRef, SectorShare, Transaction, TransactionParty,
};
use coopera_domain::code::{
    ActivityStatusCode, CountryCode, CurrencyCode, MxMunicipalityCode, MxStateCode, OrganisationTypeCode, RegionCode,
    RelatedActivityTypeCode, SdgGoalCode, SectorCode, TransactionTypeCode,
};
use coopera_domain::ids::{ActivityKey, OrgKey};
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, InKindUnit, Instrument, Level, Modality, Role, WorkflowState,
};
use coopera_domain::organisation::{Organisation, OrganisationParts};
use coopera_domain::share::Percent;
use coopera_domain::text::Text;
use coopera_store::Record;
use rust_decimal::Decimal;
use time::{Date, Month};

/// The generator could not build a record (a defect of its tables, caught by its tests).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("synthetic data: {0}")]
pub struct SyntheticError(String);

fn fail(what: impl std::fmt::Display) -> SyntheticError {
    SyntheticError(what.to_string())
}

/// SplitMix64: small, fast and good enough to invent data; the same seed gives the same data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 ≤ n < `below`.
    fn below(&mut self, below: u64) -> u64 {
        self.next() % below.max(1)
    }

    fn range(&mut self, from: i64, to: i64) -> i64 {
        from + self.below((to - from + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An item of `(weight, item)` pairs, by weight.
    fn weighted<'a, T>(&mut self, items: &'a [(u32, T)]) -> &'a T {
        let total: u64 = items.iter().map(|i| u64::from(i.0)).sum();
        let mut x = self.below(total);
        for (w, item) in items {
            if x < u64::from(*w) {
                return item;
            }
            x -= u64::from(*w);
        }
        &items[items.len() - 1].1
    }
}

/// A sector group: Spanish theme, English theme, DAC codes, SDG goals.
type GroupRow = (&'static str, &'static str, &'static [&'static str], &'static [&'static str]);

/// Sector groups by weight.
const GROUPS: &[(u32, GroupRow)] = &[
    (20, ("medio ambiente", "environment", &["41010", "41020", "41030", "41081", "41082"], &["13", "15"])),
    (15, ("gobierno", "government", &["15110", "15111", "15112", "15130", "15150", "15160", "15170"], &["16"])),
    (15, ("educación", "education", &["11110", "11120", "11130", "11220", "11230", "11231", "11330", "11420"], &["4"])),
    (
        15,
        (
            "agricultura",
            "agriculture",
            &["31110", "31120", "31130", "31140", "31161", "31192", "31220", "31320"],
            &["2"],
        ),
    ),
    (8, ("salud", "health", &["12110", "12220", "12230", "12240", "12261"], &["3"])),
    (6, ("agua", "water", &["14010", "14020", "14030", "14040", "14050"], &["6"])),
    (4, ("desarrollo social", "social development", &["16010", "16020", "16061", "16062"], &["1", "10"])),
    (4, ("transporte", "transport", &["21010", "21020"], &["9"])),
    (4, ("energía", "energy", &["23110", "23210", "23230"], &["7"])),
    (4, ("empresa", "business", &["25010", "25020"], &["8"])),
    (3, ("industria", "industry", &["32110", "32120"], &["9"])),
    (2, ("multisectorial", "multisector", &["43010", "43030", "43040"], &["11"])),
    (2, ("humanitaria", "humanitarian", &["72010", "72040", "74020"], &["1"])),
];

/// Where cooperation given goes, by weight.
const RECIPIENTS: &[(u32, &str)] = &[
    (14, "GT"),
    (9, "HN"),
    (8, "SV"),
    (5, "NI"),
    (4, "CR"),
    (3, "PA"),
    (2, "BZ"),
    (4, "CU"),
    (3, "DO"),
    (4, "HT"),
    (2, "JM"),
    (1, "TT"),
    (6, "CO"),
    (5, "PE"),
    (4, "BO"),
    (3, "EC"),
    (2, "AR"),
    (2, "BR"),
    (2, "CL"),
    (1, "PY"),
    (1, "UY"),
    (1, "KE"),
    (1, "ET"),
    (1, "MZ"),
    (1, "GH"),
    (1, "SN"),
    (1, "VN"),
    (1, "ID"),
    (1, "PH"),
    (1, "TL"),
    (1, "FJ"),
    (1, "JO"),
    (1, "PS"),
    (2, "UA"),
    (1, "MD"),
];

/// Bilateral donors: (country, currency).
const DONORS: &[(&str, &str)] = &[
    ("DE", "EUR"),
    ("JP", "JPY"),
    ("ES", "EUR"),
    ("US", "USD"),
    ("KR", "KRW"),
    ("CA", "CAD"),
    ("FR", "EUR"),
    ("GB", "GBP"),
    ("CH", "CHF"),
];

/// International organisations: (key suffix, name, currency).
const INTERNATIONAL: &[(&str, &str, &str)] = &[
    ("undp", "Programa de las Naciones Unidas para el Desarrollo", "USD"),
    ("cepal", "Comisión Económica para América Latina y el Caribe", "USD"),
    ("fao", "Organización de las Naciones Unidas para la Alimentación y la Agricultura", "USD"),
    ("iadb", "Banco Interamericano de Desarrollo", "USD"),
    ("oas", "Organización de los Estados Americanos", "USD"),
    ("eu", "Unión Europea", "EUR"),
];

const FEDERAL: &[&str] = &[
    "amexcid", "conafor", "senasica", "inea", "conagua", "imta", "salud", "sep", "sader", "semarnat", "cenapred",
    "conacyt", "inegi", "imss", "inah", "profepa",
];

const SOUTH_BORDER_STATES: &[&str] = &["07", "27", "04", "23"];
const NORTH_BORDER_STATES: &[&str] = &["02", "26", "08", "05", "19", "28"];

/// Checked codes, parsed once.
#[derive(Debug)]
struct Codes {
    groups: Vec<(u32, Group)>,
    recipients: Vec<(u32, CountryCode)>,
    donors: Vec<(CountryCode, CurrencyCode)>,
    international: Vec<CurrencyCode>,
    mx: CountryCode,
    us: CountryCode,
    gt: CountryCode,
    bz: CountryCode,
    mxn: CurrencyCode,
    usd: CurrencyCode,
    regions: Vec<RegionCode>,
    status: Vec<(u32, ActivityStatusCode)>,
    tx: [TransactionTypeCode; 5],
    parent: RelatedActivityTypeCode,
}

#[derive(Debug)]
struct Group {
    es: &'static str,
    en: &'static str,
    sectors: Vec<SectorCode>,
    sdgs: Vec<SdgGoalCode>,
}

fn parse<T>(what: &str, value: &str, f: fn(&str) -> Result<T, coopera_domain::Problem>) -> Result<T, SyntheticError> {
    f(value).map_err(|p| fail(format!("{what} {value}: {p}")))
}

impl Codes {
    fn new() -> Result<Codes, SyntheticError> {
        let groups = GROUPS
            .iter()
            .map(|(w, (es, en, sectors, sdgs))| {
                Ok((
                    *w,
                    Group {
                        es,
                        en,
                        sectors: sectors
                            .iter()
                            .map(|c| parse("sector", c, SectorCode::parse))
                            .collect::<Result<_, _>>()?,
                        sdgs: sdgs.iter().map(|c| parse("sdg", c, SdgGoalCode::parse)).collect::<Result<_, _>>()?,
                    },
                ))
            })
            .collect::<Result<_, SyntheticError>>()?;
        let country = |c: &str| parse("country", c, CountryCode::parse);
        let currency = |c: &str| parse("currency", c, CurrencyCode::parse);
        let tx = |c: &str| parse("transaction type", c, TransactionTypeCode::parse);
        Ok(Codes {
            groups,
            recipients: RECIPIENTS.iter().map(|(w, c)| Ok((*w, country(c)?))).collect::<Result<_, SyntheticError>>()?,
            donors: DONORS
                .iter()
                .map(|(c, m)| Ok((country(c)?, currency(m)?)))
                .collect::<Result<_, SyntheticError>>()?,
            international: INTERNATIONAL.iter().map(|i| currency(i.2)).collect::<Result<_, _>>()?,
            mx: country("MX")?,
            us: country("US")?,
            gt: country("GT")?,
            bz: country("BZ")?,
            mxn: currency("MXN")?,
            usd: currency("USD")?,
            regions: ["1032", "1031", "489"]
                .iter()
                .map(|r| parse("region", r, RegionCode::parse))
                .collect::<Result<_, _>>()?,
            status: [(5, "1"), (45, "2"), (15, "3"), (32, "4"), (2, "5"), (1, "6")]
                .iter()
                .map(|(w, s)| Ok((*w, parse("status", s, ActivityStatusCode::parse)?)))
                .collect::<Result<_, SyntheticError>>()?,
            tx: [tx("1")?, tx("2")?, tx("3")?, tx("4")?, tx("11")?],
            parent: parse("related activity type", "1", RelatedActivityTypeCode::parse)?,
        })
    }
}

fn key(s: &str) -> Result<OrgKey, SyntheticError> {
    parse("organisation key", s, OrgKey::parse)
}

fn gov_key(country: CountryCode) -> String {
    format!("syn-gov-{}", country.as_str().to_lowercase())
}

fn donor_key(country: CountryCode) -> String {
    format!("syn-donor-{}", country.as_str().to_lowercase())
}

/// The first INEGI municipality of a state (Mexico City's start at 002).
fn first_municipality(state: &str) -> String {
    coopera_domain::codelists::MX_MUNICIPALITY
        .codes
        .iter()
        .find(|m| m.category == Some(state))
        .map_or_else(|| format!("{state}001"), |m| m.code.to_owned())
}

/// The identifier of the `k`-th synthetic activity.
pub fn activity_id(k: usize) -> String {
    format!("SYN-{k:07}")
}

/// A deterministic generator of `len` activities.
#[derive(Debug)]
pub struct Synthetic {
    seed: u64,
    len: usize,
    codes: Codes,
}

/// What one activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Given,
    Received,
    Triangular,
    Decentralised,
    /// The donor's record of a flow the next activity records as incoming.
    PairProvider,
    /// The Mexican record of the incoming funds of the previous activity.
    PairReceiver,
}

impl Synthetic {
    pub fn new(len: usize, seed: u64) -> Result<Synthetic, SyntheticError> {
        Ok(Synthetic { seed, len, codes: Codes::new()? })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The organisations every synthetic activity refers to.
    pub fn organisations(&self) -> Result<Vec<Record>, SyntheticError> {
        let c = &self.codes;
        let mut out = Vec::new();
        let mut add = |key_text: String,
                       name: String,
                       kind: &str,
                       level: Level,
                       country: Option<CountryCode>,
                       state: Option<&str>,
                       municipality: Option<&str>|
         -> Result<(), SyntheticError> {
            let parts = OrganisationParts {
                key: key(&key_text)?,
                iati_ref: None,
                name: Text::es_en(&name, &name),
                acronym: None,
                kind: parse("organisation type", kind, OrganisationTypeCode::parse)?,
                level,
                country,
                mx_state: state.map(|s| parse("state", s, MxStateCode::parse)).transpose()?,
                mx_municipality: municipality
                    .map(|m| parse("municipality", m, MxMunicipalityCode::parse))
                    .transpose()?,
                parent: None,
            };
            let org = Organisation::new(parts).map_err(|p| fail(format!("{key_text}: {p}")))?;
            out.push(Record::Organisation(org));
            Ok(())
        };
        for f in FEDERAL {
            add(
                format!("syn-mx-{f}"),
                format!("{} (sintético)", f.to_uppercase()),
                "10",
                Level::Federal,
                Some(c.mx),
                None,
                None,
            )?;
        }
        for state in coopera_domain::codelists::MX_STATE.codes {
            let name = format!("Gobierno del estado de {} (sintético)", state.name_es);
            add(format!("syn-mx-edo-{}", state.code), name, "10", Level::State, Some(c.mx), Some(state.code), None)?;
            let municipality = first_municipality(state.code);
            let name = format!("Municipio {municipality} de {} (sintético)", state.name_es);
            add(
                format!("syn-mx-mun-{municipality}"),
                name,
                "10",
                Level::Municipal,
                Some(c.mx),
                Some(state.code),
                Some(&municipality),
            )?;
        }
        for (_, country) in &c.recipients {
            let name = format!("Gobierno de {} (sintético)", country.entry().name_es);
            add(gov_key(*country), name, "10", Level::ForeignGovernment, Some(*country), None, None)?;
        }
        let recipients: Vec<CountryCode> = c.recipients.iter().map(|r| r.1).collect();
        for country in [c.us, c.gt, c.bz] {
            let k = gov_key(country);
            if !recipients.contains(&country) {
                let name = format!("Gobierno de {} (sintético)", country.entry().name_es);
                add(k, name, "10", Level::ForeignGovernment, Some(country), None, None)?;
            }
        }
        for (country, _) in &c.donors {
            let name = format!("Agencia de cooperación de {} (sintético)", country.entry().name_es);
            add(donor_key(*country), name, "10", Level::ForeignGovernment, Some(*country), None, None)?;
        }
        for (suffix, name, _) in INTERNATIONAL {
            add(
                format!("syn-int-{suffix}"),
                format!("{name} (sintético)"),
                "40",
                Level::International,
                None,
                None,
                None,
            )?;
        }
        Ok(out)
    }

    fn kind(&self, k: usize, rng: &mut Rng) -> Kind {
        // One pair in twenty: activities 2p and 2p + 1 with p % 20 == 7.
        if (k / 2) % 20 == 7 && (k | 1) < self.len {
            return if k.is_multiple_of(2) { Kind::PairProvider } else { Kind::PairReceiver };
        }
        *rng.weighted(&[(55, Kind::Given), (22, Kind::Received), (10, Kind::Triangular), (13, Kind::Decentralised)])
    }

    /// Activities `range` (by index, `0..len`), as records.
    pub fn activities(&self, range: std::ops::Range<usize>) -> Result<Vec<Record>, SyntheticError> {
        range.filter(|k| *k < self.len).map(|k| self.activity(k).map(|a| Record::Activity(Box::new(a)))).collect()
    }

    /// The `k`-th activity: what every kind has (theme, dates, status, instrument…), then what
    /// its kind adds (participants, places, money). The steps draw from one random stream in a
    /// fixed order, so the same seed gives the same activity.
    fn activity(&self, k: usize) -> Result<Activity, SyntheticError> {
        let mut rng = Rng::new(self.seed, k as u64);
        let kind = self.kind(k, &mut rng);
        // A pair shares what both records say of the flow.
        let mut shared = Rng::new(self.seed ^ 0xA5A5, (k / 2) as u64);
        let rng = if matches!(kind, Kind::PairProvider | Kind::PairReceiver) { &mut shared } else { &mut rng };
        let mut draft = self.draft(k, rng)?;
        match kind {
            Kind::Given => self.given(&mut draft.parts, rng)?,
            Kind::Triangular => self.triangular(&mut draft.parts, rng)?,
            Kind::Received | Kind::PairProvider | Kind::PairReceiver => self.received(&mut draft, kind, rng)?,
            Kind::Decentralised => self.decentralised(&mut draft.parts, rng)?,
        }
        Activity::new(draft.parts).map_err(|p| fail(format!("{}: {p}", activity_id(k))))
    }

    /// What every activity has: a theme and its sectors and SDGs, dates and status, instrument
    /// and type of cooperation; reported by AMEXCID as bilateral cooperation until its kind
    /// says otherwise.
    fn draft(&self, k: usize, rng: &mut Rng) -> Result<Draft, SyntheticError> {
        let c = &self.codes;
        let group = &rng.weighted(&c.groups);
        let year = rng.range(2008, 2024) as i32;
        let months = rng.range(2, 40);
        let start = date(year, rng.range(1, 12) as u8, rng.range(1, 28) as u8)?;
        let end = start + time::Duration::days(months * 30);
        let status = *rng.weighted(&c.status);
        let started = status.as_str() != "1";
        let dates = ActivityDates {
            planned_start: Some(start),
            planned_end: Some(end),
            actual_start: started.then_some(start),
            actual_end: matches!(status.as_str(), "4").then_some(end),
        };
        let sectors = sector_shares(group, rng)?;
        let mut sdgs: Vec<Sdg> = group.sdgs.iter().take(rng.range(1, 2) as usize).map(|g| Sdg::Goal(*g)).collect();
        sdgs.dedup();
        let title = Text::es_en(
            &format!("Cooperación en {} ({})", group.es, activity_id(k)),
            &format!("Cooperation on {} ({})", group.en, activity_id(k)),
        );
        let parts = ActivityParts {
            key: parse("activity id", &activity_id(k), ActivityKey::parse)?,
            folio: None,
            reporting_org: amexcid()?,
            title,
            description: Text::new(),
            objectives: Text::new(),
            instrument: *rng.weighted(&[
                (50, Instrument::Project),
                (25, Instrument::Action),
                (10, Instrument::Programme),
                (10, Instrument::Scholarship),
                (5, Instrument::FinancialCooperation),
            ]),
            cooperation_type: *rng.weighted(&[
                (60, CooperationType::TechnicalScientific),
                (20, CooperationType::EducationalCultural),
                (10, CooperationType::Economic),
                (7, CooperationType::Financial),
                (3, CooperationType::Humanitarian),
            ]),
            modality: Modality::Bilateral,
            schemes: Schemes::default(),
            collaboration_type: None,
            default_currency: None,
            flow_type: None,
            finance_type: None,
            aid_type: None,
            tied_status: None,
            humanitarian: false,
            participants: Vec::new(),
            sectors,
            sdgs,
            policy_markers: Vec::new(),
            tags: Vec::new(),
            countries: Vec::new(),
            regions: Vec::new(),
            mx_places: Vec::new(),
            points: Vec::new(),
            cross_border: None,
            dates,
            status,
            budgets: Vec::new(),
            planned_disbursements: Vec::new(),
            transactions: Vec::new(),
            in_kind: Vec::new(),
            results: Vec::new(),
            related_activities: Vec::new(),
            document_links: Vec::new(),
            good_practice: None,
            workflow: WorkflowState::Published,
        };
        Ok(Draft { k, start, end, parts })
    }

    /// South-South cooperation given: a federal agency provides, AMEXCID accounts for it, a
    /// foreign government receives; money in pesos or dollars, often in kind too.
    fn given(&self, parts: &mut ActivityParts, rng: &mut Rng) -> Result<(), SyntheticError> {
        let c = &self.codes;
        let country = *rng.weighted(&c.recipients);
        parts.participants = vec![
            participant(federal(rng)?, Role::Provider),
            participant(amexcid()?, Role::Accountable),
            participant(key(&gov_key(country))?, Role::Recipient),
        ];
        parts.participants.dedup_by(|a, b| a.org == b.org);
        parts.schemes.south_south = true;
        self.places(parts, country, rng)?;
        let currency = if rng.chance(70) { c.mxn } else { c.usd };
        let scale = if currency == c.mxn { 20 } else { 1 };
        let value = amount(rng, 5_000 * scale, 400_000 * scale);
        money(parts, c, rng, currency, value)?;
        in_kind(parts, c, rng, 80);
        Ok(())
    }

    /// Triangular cooperation: a federal agency first, a donor or an international
    /// organisation second, for a foreign government.
    fn triangular(&self, parts: &mut ActivityParts, rng: &mut Rng) -> Result<(), SyntheticError> {
        let c = &self.codes;
        let country = *rng.weighted(&c.recipients);
        let (second, currency) = self.partner_from_abroad(rng, 75)?;
        parts.modality = Modality::Triangular;
        parts.schemes.south_south = true;
        parts.participants = vec![
            participant(federal(rng)?, Role::FirstProvider),
            participant(second, Role::SecondProvider),
            participant(key(&gov_key(country))?, Role::Recipient),
        ];
        self.places(parts, country, rng)?;
        let value = amount(rng, 10_000, 500_000);
        money(parts, c, rng, currency, value)?;
        in_kind(parts, c, rng, 60);
        Ok(())
    }

    /// A bilateral donor (`percent` % of the time, in its currency) or an international
    /// organisation (in its own).
    fn partner_from_abroad(&self, rng: &mut Rng, percent: u64) -> Result<(OrgKey, CurrencyCode), SyntheticError> {
        let c = &self.codes;
        if rng.chance(percent) {
            let (d, cur) = *rng.pick(&c.donors);
            Ok((key(&donor_key(d))?, cur))
        } else {
            let i = rng.below(INTERNATIONAL.len() as u64) as usize;
            Ok((key(&format!("syn-int-{}", INTERNATIONAL[i].0))?, c.international[i]))
        }
    }

    /// North-South cooperation received by a federal agency, as the agency records it, or as
    /// the two records of a pair: the provider's, with a disbursement to the next activity,
    /// and the agency's, with the incoming funds from the previous one.
    fn received(&self, draft: &mut Draft, kind: Kind, rng: &mut Rng) -> Result<(), SyntheticError> {
        let c = &self.codes;
        let Draft { k, start, end, parts } = draft;
        let (k, start, end) = (*k, *start, *end);
        let (provider, currency) = self.partner_from_abroad(rng, 70)?;
        let recipient = federal(rng)?;
        parts.schemes.north_south = true;
        parts.countries = vec![CountryShare { country: c.mx, percent: Percent::HUNDRED }];
        let value = amount(rng, 20_000, 2_000_000);
        match kind {
            Kind::Received => {
                parts.reporting_org = recipient.clone();
                parts.participants =
                    vec![participant(provider, Role::Provider), participant(recipient, Role::Recipient)];
                money(parts, c, rng, currency, value)?;
            }
            Kind::PairProvider => {
                parts.reporting_org = provider.clone();
                parts.participants =
                    vec![participant(provider, Role::Provider), participant(recipient, Role::Recipient)];
                parts.transactions = vec![
                    tx(c.tx[1], start, value, currency, None, None),
                    tx(c.tx[2], start, value, currency, None, Some(activity_id(k + 1))),
                ];
            }
            _ => {
                parts.reporting_org = recipient.clone();
                parts.participants =
                    vec![participant(provider.clone(), Role::Funding), participant(recipient, Role::Recipient)];
                let incoming = TransactionParty {
                    org: Some(provider),
                    activity: Some(activity_id(k - 1)),
                    ..TransactionParty::default()
                };
                let mut t = tx(c.tx[0], start, value, currency, None, None);
                t.provider = Some(incoming);
                let spent = tx(c.tx[3], end.min(start + time::Duration::days(200)), value, currency, None, None);
                parts.transactions = vec![t, spent];
                parts.related_activities = vec![RelatedActivity { kind: c.parent, identifier: activity_id(k - 1) }];
            }
        }
        Ok(())
    }

    /// Decentralised cooperation: a state or municipal government, some across the northern
    /// or southern border, giving (often in kind) or receiving.
    fn decentralised(&self, parts: &mut ActivityParts, rng: &mut Rng) -> Result<(), SyntheticError> {
        let c = &self.codes;
        let cross = rng.chance(40);
        let north = rng.chance(50);
        let (state, counterpart) = if cross {
            if north {
                (*rng.pick(NORTH_BORDER_STATES), c.us)
            } else {
                (*rng.pick(SOUTH_BORDER_STATES), if rng.chance(80) { c.gt } else { c.bz })
            }
        } else {
            let s = &coopera_domain::codelists::MX_STATE.codes[rng.below(32) as usize];
            (s.code, *rng.weighted(&c.recipients))
        };
        let actor = if rng.chance(70) {
            format!("syn-mx-edo-{state}")
        } else {
            format!("syn-mx-mun-{}", first_municipality(state))
        };
        let actor = key(&actor)?;
        parts.reporting_org = actor.clone();
        parts.instrument = Instrument::Action;
        parts.mx_places = vec![MxPlace { state: parse("state", state, MxStateCode::parse)?, municipality: None }];
        if cross {
            let border = if north { Border::North } else { Border::South };
            parts.cross_border = Some(cross_border(border, rng));
        }
        let foreign = key(&gov_key(counterpart))?;
        if rng.chance(60) {
            parts.participants = vec![participant(actor, Role::Provider), participant(foreign, Role::Recipient)];
            parts.countries = vec![CountryShare { country: counterpart, percent: Percent::HUNDRED }];
            parts.schemes.south_south = counterpart != c.us;
            let value = amount(rng, 50_000, 2_000_000);
            money(parts, c, rng, c.mxn, value)?;
            in_kind(parts, c, rng, 70);
        } else {
            parts.participants = vec![participant(foreign, Role::Provider), participant(actor, Role::Recipient)];
            parts.countries = vec![CountryShare { country: c.mx, percent: Percent::HUNDRED }];
            parts.schemes.north_south = counterpart == c.us;
            let currency = if counterpart == c.us { c.usd } else { c.mxn };
            let value = amount(rng, 5_000, 300_000);
            money(parts, c, rng, currency, value)?;
        }
        Ok(())
    }

    /// Recipient places of cooperation given: one country; some share it with a second
    /// country or with a region, some regional programmes go to a region alone.
    fn places(&self, parts: &mut ActivityParts, country: CountryCode, rng: &mut Rng) -> Result<(), SyntheticError> {
        let c = &self.codes;
        let pct = |v: i64| Percent::new(Decimal::from(v)).map_err(fail);
        match rng.below(100) {
            0..=84 => parts.countries = vec![CountryShare { country, percent: Percent::HUNDRED }],
            85..=91 => {
                let other = *rng.weighted(&c.recipients);
                if other == country {
                    parts.countries = vec![CountryShare { country, percent: Percent::HUNDRED }];
                } else {
                    parts.countries = vec![
                        CountryShare { country, percent: pct(50)? },
                        CountryShare { country: other, percent: pct(50)? },
                    ];
                }
            }
            92..=96 => {
                parts.countries = vec![CountryShare { country, percent: pct(60)? }];
                parts.regions = vec![RegionShare { region: c.regions[0], percent: pct(40)? }];
            }
            _ => {
                if parts.modality == Modality::Bilateral {
                    parts.modality = Modality::Regional;
                }
                parts.regions = vec![RegionShare { region: *rng.pick(&c.regions), percent: Percent::HUNDRED }];
            }
        }
        Ok(())
    }
}

/// An activity being generated: its index, its planned span and its parts so far.
struct Draft {
    k: usize,
    start: Date,
    end: Date,
    parts: ActivityParts,
}

fn amexcid() -> Result<OrgKey, SyntheticError> {
    key("syn-mx-amexcid")
}

/// One of the federal agencies, at random.
fn federal(rng: &mut Rng) -> Result<OrgKey, SyntheticError> {
    key(&format!("syn-mx-{}", rng.pick(FEDERAL)))
}

fn participant(org: OrgKey, role: Role) -> Participant {
    Participant { org, role }
}

/// A whole amount between `from` and `to` (in units of the currency).
fn amount(rng: &mut Rng, from: i64, to: i64) -> Decimal {
    Decimal::new(rng.range(from, to) * 100, 2)
}

/// Cooperation across `border` in one dimension, sometimes two.
fn cross_border(border: Border, rng: &mut Rng) -> CrossBorder {
    let dims = CrossBorderDimension::ALL;
    let first = *rng.pick(dims);
    let mut dimensions = vec![first];
    let second = *rng.pick(dims);
    if second != first && rng.chance(50) {
        dimensions.push(second);
    }
    CrossBorder { border, dimensions }
}

fn date(year: i32, month: u8, day: u8) -> Result<Date, SyntheticError> {
    let month = Month::try_from(month).map_err(fail)?;
    Date::from_calendar_date(year, month, day).map_err(fail)
}

/// One to three DAC codes of the group: 100, 60/40 or 50/30/20.
fn sector_shares(group: &Group, rng: &mut Rng) -> Result<Vec<SectorShare>, SyntheticError> {
    let n = *rng.weighted(&[(60, 1usize), (30, 2), (10, 3)]);
    let splits: &[i64] = match n {
        1 => &[100],
        2 => &[60, 40],
        _ => &[50, 30, 20],
    };
    let mut out: Vec<SectorShare> = Vec::new();
    for pct in splits {
        let code = *rng.pick(&group.sectors);
        match out.iter_mut().find(|s| s.sector == SectorRef::Dac(code)) {
            Some(s) => s.percent = Percent::new(s.percent.value() + Decimal::from(*pct)).map_err(fail)?,
            None => out.push(SectorShare {
                sector: SectorRef::Dac(code),
                percent: Percent::new(Decimal::from(*pct)).map_err(fail)?,
            }),
        }
    }
    Ok(out)
}

fn tx(
    kind: TransactionTypeCode,
    date: Date,
    amount: Decimal,
    currency: CurrencyCode,
    value_date: Option<Date>,
    receiver_activity: Option<String>,
) -> Transaction {
    Transaction {
        reference: None,
        humanitarian: None,
        kind,
        date,
        value: Money { amount, currency },
        value_date,
        description: Text::new(),
        provider: None,
        receiver: receiver_activity.map(|a| TransactionParty { activity: Some(a), ..TransactionParty::default() }),
        sectors: Vec::new(),
        country: None,
        region: None,
        flow_type: None,
        finance_type: None,
        aid_type: None,
        tied_status: None,
    }
}

/// Money of an activity worth `value`: a commitment (or yearly budgets), one to three
/// disbursements, sometimes expenditure.
fn money(
    parts: &mut ActivityParts,
    c: &Codes,
    rng: &mut Rng,
    currency: CurrencyCode,
    value: Decimal,
) -> Result<(), SyntheticError> {
    let (Some(start), Some(end)) = (parts.dates.planned_start, parts.dates.planned_end) else { return Ok(()) };
    if parts.status.as_str() == "1" {
        let end_of_year = date(start.year(), 12, 31)?;
        parts.budgets = vec![Budget {
            revised: false,
            period_start: start,
            period_end: end_of_year,
            value: Money { amount: value, currency },
            value_date: None,
        }];
        return Ok(());
    }
    if rng.chance(60) {
        parts.transactions.push(tx(c.tx[1], start, value, currency, None, None));
    } else {
        let years = (end.year() - start.year() + 1).clamp(1, 3);
        let each = (value / Decimal::from(years)).round_dp(2);
        for y in 0..years {
            let from = if y == 0 { start } else { date(start.year() + y, 1, 1)? };
            let to = date(start.year() + y, 12, 31)?;
            parts.budgets.push(Budget {
                revised: false,
                period_start: from,
                period_end: to,
                value: Money { amount: each, currency },
                value_date: None,
            });
        }
    }
    let n = rng.range(1, 3);
    let span = (end - start).whole_days().max(1);
    let mut paid = Decimal::ZERO;
    for i in 0..n {
        let part =
            if i == n - 1 { value * Decimal::new(9, 1) - paid } else { (value * Decimal::new(3, 1)).round_dp(2) };
        paid += part;
        let on = start + time::Duration::days(span * i / n);
        let value_date = rng.chance(30).then(|| on - time::Duration::days(2));
        parts.transactions.push(tx(c.tx[2], on, part, currency, value_date, None));
    }
    if rng.chance(30) {
        parts.transactions.push(tx(c.tx[3], end, (value * Decimal::new(8, 1)).round_dp(2), currency, None, None));
    }
    Ok(())
}

/// In kind for `percent` % of activities: expert-days, course participants, trips, materials;
/// half with their own unit value (in pesos), the others valued by the rate table; rarely a
/// unit no table values.
fn in_kind(parts: &mut ActivityParts, c: &Codes, rng: &mut Rng, percent: u64) {
    if !rng.chance(percent) {
        return;
    }
    let units = [
        (InKindUnit::ExpertDays, 5, 120, 3_500),
        (InKindUnit::Participants, 5, 40, 12_000),
        (InKindUnit::Trips, 1, 10, 15_000),
        (InKindUnit::Materials, 1, 20, 25_000),
    ];
    let n = rng.range(1, 3) as usize;
    for (unit, low, high, rate) in units.iter().take(n) {
        let own = rng.chance(50);
        parts.in_kind.push(InKind {
            unit: *unit,
            quantity: Decimal::from(rng.range(*low, *high)),
            unit_value: own.then(|| Money { amount: Decimal::from(rate + rng.range(-500, 500)), currency: c.mxn }),
            description: Text::new(),
        });
    }
    if rng.chance(2) {
        parts.in_kind.push(InKind {
            unit: InKindUnit::Other,
            quantity: Decimal::ONE,
            unit_value: None,
            description: Text::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let s = Synthetic::new(400, 7).unwrap();
        let orgs = s.organisations().unwrap();
        assert!(orgs.len() > 100);
        let a = s.activities(0..400).unwrap();
        let b = Synthetic::new(400, 7).unwrap().activities(0..400).unwrap();
        assert_eq!(a, b, "the same seed gives the same data");
        assert_ne!(a, Synthetic::new(400, 8).unwrap().activities(0..400).unwrap());
        let ids: std::collections::HashSet<String> = a.iter().map(|r| r.key()).collect();
        assert_eq!(ids.len(), 400);
        assert_eq!(s.activities(390..500).unwrap().len(), 10, "never past the end");
    }
}
