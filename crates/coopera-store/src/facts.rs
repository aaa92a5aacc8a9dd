//! Streaming the report facts, for every backend: one ordered scan of the activity table merged
//! with one ordered scan of each child table, so any number of activities is read in bounded
//! memory. A backend opens the scans (`SELECT activity_id, … ORDER BY activity_id, <insertion
//! order>`) inside one consistent read and hands them to [`stream`].

use std::str::FromStr;

use coopera_domain::code::{CountryCode, CurrencyCode, RegionCode};
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, InKindUnit, Instrument, Modality, Role, WorkflowState,
};
use rust_decimal::Decimal;
use time::Date;

use crate::record::RecordKind;
use crate::{FactBudget, FactInKind, FactSchemes, FactTransaction, ReportFacts, Result, StoreError};

/// The columns of a row, as each backend's rows give them.
pub(crate) trait Columns {
    fn str(&self, i: usize) -> std::result::Result<&str, String>;
    fn opt_str(&self, i: usize) -> std::result::Result<Option<&str>, String>;
    fn int(&self, i: usize) -> std::result::Result<i64, String>;
    fn flag(&self, i: usize) -> std::result::Result<bool, String>;
}

/// An ordered scan: its rows one at a time.
pub(crate) trait Scan {
    type Row: Columns;
    fn next(&mut self) -> Result<Option<&Self::Row>>;
}

/// A row mapped into what the facts keep.
type Map<R, T> = fn(&R) -> std::result::Result<T, String>;

/// A child-table scan ordered by activity id, one row read ahead.
struct Cursor<S: Scan, T> {
    rows: S,
    map: Map<S::Row, T>,
    peeked: Option<(i64, std::result::Result<T, String>)>,
    done: bool,
}

impl<S: Scan, T> Cursor<S, T> {
    fn new(rows: S, map: Map<S::Row, T>) -> Cursor<S, T> {
        Cursor { rows, map, peeked: None, done: false }
    }

    fn advance(&mut self) -> Result<()> {
        if self.done {
            return Ok(());
        }
        match self.rows.next()? {
            Some(row) => {
                let id = row.int(0).map_err(|e| StoreError::Backend(e.into()))?;
                self.peeked = Some((id, (self.map)(row)));
            }
            None => self.done = true,
        }
        Ok(())
    }

    /// Moves the rows of activity `id` into `out` (rows of ids before it, orphans, are skipped).
    fn take(&mut self, id: i64, key: &str, out: &mut Vec<T>) -> Result<()> {
        loop {
            if self.peeked.is_none() {
                self.advance()?;
                if self.peeked.is_none() {
                    return Ok(());
                }
            }
            let Some((row_id, _)) = &self.peeked else { return Ok(()) };
            if *row_id > id {
                return Ok(());
            }
            let Some((row_id, value)) = self.peeked.take() else { return Ok(()) };
            if row_id == id {
                out.push(value.map_err(|reason| corrupt(key, reason))?);
            }
        }
    }
}

fn corrupt(key: &str, reason: String) -> StoreError {
    StoreError::Corrupt { kind: RecordKind::Activity, key: key.to_owned(), reason }
}

fn text(row: &impl Columns, i: usize) -> std::result::Result<String, String> {
    row.str(i).map(str::to_owned)
}

fn opt_text(row: &impl Columns, i: usize) -> std::result::Result<Option<String>, String> {
    row.opt_str(i).map(|s| s.map(str::to_owned))
}

fn decimal(s: &str) -> std::result::Result<Decimal, String> {
    Decimal::from_str(s).map_err(|e| format!("`{s}`: {e}"))
}

/// A `YYYY-MM-DD` date, as the store writes them (read by hand: millions of them per load).
fn date(s: &str) -> std::result::Result<Date, String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n.saturating_mul(10).saturating_add(u32::from(d.saturating_sub(b'0'))))
        })
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| {
            let month = time::Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
            Date::from_calendar_date(i32::try_from(digits(0..4)?).ok()?, month, u8::try_from(digits(8..10)?).ok()?).ok()
        })
        .flatten();
    parsed.ok_or_else(|| format!("`{s}`: not a YYYY-MM-DD date"))
}

fn opt_date(s: Option<&str>) -> std::result::Result<Option<Date>, String> {
    s.map(date).transpose()
}

fn currency(s: &str) -> std::result::Result<CurrencyCode, String> {
    CurrencyCode::parse(s).map_err(|p| p.to_string())
}

