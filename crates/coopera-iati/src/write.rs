//! Writing activities as IATI 2.03 XML that the official schema accepts.
//!
//! Everything IATI has a place for goes where IATI puts it. What only Coopera holds —
//! instrument, type of cooperation, modality and schemes, Coopera's roles and organisation
//! keys, Mexican states and municipalities, the cross-border agenda, in-kind contributions,
//! good practice, the workflow state, results not yet measured — travels in elements and
//! attributes of Coopera's own namespace ([`NAMESPACE`]), which the schema allows and other
//! IATI tools ignore. So does every registered organisation the activity names, whole
//! (`coopera:organisation`: country, level, INEGI state and municipality, acronym, parent),
//! since direction is derived from them. Reading such a file back gives the same activity and
//! the same organisations.
//!
//! The schema requires a description and an activity date; an activity without them gets
//! one marked `coopera:generated="true"`, which the reader skips.

use std::io::{self, Write};

use coopera_domain::activity::{
    Activity, ActivityDates, ActivityParts, Indicator, Money, Sdg, Transaction, TransactionParty,
};
use coopera_domain::organisation::Organisation;
use coopera_domain::text::Text;
use rust_decimal::Decimal;
use time::Date;

/// The namespace of Coopera's extensions to IATI.
pub const NAMESPACE: &str = "https://coopera.dev/ns/iati/1";

/// Settings of an export.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// `generated-datetime` of the file, RFC 3339.
    pub generated: String,
    /// The date used for a generated activity date when an activity has none.
    pub today: Date,
}

impl WriteOptions {
    /// An export made now: `generated-datetime` to the second, in UTC.
    pub fn now() -> WriteOptions {
        let now = time::OffsetDateTime::now_utc();
        WriteOptions {
            generated: now
                .replace_nanosecond(0)
                .unwrap_or(now)
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            today: now.date(),
        }
    }
}

/// Escapes text for an XML attribute or element. Characters XML cannot carry are left out:
/// records refuse them at every door (`coopera_domain::limits`), but one stored before that
/// rule existed must not make a whole export unreadable.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !coopera_domain::limits::is_xml_char(c) => {}
            c => out.push(c),
        }
    }
}

