//! Streaming the report facts: one ordered scan of the activity table merged with one ordered
//! scan of each child table, so any number of activities is read in bounded memory.

use std::str::FromStr;

use coopera_domain::code::{CountryCode, CurrencyCode, RegionCode};
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, InKindUnit, Instrument, Modality, Role, WorkflowState,
};
use rusqlite::{Connection, Row, Rows};
use rust_decimal::Decimal;
use time::Date;

use super::{db, parse_direction};
use crate::record::RecordKind;
use crate::{FactBudget, FactInKind, FactSchemes, FactTransaction, ReportFacts, Result, StoreError};

/// A child-table scan ordered by activity id, one row read ahead.
struct Cursor<'s, T> {
    rows: Rows<'s>,
    map: fn(&Row<'_>) -> std::result::Result<T, String>,
    peeked: Option<(i64, std::result::Result<T, String>)>,
    done: bool,
}

impl<'s, T> Cursor<'s, T> {
    fn new(rows: Rows<'s>, map: fn(&Row<'_>) -> std::result::Result<T, String>) -> Cursor<'s, T> {
        Cursor { rows, map, peeked: None, done: false }
    }

    fn advance(&mut self) -> Result<()> {
        if self.done {
            return Ok(());
        }
        match self.rows.next().map_err(db)? {
            Some(row) => {
                let id: i64 = row.get(0).map_err(db)?;
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

fn text(row: &Row<'_>, i: usize) -> std::result::Result<String, String> {
    row.get::<_, String>(i).map_err(|e| e.to_string())
}

fn opt_text(row: &Row<'_>, i: usize) -> std::result::Result<Option<String>, String> {
    row.get::<_, Option<String>>(i).map_err(|e| e.to_string())
}

/// A text column borrowed from the row, for values that are parsed, not kept.
fn str_ref<'r>(row: &'r Row<'_>, i: usize) -> std::result::Result<&'r str, String> {
    row.get_ref(i).and_then(|v| v.as_str().map_err(Into::into)).map_err(|e| e.to_string())
}

fn opt_str_ref<'r>(row: &'r Row<'_>, i: usize) -> std::result::Result<Option<&'r str>, String> {
    row.get_ref(i).and_then(|v| v.as_str_or_null().map_err(Into::into)).map_err(|e| e.to_string())
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

fn participant(row: &Row<'_>) -> std::result::Result<(String, Role), String> {
    Ok((text(row, 1)?, Role::parse(str_ref(row, 2)?).map_err(|p| p.to_string())?))
}

fn sector(row: &Row<'_>) -> std::result::Result<(String, String, Decimal), String> {
    Ok((text(row, 1)?, text(row, 2)?, decimal(str_ref(row, 3)?)?))
}

fn place(row: &Row<'_>) -> std::result::Result<Place, String> {
    let code = str_ref(row, 2)?;
    let pct = || -> std::result::Result<Decimal, String> { decimal(opt_str_ref(row, 3)?.unwrap_or("100")) };
    Ok(match str_ref(row, 1)? {
        "country" => Place::Country(CountryCode::parse(code).map_err(|p| p.to_string())?, pct()?),
        "region" => Place::Region(RegionCode::parse(code).map_err(|p| p.to_string())?, pct()?),
        _ => Place::State(code.to_owned()),
    })
}

fn money(row: &Row<'_>) -> std::result::Result<Money, String> {
    let kind = str_ref(row, 1)?;
    if kind == "budget" {
        return Ok(Money::Budget(FactBudget {
            period_start: date(str_ref(row, 2)?)?,
            value_date: opt_date(opt_str_ref(row, 5)?)?,
            amount: decimal(str_ref(row, 3)?)?,
            currency: currency(str_ref(row, 4)?)?,
        }));
    }
    let Some(code) = kind.strip_prefix("transaction:") else { return Ok(Money::Skip) };
    Ok(Money::Transaction(FactTransaction {
        kind: code.to_owned(),
        date: date(str_ref(row, 2)?)?,
        value_date: opt_date(opt_str_ref(row, 5)?)?,
        amount: decimal(str_ref(row, 3)?)?,
        currency: currency(str_ref(row, 4)?)?,
        provider_org: opt_text(row, 6)?,
        provider_activity: opt_text(row, 7)?,
        receiver_activity: opt_text(row, 8)?,
    }))
}

fn in_kind(row: &Row<'_>) -> std::result::Result<FactInKind, String> {
    let unit = InKindUnit::parse(str_ref(row, 1)?).map_err(|p| p.to_string())?;
    let unit_value = match (opt_str_ref(row, 3)?, opt_str_ref(row, 4)?) {
        (Some(v), Some(c)) => Some((decimal(v)?, currency(c)?)),
        _ => None,
    };
    Ok(FactInKind { unit, quantity: decimal(str_ref(row, 2)?)?, unit_value })
}

fn related(row: &Row<'_>) -> std::result::Result<(String, String), String> {
    Ok((text(row, 1)?, text(row, 2)?))
}

fn sdg(row: &Row<'_>) -> std::result::Result<String, String> {
    text(row, 1)
}

fn agenda(row: &Row<'_>) -> std::result::Result<CrossBorderDimension, String> {
    CrossBorderDimension::parse(str_ref(row, 1)?).map_err(|p| p.to_string())
}

fn parse<T>(key: &str, s: &str, f: fn(&str) -> std::result::Result<T, coopera_domain::Problem>) -> Result<T> {
    f(s).map_err(|p| corrupt(key, p.to_string()))
}

/// Streams the facts of every activity, or of those whose key is in `only`.
pub(super) fn report_facts(
    conn: &Connection,
    only: Option<&[String]>,
    visit: &mut dyn FnMut(&ReportFacts),
) -> Result<()> {
    // One read transaction: the scans below step side by side, and each would otherwise see
    // the database as it was at its own first step — a write committed by another process in
    // between would give an activity without its children, or children without it.
    let read = conn.unchecked_transaction().map_err(db)?;
    let conn: &Connection = &read;
    // The keys, as one JSON array parameter, when only some activities are asked for.
    let keys = only.map(|k| serde_json::to_string(k).unwrap_or_default());
    let (main_where, child_where) = match keys {
        None => ("", ""),
        Some(_) => (
            "WHERE key IN (SELECT value FROM json_each(?1))",
            "WHERE activity_id IN (SELECT id FROM activity WHERE key IN (SELECT value FROM json_each(?1)))",
        ),
    };
    let params: Vec<&dyn rusqlite::ToSql> = match &keys {
        Some(k) => vec![k],
        None => vec![],
    };
    let mut main = conn
        .prepare(&format!(
            "SELECT id, key, reporting_org, direction, modality, instrument, cooperation_type, status, south_south, \
             north_south, decentralised, cross_border, start_date, end_date, border, title_es, title_en, workflow \
             FROM activity {main_where} ORDER BY id"
        ))
        .map_err(db)?;
    let mut statements = ChildStatements::prepare(conn, child_where)?;
    let mut children = statements.query(params.as_slice())?;
    let mut facts: Option<ReportFacts> = None;
    let mut rows = main.query(params.as_slice()).map_err(db)?;
    while let Some(row) = rows.next().map_err(db)? {
        let id: i64 = row.get(0).map_err(db)?;
        let key: String = row.get(1).map_err(db)?;
        let f = activity_row(row, &key, &mut facts)?;
        children.take(id, &key, f)?;
        f.key = key;
        visit(f);
    }
    Ok(())
}

/// Reads the activity table's row into `facts` (made at the first row, and reused from one
/// activity to the next with its lists emptied).
fn activity_row<'f>(row: &Row<'_>, key: &str, facts: &'f mut Option<ReportFacts>) -> Result<&'f mut ReportFacts> {
    let get_text = |i: usize| row.get::<_, String>(i).map_err(db);
    let get_str = |i: usize| str_ref(row, i).map_err(|r| corrupt(key, r));
    let get_opt_str = |i: usize| opt_str_ref(row, i).map_err(|r| corrupt(key, r));
    let flag = |i: usize| row.get::<_, bool>(i).map_err(db);
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
    f.direction = parse_direction(row.get(3).map_err(db)?);
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

/// The child tables' scans, prepared; each ordered by activity.
struct ChildStatements<'c> {
    participants: rusqlite::Statement<'c>,
    sectors: rusqlite::Statement<'c>,
    places: rusqlite::Statement<'c>,
    money: rusqlite::Statement<'c>,
    in_kind: rusqlite::Statement<'c>,
    related: rusqlite::Statement<'c>,
    sdgs: rusqlite::Statement<'c>,
    agenda: rusqlite::Statement<'c>,
}

/// The child tables' scans, running: each steps along the activity table's.
struct Children<'s> {
    participants: Cursor<'s, (String, Role)>,
    sectors: Cursor<'s, (String, String, Decimal)>,
    places: Cursor<'s, Place>,
    money: Cursor<'s, Money>,
    in_kind: Cursor<'s, FactInKind>,
    related: Cursor<'s, (String, String)>,
    sdgs: Cursor<'s, String>,
    agenda: Cursor<'s, CrossBorderDimension>,
    place_buf: Vec<Place>,
    money_buf: Vec<Money>,
}

impl<'c> ChildStatements<'c> {
    fn prepare(conn: &'c Connection, child_where: &str) -> Result<ChildStatements<'c>> {
        let scan = |table: &str, columns: &str| {
            conn.prepare(&format!(
                "SELECT activity_id, {columns} FROM {table} {child_where} ORDER BY activity_id, rowid"
            ))
            .map_err(db)
        };
        Ok(ChildStatements {
            participants: scan("activity_participant", "org_key, role")?,
            sectors: scan("activity_sector", "vocabulary, code, percentage")?,
            places: scan("activity_place", "kind, code, percentage")?,
            money: scan(
                "activity_money",
                "kind, date, amount, currency, value_date, provider_org, provider_activity, receiver_activity",
            )?,
            in_kind: scan("activity_in_kind", "unit, quantity, unit_value, currency")?,
            related: scan("activity_related", "kind, identifier")?,
            sdgs: scan("activity_sdg", "code")?,
            agenda: scan("activity_agenda", "dimension")?,
        })
    }

    fn query<'s>(&'s mut self, params: &[&dyn rusqlite::ToSql]) -> Result<Children<'s>> {
        Ok(Children {
            participants: Cursor::new(self.participants.query(params).map_err(db)?, participant),
            sectors: Cursor::new(self.sectors.query(params).map_err(db)?, sector),
            places: Cursor::new(self.places.query(params).map_err(db)?, place),
            money: Cursor::new(self.money.query(params).map_err(db)?, money),
            in_kind: Cursor::new(self.in_kind.query(params).map_err(db)?, in_kind),
            related: Cursor::new(self.related.query(params).map_err(db)?, related),
            sdgs: Cursor::new(self.sdgs.query(params).map_err(db)?, sdg),
            agenda: Cursor::new(self.agenda.query(params).map_err(db)?, agenda),
            place_buf: Vec::new(),
            money_buf: Vec::new(),
        })
    }
}

impl Children<'_> {
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