/// A row of `activity_place`.
enum Place {
    Country(CountryCode, Decimal),
    Region(RegionCode, Decimal),
    State(String),
}

/// A row of `activity_money` the reports use.
enum Money {
    Budget(FactBudget),
    Transaction(FactTransaction),
    /// In-kind values are read from `activity_in_kind` instead.
    Skip,
}

fn participant<R: Columns>(row: &R) -> std::result::Result<(String, Role), String> {
    Ok((text(row, 1)?, Role::parse(row.str(2)?).map_err(|p| p.to_string())?))
}

fn sector<R: Columns>(row: &R) -> std::result::Result<(String, String, Decimal), String> {
    Ok((text(row, 1)?, text(row, 2)?, decimal(row.str(3)?)?))
}

fn place<R: Columns>(row: &R) -> std::result::Result<Place, String> {
    let code = row.str(2)?;
    let pct = || -> std::result::Result<Decimal, String> { decimal(row.opt_str(3)?.unwrap_or("100")) };
    Ok(match row.str(1)? {
        "country" => Place::Country(CountryCode::parse(code).map_err(|p| p.to_string())?, pct()?),
        "region" => Place::Region(RegionCode::parse(code).map_err(|p| p.to_string())?, pct()?),
        _ => Place::State(code.to_owned()),
    })
}

fn money<R: Columns>(row: &R) -> std::result::Result<Money, String> {
    let kind = row.str(1)?;
    if kind == "budget" {
        return Ok(Money::Budget(FactBudget {
            period_start: date(row.str(2)?)?,
            value_date: opt_date(row.opt_str(5)?)?,
            amount: decimal(row.str(3)?)?,
            currency: currency(row.str(4)?)?,
        }));
    }
    let Some(code) = kind.strip_prefix("transaction:") else { return Ok(Money::Skip) };
    Ok(Money::Transaction(FactTransaction {
        kind: code.to_owned(),
        date: date(row.str(2)?)?,
        value_date: opt_date(row.opt_str(5)?)?,
        amount: decimal(row.str(3)?)?,
        currency: currency(row.str(4)?)?,
        provider_org: opt_text(row, 6)?,
        provider_activity: opt_text(row, 7)?,
        receiver_activity: opt_text(row, 8)?,
    }))
}

fn in_kind<R: Columns>(row: &R) -> std::result::Result<FactInKind, String> {
    let unit = InKindUnit::parse(row.str(1)?).map_err(|p| p.to_string())?;
    let unit_value = match (row.opt_str(3)?, row.opt_str(4)?) {
        (Some(v), Some(c)) => Some((decimal(v)?, currency(c)?)),
        _ => None,
    };
    Ok(FactInKind { unit, quantity: decimal(row.str(2)?)?, unit_value })
}

fn related<R: Columns>(row: &R) -> std::result::Result<(String, String), String> {
    Ok((text(row, 1)?, text(row, 2)?))
}

fn sdg<R: Columns>(row: &R) -> std::result::Result<String, String> {
    text(row, 1)
}

fn agenda<R: Columns>(row: &R) -> std::result::Result<CrossBorderDimension, String> {
    CrossBorderDimension::parse(row.str(1)?).map_err(|p| p.to_string())
}

fn parse<T>(key: &str, s: &str, f: fn(&str) -> std::result::Result<T, coopera_domain::Problem>) -> Result<T> {
    f(s).map_err(|p| corrupt(key, p.to_string()))
}

/// The columns of the activity table's scan, in the order [`stream`] reads them.
pub(crate) const ACTIVITY_SCAN: &str = "id, key, reporting_org, direction, modality, instrument, cooperation_type, \
     status, south_south, north_south, decentralised, cross_border, start_date, end_date, border, title_es, title_en, \
     workflow";

/// The child tables' scans, as (table, columns after `activity_id`), in the order
/// [`Children::new`] takes them.
pub(crate) const CHILD_SCANS: [(&str, &str); 8] = [
    ("activity_participant", "org_key, role"),
    ("activity_sector", "vocabulary, code, percentage"),
    ("activity_place", "kind, code, percentage"),
    ("activity_money", "kind, date, amount, currency, value_date, provider_org, provider_activity, receiver_activity"),
    ("activity_in_kind", "unit, quantity, unit_value, currency"),
    ("activity_related", "kind, identifier"),
    ("activity_sdg", "code"),
    ("activity_agenda", "dimension"),
];