/// A tiny XML builder: attributes as (name, value) pairs, elements opened and closed in order.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn indent(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn attrs(&mut self, attrs: &[(&str, Option<&str>)]) {
        for (name, value) in attrs {
            if let Some(v) = value {
                self.out.push(' ');
                self.out.push_str(name);
                self.out.push_str("=\"");
                escape(v, &mut self.out);
                self.out.push('"');
            }
        }
    }

    fn open(&mut self, name: &str, attrs: &[(&str, Option<&str>)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push('>');
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, Option<&str>)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    fn leaf(&mut self, name: &str, attrs: &[(&str, Option<&str>)], text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push('>');
        escape(text, &mut self.out);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<narrative xml:lang="…">` for every language of `text`.
    fn narratives(&mut self, text: &Text) {
        for (lang, t) in text.iter() {
            self.leaf("narrative", &[("xml:lang", Some(lang))], t);
        }
    }

    /// An element holding narratives, or nothing when the text is empty.
    fn text_element(&mut self, name: &str, attrs: &[(&str, Option<&str>)], text: &Text) {
        if text.is_empty() {
            return;
        }
        self.open(name, attrs);
        self.narratives(text);
        self.close(name);
    }
}

fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

fn bool_attr(b: bool) -> Option<&'static str> {
    Some(if b { "true" } else { "false" })
}

/// Writes the file header.
pub fn write_header<W: Write>(out: &mut W, options: &WriteOptions) -> io::Result<()> {
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\" generated-datetime=\"{}\" xmlns:coopera=\"{NAMESPACE}\">",
        options.generated
    )
}

pub fn write_footer<W: Write>(out: &mut W) -> io::Result<()> {
    writeln!(out, "\n</iati-activities>")
}

/// Writes one activity. `org` looks up the organisations it names.
pub fn write_activity<W: Write>(
    out: &mut W,
    activity: &Activity,
    org: &dyn Fn(&str) -> Option<Organisation>,
    options: &WriteOptions,
) -> io::Result<()> {
    let mut x = Xml { out: String::with_capacity(4096), depth: 1 };
    activity_xml(&mut x, activity, org, options);
    out.write_all(x.out.as_bytes())
}

/// The attributes IATI gives an organisation: its identifier and type, and Coopera's key.
fn org_attrs(org: Option<&Organisation>, key: &str) -> (Option<String>, Option<String>, String) {
    match org {
        Some(o) => (o.parts().iati_ref.clone(), Some(o.parts().kind.to_string()), key.to_owned()),
        None => (None, None, key.to_owned()),
    }
}

fn party(
    x: &mut Xml,
    name: &str,
    activity_attr: &str,
    p: &TransactionParty,
    org: &dyn Fn(&str) -> Option<Organisation>,
) {
    let registered = p.org.as_ref().and_then(|k| org(k.as_str()));
    // IATI readers want the organisation identifier; when it comes from the registered
    // organisation rather than the transaction, `coopera:ref="org"` says so.
    let from_org = p.iati_ref.is_none().then(|| registered.as_ref().and_then(|o| o.parts().iati_ref.clone())).flatten();
    let iati_ref = p.iati_ref.clone().or_else(|| from_org.clone());
    let kind = registered.as_ref().map(|o| o.parts().kind.to_string());
    let attrs = [
        ("ref", iati_ref.as_deref()),
        (activity_attr, p.activity.as_deref()),
        ("type", kind.as_deref()),
        ("coopera:org", p.org.as_ref().map(|k| k.as_str())),
        ("coopera:ref", from_org.is_some().then_some("org")),
    ];
    match p.name.as_deref().filter(|n| !n.is_empty()) {
        None => x.empty(name, &attrs),
        Some(n) => {
            // A party's name is a label without a language.
            x.open(name, &attrs);
            x.leaf("narrative", &[], n);
            x.close(name);
        }
    }
}

fn value(x: &mut Xml, v: &Money, value_date: Date) {
    let date = value_date.to_string();
    x.leaf("value", &[("currency", Some(v.currency.as_str())), ("value-date", Some(&date))], &dec(v.amount));
}

/// One `<iati-activity>`: IATI's elements in the order of its schema, then Coopera's own.
fn activity_xml(x: &mut Xml, a: &Activity, org: &dyn Fn(&str) -> Option<Organisation>, options: &WriteOptions) {
    let p = a.parts();
    let lang = p.title.iter().next().map(|(l, _)| l.to_owned()).unwrap_or_else(|| "es".into());
    x.open(
        "iati-activity",
        &[
            ("xml:lang", Some(&lang)),
            ("default-currency", p.default_currency.map(|c| c.as_str())),
            ("humanitarian", p.humanitarian.then_some("1")),
        ],
    );
    x.leaf("iati-identifier", &[], p.key.as_str());
    write_reporting_org(x, p, org);
    write_texts(x, p);
    write_participants(x, p, org);
    x.empty("activity-status", &[("code", Some(p.status.as_str()))]);
    write_dates(x, &p.dates, options);
    write_places(x, p);
    write_sectors_and_tags(x, p);
    write_default_codes(x, p);
    write_budgets(x, p);
    write_planned_disbursements(x, p, org);
    for t in &p.transactions {
        write_transaction(x, t, org);
    }
    write_document_links(x, p);
    for r in &p.related_activities {
        x.empty("related-activity", &[("ref", Some(&r.identifier)), ("type", Some(r.kind.as_str()))]);
    }
    write_results(x, p);
    write_coopera_facts(x, a, org);
    x.close("iati-activity");
}

/// The reporting organisation: its IATI identifier, else its key; its name, else its key.
fn write_reporting_org(x: &mut Xml, p: &ActivityParts, org: &dyn Fn(&str) -> Option<Organisation>) {
    let reporting = org(p.reporting_org.as_str());
    let (rref, rtype, rkey) = org_attrs(reporting.as_ref(), p.reporting_org.as_str());
    let rref = rref.unwrap_or_else(|| rkey.clone());
    let rtype = rtype.unwrap_or_else(|| "90".into());
    x.open("reporting-org", &[("ref", Some(&rref)), ("type", Some(&rtype)), ("coopera:org", Some(&rkey))]);
    match &reporting {
        Some(o) if !o.parts().name.is_empty() => x.narratives(&o.parts().name),
        _ => x.leaf("narrative", &[], &rkey),
    }
    x.close("reporting-org");
}

/// Title, description and objectives; an activity with neither of the last two gets its
/// title as a generated description, since the schema requires one.
fn write_texts(x: &mut Xml, p: &ActivityParts) {
    x.text_element("title", &[], &p.title);
    if p.description.is_empty() && p.objectives.is_empty() {
        x.open("description", &[("type", Some("1")), ("coopera:generated", Some("true"))]);
        x.narratives(&p.title);
        x.close("description");
    }
    x.text_element("description", &[("type", Some("1"))], &p.description);
    x.text_element("description", &[("type", Some("2"))], &p.objectives);
}

/// Participants with IATI's role and, in Coopera's namespace, Coopera's.
fn write_participants(x: &mut Xml, p: &ActivityParts, org: &dyn Fn(&str) -> Option<Organisation>) {
    for part in &p.participants {
        let o = org(part.org.as_str());
        let (oref, otype, okey) = org_attrs(o.as_ref(), part.org.as_str());
        let attrs = [
            ("ref", oref.as_deref()),
            ("type", otype.as_deref()),
            ("role", Some(part.role.iati_code())),
            ("coopera:org", Some(okey.as_str())),
            ("coopera:role", Some(part.role.code())),
        ];
        match &o {
            Some(o) if !o.parts().name.is_empty() => {
                x.open("participating-org", &attrs);
                x.narratives(&o.parts().name);
                x.close("participating-org");
            }
            _ => x.empty("participating-org", &attrs),
        }
    }
}

/// The activity's dates; one without any gets `options.today` as a generated planned start,
/// since the schema requires one.
fn write_dates(x: &mut Xml, d: &ActivityDates, options: &WriteOptions) {
    let dates = [("1", d.planned_start), ("2", d.actual_start), ("3", d.planned_end), ("4", d.actual_end)];
    if dates.iter().all(|(_, d)| d.is_none()) {
        let today = options.today.to_string();
        x.empty(
            "activity-date",
            &[("type", Some("1")), ("iso-date", Some(&today)), ("coopera:generated", Some("true"))],
        );
    }
    for (kind, date) in dates {
        if let Some(date) = date {
            let s = date.to_string();
            x.empty("activity-date", &[("type", Some(kind)), ("iso-date", Some(&s))]);
        }
    }
}

/// Recipient countries and regions with their shares, then locations.
fn write_places(x: &mut Xml, p: &ActivityParts) {
    for c in &p.countries {
        let pct = dec(c.percent.value());
        x.empty("recipient-country", &[("code", Some(c.country.as_str())), ("percentage", Some(&pct))]);
    }
    for r in &p.regions {
        let pct = dec(r.percent.value());
        x.empty(
            "recipient-region",
            &[("code", Some(r.region.as_str())), ("vocabulary", Some("1")), ("percentage", Some(&pct))],
        );
    }
    for pt in &p.points {
        x.open("location", &[("ref", pt.reference.as_deref())]);
        x.text_element("name", &[], &pt.name);
        x.text_element("description", &[], &pt.description);
        if let (Some(lat), Some(lon)) = (pt.latitude, pt.longitude) {
            x.open("point", &[("srsName", Some("http://www.opengis.net/def/crs/EPSG/0/4326"))]);
            x.leaf("pos", &[], &format!("{} {}", dec(lat), dec(lon)));
            x.close("point");
        }
        x.close("location");
    }
}

/// Sectors with their shares, SDGs as tags (vocabulary 2 goals, 3 targets), the other tags,
/// and policy markers.
fn write_sectors_and_tags(x: &mut Xml, p: &ActivityParts) {
    for s in &p.sectors {
        let pct = dec(s.percent.value());
        x.empty(
            "sector",
            &[("vocabulary", Some(s.sector.vocabulary())), ("code", Some(s.sector.code())), ("percentage", Some(&pct))],
        );
    }
    for sdg in &p.sdgs {
        let (vocabulary, code) = match sdg {
            Sdg::Goal(g) => ("2", g.as_str()),
            Sdg::Target(t) => ("3", t.as_str()),
        };
        x.empty("tag", &[("vocabulary", Some(vocabulary)), ("code", Some(code))]);
    }
    for t in &p.tags {
        let attrs = [("vocabulary", Some(t.vocabulary.as_str())), ("code", Some(t.code.as_str()))];
        if t.name.is_empty() {
            x.empty("tag", &attrs);
        } else {
            x.open("tag", &attrs);
            x.narratives(&t.name);
            x.close("tag");
        }
    }
    for m in &p.policy_markers {
        let significance = m.significance.to_string();
        x.empty(
            "policy-marker",
            &[("vocabulary", Some("1")), ("code", Some(m.marker.as_str())), ("significance", Some(&significance))],
        );
    }
}

/// The collaboration type and the defaults of the activity's flows.
fn write_default_codes(x: &mut Xml, p: &ActivityParts) {
    if let Some(c) = p.collaboration_type {
        x.empty("collaboration-type", &[("code", Some(c.as_str()))]);
    }
    if let Some(c) = p.flow_type {
        x.empty("default-flow-type", &[("code", Some(c.as_str()))]);
    }
    if let Some(c) = p.finance_type {
        x.empty("default-finance-type", &[("code", Some(c.as_str()))]);
    }
    if let Some(c) = p.aid_type {
        x.empty("default-aid-type", &[("code", Some(c.as_str())), ("vocabulary", Some("1"))]);
    }
    if let Some(c) = p.tied_status {
        x.empty("default-tied-status", &[("code", Some(c.as_str()))]);
    }
}

fn write_budgets(x: &mut Xml, p: &ActivityParts) {
    for b in &p.budgets {
        x.open("budget", &[("type", Some(if b.revised { "2" } else { "1" }))]);
        let (s, e) = (b.period_start.to_string(), b.period_end.to_string());
        x.empty("period-start", &[("iso-date", Some(&s))]);
        x.empty("period-end", &[("iso-date", Some(&e))]);
        value(x, &b.value, b.value_date.unwrap_or(b.period_start));
        x.close("budget");
    }
}

fn write_planned_disbursements(x: &mut Xml, p: &ActivityParts, org: &dyn Fn(&str) -> Option<Organisation>) {
    for d in &p.planned_disbursements {
        x.open("planned-disbursement", &[("type", Some(if d.revised { "2" } else { "1" }))]);
        let s = d.period_start.to_string();
        x.empty("period-start", &[("iso-date", Some(&s))]);
        if let Some(e) = d.period_end {
            let e = e.to_string();
            x.empty("period-end", &[("iso-date", Some(&e))]);
        }
        value(x, &d.value, d.value_date.unwrap_or(d.period_start));
        if let Some(pp) = &d.provider {
            party(x, "provider-org", "provider-activity-id", pp, org);
        }
        if let Some(rp) = &d.receiver {
            party(x, "receiver-org", "receiver-activity-id", rp, org);
        }
        x.close("planned-disbursement");
    }
}

fn write_transaction(x: &mut Xml, t: &Transaction, org: &dyn Fn(&str) -> Option<Organisation>) {
    x.open(
        "transaction",
        &[("ref", t.reference.as_deref()), ("humanitarian", t.humanitarian.map(|h| if h { "1" } else { "0" }))],
    );
    x.empty("transaction-type", &[("code", Some(t.kind.as_str()))]);
    let date = t.date.to_string();
    x.empty("transaction-date", &[("iso-date", Some(&date))]);
    value(x, &t.value, t.value_date.unwrap_or(t.date));
    x.text_element("description", &[], &t.description);
    if let Some(pp) = &t.provider {
        party(x, "provider-org", "provider-activity-id", pp, org);
    }
    if let Some(rp) = &t.receiver {
        party(x, "receiver-org", "receiver-activity-id", rp, org);
    }
    for s in &t.sectors {
        x.empty("sector", &[("vocabulary", Some(s.vocabulary())), ("code", Some(s.code()))]);
    }
    if let Some(c) = t.country {
        x.empty("recipient-country", &[("code", Some(c.as_str()))]);
    }
    if let Some(r) = t.region {
        x.empty("recipient-region", &[("code", Some(r.as_str())), ("vocabulary", Some("1"))]);
    }
    if let Some(c) = t.flow_type {
        x.empty("flow-type", &[("code", Some(c.as_str()))]);
    }
    if let Some(c) = t.finance_type {
        x.empty("finance-type", &[("code", Some(c.as_str()))]);
    }
    if let Some(c) = t.aid_type {
        x.empty("aid-type", &[("code", Some(c.as_str())), ("vocabulary", Some("1"))]);
    }
    if let Some(c) = t.tied_status {
        x.empty("tied-status", &[("code", Some(c.as_str()))]);
    }
    x.close("transaction");
}

fn write_document_links(x: &mut Xml, p: &ActivityParts) {
    for l in &p.document_links {
        x.open("document-link", &[("url", Some(&l.url)), ("format", Some(&l.format))]);
        x.text_element("title", &[], &l.title);
        for c in &l.categories {
            x.empty("category", &[("code", Some(c.as_str()))]);
        }
        for lang in &l.languages {
            x.empty("language", &[("code", Some(lang))]);
        }
        if let Some(d) = l.date {
            let d = d.to_string();
            x.empty("document-date", &[("iso-date", Some(&d))]);
        }
        x.close("document-link");
    }
}

/// The results that have indicators: IATI cannot hold the others, which
/// [`write_coopera_facts`] writes in Coopera's namespace.
fn write_results(x: &mut Xml, p: &ActivityParts) {
    for r in p.results.iter().filter(|r| !r.indicators.is_empty()) {
        x.open("result", &[("type", Some(r.level.iati_code()))]);
        x.text_element("title", &[], &r.title);
        x.text_element("description", &[], &r.description);
        for i in &r.indicators {
            write_indicator(x, i);
        }
        x.close("result");
    }
}

fn write_indicator(x: &mut Xml, i: &Indicator) {
    x.open("indicator", &[("measure", Some("1")), ("ascending", bool_attr(i.ascending))]);
    x.text_element("title", &[], &i.title);
    if let Some(b) = &i.baseline {
        let (year, v) = (b.year.to_string(), dec(b.value));
        x.empty("baseline", &[("year", Some(&year)), ("value", Some(&v))]);
    }
    for per in &i.periods {
        x.open("period", &[]);
        let (s, e) = (per.start.to_string(), per.end.to_string());
        x.empty("period-start", &[("iso-date", Some(&s))]);
        x.empty("period-end", &[("iso-date", Some(&e))]);
        if let Some(t) = per.target {
            x.empty("target", &[("value", Some(&dec(t)))]);
        }
        if let Some(t) = per.actual {
            x.empty("actual", &[("value", Some(&dec(t)))]);
        }
        x.close("period");
    }
    x.close("indicator");
}

/// Coopera's own facts, in its namespace: the classification, schemes, workflow and folio;
/// the organisations named; Mexican places; the cross-border agenda; in-kind contributions;
/// results without indicators, with their place among the others; good practice.
fn write_coopera_facts(x: &mut Xml, a: &Activity, org: &dyn Fn(&str) -> Option<Organisation>) {
    let p = a.parts();
    x.empty(
        "coopera:activity",
        &[
            ("instrument", Some(p.instrument.code())),
            ("cooperation-type", Some(p.cooperation_type.code())),
            ("modality", Some(p.modality.code())),
            ("south-south", bool_attr(p.schemes.south_south)),
            ("north-south", bool_attr(p.schemes.north_south)),
            ("workflow", Some(p.workflow.code())),
            ("folio", p.folio.as_deref()),
        ],
    );
    organisations_xml(x, a, org);
    for m in &p.mx_places {
        x.empty(
            "coopera:mx-place",
            &[("state", Some(m.state.as_str())), ("municipality", m.municipality.map(|c| c.as_str()))],
        );
    }
    if let Some(cb) = &p.cross_border {
        x.open("coopera:cross-border", &[("border", Some(cb.border.code()))]);
        for d in &cb.dimensions {
            x.empty("coopera:dimension", &[("code", Some(d.code()))]);
        }
        x.close("coopera:cross-border");
    }
    for k in &p.in_kind {
        let quantity = dec(k.quantity);
        let unit_value = k.unit_value.map(|v| dec(v.amount));
        let attrs = [
            ("unit", Some(k.unit.code())),
            ("quantity", Some(quantity.as_str())),
            ("unit-value", unit_value.as_deref()),
            ("currency", k.unit_value.map(|v| v.currency.as_str())),
        ];
        if k.description.is_empty() {
            x.empty("coopera:in-kind", &attrs);
        } else {
            x.open("coopera:in-kind", &attrs);
            x.narratives(&k.description);
            x.close("coopera:in-kind");
        }
    }
    for (i, r) in p.results.iter().enumerate().filter(|(_, r)| r.indicators.is_empty()) {
        let index = i.to_string();
        x.open("coopera:result", &[("type", Some(r.level.iati_code())), ("index", Some(&index))]);
        x.text_element("coopera:title", &[], &r.title);
        x.text_element("coopera:description", &[], &r.description);
        x.close("coopera:result");
    }
    if let Some(g) = &p.good_practice {
        x.open("coopera:good-practice", &[]);
        x.narratives(g);
        x.close("coopera:good-practice");
    }
}

/// The keys of the organisations an activity names — reporting organisation, participants,
/// parties to its transactions and planned disbursements — in that order, once each.
fn named_organisations(a: &Activity) -> Vec<&str> {
    let p = a.parts();
    let parties = p
        .transactions
        .iter()
        .flat_map(|t| [&t.provider, &t.receiver])
        .chain(p.planned_disbursements.iter().flat_map(|d| [&d.provider, &d.receiver]))
        .filter_map(|party| party.as_ref().and_then(|party| party.org.as_ref()));
    let mut keys: Vec<&str> = Vec::new();
    for key in std::iter::once(&p.reporting_org).chain(p.participants.iter().map(|part| &part.org)).chain(parties) {
        if !keys.contains(&key.as_str()) {
            keys.push(key.as_str());
        }
    }
    keys
}

/// `coopera:organisation` for every registered organisation the activity names, and their
/// parents: what direction is derived from (country, level, INEGI state and municipality)
/// with the rest of the record, so that importing the file into an empty registry gives the
/// same organisations and the same direction. One element per organisation rather than
/// attributes on each `participating-org`: a party to a transaction carries the transaction's
/// own label as its narrative, and a parent may be named nowhere else.
fn organisations_xml(x: &mut Xml, a: &Activity, org: &dyn Fn(&str) -> Option<Organisation>) {
    let mut keys: Vec<String> = named_organisations(a).into_iter().map(str::to_owned).collect();
    let mut i = 0;
    while let Some(key) = keys.get(i).cloned() {
        i += 1;
        let Some(o) = org(&key) else { continue };
        let o = o.parts();
        if let Some(parent) = &o.parent
            && !keys.iter().any(|k| k == parent.as_str())
        {
            keys.push(parent.to_string());
        }
        let (kind, level) = (o.kind.to_string(), o.level.code());
        let attrs = [
            ("key", Some(key.as_str())),
            ("ref", o.iati_ref.as_deref()),
            ("type", Some(kind.as_str())),
            ("level", Some(level)),
            ("country", o.country.map(|c| c.as_str())),
            ("mx-state", o.mx_state.map(|c| c.as_str())),
            ("mx-municipality", o.mx_municipality.map(|c| c.as_str())),
            ("acronym", o.acronym.as_deref()),
            ("parent", o.parent.as_ref().map(|k| k.as_str())),
        ];
        x.open("coopera:organisation", &attrs);
        x.narratives(&o.name);
        x.close("coopera:organisation");
    }
}

/// Writes a whole file: header, activities, footer.
pub fn write_file<'a, W: Write>(
    out: &mut W,
    activities: impl IntoIterator<Item = &'a Activity>,
    org: &dyn Fn(&str) -> Option<Organisation>,
    options: &WriteOptions,
) -> io::Result<usize> {
    write_header(out, options)?;
    let mut n = 0;
    for a in activities {
        write_activity(out, a, org, options)?;
        n += 1;
    }
    write_footer(out)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        let mut s = String::new();
        escape("a<b & \"c\"\u{1}\u{FFFE}d\u{FFFF}\u{B}", &mut s);
        assert_eq!(s, "a&lt;b &amp; &quot;c&quot;d");
    }
}