/// Streams the facts of the activities of the `main` scan (the columns of [`ACTIVITY_SCAN`],
/// by id), each with its rows of the child scans.
pub(crate) fn stream<S: Scan>(
    mut main: S,
    mut children: Children<S>,
    visit: &mut dyn FnMut(&ReportFacts),
) -> Result<()> {
    let mut facts: Option<ReportFacts> = None;
    while let Some(row) = main.next()? {
        let id = row.int(0).map_err(|e| StoreError::Backend(e.into()))?;
        let key = text(row, 1).map_err(|e| StoreError::Backend(e.into()))?;
        let f = activity_row(row, &key, &mut facts)?;
        children.take(id, &key, f)?;
        f.key = key;
        visit(f);
    }
    Ok(())
}

/// Reads the activity table's row into `facts` (made at the first row, and reused from one
/// activity to the next with its lists emptied).
fn activity_row<'f>(row: &impl Columns, key: &str, facts: &'f mut Option<ReportFacts>) -> Result<&'f mut ReportFacts> {
    let get_text = |i: usize| text(row, i).map_err(|r| corrupt(key, r));
    let get_str = |i: usize| row.str(i).map_err(|r| corrupt(key, r));
    let get_opt_str = |i: usize| row.opt_str(i).map_err(|r| corrupt(key, r));
    let flag = |i: usize| row.flag(i).map_err(|r| corrupt(key, r));
    let modality = parse(key, get_str(4)?, Modality::parse)?;
    let instrument = parse(key, get_str(5)?, Instrument::parse)?;
    let cooperation_type = parse(key, get_str(6)?, CooperationType::parse)?;
    let workflow = parse(key, get_str(17)?, WorkflowState::parse)?;
    let border = get_opt_str(14)?.map(|b| parse(key, b, Border::parse)).transpose()?;
    let start = opt_date(get_opt_str(12)?).map_err(|r| corrupt(key, r))?;
    let end = opt_date(get_opt_str(13)?).map_err(|r| corrupt(key, r))?;
    let f = facts.get_or_insert_with(|| ReportFacts {
        key: String::new(),
        title_es: String::new(),
        title_en: String::new(),
        reporting_org: String::new(),
        direction: None,
        modality,
        instrument,
        cooperation_type,
        status: String::new(),
        workflow,
        schemes: FactSchemes::default(),
        start: None,
        end: None,
        border: None,
        agenda: Vec::new(),
        sectors: Vec::new(),
        sdgs: Vec::new(),
        countries: Vec::new(),
        regions: Vec::new(),
        mx_states: Vec::new(),
        participants: Vec::new(),
        transactions: Vec::new(),
        budgets: Vec::new(),
        in_kind: Vec::new(),
        related: Vec::new(),
    });
    f.reporting_org = get_text(2)?;
    f.title_es = get_text(15)?;
    f.title_en = get_text(16)?;
    f.direction = get_opt_str(3)?.and_then(|d| coopera_domain::kinds::Direction::parse(d).ok());
    f.modality = modality;
    f.instrument = instrument;
    f.cooperation_type = cooperation_type;
    f.status = get_text(7)?;
    f.workflow = workflow;
    f.schemes =
        FactSchemes { south_south: flag(8)?, north_south: flag(9)?, decentralised: flag(10)?, cross_border: flag(11)? };
    f.start = start;
    f.end = end;
    f.border = border;
    f.agenda.clear();
    f.sectors.clear();
    f.sdgs.clear();
    f.countries.clear();
    f.regions.clear();
    f.mx_states.clear();
    f.participants.clear();
    f.transactions.clear();
    f.budgets.clear();
    f.in_kind.clear();
    f.related.clear();
    Ok(f)
}

/// The child tables' scans, running: each steps along the activity table's.
pub(crate) struct Children<S: Scan> {
    participants: Cursor<S, (String, Role)>,
    sectors: Cursor<S, (String, String, Decimal)>,
    places: Cursor<S, Place>,
    money: Cursor<S, Money>,
    in_kind: Cursor<S, FactInKind>,
    related: Cursor<S, (String, String)>,
    sdgs: Cursor<S, String>,
    agenda: Cursor<S, CrossBorderDimension>,
    place_buf: Vec<Place>,
    money_buf: Vec<Money>,
}

impl<S: Scan> Children<S> {
    /// The running scans of [`CHILD_SCANS`], in its order.
    pub(crate) fn new(scans: [S; 8]) -> Children<S> {
        let [participants, sectors, places, money_, in_kind_, related_, sdgs, agenda_] = scans;
        Children {
            participants: Cursor::new(participants, participant),
            sectors: Cursor::new(sectors, sector),
            places: Cursor::new(places, place),
            money: Cursor::new(money_, money),
            in_kind: Cursor::new(in_kind_, in_kind),
            related: Cursor::new(related_, related),
            sdgs: Cursor::new(sdgs, sdg),
            agenda: Cursor::new(agenda_, agenda),
            place_buf: Vec::new(),
            money_buf: Vec::new(),
        }
    }

    /// Moves activity `id`'s rows of every child table into `f`.
    fn take(&mut self, id: i64, key: &str, f: &mut ReportFacts) -> Result<()> {
        self.participants.take(id, key, &mut f.participants)?;
        self.sectors.take(id, key, &mut f.sectors)?;
        self.place_buf.clear();
        self.places.take(id, key, &mut self.place_buf)?;
        for p in self.place_buf.drain(..) {
            match p {
                Place::Country(c, pct) => f.countries.push((c, pct)),
                Place::Region(r, pct) => f.regions.push((r, pct)),
                Place::State(s) => f.mx_states.push(s),
            }
        }
        self.money_buf.clear();
        self.money.take(id, key, &mut self.money_buf)?;
        for m in self.money_buf.drain(..) {
            match m {
                Money::Budget(b) => f.budgets.push(b),
                Money::Transaction(t) => f.transactions.push(t),
                Money::Skip => {}
            }
        }
        self.in_kind.take(id, key, &mut f.in_kind)?;
        self.related.take(id, key, &mut f.related)?;
        self.sdgs.take(id, key, &mut f.sdgs)?;
        self.agenda.take(id, key, &mut f.agenda)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(date("2012-02-29").map(|d| d.to_string()), Ok("2012-02-29".to_owned()));
        for bad in ["2013-02-29", "2012-2-03", "2012/02/03", "20120203", "2012-13-01", "", "２０１２-02-03"] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }
}

/// Gathers [`ActivityFacts`](crate::ActivityFacts) from three scans — the activities, their
/// sectors and their money, in any order — for backends to fill.
#[derive(Debug, Default)]
pub(crate) struct Gather {
    facts: Vec<crate::ActivityFacts>,
    index: std::collections::HashMap<i64, usize>,
    /// Per activity: commitments by currency, budgets by currency, in kind by currency.
    money: std::collections::HashMap<usize, [std::collections::BTreeMap<String, Decimal>; 3]>,
}

impl Gather {
    pub(crate) fn activity(
        &mut self,
        id: i64,
        key: String,
        direction: Option<&str>,
        modality: &str,
        start_year: Option<i32>,
    ) -> Result<()> {
        self.index.insert(id, self.facts.len());
        self.facts.push(crate::ActivityFacts {
            modality: parse(&key, modality, Modality::parse)?,
            direction: direction.and_then(|d| coopera_domain::kinds::Direction::parse(d).ok()),
            key,
            start_year,
            sectors: Vec::new(),
            committed: Vec::new(),
            in_kind: Vec::new(),
        });
        Ok(())
    }

    pub(crate) fn sector(&mut self, id: i64, vocabulary: String, code: String, percentage: &str) -> Result<()> {
        if let Some(&i) = self.index.get(&id) {
            let pct = decimal(percentage).map_err(|r| corrupt(&self.facts[i].key, r))?;
            self.facts[i].sectors.push((vocabulary, code, pct));
        }
        Ok(())
    }

    pub(crate) fn money(&mut self, id: i64, kind: &str, amount: &str, currency: String) -> Result<()> {
        let Some(&i) = self.index.get(&id) else { return Ok(()) };
        let slot = match kind {
            "transaction:2" => 0,
            "budget" => 1,
            "in_kind" => 2,
            _ => return Ok(()),
        };
        let amount = decimal(amount).map_err(|r| corrupt(&self.facts[i].key, r))?;
        let sum = self.money.entry(i).or_default()[slot].entry(currency).or_default();
        *sum = sum.saturating_add(amount);
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Vec<crate::ActivityFacts> {
        for (i, [commitments, budgets, in_kind]) in self.money {
            let committed = if commitments.is_empty() { budgets } else { commitments };
            self.facts[i].committed = committed.into_iter().collect();
            self.facts[i].in_kind = in_kind.into_iter().collect();
        }
        self.facts
    }
}
