//! The document form of every record: what users write in TOML or JSON files, what
//! `coopera activity show` prints, and what the change history stores as before/after.
//!
//! Documents hold plain strings and numbers; `into_domain` checks them into domain types,
//! collecting every problem with the path of its field (`sectors[1].code`), and `from_domain`
//! turns a record back into a document, so a shown record can be edited and added again.
//! Field names here are the paths the domain's problems use.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::activity::*;
use crate::catalog::*;
use crate::code::*;
use crate::ids::{ActivityKey, OrgKey, RecordKey};
use crate::kinds::*;
use crate::organisation::{Organisation, OrganisationFacts, OrganisationParts};
use crate::practice::*;
use crate::problem::{Expected, Problem, Problems, Rule, Target};
use crate::share::Percent;
use crate::subnational::*;
use crate::text::Text;

/// A dataset: a file of records of every kind, each kind an array of tables (`[[organisation]]`,
/// `[[activity]]`…; in JSON, an object of arrays). Records may refer to others in the same file,
/// whatever their order.
///
/// es: Un conjunto de datos: un archivo con registros de todo tipo, cada tipo un arreglo de tablas
/// (`[[organisation]]`, `[[activity]]`…; en JSON, un objeto de arreglos). Un registro puede
/// referirse a otros del mismo archivo, en cualquier orden.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetDoc {
    /// A note on the file, such as where its data come from. It is read and not stored.
    ///
    /// es: Una nota sobre el archivo, como de dónde vienen sus datos. Se lee y no se guarda.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Organisations: the actors of cooperation, which the other records name by key.
    ///
    /// es: Organizaciones: los actores de la cooperación, que los demás registros nombran por su
    /// clave.
    #[serde(default, rename = "organisation", skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<OrganisationDoc>,
    /// Activities: the initiatives of cooperation of the registry.
    ///
    /// es: Actividades: las iniciativas de cooperación del registro.
    #[serde(default, rename = "activity", skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<ActivityDoc>,
    /// Capacities of the catalog: what national institutions can offer.
    ///
    /// es: Capacidades del catálogo: lo que las instituciones nacionales pueden ofrecer.
    #[serde(default, rename = "capacity", skip_serializing_if = "Vec::is_empty")]
    pub capacities: Vec<CapacityDoc>,
    /// Demands: requests for cooperation, matched against the catalog.
    ///
    /// es: Solicitudes de cooperación, que se comparan con el catálogo.
    #[serde(default, rename = "demand", skip_serializing_if = "Vec::is_empty")]
    pub demands: Vec<DemandDoc>,
    /// International actions of states and municipalities.
    ///
    /// es: Acciones internacionales de estados y municipios.
    #[serde(default, rename = "action", skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionDoc>,
    /// Inter-institutional agreements.
    ///
    /// es: Acuerdos interinstitucionales.
    #[serde(default, rename = "agreement", skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<AgreementDoc>,
    /// Memberships of networks of organisations.
    ///
    /// es: Membresías en redes de organizaciones.
    #[serde(default, rename = "membership", skip_serializing_if = "Vec::is_empty")]
    pub memberships: Vec<MembershipDoc>,
    /// Good practices of the federal government, of states and of municipalities.
    ///
    /// es: Buenas prácticas del gobierno federal, de los estados y de los municipios.
    #[serde(default, rename = "practice", skip_serializing_if = "Vec::is_empty")]
    pub practices: Vec<PracticeDoc>,
}

impl DatasetDoc {
    /// The array names of a dataset file, as they appear in paths (`activity[3].title`).
    pub const SECTIONS: [&'static str; 8] =
        ["organisation", "activity", "capacity", "demand", "action", "agreement", "membership", "practice"];
}

/// Text as `"…"` (Spanish) or as `{ es = "…", en = "…" }`. Missing, it is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TextDoc {
    Plain(String),
    Langs(BTreeMap<String, String>),
}

impl Default for TextDoc {
    fn default() -> TextDoc {
        TextDoc::Plain(String::new())
    }
}

impl TextDoc {
    fn into_text(self) -> Text {
        let mut t = Text::new();
        match self {
            TextDoc::Plain(s) => t.set("es", &s),
            TextDoc::Langs(m) => m.iter().for_each(|(k, v)| t.set(k, v)),
        }
        t
    }

    fn from_text(t: &Text) -> Option<TextDoc> {
        if t.is_empty() {
            return None;
        }
        Some(TextDoc::Langs(t.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()))
    }
}

fn text(t: Option<TextDoc>) -> Text {
    t.map(TextDoc::into_text).unwrap_or_default()
}

/// A number as written: integer, decimal or string. Kept exact through a decimal string.
/// Missing, it is an empty text (a required number reports it so).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NumberDoc {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Default for NumberDoc {
    fn default() -> NumberDoc {
        NumberDoc::Text(String::new())
    }
}

impl NumberDoc {
    fn to_decimal(&self) -> Result<Decimal, Problem> {
        let s = match self {
            NumberDoc::Int(i) => return Ok(Decimal::from(*i)),
            NumberDoc::Float(f) => f.to_string(),
            NumberDoc::Text(s) if s.trim().is_empty() => return Err(required()),
            NumberDoc::Text(s) => s.trim().to_owned(),
        };
        Decimal::from_str(&s)
            .or_else(|_| Decimal::from_scientific(&s))
            .map(|d| d.normalize())
            .map_err(|_| Problem::new("", Some(&s), Rule::Format { expected: Expected::Number }))
    }

    fn from_decimal(d: Decimal) -> NumberDoc {
        NumberDoc::Text(d.normalize().to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Small checked conversions. Each records its problem at `path` and gives `None`.

struct Checker {
    problems: Problems,
}

impl Checker {
    /// A checker for `doc` that has already looked at every text in it: a character XML
    /// cannot carry is refused wherever it is, whatever door the document came in by.
    fn of(doc: &impl Serialize) -> Checker {
        Checker { problems: crate::limits::check_characters(doc) }
    }

    fn one<T>(&mut self, path: &str, r: Result<T, Problem>) -> Option<T> {
        self.problems.take_one(path, r)
    }

    fn opt<T>(
        &mut self,
        path: &str,
        value: Option<&str>,
        parse: impl Fn(&str) -> Result<T, Problem>,
    ) -> Option<Option<T>> {
        match value {
            None => Some(None),
            Some(v) if v.trim().is_empty() => Some(None),
            Some(v) => self.one(path, parse(v)).map(Some),
        }
    }

    fn date(&mut self, path: &str, value: &str) -> Option<Date> {
        self.one(path, parse_date(value))
    }

    fn opt_date(&mut self, path: &str, value: Option<&str>) -> Option<Option<Date>> {
        self.opt(path, value, parse_date)
    }

    /// A number within the bounds every number keeps ([`crate::limits`]).
    fn number(&mut self, path: &str, n: &NumberDoc) -> Option<Decimal> {
        self.one(path, n.to_decimal().and_then(crate::limits::check_number))
    }

    fn percent(&mut self, path: &str, n: Option<&NumberDoc>, default_hundred: bool) -> Option<Percent> {
        match n {
            None if default_hundred => Some(Percent::HUNDRED),
            None => self.one(path, Err(required())),
            Some(n) => {
                let d = self.number(path, n)?;
                self.one(path, Percent::new(d))
            }
        }
    }
}

/// Parses `YYYY-MM-DD`, ignoring a time part (`2012-01-01T00:00:00Z`). Years run from 1 to
/// 9999: `xs:date`, which IATI publishes dates as, has no year 0, and a year before 1 is no
/// date of cooperation.
pub fn parse_date(value: &str) -> Result<Date, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Err(required());
    }
    let day = v.split(['T', ' ']).next().unwrap_or(v);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(day, &format)
        .map_err(|_| Problem::new("", Some(value), Rule::Format { expected: Expected::Date }))?;
    if date.year() < 1 {
        let bounds = Rule::OutOfBounds { min: "0001-01-01".into(), max: "9999-12-31".into() };
        return Err(Problem::new("", Some(value), bounds));
    }
    Ok(date)
}

fn date_text(d: Date) -> String {
    d.to_string()
}

fn list<T, D>(items: &[T], f: impl Fn(&T) -> D) -> Vec<D> {
    items.iter().map(f).collect()
}

// ---------------------------------------------------------------------------------------------
// References

/// A field of a document that names another record, which must exist: checked by the store,
/// against the registry and the records written with it. Every kind of document lists its
/// references here and only here, so a form can have them checked before its record is
/// whole, in the same answer as its other problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The field's path in the document (`participants[1].org`).
    pub path: String,
    pub target: Target,
    /// The key named, trimmed. A key that is not well formed is not a reference (its format
    /// is the document's problem).
    pub key: String,
}

/// Collects the references of one document.
#[derive(Debug, Default)]
struct References(Vec<Reference>);

impl References {
    fn org(&mut self, path: String, key: &str) {
        self.add(path, Target::Organisation, key);
    }

    fn add(&mut self, path: String, target: Target, key: &str) {
        let valid = match target {
            Target::Organisation | Target::SubnationalGovernment | Target::MexicanGovernment => {
                OrgKey::parse(key).is_ok()
            }
            Target::Activity => ActivityKey::parse(key).is_ok(),
            Target::Capacity | Target::Demand | Target::Record(_) => RecordKey::parse(key).is_ok(),
        };
        if valid {
            self.0.push(Reference { path, target, key: key.trim().to_owned() });
        }
    }

    fn activities(&mut self, field: &str, keys: &[String]) {
        for (i, k) in keys.iter().enumerate() {
            self.add(format!("{field}[{i}]"), Target::Activity, k);
        }
    }
}

impl OrganisationDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        if let Some(parent) = &self.parent {
            r.org("parent".into(), parent);
        }
        r.0
    }
}

impl ActivityDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        r.org("reporting_org".into(), &self.reporting_org);
        for (i, p) in self.participants.iter().enumerate() {
            r.org(format!("participants[{i}].org"), &p.org);
        }
        for (i, t) in self.transactions.iter().enumerate() {
            for (side, party) in [("provider", &t.provider), ("receiver", &t.receiver)] {
                if let Some(k) = party.as_ref().and_then(|p| p.org.as_deref()) {
                    r.org(format!("transactions[{i}].{side}.org"), k);
                }
            }
        }
        r.0
    }
}

impl CapacityDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        r.org("institution".into(), &self.institution);
        r.activities("evidence", &self.evidence);
        r.0
    }
}

impl DemandDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        r.org("requester".into(), &self.requester);
        for (i, k) in self.proposed.iter().enumerate() {
            r.add(format!("proposed[{i}]"), Target::Capacity, k);
        }
        if let Some(activity) = &self.activity {
            r.add("activity".into(), Target::Activity, activity);
        }
        r.0
    }
}

impl ActionDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        r.add("actor".into(), Target::SubnationalGovernment, &self.actor);
        r.activities("activities", &self.activities);
        r.0
    }
}

impl AgreementDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        for (i, k) in self.parties.iter().enumerate() {
            r.org(format!("parties[{i}]"), k);
        }
        r.activities("activities", &self.activities);
        r.0
    }
}

impl MembershipDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        r.org("network".into(), &self.network);
        r.org("member".into(), &self.member);
        r.0
    }
}

// ---------------------------------------------------------------------------------------------
// Organisation

/// An organisation: an actor of cooperation — a federal agency, a state or municipal government, a
/// foreign agency, an international organisation, a university, a civil-society organisation. Other
/// records name it by its `key`.
///
/// es: Una organización: un actor de la cooperación — una dependencia federal, un gobierno estatal
/// o municipal, una agencia extranjera, un organismo internacional, una universidad, una
/// organización de la sociedad civil. Los demás registros la nombran por su `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationDoc {
    /// The organisation's key, by which other records name it (`amexcid`, `gob-chiapas`).
    ///
    /// es: La clave de la organización, con la que los demás registros la nombran (`amexcid`,
    /// `gob-chiapas`).
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// Its IATI organisation identifier, when it has one (`XM-DAC-41114` for UNDP).
    ///
    /// es: Su identificador de organización IATI, si lo tiene (`XM-DAC-41114` para el PNUD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iati_ref: Option<String>,
    /// Its name.
    ///
    /// es: Su nombre.
    ///
    /// required: yes
    #[serde(default)]
    pub name: TextDoc,
    /// Its acronym (`AMEXCID`).
    ///
    /// es: Sus siglas (`AMEXCID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    /// Its type (government, multilateral, NGO, academic…).
    ///
    /// es: Su tipo (gobierno, organismo multilateral, ONG, academia…).
    ///
    /// codes: OrganisationType
    /// required: yes
    #[serde(default)]
    pub kind: String,
    /// The level of government, or kind of actor, it belongs to. A `state` or `municipal`
    /// government is Mexican and gives `mx_state`; a municipal one also `mx_municipality`.
    ///
    /// es: El orden de gobierno, o tipo de actor, al que pertenece. Un gobierno `state` (estatal) o
    /// `municipal` es mexicano e indica `mx_state`; uno municipal, también `mx_municipality`.
    ///
    /// codes: Level
    /// required: yes
    #[serde(default)]
    pub level: String,
    /// Its country (`MX`); none for an international organisation. Whether cooperation is given or
    /// received depends on it.
    ///
    /// es: Su país (`MX`); ninguno para un organismo internacional. De él depende si la cooperación
    /// es otorgada o recibida.
    ///
    /// codes: Country
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// For a Mexican organisation, its federal entity: INEGI code (`07`) or ISO 3166-2 code
    /// (`MX-CHP`). Only for organisations of Mexico.
    ///
    /// es: Para una organización mexicana, su entidad federativa: clave INEGI (`07`) o código ISO
    /// 3166-2 (`MX-CHP`). Solo para organizaciones de México.
    ///
    /// codes: MxState
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_state: Option<String>,
    /// For a municipal government, its municipality: the five-digit INEGI code (`07101`), in the
    /// state of `mx_state`.
    ///
    /// es: Para un gobierno municipal, su municipio: la clave INEGI de cinco dígitos (`07101`), en
    /// la entidad de `mx_state`.
    ///
    /// codes: MxMunicipality
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_municipality: Option<String>,
    /// The organisation it belongs to (AMEXCID's is `sre`); not itself.
    ///
    /// es: La organización a la que pertenece (la de AMEXCID es `sre`); no ella misma.
    ///
    /// format: org
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl OrganisationDoc {
    /// The checked organisation, or every problem: those of its fields and those of its rules
    /// over what could be read ([`OrganisationFacts`]).
    pub fn into_domain(self) -> Result<Organisation, Problems> {
        let mut c = Checker::of(&self);
        let key = c.one("key", OrgKey::parse(&self.key));
        let kind = c.one("kind", OrganisationTypeCode::parse(&self.kind));
        let level = c.one("level", Level::parse(&self.level));
        let country = c.opt("country", self.country.as_deref(), CountryCode::parse);
        let mx_state = c.opt("mx_state", self.mx_state.as_deref(), MxStateCode::parse_any);
        let mx_municipality = c.opt("mx_municipality", self.mx_municipality.as_deref(), MxMunicipalityCode::parse);
        let parent = c.opt("parent", self.parent.as_deref(), OrgKey::parse);
        let name = self.name.into_text();
        let (Some(key), Some(kind), Some(level), Some(country), Some(mx_state), Some(mx_municipality), Some(parent)) =
            (key.clone(), kind, level, country, mx_state, mx_municipality, parent.clone())
        else {
            let facts = OrganisationFacts {
                key: key.as_ref(),
                name: &name,
                level,
                country,
                mx_state,
                mx_municipality,
                parent: parent.as_ref().map(Option::as_ref),
            };
            let rules = facts.check();
            c.problems.nest("", rules);
            return Err(c.problems);
        };
        let parts = OrganisationParts {
            key,
            iati_ref: self.iati_ref.filter(|s| !s.trim().is_empty()),
            name,
            acronym: self.acronym.filter(|s| !s.trim().is_empty()),
            kind,
            level,
            country,
            mx_state,
            mx_municipality,
            parent,
        };
        match Organisation::new(parts) {
            Ok(o) if c.problems.is_empty() => Ok(o),
            Ok(_) => Err(c.problems),
            Err(rules) => {
                c.problems.nest("", rules);
                Err(c.problems)
            }
        }
    }

    pub fn from_domain(o: &Organisation) -> OrganisationDoc {
        let p = o.parts();
        OrganisationDoc {
            key: p.key.to_string(),
            iati_ref: p.iati_ref.clone(),
            name: TextDoc::from_text(&p.name).unwrap_or(TextDoc::Plain(String::new())),
            acronym: p.acronym.clone(),
            kind: p.kind.to_string(),
            level: p.level.code().to_owned(),
            country: p.country.map(|c| c.to_string()),
            mx_state: p.mx_state.map(|c| c.to_string()),
            mx_municipality: p.mx_municipality.map(|c| c.to_string()),
            parent: p.parent.as_ref().map(|k| k.to_string()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Activity

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantDoc {
    /// The organisation taking part.
    ///
    /// es: La organización que participa.
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub org: String,
    /// Its role. `first-provider` and `second-provider` are for triangular cooperation only, which
    /// needs both and a `recipient`.
    ///
    /// es: Su papel. `first-provider` (primer oferente) y `second-provider` (segundo oferente) son
    /// solo para la cooperación triangular, que necesita ambos y un `recipient` (receptor).
    ///
    /// codes: Role
    /// required: yes
    #[serde(default)]
    pub role: String,
}

/// A sector: DAC 5-digit code by default; `vocabulary` 2 (DAC category), 7 (SDG goal),
/// 8 (SDG target) or any other IATI SectorVocabulary. `percentage` defaults to 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorDoc {
    /// The vocabulary of `code`: `1` DAC 5-digit purpose code, `2` DAC 3-digit category, `7` SDG
    /// goal, `8` SDG target. Another code of IATI's SectorVocabulary is kept, and its codes are not
    /// checked.
    ///
    /// es: El vocabulario de `code`: `1` código de propósito CAD de 5 dígitos, `2` categoría CAD de
    /// 3 dígitos, `7` objetivo ODS, `8` meta ODS. Otro código del SectorVocabulary de IATI se
    /// guarda, y sus códigos no se revisan.
    ///
    /// default: 1
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
    /// The sector, a code of its vocabulary's list (`41010`, `311`, `13`, `13.2`).
    ///
    /// es: El sector, un código de la lista de su vocabulario (`41010`, `311`, `13`, `13.2`).
    ///
    /// codes: Sector, SectorCategory, UNSDG-Goals, UNSDG-Targets
    /// required: yes
    #[serde(default)]
    pub code: String,
    /// Its share, from 0 to 100. The percentages of each vocabulary add up to 100 (±0.01); it may
    /// be left out when the sector is the only one of its vocabulary, and is then 100.
    ///
    /// es: Su parte, de 0 a 100. Los porcentajes de cada vocabulario suman 100 (±0.01); puede
    /// omitirse cuando el sector es el único de su vocabulario, y entonces es 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<NumberDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareDoc {
    /// The code of the country (`GT`) or region (`1032`, Central America).
    ///
    /// es: El código del país (`GT`) o de la región (`1032`, América Central).
    ///
    /// required: yes
    #[serde(default)]
    pub code: String,
    /// Its share, from 0 to 100. The percentages of the countries and regions together add up to
    /// 100 (±0.01); it may be left out when the activity has one place only, and is then 100.
    ///
    /// es: Su parte, de 0 a 100. Los porcentajes de los países y regiones juntos suman 100 (±0.01);
    /// puede omitirse cuando la actividad tiene un solo lugar, y entonces es 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<NumberDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMarkerDoc {
    /// The policy objective.
    ///
    /// es: El objetivo de política.
    ///
    /// codes: PolicyMarker
    /// required: yes
    #[serde(default)]
    pub code: String,
    /// How much the activity aims at it, from `0` (not targeted) to `4`.
    ///
    /// es: Cuánto se orienta la actividad a él, de `0` (no orientada) a `4`.
    ///
    /// codes: PolicySignificance
    /// required: yes
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significance: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MxPlaceDoc {
    /// A federal entity where the activity happens or which takes part: INEGI code (`07`) or ISO
    /// 3166-2 code (`MX-CHP`).
    ///
    /// es: Una entidad federativa donde ocurre la actividad o que participa: clave INEGI (`07`) o
    /// código ISO 3166-2 (`MX-CHP`).
    ///
    /// codes: MxState
    /// required: yes
    #[serde(default)]
    pub state: String,
    /// A municipality of that state: its five-digit INEGI code (`07101`).
    ///
    /// es: Un municipio de esa entidad: su clave INEGI de cinco dígitos (`07101`).
    ///
    /// codes: MxMunicipality
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointDoc {
    /// The place's own reference, as its publisher gives it.
    ///
    /// es: La referencia propia del lugar, como la da quien lo publica.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The place's name (`Tapachula`).
    ///
    /// es: El nombre del lugar (`Tapachula`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<TextDoc>,
    /// What happens there.
    ///
    /// es: Qué ocurre allí.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
    /// Its latitude in decimal degrees (`14.9`); given together with `longitude`, or neither.
    ///
    /// es: Su latitud en grados decimales (`14.9`); se da junto con `longitude`, o ninguna de las
    /// dos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<NumberDoc>,
    /// Its longitude in decimal degrees (`-92.26`); given together with `latitude`, or neither.
    ///
    /// es: Su longitud en grados decimales (`-92.26`); se da junto con `latitude`, o ninguna de las
    /// dos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<NumberDoc>,
}

/// A tag of a vocabulary other than the SDGs (those go in `sdgs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDoc {
    /// The tag's vocabulary, a code of IATI's TagVocabulary (`1` Agrovoc, `99` the reporting
    /// organisation's own); kept as written. SDGs go in `sdgs`.
    ///
    /// es: El vocabulario de la etiqueta, un código del TagVocabulary de IATI (`1` Agrovoc, `99` el
    /// propio de la organización informante); se guarda como se escribe. Los ODS van en `sdgs`.
    pub vocabulary: String,
    /// The tag, in its vocabulary; kept as written.
    ///
    /// es: La etiqueta, en su vocabulario; se guarda como se escribe.
    pub code: String,
    /// The tag's name.
    ///
    /// es: El nombre de la etiqueta.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<TextDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedDoc {
    /// How the other activity relates to this one.
    ///
    /// es: Cómo se relaciona la otra actividad con esta.
    ///
    /// codes: RelatedActivityType
    /// required: yes
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The other activity's identifier; it need not be in the registry.
    ///
    /// es: El identificador de la otra actividad; no necesita estar en el registro.
    ///
    /// format: identifier
    /// required: yes
    #[serde(default)]
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentLinkDoc {
    /// The document's address (`https://…`).
    ///
    /// es: La dirección del documento (`https://…`).
    ///
    /// required: yes
    #[serde(default)]
    pub url: String,
    /// Its file type, as an IANA media type (`application/pdf`, `text/html`).
    ///
    /// es: Su tipo de archivo, como tipo de medio IANA (`application/pdf`, `text/html`).
    ///
    /// required: yes
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Its title.
    ///
    /// es: Su título.
    ///
    /// required: yes
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<TextDoc>,
    /// What kind of document it is (`A01` pre- and post-project impact appraisal, `A02`
    /// objectives…).
    ///
    /// es: Qué tipo de documento es (`A01` evaluación de impacto antes y después del proyecto,
    /// `A02` objetivos…).
    ///
    /// codes: DocumentCategory
    /// min: 1
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The languages it is written in (`es`, `en`); kept as written.
    ///
    /// es: Los idiomas en que está escrito (`es`, `en`); se guardan como se escriben.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Its date of publication.
    ///
    /// es: Su fecha de publicación.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedDisbursementDoc {
    /// Whether it revises an earlier plan rather than being the original one.
    ///
    /// es: Si revisa un plan anterior en lugar de ser el original.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revised: bool,
    /// The start of the period it is planned for.
    ///
    /// es: El inicio del periodo para el que está previsto.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub period_start: String,
    /// The end of that period; not before its start.
    ///
    /// es: El fin de ese periodo; no anterior a su inicio.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// The amount planned.
    ///
    /// es: El monto previsto.
    ///
    /// required: yes
    #[serde(default)]
    pub amount: NumberDoc,
    /// Its currency (`USD`, `MXN`); when left out, the activity's `default_currency`, which must
    /// then be given.
    ///
    /// es: Su moneda (`USD`, `MXN`); si se omite, la `default_currency` de la actividad, que
    /// entonces debe indicarse.
    ///
    /// codes: Currency
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The date of the exchange rate for the amount (IATI's value date).
    ///
    /// es: La fecha del tipo de cambio del monto (la *value date* de IATI).
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<String>,
    /// Who will pay it.
    ///
    /// es: Quién lo pagará.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<PartyDoc>,
    /// Who will receive it.
    ///
    /// es: Quién lo recibirá.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<PartyDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossBorderDoc {
    /// The border the activity belongs to.
    ///
    /// es: La frontera a la que pertenece la actividad.
    ///
    /// codes: Border
    /// required: yes
    #[serde(default)]
    pub border: String,
    /// The dimensions of the cross-border agenda it serves.
    ///
    /// es: Las dimensiones de la agenda transfronteriza que atiende.
    ///
    /// codes: CrossBorderDimension
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesDoc {
    /// The planned start.
    ///
    /// es: El inicio previsto.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<String>,
    /// The planned end; not before the planned start.
    ///
    /// es: El término previsto; no anterior al inicio previsto.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_end: Option<String>,
    /// The actual start.
    ///
    /// es: El inicio real.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_start: Option<String>,
    /// The actual end; not before the actual start.
    ///
    /// es: El término real; no anterior al inicio real.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetDoc {
    /// Whether it is a revised budget rather than the original one.
    ///
    /// es: Si es un presupuesto revisado en lugar del original.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revised: bool,
    /// The start of the budget's period.
    ///
    /// es: El inicio del periodo del presupuesto.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub period_start: String,
    /// The end of the period; not before its start.
    ///
    /// es: El fin del periodo; no anterior a su inicio.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub period_end: String,
    /// The amount budgeted for the period.
    ///
    /// es: El monto presupuestado para el periodo.
    ///
    /// required: yes
    #[serde(default)]
    pub amount: NumberDoc,
    /// Its currency (`USD`, `MXN`); when left out, the activity's `default_currency`, which must
    /// then be given.
    ///
    /// es: Su moneda (`USD`, `MXN`); si se omite, la `default_currency` de la actividad, que
    /// entonces debe indicarse.
    ///
    /// codes: Currency
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The date whose exchange rate converts the amount in reports; the period's start when left
    /// out.
    ///
    /// es: La fecha cuyo tipo de cambio convierte el monto en los informes; el inicio del periodo
    /// si se omite.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDoc {
    /// The party, when it is an organisation of the registry: its key.
    ///
    /// es: La parte, cuando es una organización del registro: su clave.
    ///
    /// format: org
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The party's IATI organisation identifier.
    ///
    /// es: El identificador de organización IATI de la parte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iati_ref: Option<String>,
    /// The party's name, when it is not in the registry.
    ///
    /// es: El nombre de la parte, cuando no está en el registro.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The identifier of the party's own activity for this flow, so that a flow both activities
    /// report counts once.
    ///
    /// es: El identificador de la actividad propia de la parte para este flujo, de modo que un
    /// flujo que informan ambas actividades cuente una vez.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionDoc {
    /// The transaction's own reference.
    ///
    /// es: La referencia propia de la transacción.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Whether the transaction is humanitarian, when it differs from the activity.
    ///
    /// es: Si la transacción es humanitaria, cuando difiere de la actividad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub humanitarian: Option<bool>,
    /// The kind of flow. Reports count commitments (`2`, else `11`), disbursements (`3`, else `1`)
    /// and expenditure (`4`).
    ///
    /// es: El tipo de flujo. Los informes cuentan compromisos (`2`, si no `11`), desembolsos (`3`,
    /// si no `1`) y gastos (`4`).
    ///
    /// codes: TransactionType
    /// required: yes
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The date of the transaction.
    ///
    /// es: La fecha de la transacción.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub date: String,
    /// The amount.
    ///
    /// es: El monto.
    ///
    /// required: yes
    #[serde(default)]
    pub amount: NumberDoc,
    /// Its currency (`USD`, `MXN`); when left out, the activity's `default_currency`, which must
    /// then be given.
    ///
    /// es: Su moneda (`USD`, `MXN`); si se omite, la `default_currency` de la actividad, que
    /// entonces debe indicarse.
    ///
    /// codes: Currency
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The date whose exchange rate converts the amount in reports; the transaction's date when
    /// left out.
    ///
    /// es: La fecha cuyo tipo de cambio convierte el monto en los informes; la fecha de la
    /// transacción si se omite.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<String>,
    /// What the transaction is for.
    ///
    /// es: Para qué es la transacción.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
    /// Who the money comes from.
    ///
    /// es: De quién viene el dinero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<PartyDoc>,
    /// Who receives it.
    ///
    /// es: Quién lo recibe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<PartyDoc>,
    /// The transaction's sectors, when they differ from the activity's; without percentages.
    ///
    /// es: Los sectores de la transacción, cuando difieren de los de la actividad; sin porcentajes.
    ///
    /// without: percentage
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorDoc>,
    /// The recipient country of this transaction, for activities that give it per transaction.
    ///
    /// es: El país receptor de esta transacción, para actividades que lo indican por transacción.
    ///
    /// codes: Country
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The recipient region of this transaction, for activities that give it per transaction.
    ///
    /// es: La región receptora de esta transacción, para actividades que la indican por
    /// transacción.
    ///
    /// codes: Region
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The flow type, when it differs from the activity's.
    ///
    /// es: El tipo de flujo, cuando difiere del de la actividad.
    ///
    /// codes: FlowType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<String>,
    /// The finance type, when it differs from the activity's.
    ///
    /// es: El tipo de financiamiento, cuando difiere del de la actividad.
    ///
    /// codes: FinanceType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance_type: Option<String>,
    /// The aid type, when it differs from the activity's.
    ///
    /// es: El tipo de ayuda, cuando difiere del de la actividad.
    ///
    /// codes: AidType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aid_type: Option<String>,
    /// The tied status, when it differs from the activity's.
    ///
    /// es: La condición de ligada, cuando difiere de la de la actividad.
    ///
    /// codes: TiedStatus
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tied_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InKindDoc {
    /// What is counted.
    ///
    /// es: Qué se cuenta.
    ///
    /// codes: InKindUnit
    /// required: yes
    #[serde(default)]
    pub unit: String,
    /// How many units; not negative. With `unit_value`, their value (quantity × unit value) also
    /// lies within ±10^15.
    ///
    /// es: Cuántas unidades; no negativo. Con `unit_value`, su valor (cantidad × valor unitario)
    /// también está entre ±10^15.
    ///
    /// required: yes
    #[serde(default)]
    pub quantity: NumberDoc,
    /// The value of one unit. When left out, reports value the units with the published rate table
    /// (`--in-kind-rates`).
    ///
    /// es: El valor de una unidad. Si se omite, los informes valoran las unidades con la tabla de
    /// valores publicada (`--in-kind-rates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_value: Option<NumberDoc>,
    /// The currency of `unit_value`; the activity's `default_currency` when left out (with a unit
    /// value, one of the two is needed).
    ///
    /// es: La moneda de `unit_value`; la `default_currency` de la actividad si se omite (con un
    /// valor unitario, se necesita una de las dos).
    ///
    /// codes: Currency
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// What the contribution is (`Traps and lures (batches)`).
    ///
    /// es: En qué consiste la aportación (`Trampas y atrayentes (lotes)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodDoc {
    /// The start of the period.
    ///
    /// es: El inicio del periodo.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub start: String,
    /// The end of the period; not before its start.
    ///
    /// es: El fin del periodo; no anterior a su inicio.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub end: String,
    /// The value the indicator should reach in the period.
    ///
    /// es: El valor que el indicador debe alcanzar en el periodo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<NumberDoc>,
    /// The value it reached.
    ///
    /// es: El valor que alcanzó.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<NumberDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDoc {
    /// What the indicator measures (`Technicians trained`).
    ///
    /// es: Qué mide el indicador (`Técnicos formados`).
    pub title: TextDoc,
    /// Whether a higher value is better.
    ///
    /// es: Si un valor más alto es mejor.
    ///
    /// default: true
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub ascending: bool,
    /// The year of the baseline; needed when `baseline` is given.
    ///
    /// es: El año de la línea base; necesario si se da `baseline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_year: Option<i32>,
    /// The value before the activity.
    ///
    /// es: El valor antes de la actividad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<NumberDoc>,
    /// The target and actual values, period by period.
    ///
    /// es: Los valores meta y alcanzados, periodo por periodo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodDoc>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultDoc {
    /// The level of the result in the logical framework; IATI's ResultType codes `1`, `2`, `3` and
    /// `9` are read as these.
    ///
    /// es: El nivel del resultado en el marco lógico; los códigos `1`, `2`, `3` y `9` del
    /// ResultType de IATI se leen como estos.
    ///
    /// values: output, outcome, impact, other
    /// required: yes
    #[serde(default)]
    pub level: String,
    /// The result expected.
    ///
    /// es: El resultado esperado.
    ///
    /// required: yes
    #[serde(default)]
    pub title: TextDoc,
    /// A fuller description.
    ///
    /// es: Una descripción más amplia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
    /// How the result is measured.
    ///
    /// es: Cómo se mide el resultado.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorDoc>,
}

/// An activity (iniciativa de cooperación): the unit of the registry. A file may hold one activity
/// at its top level, or many as `[[activity]]` in a dataset. Its direction (given, received or both
/// ways) is not written: Coopera derives it from the participants and their organisations.
///
/// es: Una actividad (iniciativa de cooperación): la unidad del registro. Un archivo puede tener
/// una sola actividad en su nivel superior, o muchas como `[[activity]]` en un conjunto de datos.
/// Su dirección (otorgada, recibida o bidireccional) no se escribe: Coopera la deriva de los
/// participantes y sus organizaciones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDoc {
    /// The activity's identifier: its IATI identifier, the reporting organisation's identifier
    /// followed by the activity's own code (`MX-AMEXCID-2012-0001`).
    ///
    /// es: El identificador de la actividad: su identificador IATI, el de la organización
    /// informante seguido del código propio de la actividad (`MX-AMEXCID-2012-0001`).
    ///
    /// format: identifier
    /// required: yes
    #[serde(default)]
    pub id: String,
    /// The agency's own folio for it.
    ///
    /// es: El folio que le da la agencia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folio: Option<String>,
    /// The organisation that reports it.
    ///
    /// es: La organización que la informa.
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub reporting_org: String,
    /// Its title.
    ///
    /// es: Su título.
    ///
    /// required: yes
    #[serde(default)]
    pub title: TextDoc,
    /// What it does.
    ///
    /// es: Qué hace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
    /// What it aims to achieve.
    ///
    /// es: Qué busca lograr.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objectives: Option<TextDoc>,
    /// The form it takes.
    ///
    /// es: La forma que toma.
    ///
    /// codes: Instrument
    /// required: yes
    #[serde(default)]
    pub instrument: String,
    /// The type of cooperation.
    ///
    /// es: El tipo de cooperación.
    ///
    /// codes: CooperationType
    /// required: yes
    #[serde(default)]
    pub cooperation_type: String,
    /// How many partners take part, and how. A `triangular` activity has a first provider, a second
    /// provider and a recipient among its `participants`.
    ///
    /// es: Cuántos socios participan, y cómo. Una actividad `triangular` tiene un primer oferente,
    /// un segundo oferente y un receptor entre sus `participants`.
    ///
    /// codes: Modality
    /// required: yes
    #[serde(default)]
    pub modality: String,
    /// Whether it is South-South cooperation (between developing countries).
    ///
    /// es: Si es cooperación Sur-Sur (entre países en desarrollo).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub south_south: bool,
    /// Whether it is North-South cooperation.
    ///
    /// es: Si es cooperación Norte-Sur.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub north_south: bool,
    /// IATI's collaboration type.
    ///
    /// es: El tipo de colaboración de IATI.
    ///
    /// codes: CollaborationType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaboration_type: Option<String>,
    /// The currency of every amount that does not name its own.
    ///
    /// es: La moneda de todo monto que no indica la suya.
    ///
    /// codes: Currency
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<String>,
    /// IATI's flow type (`10` ODA…).
    ///
    /// es: El tipo de flujo de IATI (`10` AOD…).
    ///
    /// codes: FlowType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<String>,
    /// IATI's finance type (`110` standard grant…).
    ///
    /// es: El tipo de financiamiento de IATI (`110` donación estándar…).
    ///
    /// codes: FinanceType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance_type: Option<String>,
    /// IATI's aid type (`C01` project-type interventions…).
    ///
    /// es: El tipo de ayuda de IATI (`C01` intervenciones tipo proyecto…).
    ///
    /// codes: AidType
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aid_type: Option<String>,
    /// IATI's tied status.
    ///
    /// es: La condición de ligada de IATI.
    ///
    /// codes: TiedStatus
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tied_status: Option<String>,
    /// Whether it is humanitarian.
    ///
    /// es: Si es humanitaria.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub humanitarian: bool,
    /// Where it stands.
    ///
    /// es: En qué etapa está.
    ///
    /// codes: ActivityStatus
    /// required: yes
    #[serde(default)]
    pub status: String,
    /// Where the record stands in the registry's validation.
    ///
    /// es: En qué paso de la validación del registro está.
    ///
    /// codes: WorkflowState
    /// default: draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    /// The organisations taking part and their roles, each organisation once in each role. The
    /// direction (given, received, both ways) is derived from them.
    ///
    /// es: Las organizaciones que participan y sus papeles, cada organización una vez en cada
    /// papel. La dirección (otorgada, recibida, bidireccional) se deriva de ellas.
    ///
    /// min: 1
    #[serde(default)]
    pub participants: Vec<ParticipantDoc>,
    /// Its sectors: DAC purpose codes, and codes of other vocabularies, the percentages of each
    /// vocabulary adding up to 100.
    ///
    /// es: Sus sectores: códigos de propósito CAD, y códigos de otros vocabularios; los porcentajes
    /// de cada vocabulario suman 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorDoc>,
    /// The Sustainable Development Goals (`5`) and targets (`5.2`) it contributes to.
    ///
    /// es: Los Objetivos de Desarrollo Sostenible (`5`) y metas (`5.2`) a los que contribuye.
    ///
    /// codes: UNSDG-Goals, UNSDG-Targets
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdgs: Vec<String>,
    /// Policy objectives (gender, environment, climate, disaster risk reduction…) and how much it
    /// aims at each.
    ///
    /// es: Objetivos de política (género, medio ambiente, clima, reducción del riesgo de
    /// desastres…) y cuánto se orienta a cada uno.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_markers: Vec<PolicyMarkerDoc>,
    /// Tags of other vocabularies.
    ///
    /// es: Etiquetas de otros vocabularios.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagDoc>,
    /// The recipient countries, with their percentages.
    ///
    /// es: Los países receptores, con sus porcentajes.
    ///
    /// code.codes: Country
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<ShareDoc>,
    /// The recipient regions, with their percentages (adding up to 100 with the countries').
    ///
    /// es: Las regiones receptoras, con sus porcentajes (que suman 100 con los de los países).
    ///
    /// code.codes: Region
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<ShareDoc>,
    /// Mexican states and municipalities where it happens or which take part.
    ///
    /// es: Entidades federativas y municipios donde ocurre o que participan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_places: Vec<MxPlaceDoc>,
    /// Precise places, with coordinates.
    ///
    /// es: Lugares precisos, con coordenadas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<PointDoc>,
    /// For cross-border cooperation: the border and the dimensions of the agenda. Giving it makes
    /// the activity cross-border.
    ///
    /// es: Para la cooperación transfronteriza: la frontera y las dimensiones de la agenda.
    /// Indicarla hace transfronteriza a la actividad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<CrossBorderDoc>,
    /// Planned and actual start and end.
    ///
    /// es: Inicio y término previstos y reales.
    #[serde(default, skip_serializing_if = "is_default")]
    pub dates: DatesDoc,
    /// Budgets, period by period.
    ///
    /// es: Presupuestos, periodo por periodo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<BudgetDoc>,
    /// Disbursements planned, period by period.
    ///
    /// es: Desembolsos previstos, periodo por periodo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned_disbursements: Vec<PlannedDisbursementDoc>,
    /// Money committed, disbursed, spent or received.
    ///
    /// es: Dinero comprometido, desembolsado, gastado o recibido.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<TransactionDoc>,
    /// In-kind contributions (cuantificación): experts' time, courses, trips and materials, valued
    /// in money.
    ///
    /// es: Aportaciones en especie (cuantificación): tiempo de expertos, cursos, viajes y
    /// materiales, valorados en dinero.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_kind: Vec<InKindDoc>,
    /// Results of the logical framework, with their indicators.
    ///
    /// es: Resultados del marco lógico, con sus indicadores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultDoc>,
    /// Other activities related to this one.
    ///
    /// es: Otras actividades relacionadas con esta.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_activities: Vec<RelatedDoc>,
    /// Documents about the activity.
    ///
    /// es: Documentos sobre la actividad.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_links: Vec<DocumentLinkDoc>,
    /// Why the activity is a good practice (buena práctica), for dissemination; giving it marks the
    /// activity as one.
    ///
    /// es: Por qué la actividad es una buena práctica, para su difusión; indicarlo la señala como
    /// tal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub good_practice: Option<TextDoc>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

fn sector_ref(c: &mut Checker, path: &str, vocabulary: Option<&str>, code: &str) -> Option<SectorRef> {
    let path = format!("{path}.code");
    match vocabulary.map(str::trim).unwrap_or("1") {
        "1" | "" => c.one(&path, SectorCode::parse(code)).map(SectorRef::Dac),
        "2" => c.one(&path, SectorCategoryCode::parse(code)).map(SectorRef::DacCategory),
        "7" => c.one(&path, SdgGoalCode::parse(code)).map(SectorRef::SdgGoal),
        "8" => c.one(&path, SdgTargetCode::parse(code)).map(SectorRef::SdgTarget),
        _ if code.trim().is_empty() => c.one(&path, Err(required())),
        other => Some(SectorRef::Other { vocabulary: other.to_owned(), code: code.trim().to_owned() }),
    }
}

/// The vocabulary a sector document is in (DAC 5-digit by default).
fn vocabulary_of(s: &SectorDoc) -> &str {
    s.vocabulary.as_deref().map(str::trim).filter(|v| !v.is_empty()).unwrap_or("1")
}

/// A sector row as far as it could be read: its vocabulary is known whatever its code.
struct SectorRow {
    vocabulary: String,
    sector: Option<SectorRef>,
    percent: Option<Percent>,
}

impl SectorRow {
    fn fact(&self) -> ShareFact<'_> {
        ShareFact { group: &self.vocabulary, code: self.sector.as_ref().map(SectorRef::code), percent: self.percent }
    }

    fn whole(rows: Vec<SectorRow>) -> Vec<SectorShare> {
        rows.into_iter().filter_map(|s| Some(SectorShare { sector: s.sector?, percent: s.percent? })).collect()
    }
}

fn sectors(c: &mut Checker, docs: Vec<SectorDoc>) -> Vec<SectorRow> {
    // A percentage may be left out when the sector is the only one of its vocabulary.
    let alone: Vec<bool> =
        docs.iter().map(|s| docs.iter().filter(|o| vocabulary_of(o) == vocabulary_of(s)).count() == 1).collect();
    docs.iter()
        .enumerate()
        .map(|(i, s)| {
            let path = format!("sectors[{i}]");
            let sector = sector_ref(c, &path, s.vocabulary.as_deref(), &s.code);
            let percent = c.percent(&format!("{path}.percentage"), s.percentage.as_ref(), alone[i]);
            SectorRow { vocabulary: vocabulary_of(s).to_owned(), sector, percent }
        })
        .collect()
}

fn sector_docs(shares: &[SectorShare]) -> Vec<SectorDoc> {
    list(shares, |s| SectorDoc {
        vocabulary: (s.sector.vocabulary() != "1").then(|| s.sector.vocabulary().to_owned()),
        code: s.sector.code().to_owned(),
        percentage: Some(NumberDoc::from_decimal(s.percent.value())),
    })
}

fn money(
    c: &mut Checker,
    path: &str,
    amount: &NumberDoc,
    currency: Option<&str>,
    default: Option<CurrencyCode>,
) -> Option<Money> {
    let amount = c.number(&format!("{path}.amount"), amount);
    let currency = match currency {
        Some(cur) if !cur.trim().is_empty() => c.one(&format!("{path}.currency"), CurrencyCode::parse(cur)),
        _ => default.or_else(|| c.one(&format!("{path}.currency"), Err(required()))),
    };
    Some(Money { amount: amount?, currency: currency? })
}

fn party(c: &mut Checker, path: &str, p: Option<PartyDoc>) -> Option<Option<TransactionParty>> {
    let Some(p) = p else { return Some(None) };
    let org = c.opt(&format!("{path}.org"), p.org.as_deref(), OrgKey::parse)?;
    Some(Some(TransactionParty { org, iati_ref: p.iati_ref, name: p.name, activity: p.activity }))
}

fn party_doc(p: &TransactionParty) -> PartyDoc {
    PartyDoc {
        org: p.org.as_ref().map(|k| k.to_string()),
        iati_ref: p.iati_ref.clone(),
        name: p.name.clone(),
        activity: p.activity.clone(),
    }
}

/// The levels of a result as files write them (the IATI ResultType codes are read too).
static RESULT_LEVELS: [crate::codelists::Code; 4] = [
    result_level_entry("output", "Producto", "Output"),
    result_level_entry("outcome", "Efecto", "Outcome"),
    result_level_entry("impact", "Impacto", "Impact"),
    result_level_entry("other", "Otro", "Other"),
];

const fn result_level_entry(
    code: &'static str,
    name_es: &'static str,
    name_en: &'static str,
) -> crate::codelists::Code {
    crate::codelists::Code { code, name_es, name_en, category: None, withdrawn: false }
}

fn result_level(value: &str) -> Result<ResultLevel, Problem> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" => Err(required()),
        "output" | "1" => Ok(ResultLevel::Output),
        "outcome" | "2" => Ok(ResultLevel::Outcome),
        "impact" | "3" => Ok(ResultLevel::Impact),
        "other" | "9" => Ok(ResultLevel::Other),
        _ => Err(Problem::new(
            "",
            Some(value),
            Rule::UnknownCode { list: "ResultLevel", suggestions: RESULT_LEVELS.iter().collect() },
        )),
    }
}

fn result_level_code(level: ResultLevel) -> &'static str {
    match level {
        ResultLevel::Output => "output",
        ResultLevel::Outcome => "outcome",
        ResultLevel::Impact => "impact",
        ResultLevel::Other => "other",
    }
}

/// A missing value: an absent field, or an empty one.
fn required() -> Problem {
    Problem::new("", None, Rule::Required)
}

/// A result of the logical framework, with its indicators and their periods.
fn result(c: &mut Checker, r: usize, res: ResultDoc) -> Option<ResultEntry> {
    let path = format!("results[{r}]");
    let level = c.one(&format!("{path}.level"), result_level(&res.level));
    let indicators: Vec<Option<Indicator>> = res
        .indicators
        .into_iter()
        .enumerate()
        .map(|(n, ind)| {
            let ipath = format!("{path}.indicators[{n}]");
            let baseline = match (&ind.baseline, ind.baseline_year) {
                (Some(v), Some(year)) => {
                    Some(c.number(&format!("{ipath}.baseline"), v).map(|value| Baseline { year, value }))
                }
                (Some(_), None) => {
                    c.one::<()>(&format!("{ipath}.baseline_year"), Err(required()));
                    None
                }
                _ => Some(None),
            };
            let periods: Vec<Option<IndicatorPeriod>> = ind
                .periods
                .iter()
                .enumerate()
                .map(|(p, per)| {
                    let ppath = format!("{ipath}.periods[{p}]");
                    let start = c.date(&format!("{ppath}.start"), &per.start);
                    let end = c.date(&format!("{ppath}.end"), &per.end);
                    let target = per.target.as_ref().map(|t| c.number(&format!("{ppath}.target"), t));
                    let actual = per.actual.as_ref().map(|a| c.number(&format!("{ppath}.actual"), a));
                    Some(IndicatorPeriod {
                        start: start?,
                        end: end?,
                        target: target.map_or(Some(None), |t| t.map(Some))?,
                        actual: actual.map_or(Some(None), |a| a.map(Some))?,
                    })
                })
                .collect();
            Some(Indicator {
                title: ind.title.into_text(),
                ascending: ind.ascending,
                baseline: baseline?,
                periods: periods.into_iter().collect::<Option<Vec<_>>>()?,
            })
        })
        .collect();
    Some(ResultEntry {
        level: level?,
        title: res.title.into_text(),
        description: text(res.description),
        indicators: indicators.into_iter().collect::<Option<Vec<_>>>()?,
    })
}

fn sdg(value: &str) -> Result<Sdg, Problem> {
    if value.contains('.') {
        SdgTargetCode::parse(value).map(Sdg::Target)
    } else {
        SdgGoalCode::parse(value).map(Sdg::Goal)
    }
}

impl ActivityDoc {
    /// The checked activity, or every problem of the document: those of each field, and —
    /// even when some field could not be read — those of the activity's rules over what could
    /// ([`ActivityFacts`]), so one answer says everything.
    pub fn into_domain(self) -> Result<Activity, Problems> {
        let mut c = Checker::of(&self);
        let read = ReadActivity::check(&mut c, self);
        if !c.problems.is_empty() {
            // Some field could not be read: the activity's rules still look at the rest.
            let rules = read.facts().check();
            c.problems.nest("", rules);
            return Err(c.problems);
        }
        match read.into_parts() {
            Some(parts) => Activity::new(parts),
            None => Err(c.problems),
        }
    }

    pub fn from_domain(a: &Activity) -> ActivityDoc {
        let p = a.parts();
        ActivityDoc {
            id: p.key.to_string(),
            folio: p.folio.clone(),
            reporting_org: p.reporting_org.to_string(),
            title: TextDoc::from_text(&p.title).unwrap_or(TextDoc::Plain(String::new())),
            description: TextDoc::from_text(&p.description),
            objectives: TextDoc::from_text(&p.objectives),
            instrument: p.instrument.code().to_owned(),
            cooperation_type: p.cooperation_type.code().to_owned(),
            modality: p.modality.code().to_owned(),
            south_south: p.schemes.south_south,
            north_south: p.schemes.north_south,
            collaboration_type: p.collaboration_type.map(|c| c.to_string()),
            default_currency: p.default_currency.map(|c| c.to_string()),
            flow_type: p.flow_type.map(|c| c.to_string()),
            finance_type: p.finance_type.map(|c| c.to_string()),
            aid_type: p.aid_type.map(|c| c.to_string()),
            tied_status: p.tied_status.map(|c| c.to_string()),
            humanitarian: p.humanitarian,
            status: p.status.to_string(),
            workflow: Some(p.workflow.code().to_owned()),
            participants: list(&p.participants, |x| ParticipantDoc {
                org: x.org.to_string(),
                role: x.role.code().to_owned(),
            }),
            sectors: sector_docs(&p.sectors),
            sdgs: list(&p.sdgs, |s| match s {
                Sdg::Goal(g) => g.to_string(),
                Sdg::Target(t) => t.to_string(),
            }),
            policy_markers: list(&p.policy_markers, |m| PolicyMarkerDoc {
                code: m.marker.to_string(),
                significance: Some(m.significance),
            }),
            tags: list(&p.tags, |t| TagDoc {
                vocabulary: t.vocabulary.clone(),
                code: t.code.clone(),
                name: TextDoc::from_text(&t.name),
            }),
            countries: list(&p.countries, |s| ShareDoc {
                code: s.country.to_string(),
                percentage: Some(NumberDoc::from_decimal(s.percent.value())),
            }),
            regions: list(&p.regions, |s| ShareDoc {
                code: s.region.to_string(),
                percentage: Some(NumberDoc::from_decimal(s.percent.value())),
            }),
            mx_places: list(&p.mx_places, |m| MxPlaceDoc {
                state: m.state.to_string(),
                municipality: m.municipality.map(|x| x.to_string()),
            }),
            points: list(&p.points, point_doc),
            cross_border: p.cross_border.as_ref().map(cross_border_doc),
            dates: DatesDoc {
                planned_start: p.dates.planned_start.map(date_text),
                planned_end: p.dates.planned_end.map(date_text),
                actual_start: p.dates.actual_start.map(date_text),
                actual_end: p.dates.actual_end.map(date_text),
            },
            budgets: list(&p.budgets, budget_doc),
            transactions: list(&p.transactions, transaction_doc),
            planned_disbursements: list(&p.planned_disbursements, planned_disbursement_doc),
            related_activities: list(&p.related_activities, |r| RelatedDoc {
                kind: r.kind.to_string(),
                id: r.identifier.clone(),
            }),
            document_links: list(&p.document_links, document_link_doc),
            in_kind: list(&p.in_kind, in_kind_doc),
            results: list(&p.results, result_doc),
            good_practice: p.good_practice.as_ref().and_then(TextDoc::from_text),
        }
    }
}

/// An amount as a document writes it: the number and its currency.
fn money_doc(m: &Money) -> (NumberDoc, Option<String>) {
    (NumberDoc::from_decimal(m.amount), Some(m.currency.to_string()))
}

fn point_doc(pt: &Point) -> PointDoc {
    PointDoc {
        reference: pt.reference.clone(),
        name: TextDoc::from_text(&pt.name),
        description: TextDoc::from_text(&pt.description),
        latitude: pt.latitude.map(NumberDoc::from_decimal),
        longitude: pt.longitude.map(NumberDoc::from_decimal),
    }
}

fn budget_doc(b: &Budget) -> BudgetDoc {
    let (amount, currency) = money_doc(&b.value);
    BudgetDoc {
        revised: b.revised,
        period_start: date_text(b.period_start),
        period_end: date_text(b.period_end),
        amount,
        currency,
        value_date: b.value_date.map(date_text),
    }
}

fn transaction_doc(t: &Transaction) -> TransactionDoc {
    let (amount, currency) = money_doc(&t.value);
    TransactionDoc {
        reference: t.reference.clone(),
        humanitarian: t.humanitarian,
        sectors: list(&t.sectors, |s| SectorDoc {
            vocabulary: (s.vocabulary() != "1").then(|| s.vocabulary().to_owned()),
            code: s.code().to_owned(),
            percentage: None,
        }),
        country: t.country.map(|c| c.to_string()),
        region: t.region.map(|c| c.to_string()),
        flow_type: t.flow_type.map(|c| c.to_string()),
        finance_type: t.finance_type.map(|c| c.to_string()),
        aid_type: t.aid_type.map(|c| c.to_string()),
        tied_status: t.tied_status.map(|c| c.to_string()),
        kind: t.kind.to_string(),
        date: date_text(t.date),
        amount,
        currency,
        value_date: t.value_date.map(date_text),
        description: TextDoc::from_text(&t.description),
        provider: t.provider.as_ref().map(party_doc),
        receiver: t.receiver.as_ref().map(party_doc),
    }
}

fn planned_disbursement_doc(d: &PlannedDisbursement) -> PlannedDisbursementDoc {
    let (amount, currency) = money_doc(&d.value);
    PlannedDisbursementDoc {
        revised: d.revised,
        period_start: date_text(d.period_start),
        period_end: d.period_end.map(date_text),
        amount,
        currency,
        value_date: d.value_date.map(date_text),
        provider: d.provider.as_ref().map(party_doc),
        receiver: d.receiver.as_ref().map(party_doc),
    }
}

fn document_link_doc(d: &DocumentLink) -> DocumentLinkDoc {
    DocumentLinkDoc {
        url: d.url.clone(),
        format: Some(d.format.clone()),
        title: TextDoc::from_text(&d.title),
        categories: list(&d.categories, |c| c.to_string()),
        languages: d.languages.clone(),
        date: d.date.map(date_text),
    }
}

fn in_kind_doc(k: &InKind) -> InKindDoc {
    InKindDoc {
        unit: k.unit.code().to_owned(),
        quantity: NumberDoc::from_decimal(k.quantity),
        unit_value: k.unit_value.map(|u| NumberDoc::from_decimal(u.amount)),
        currency: k.unit_value.map(|u| u.currency.to_string()),
        description: TextDoc::from_text(&k.description),
    }
}

fn result_doc(r: &ResultEntry) -> ResultDoc {
    ResultDoc {
        level: result_level_code(r.level).to_owned(),
        title: TextDoc::from_text(&r.title).unwrap_or(TextDoc::Plain(String::new())),
        description: TextDoc::from_text(&r.description),
        indicators: list(&r.indicators, |i| IndicatorDoc {
            title: TextDoc::from_text(&i.title).unwrap_or(TextDoc::Plain(String::new())),
            ascending: i.ascending,
            baseline_year: i.baseline.as_ref().map(|b| b.year),
            baseline: i.baseline.as_ref().map(|b| NumberDoc::from_decimal(b.value)),
            periods: list(&i.periods, |per| PeriodDoc {
                start: date_text(per.start),
                end: date_text(per.end),
                target: per.target.map(NumberDoc::from_decimal),
                actual: per.actual.map(NumberDoc::from_decimal),
            }),
        }),
    }
}

/// What could be read of an activity document: each field checked on its own, `None` where it
/// failed its check (its problem is in the [`Checker`]), and each row of a list likewise.
struct ReadActivity {
    key: Option<ActivityKey>,
    folio: Option<String>,
    reporting_org: Option<OrgKey>,
    title: Text,
    description: Text,
    objectives: Text,
    instrument: Option<Instrument>,
    cooperation_type: Option<CooperationType>,
    modality: Option<Modality>,
    schemes: Schemes,
    collaboration_type: Option<Option<CollaborationTypeCode>>,
    default_currency: Option<Option<CurrencyCode>>,
    flow_type: Option<Option<FlowTypeCode>>,
    finance_type: Option<Option<FinanceTypeCode>>,
    aid_type: Option<Option<AidTypeCode>>,
    tied_status: Option<Option<TiedStatusCode>>,
    humanitarian: bool,
    status: Option<ActivityStatusCode>,
    workflow: Option<Option<WorkflowState>>,
    participants: Vec<Option<Participant>>,
    sectors: Vec<SectorRow>,
    sdgs: Vec<Option<Sdg>>,
    policy_markers: Vec<Option<PolicyMarkerEntry>>,
    tags: Vec<Tag>,
    places: Places,
    mx_places: Vec<Option<MxPlace>>,
    points: Vec<Option<Point>>,
    cross_border: Option<Option<CrossBorder>>,
    dates: ActivityDates,
    budgets: Vec<Option<Budget>>,
    transactions: Vec<Option<Transaction>>,
    planned_disbursements: Vec<Option<PlannedDisbursement>>,
    related_activities: Vec<Option<RelatedActivity>>,
    document_links: Vec<Option<DocumentLink>>,
    in_kind: Vec<Option<InKind>>,
    results: Vec<Option<ResultEntry>>,
    good_practice: Option<Text>,
}

/// An activity's countries and regions as far as they could be read.
struct Places {
    countries: Vec<(Option<CountryCode>, Option<Percent>)>,
    regions: Vec<(Option<RegionCode>, Option<Percent>)>,
}

impl ReadActivity {
    /// Checks every field of `doc`, in the order of the document, into `c`.
    fn check(c: &mut Checker, doc: ActivityDoc) -> ReadActivity {
        let key = c.one("id", ActivityKey::parse(&doc.id));
        let reporting_org = c.one("reporting_org", OrgKey::parse(&doc.reporting_org));
        let instrument = c.one("instrument", Instrument::parse(&doc.instrument));
        let cooperation_type = c.one("cooperation_type", CooperationType::parse(&doc.cooperation_type));
        let modality = c.one("modality", Modality::parse(&doc.modality));
        let collaboration_type =
            c.opt("collaboration_type", doc.collaboration_type.as_deref(), CollaborationTypeCode::parse);
        let default_currency = c.opt("default_currency", doc.default_currency.as_deref(), CurrencyCode::parse);
        let flow_type = c.opt("flow_type", doc.flow_type.as_deref(), FlowTypeCode::parse);
        let finance_type = c.opt("finance_type", doc.finance_type.as_deref(), FinanceTypeCode::parse);
        let aid_type = c.opt("aid_type", doc.aid_type.as_deref(), AidTypeCode::parse);
        let status = c.one("status", ActivityStatusCode::parse(&doc.status));
        let workflow = c.opt("workflow", doc.workflow.as_deref(), WorkflowState::parse);
        // Amounts without a currency are in the activity's default one.
        let default_cur = default_currency.flatten();
        ReadActivity {
            key,
            folio: doc.folio.filter(|f| !f.trim().is_empty()),
            reporting_org,
            title: doc.title.into_text(),
            description: text(doc.description),
            objectives: text(doc.objectives),
            instrument,
            cooperation_type,
            modality,
            schemes: Schemes { south_south: doc.south_south, north_south: doc.north_south },
            collaboration_type,
            default_currency,
            flow_type,
            finance_type,
            aid_type,
            humanitarian: doc.humanitarian,
            status,
            workflow,
            // The lists, each checked in the order of the document's fields.
            participants: check_participants(c, &doc.participants),
            sectors: sectors(c, doc.sectors),
            sdgs: doc.sdgs.iter().enumerate().map(|(i, s)| c.one(&format!("sdgs[{i}]"), sdg(s))).collect(),
            policy_markers: check_policy_markers(c, &doc.policy_markers),
            places: check_places(c, &doc.countries, &doc.regions),
            mx_places: check_mx_places(c, &doc.mx_places),
            points: check_points(c, doc.points),
            cross_border: check_cross_border(c, doc.cross_border),
            dates: check_dates(c, &doc.dates),
            budgets: check_budgets(c, &doc.budgets, default_cur),
            transactions: check_transactions(c, doc.transactions, default_cur),
            planned_disbursements: check_planned_disbursements(c, doc.planned_disbursements, default_cur),
            tags: doc
                .tags
                .into_iter()
                .map(|t| Tag {
                    vocabulary: t.vocabulary.trim().to_owned(),
                    code: t.code.trim().to_owned(),
                    name: text(t.name),
                })
                .collect(),
            related_activities: check_related_activities(c, &doc.related_activities),
            document_links: check_document_links(c, doc.document_links),
            tied_status: c.opt("tied_status", doc.tied_status.as_deref(), TiedStatusCode::parse),
            in_kind: check_in_kind(c, doc.in_kind, default_cur),
            results: doc.results.into_iter().enumerate().map(|(r, res)| result(c, r, res)).collect(),
            good_practice: doc.good_practice.map(TextDoc::into_text),
        }
    }

    /// What the activity's rules look at, as far as it could be read.
    fn facts(&self) -> ActivityFacts<'_> {
        ActivityFacts {
            title: &self.title,
            modality: self.modality,
            participants: self.participants.iter().map(Option::as_ref).collect(),
            sectors: self.sectors.iter().map(SectorRow::fact).collect(),
            countries: self
                .places
                .countries
                .iter()
                .map(|(code, percent)| ShareFact { group: PLACES, code: code.map(|c| c.as_str()), percent: *percent })
                .collect(),
            regions: self
                .places
                .regions
                .iter()
                .map(|(code, percent)| ShareFact { group: PLACES, code: code.map(|c| c.as_str()), percent: *percent })
                .collect(),
            dates: self.dates,
            mx_places: self.mx_places.iter().map(Option::as_ref).collect(),
            budgets: self.budgets.iter().map(Option::as_ref).collect(),
            points: self.points.iter().map(Option::as_ref).collect(),
            document_links: self.document_links.iter().map(Option::as_ref).collect(),
            planned_disbursements: self.planned_disbursements.iter().map(Option::as_ref).collect(),
            in_kind: self.in_kind.iter().map(Option::as_ref).collect(),
            results: self.results.iter().map(Option::as_ref).collect(),
        }
    }

    /// The activity's parts, when every field was read (each row is then whole).
    fn into_parts(self) -> Option<ActivityParts> {
        fn whole<T>(rows: Vec<Option<T>>) -> Vec<T> {
            rows.into_iter().flatten().collect()
        }
        let countries = self.places.countries.into_iter();
        let regions = self.places.regions.into_iter();
        Some(ActivityParts {
            key: self.key?,
            folio: self.folio,
            reporting_org: self.reporting_org?,
            title: self.title,
            description: self.description,
            objectives: self.objectives,
            instrument: self.instrument?,
            cooperation_type: self.cooperation_type?,
            modality: self.modality?,
            schemes: self.schemes,
            collaboration_type: self.collaboration_type?,
            default_currency: self.default_currency?,
            flow_type: self.flow_type?,
            finance_type: self.finance_type?,
            aid_type: self.aid_type?,
            tied_status: self.tied_status?,
            humanitarian: self.humanitarian,
            participants: whole(self.participants),
            sectors: SectorRow::whole(self.sectors),
            sdgs: whole(self.sdgs),
            policy_markers: whole(self.policy_markers),
            tags: self.tags,
            countries: countries.filter_map(|(c, p)| Some(CountryShare { country: c?, percent: p? })).collect(),
            regions: regions.filter_map(|(r, p)| Some(RegionShare { region: r?, percent: p? })).collect(),
            mx_places: whole(self.mx_places),
            points: whole(self.points),
            cross_border: self.cross_border?,
            dates: self.dates,
            status: self.status?,
            budgets: whole(self.budgets),
            planned_disbursements: whole(self.planned_disbursements),
            transactions: whole(self.transactions),
            in_kind: whole(self.in_kind),
            results: whole(self.results),
            related_activities: whole(self.related_activities),
            document_links: whole(self.document_links),
            good_practice: self.good_practice,
            workflow: self.workflow?.unwrap_or(WorkflowState::Draft),
        })
    }
}

fn check_participants(c: &mut Checker, docs: &[ParticipantDoc]) -> Vec<Option<Participant>> {
    docs.iter()
        .enumerate()
        .map(|(i, p)| {
            let org = c.one(&format!("participants[{i}].org"), OrgKey::parse(&p.org));
            let role = c.one(&format!("participants[{i}].role"), Role::parse(&p.role));
            Some(Participant { org: org?, role: role? })
        })
        .collect()
}

/// Policy markers: a significance is required, from 0 to 4.
fn check_policy_markers(c: &mut Checker, docs: &[PolicyMarkerDoc]) -> Vec<Option<PolicyMarkerEntry>> {
    docs.iter()
        .enumerate()
        .map(|(i, m)| {
            let marker = c.one(&format!("policy_markers[{i}].code"), PolicyMarkerCode::parse(&m.code));
            let significance = match m.significance {
                None => c.one(&format!("policy_markers[{i}].significance"), Err(required())),
                Some(s) if s > 4 => {
                    let v = s.to_string();
                    c.one(
                        &format!("policy_markers[{i}].significance"),
                        Err(Problem::new("", Some(&v), Rule::Format { expected: Expected::Significance })),
                    )
                }
                Some(s) => Some(s),
            };
            Some(PolicyMarkerEntry { marker: marker?, significance: significance? })
        })
        .collect()
}

/// Countries and regions, which share one 100%: a percentage may be left out when there is
/// only one place.
fn check_places(c: &mut Checker, countries: &[ShareDoc], regions: &[ShareDoc]) -> Places {
    let single_place = countries.len().saturating_add(regions.len()) == 1;
    let countries = countries
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let country = c.one(&format!("countries[{i}].code"), CountryCode::parse(&s.code));
            let percent = c.percent(&format!("countries[{i}].percentage"), s.percentage.as_ref(), single_place);
            (country, percent)
        })
        .collect();
    let regions = regions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let region = c.one(&format!("regions[{i}].code"), RegionCode::parse(&s.code));
            let percent = c.percent(&format!("regions[{i}].percentage"), s.percentage.as_ref(), single_place);
            (region, percent)
        })
        .collect();
    Places { countries, regions }
}

fn check_mx_places(c: &mut Checker, docs: &[MxPlaceDoc]) -> Vec<Option<MxPlace>> {
    docs.iter()
        .enumerate()
        .map(|(i, p)| {
            let state = c.one(&format!("mx_places[{i}].state"), MxStateCode::parse_any(&p.state));
            let municipality =
                c.opt(&format!("mx_places[{i}].municipality"), p.municipality.as_deref(), MxMunicipalityCode::parse);
            Some(MxPlace { state: state?, municipality: municipality? })
        })
        .collect()
}

fn check_points(c: &mut Checker, docs: Vec<PointDoc>) -> Vec<Option<Point>> {
    docs.into_iter()
        .enumerate()
        .map(|(i, p)| {
            let latitude = p.latitude.as_ref().map(|l| c.number(&format!("points[{i}].latitude"), l));
            let longitude = p.longitude.as_ref().map(|l| c.number(&format!("points[{i}].longitude"), l));
            Some(Point {
                reference: p.reference,
                name: text(p.name),
                description: text(p.description),
                latitude: latitude.map_or(Some(None), |l| l.map(Some))?,
                longitude: longitude.map_or(Some(None), |l| l.map(Some))?,
            })
        })
        .collect()
}

fn cross_border_doc(cb: &CrossBorder) -> CrossBorderDoc {
    CrossBorderDoc { border: cb.border.code().to_owned(), dimensions: list(&cb.dimensions, |d| d.code().to_owned()) }
}

/// The cross-border agenda: a border, and the dimensions that could be read.
fn check_cross_border(c: &mut Checker, doc: Option<CrossBorderDoc>) -> Option<Option<CrossBorder>> {
    let Some(cb) = doc else { return Some(None) };
    let border = c.one("cross_border.border", Border::parse(&cb.border));
    let dims: Vec<_> = cb
        .dimensions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| c.one(&format!("cross_border.dimensions[{i}]"), CrossBorderDimension::parse(d)))
        .collect();
    border.map(|border| Some(CrossBorder { border, dimensions: dims }))
}

/// The activity's dates; one that cannot be read is left out of what the rules see.
fn check_dates(c: &mut Checker, doc: &DatesDoc) -> ActivityDates {
    ActivityDates {
        planned_start: c.opt_date("dates.planned_start", doc.planned_start.as_deref()).flatten(),
        planned_end: c.opt_date("dates.planned_end", doc.planned_end.as_deref()).flatten(),
        actual_start: c.opt_date("dates.actual_start", doc.actual_start.as_deref()).flatten(),
        actual_end: c.opt_date("dates.actual_end", doc.actual_end.as_deref()).flatten(),
    }
}

fn check_budgets(c: &mut Checker, docs: &[BudgetDoc], default_cur: Option<CurrencyCode>) -> Vec<Option<Budget>> {
    docs.iter()
        .enumerate()
        .map(|(i, b)| {
            let path = format!("budgets[{i}]");
            let period_start = c.date(&format!("{path}.period_start"), &b.period_start);
            let period_end = c.date(&format!("{path}.period_end"), &b.period_end);
            let value = money(c, &path, &b.amount, b.currency.as_deref(), default_cur);
            let value_date = c.opt_date(&format!("{path}.value_date"), b.value_date.as_deref());
            Some(Budget {
                revised: b.revised,
                period_start: period_start?,
                period_end: period_end?,
                value: value?,
                value_date: value_date?,
            })
        })
        .collect()
}

fn check_transactions(
    c: &mut Checker,
    docs: Vec<TransactionDoc>,
    default_cur: Option<CurrencyCode>,
) -> Vec<Option<Transaction>> {
    docs.into_iter()
        .enumerate()
        .map(|(i, t)| check_transaction(c, &format!("transactions[{i}]"), t, default_cur))
        .collect()
}

fn check_transaction(
    c: &mut Checker,
    path: &str,
    t: TransactionDoc,
    default_cur: Option<CurrencyCode>,
) -> Option<Transaction> {
    let kind = c.one(&format!("{path}.type"), TransactionTypeCode::parse(&t.kind));
    let date = c.date(&format!("{path}.date"), &t.date);
    let value = money(c, path, &t.amount, t.currency.as_deref(), default_cur);
    let value_date = c.opt_date(&format!("{path}.value_date"), t.value_date.as_deref());
    let provider = party(c, &format!("{path}.provider"), t.provider);
    let receiver = party(c, &format!("{path}.receiver"), t.receiver);
    let sectors: Vec<_> = t
        .sectors
        .iter()
        .enumerate()
        .map(|(j, s)| sector_ref(c, &format!("{path}.sectors[{j}]"), s.vocabulary.as_deref(), &s.code))
        .collect();
    let country = c.opt(&format!("{path}.country"), t.country.as_deref(), CountryCode::parse);
    let region = c.opt(&format!("{path}.region"), t.region.as_deref(), RegionCode::parse);
    let flow_type = c.opt(&format!("{path}.flow_type"), t.flow_type.as_deref(), FlowTypeCode::parse);
    let finance_type = c.opt(&format!("{path}.finance_type"), t.finance_type.as_deref(), FinanceTypeCode::parse);
    let aid_type = c.opt(&format!("{path}.aid_type"), t.aid_type.as_deref(), AidTypeCode::parse);
    let tied_status = c.opt(&format!("{path}.tied_status"), t.tied_status.as_deref(), TiedStatusCode::parse);
    Some(Transaction {
        reference: t.reference,
        humanitarian: t.humanitarian,
        sectors: sectors.into_iter().collect::<Option<Vec<_>>>()?,
        country: country?,
        region: region?,
        flow_type: flow_type?,
        finance_type: finance_type?,
        aid_type: aid_type?,
        tied_status: tied_status?,
        kind: kind?,
        date: date?,
        value: value?,
        value_date: value_date?,
        description: text(t.description),
        provider: provider?,
        receiver: receiver?,
    })
}

fn check_planned_disbursements(
    c: &mut Checker,
    docs: Vec<PlannedDisbursementDoc>,
    default_cur: Option<CurrencyCode>,
) -> Vec<Option<PlannedDisbursement>> {
    docs.into_iter()
        .enumerate()
        .map(|(i, d)| {
            let path = format!("planned_disbursements[{i}]");
            let period_start = c.date(&format!("{path}.period_start"), &d.period_start);
            let period_end = c.opt_date(&format!("{path}.period_end"), d.period_end.as_deref());
            let value = money(c, &path, &d.amount, d.currency.as_deref(), default_cur);
            let value_date = c.opt_date(&format!("{path}.value_date"), d.value_date.as_deref());
            let provider = party(c, &format!("{path}.provider"), d.provider);
            let receiver = party(c, &format!("{path}.receiver"), d.receiver);
            Some(PlannedDisbursement {
                revised: d.revised,
                period_start: period_start?,
                period_end: period_end?,
                value: value?,
                value_date: value_date?,
                provider: provider?,
                receiver: receiver?,
            })
        })
        .collect()
}

fn check_related_activities(c: &mut Checker, docs: &[RelatedDoc]) -> Vec<Option<RelatedActivity>> {
    docs.iter()
        .enumerate()
        .map(|(i, r)| {
            let kind = c.one(&format!("related_activities[{i}].type"), RelatedActivityTypeCode::parse(&r.kind));
            let identifier = c.one(&format!("related_activities[{i}].id"), ActivityKey::parse(&r.id));
            Some(RelatedActivity { kind: kind?, identifier: identifier?.to_string() })
        })
        .collect()
}

/// Document links: an address is required, its categories come from the codelist.
fn check_document_links(c: &mut Checker, docs: Vec<DocumentLinkDoc>) -> Vec<Option<DocumentLink>> {
    docs.into_iter()
        .enumerate()
        .map(|(i, d)| {
            let path = format!("document_links[{i}]");
            if d.url.trim().is_empty() {
                c.one::<()>(&format!("{path}.url"), Err(required()));
                return None;
            }
            let categories: Vec<_> = d
                .categories
                .iter()
                .enumerate()
                .map(|(j, k)| c.one(&format!("{path}.categories[{j}]"), DocumentCategoryCode::parse(k)))
                .collect();
            let date = c.opt_date(&format!("{path}.date"), d.date.as_deref());
            Some(DocumentLink {
                url: d.url.trim().to_owned(),
                format: d.format.map(|f| f.trim().to_owned()).unwrap_or_default(),
                title: text(d.title),
                categories: categories.into_iter().collect::<Option<Vec<_>>>()?,
                languages: d.languages,
                date: date?,
            })
        })
        .collect()
}

/// In-kind contributions: a unit value needs a currency, the activity's default one if it has
/// none of its own.
fn check_in_kind(c: &mut Checker, docs: Vec<InKindDoc>, default_cur: Option<CurrencyCode>) -> Vec<Option<InKind>> {
    docs.into_iter()
        .enumerate()
        .map(|(i, k)| {
            let path = format!("in_kind[{i}]");
            let unit = c.one(&format!("{path}.unit"), InKindUnit::parse(&k.unit));
            let quantity = c.number(&format!("{path}.quantity"), &k.quantity);
            let unit_value = match &k.unit_value {
                None => Some(None),
                Some(v) => {
                    let amount = c.number(&format!("{path}.unit_value"), v);
                    let currency = match k.currency.as_deref() {
                        Some(cur) => c.one(&format!("{path}.currency"), CurrencyCode::parse(cur)),
                        None => default_cur.or_else(|| c.one(&format!("{path}.currency"), Err(required()))),
                    };
                    amount.zip(currency).map(|(amount, currency)| Some(Money { amount, currency }))
                }
            };
            Some(InKind { unit: unit?, quantity: quantity?, unit_value: unit_value?, description: text(k.description) })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Catalog

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDoc {
    /// The contact person.
    ///
    /// es: La persona de contacto.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An e-mail address (with `@`).
    ///
    /// es: Una dirección de correo (con `@`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A telephone number.
    ///
    /// es: Un número de teléfono.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A capacity of the catalog (Catálogo de Capacidades): what a national institution can offer, in
/// which sectors and in which forms.
///
/// es: Una capacidad del Catálogo de Capacidades: lo que una institución nacional puede ofrecer, en
/// qué sectores y de qué formas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityDoc {
    /// The capacity's key (`cap-pago-servicios-ambientales`).
    ///
    /// es: La clave de la capacidad (`cap-pago-servicios-ambientales`).
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// What can be offered.
    ///
    /// es: Lo que se puede ofrecer.
    ///
    /// required: yes
    #[serde(default)]
    pub title: TextDoc,
    /// A fuller description.
    ///
    /// es: Una descripción más amplia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
    /// The national institution that offers it.
    ///
    /// es: La institución nacional que la ofrece.
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub institution: String,
    /// Its sectors, the percentages of each vocabulary adding up to 100.
    ///
    /// es: Sus sectores; los porcentajes de cada vocabulario suman 100.
    ///
    /// min: 1
    #[serde(default)]
    pub sectors: Vec<SectorDoc>,
    /// The forms it can take.
    ///
    /// es: Las formas que puede tomar.
    ///
    /// codes: CapacityForm
    /// min: 1
    #[serde(default)]
    pub forms: Vec<String>,
    /// The languages it can be offered in (`es`, `en`).
    ///
    /// es: Los idiomas en que puede ofrecerse (`es`, `en`).
    ///
    /// codes: Language
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Whom to contact.
    ///
    /// es: A quién contactar.
    #[serde(default, skip_serializing_if = "is_default")]
    pub contact: ContactDoc,
    /// Past activities that prove the capacity.
    ///
    /// es: Actividades pasadas que demuestran la capacidad.
    ///
    /// format: activity
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Where the record stands in the registry's validation.
    ///
    /// es: En qué paso de la validación del registro está.
    ///
    /// codes: WorkflowState
    /// default: draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

/// The workflow state a document asks to enter in: draft unless it says. A bad code is a
/// problem at `workflow`, and the draft stands in for it.
fn entered(c: &mut Checker, code: Option<&str>) -> WorkflowState {
    c.opt("workflow", code, WorkflowState::parse).flatten().unwrap_or(WorkflowState::Draft)
}

fn forms(c: &mut Checker, docs: &[String]) -> Vec<CapacityForm> {
    docs.iter().enumerate().filter_map(|(i, f)| c.one(&format!("forms[{i}]"), CapacityForm::parse(f))).collect()
}

fn activity_keys(c: &mut Checker, field: &str, docs: &[String]) -> Vec<ActivityKey> {
    docs.iter().enumerate().filter_map(|(i, k)| c.one(&format!("{field}[{i}]"), ActivityKey::parse(k))).collect()
}

impl CapacityDoc {
    pub fn into_domain(self) -> Result<Capacity, Problems> {
        let mut c = Checker::of(&self);
        let workflow = entered(&mut c, self.workflow.as_deref());
        let key = c.one("key", RecordKey::parse(&self.key));
        let institution = c.one("institution", OrgKey::parse(&self.institution));
        let sectors = sectors(&mut c, self.sectors);
        let forms_given = self.forms.len();
        let forms = forms(&mut c, &self.forms);
        let languages = self
            .languages
            .iter()
            .enumerate()
            .filter_map(|(i, l)| c.one(&format!("languages[{i}]"), LanguageCode::parse(l)))
            .collect();
        let evidence = activity_keys(&mut c, "evidence", &self.evidence);
        let title = self.title.into_text();
        let contact = Contact { name: self.contact.name, email: self.contact.email, phone: self.contact.phone };
        let (Some(key), Some(institution), true) = (key, institution, c.problems.is_empty()) else {
            let facts = CapacityFacts {
                title: &title,
                sectors: sectors.iter().map(SectorRow::fact).collect(),
                forms: forms_given,
                email: contact.email.as_deref(),
            };
            let rules = facts.check();
            c.problems.nest("", rules);
            return Err(c.problems);
        };
        Capacity::new(CapacityParts {
            key,
            title,
            description: text(self.description),
            institution,
            sectors: SectorRow::whole(sectors),
            forms,
            languages,
            contact,
            evidence,
            workflow,
        })
    }

    pub fn from_domain(cap: &Capacity) -> CapacityDoc {
        let p = cap.parts();
        CapacityDoc {
            key: p.key.to_string(),
            title: TextDoc::from_text(&p.title).unwrap_or(TextDoc::Plain(String::new())),
            description: TextDoc::from_text(&p.description),
            institution: p.institution.to_string(),
            sectors: sector_docs(&p.sectors),
            forms: list(&p.forms, |f| f.code().to_owned()),
            languages: list(&p.languages, |l| l.to_string()),
            contact: ContactDoc {
                name: p.contact.name.clone(),
                email: p.contact.email.clone(),
                phone: p.contact.phone.clone(),
            },
            evidence: list(&p.evidence, |k| k.to_string()),
            workflow: Some(p.workflow.code().to_owned()),
        }
    }
}

/// A demand (solicitud): a request for cooperation from a partner or a Mexican state, matched
/// against the capacities of the catalog.
///
/// es: Una solicitud de cooperación de un socio o de una entidad federativa, que se compara con las
/// capacidades del catálogo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandDoc {
    /// The demand's key.
    ///
    /// es: La clave de la solicitud.
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// What is asked for.
    ///
    /// es: Lo que se pide.
    ///
    /// required: yes
    #[serde(default)]
    pub title: TextDoc,
    /// A fuller description.
    ///
    /// es: Una descripción más amplia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextDoc>,
    /// The partner or Mexican state that asks.
    ///
    /// es: El socio o la entidad federativa que solicita.
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub requester: String,
    /// Its sectors, the percentages of each vocabulary adding up to 100.
    ///
    /// es: Sus sectores; los porcentajes de cada vocabulario suman 100.
    ///
    /// min: 1
    #[serde(default)]
    pub sectors: Vec<SectorDoc>,
    /// The forms of cooperation asked for.
    ///
    /// es: Las formas de cooperación que se piden.
    ///
    /// codes: CapacityForm
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<String>,
    /// The country that asks, when the requester is a partner country.
    ///
    /// es: El país que solicita, cuando quien solicita es un país socio.
    ///
    /// codes: Country
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The federal entity that asks, when the requester is Mexican.
    ///
    /// es: La entidad federativa que solicita, cuando quien solicita es mexicano.
    ///
    /// codes: MxState
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_state: Option<String>,
    /// When the demand was received.
    ///
    /// es: Cuándo se recibió la solicitud.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
    /// The languages the cooperation can take place in (`es`, `en`).
    ///
    /// es: Los idiomas en que puede darse la cooperación (`es`, `en`).
    ///
    /// codes: Language
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Where the demand stands: `received` (the default), `answered`, `agreed`, `closed` or
    /// `declined`.
    ///
    /// es: En qué punto está la solicitud: `received` (recibida, por omisión), `answered`
    /// (respondida), `agreed` (acordada), `closed` (cerrada) o `declined` (declinada).
    ///
    /// codes: DemandState
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The capacities proposed in answer, best first; required once answered.
    ///
    /// es: Las capacidades propuestas en respuesta, la mejor primero; obligatorias una vez
    /// respondida.
    ///
    /// format: key
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposed: Vec<String>,
    /// The activity that carries the agreed cooperation out; required once agreed.
    ///
    /// es: La actividad que lleva a cabo la cooperación acordada; obligatoria una vez acordada.
    ///
    /// format: activity
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// When it was answered (set by the workflow step); not before `received`.
    ///
    /// es: Cuándo se respondió (lo fija el paso del flujo); no anterior a `received`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<String>,
    /// When it was agreed (set by the workflow step); not before `received`.
    ///
    /// es: Cuándo se acordó (lo fija el paso del flujo); no anterior a `received`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<String>,
    /// When it was closed or declined (set by the workflow step); not before `received`.
    ///
    /// es: Cuándo se cerró o declinó (lo fija el paso del flujo); no anterior a `received`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<String>,
}

impl DemandDoc {
    pub fn into_domain(self) -> Result<Demand, Problems> {
        let mut c = Checker::of(&self);
        let key = c.one("key", RecordKey::parse(&self.key));
        let requester = c.one("requester", OrgKey::parse(&self.requester));
        let sectors = sectors(&mut c, self.sectors);
        let forms = forms(&mut c, &self.forms);
        let country = c.opt("country", self.country.as_deref(), CountryCode::parse);
        let mx_state = c.opt("mx_state", self.mx_state.as_deref(), MxStateCode::parse_any);
        let received = c.opt_date("received", self.received.as_deref());
        let languages = self
            .languages
            .iter()
            .enumerate()
            .filter_map(|(i, l)| c.one(&format!("languages[{i}]"), LanguageCode::parse(l)))
            .collect();
        let state = c.opt("state", self.state.as_deref(), DemandState::parse);
        let proposed: Vec<RecordKey> = self
            .proposed
            .iter()
            .enumerate()
            .filter_map(|(i, k)| c.one(&format!("proposed[{i}]"), RecordKey::parse(k)))
            .collect();
        let activity = c.opt("activity", self.activity.as_deref(), ActivityKey::parse);
        let answered = c.opt_date("answered", self.answered.as_deref());
        let agreed = c.opt_date("agreed", self.agreed.as_deref());
        let settled = c.opt_date("settled", self.settled.as_deref());
        let title = self.title.into_text();
        let dates = [received.flatten(), answered.flatten(), agreed.flatten(), settled.flatten()];
        let (
            Some(key),
            Some(requester),
            Some(country),
            Some(mx_state),
            Some(received),
            Some(state),
            Some(activity),
            Some(answered),
            Some(agreed),
            Some(settled),
            true,
        ) = (
            key,
            requester,
            country,
            mx_state,
            received,
            state,
            activity,
            answered,
            agreed,
            settled,
            c.problems.is_empty(),
        )
        else {
            let facts = DemandFacts {
                title: &title,
                sectors: sectors.iter().map(SectorRow::fact).collect(),
                state: state.flatten().unwrap_or_default(),
                proposed: self.proposed.len(),
                activity: self.activity.is_some(),
                dates,
            };
            let rules = facts.check();
            c.problems.nest("", rules);
            return Err(c.problems);
        };
        Demand::new(DemandParts {
            key,
            title,
            description: text(self.description),
            requester,
            sectors: SectorRow::whole(sectors),
            forms,
            country,
            mx_state,
            received,
            languages,
            state: state.unwrap_or_default(),
            proposed,
            activity,
            answered,
            agreed,
            settled,
        })
    }

    pub fn from_domain(d: &Demand) -> DemandDoc {
        let p = d.parts();
        DemandDoc {
            key: p.key.to_string(),
            title: TextDoc::from_text(&p.title).unwrap_or(TextDoc::Plain(String::new())),
            description: TextDoc::from_text(&p.description),
            requester: p.requester.to_string(),
            sectors: sector_docs(&p.sectors),
            forms: list(&p.forms, |f| f.code().to_owned()),
            country: p.country.map(|c| c.to_string()),
            mx_state: p.mx_state.map(|c| c.to_string()),
            received: p.received.map(date_text),
            languages: list(&p.languages, |l| l.to_string()),
            state: (!p.state.is_received()).then(|| p.state.code().to_owned()),
            proposed: list(&p.proposed, |k| k.to_string()),
            activity: p.activity.as_ref().map(|a| a.to_string()),
            answered: p.answered.map(date_text),
            agreed: p.agreed.map(date_text),
            settled: p.settled.map(date_text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Subnational international action

/// An international action of a state or municipal government: an office abroad, a mission, a fair,
/// a meeting, an agreement signed, a sister-city tie, services to migrants.
///
/// es: Una acción internacional de un gobierno estatal o municipal: una oficina en el exterior, una
/// misión, una feria, una reunión, la firma de un acuerdo, un hermanamiento, la atención a
/// migrantes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDoc {
    /// The action's key.
    ///
    /// es: La clave de la acción.
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// The government that acts; its `level` is `state` or `municipal`.
    ///
    /// es: El gobierno que actúa; su `level` es `state` o `municipal`.
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub actor: String,
    /// What kind of action it is.
    ///
    /// es: Qué tipo de acción es.
    ///
    /// codes: SubnationalActionKind
    /// required: yes
    #[serde(default)]
    pub kind: String,
    /// The date of the action, or its first day.
    ///
    /// es: La fecha de la acción, o su primer día.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub date: String,
    /// Its last day, for an action of several days; not before `date`.
    ///
    /// es: Su último día, para una acción de varios días; no anterior a `date`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// The country of destination.
    ///
    /// es: El país de destino.
    ///
    /// codes: Country
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The city of destination.
    ///
    /// es: La ciudad de destino.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The counterpart abroad (a government, an organisation, a city).
    ///
    /// es: La contraparte en el exterior (un gobierno, una organización, una ciudad).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<String>,
    /// What the action is for.
    ///
    /// es: Para qué es la acción.
    ///
    /// required: yes
    #[serde(default)]
    pub purpose: TextDoc,
    /// What it achieved.
    ///
    /// es: Qué logró.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<TextDoc>,
    /// Activities linked to the action.
    ///
    /// es: Actividades vinculadas con la acción.
    ///
    /// format: activity
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// The cross-border agenda the action serves: its border and dimensions, as an activity's.
    ///
    /// es: La agenda transfronteriza que atiende la acción: su frontera y dimensiones, como las de
    /// una actividad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<CrossBorderDoc>,
    /// Where the record stands in the registry's validation.
    ///
    /// es: En qué paso de la validación del registro está.
    ///
    /// codes: WorkflowState
    /// default: draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

impl ActionDoc {
    pub fn into_domain(self) -> Result<SubnationalAction, Problems> {
        let mut c = Checker::of(&self);
        let workflow = entered(&mut c, self.workflow.as_deref());
        let key = c.one("key", RecordKey::parse(&self.key));
        let actor = c.one("actor", OrgKey::parse(&self.actor));
        let kind = c.one("kind", ActionKind::parse(&self.kind));
        let date = c.date("date", &self.date);
        let end_date = c.opt_date("end_date", self.end_date.as_deref());
        let country = c.opt("country", self.country.as_deref(), CountryCode::parse);
        let activities = activity_keys(&mut c, "activities", &self.activities);
        let cross_border = check_cross_border(&mut c, self.cross_border);
        let purpose = self.purpose.into_text();
        let (Some(key), Some(actor), Some(kind), Some(date), Some(end_date), Some(country), Some(cross_border), true) =
            (key, actor, kind, date, end_date, country, cross_border, c.problems.is_empty())
        else {
            let facts = ActionFacts { purpose: &purpose, date, end_date: end_date.flatten() };
            let rules = facts.check();
            c.problems.nest("", rules);
            return Err(c.problems);
        };
        SubnationalAction::new(SubnationalActionParts {
            key,
            actor,
            kind,
            date,
            end_date,
            country,
            city: self.city,
            counterpart: self.counterpart,
            purpose,
            outcome: text(self.outcome),
            activities,
            cross_border,
            workflow,
        })
    }

    pub fn from_domain(a: &SubnationalAction) -> ActionDoc {
        let p = a.parts();
        ActionDoc {
            key: p.key.to_string(),
            actor: p.actor.to_string(),
            kind: p.kind.code().to_owned(),
            date: date_text(p.date),
            end_date: p.end_date.map(date_text),
            country: p.country.map(|c| c.to_string()),
            city: p.city.clone(),
            counterpart: p.counterpart.clone(),
            purpose: TextDoc::from_text(&p.purpose).unwrap_or(TextDoc::Plain(String::new())),
            outcome: TextDoc::from_text(&p.outcome),
            activities: list(&p.activities, |k| k.to_string()),
            cross_border: p.cross_border.as_ref().map(cross_border_doc),
            workflow: Some(p.workflow.code().to_owned()),
        }
    }
}

/// An inter-institutional agreement (acuerdo interinstitucional) between two or more organisations.
///
/// es: Un acuerdo interinstitucional entre dos o más organizaciones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementDoc {
    /// The agreement's key.
    ///
    /// es: La clave del acuerdo.
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// Its title.
    ///
    /// es: Su título.
    ///
    /// required: yes
    #[serde(default)]
    pub title: TextDoc,
    /// The organisations that sign it, each once.
    ///
    /// es: Las organizaciones que lo firman, cada una una vez.
    ///
    /// format: org
    /// min: 2
    #[serde(default)]
    pub parties: Vec<String>,
    /// The date it was signed.
    ///
    /// es: La fecha en que se firmó.
    ///
    /// format: date
    /// required: yes
    #[serde(default)]
    pub signed: String,
    /// The end of its validity; not before `signed`.
    ///
    /// es: El fin de su vigencia; no anterior a `signed`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// What it covers.
    ///
    /// es: Lo que abarca.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<TextDoc>,
    /// Its number in the foreign ministry's registry of inter-institutional agreements.
    ///
    /// es: Su número en el registro de acuerdos interinstitucionales de la Secretaría de Relaciones
    /// Exteriores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// Activities carried out under the agreement.
    ///
    /// es: Actividades realizadas en el marco del acuerdo.
    ///
    /// format: activity
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// Where the record stands in the registry's validation.
    ///
    /// es: En qué paso de la validación del registro está.
    ///
    /// codes: WorkflowState
    /// default: draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

impl AgreementDoc {
    pub fn into_domain(self) -> Result<Agreement, Problems> {
        let mut c = Checker::of(&self);
        let workflow = entered(&mut c, self.workflow.as_deref());
        let key = c.one("key", RecordKey::parse(&self.key));
        let parties: Vec<Option<OrgKey>> =
            self.parties.iter().enumerate().map(|(i, k)| c.one(&format!("parties[{i}]"), OrgKey::parse(k))).collect();
        let signed = c.date("signed", &self.signed);
        let valid_until = c.opt_date("valid_until", self.valid_until.as_deref());
        let activities = activity_keys(&mut c, "activities", &self.activities);
        let title = self.title.into_text();
        let (Some(key), Some(signed), Some(valid_until), true) = (key, signed, valid_until, c.problems.is_empty())
        else {
            let facts = AgreementFacts {
                title: &title,
                parties: parties.iter().map(Option::as_ref).collect(),
                signed,
                valid_until: valid_until.flatten(),
            };
            let rules = facts.check();
            c.problems.nest("", rules);
            return Err(c.problems);
        };
        Agreement::new(AgreementParts {
            key,
            title,
            parties: parties.into_iter().flatten().collect(),
            signed,
            valid_until,
            scope: text(self.scope),
            registration_number: self.registration_number,
            activities,
            workflow,
        })
    }

    pub fn from_domain(a: &Agreement) -> AgreementDoc {
        let p = a.parts();
        AgreementDoc {
            key: p.key.to_string(),
            title: TextDoc::from_text(&p.title).unwrap_or(TextDoc::Plain(String::new())),
            parties: list(&p.parties, |k| k.to_string()),
            signed: date_text(p.signed),
            valid_until: p.valid_until.map(date_text),
            scope: TextDoc::from_text(&p.scope),
            registration_number: p.registration_number.clone(),
            activities: list(&p.activities, |k| k.to_string()),
            workflow: Some(p.workflow.code().to_owned()),
        }
    }
}

/// An organisation's membership of a network (AMAIE, CONAGO's international affairs commission…);
/// the network is itself an organisation.
///
/// es: La pertenencia de una organización a una red (la AMAIE, la Comisión de Asuntos
/// Internacionales de la CONAGO…); la red es a su vez una organización.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipDoc {
    /// The membership's key.
    ///
    /// es: La clave de la membresía.
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// The network (`amaie`).
    ///
    /// es: La red (`amaie`).
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub network: String,
    /// The member; not the network itself.
    ///
    /// es: El miembro; no la red misma.
    ///
    /// format: org
    /// required: yes
    #[serde(default)]
    pub member: String,
    /// When it joined.
    ///
    /// es: Desde cuándo es miembro.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// When it left; not before `since`.
    ///
    /// es: Hasta cuándo fue miembro; no anterior a `since`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Its role in the network (coordinator, member…), as written.
    ///
    /// es: Su papel en la red (coordinación, miembro…), como se escribe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Where the record stands in the registry's validation.
    ///
    /// es: En qué paso de la validación del registro está.
    ///
    /// codes: WorkflowState
    /// default: draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

impl MembershipDoc {
    pub fn into_domain(self) -> Result<NetworkMembership, Problems> {
        let mut c = Checker::of(&self);
        let workflow = entered(&mut c, self.workflow.as_deref());
        let key = c.one("key", RecordKey::parse(&self.key));
        let network = c.one("network", OrgKey::parse(&self.network));
        let member = c.one("member", OrgKey::parse(&self.member));
        let since = c.opt_date("since", self.since.as_deref());
        let until = c.opt_date("until", self.until.as_deref());
        let (Some(key), Some(network), Some(member), Some(since), Some(until), true) =
            (key, network.clone(), member.clone(), since, until, c.problems.is_empty())
        else {
            let facts = MembershipFacts {
                network: network.as_ref(),
                member: member.as_ref(),
                since: since.flatten(),
                until: until.flatten(),
            };
            let rules = facts.check();
            c.problems.nest("", rules);
            return Err(c.problems);
        };
        NetworkMembership::new(NetworkMembershipParts { key, network, member, since, until, role: self.role, workflow })
    }

    pub fn from_domain(m: &NetworkMembership) -> MembershipDoc {
        let p = m.parts();
        MembershipDoc {
            key: p.key.to_string(),
            network: p.network.to_string(),
            member: p.member.to_string(),
            since: p.since.map(date_text),
            until: p.until.map(date_text),
            role: p.role.clone(),
            workflow: Some(p.workflow.code().to_owned()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Good practice

/// A good practice (buena práctica) of the federal government, a state or a municipality: what was
/// done, where, with what results, and the evidence of it. Its level and its states are derived
/// from its organisations and places.
///
/// es: Una buena práctica del gobierno federal, de un estado o de un municipio: qué se hizo, dónde,
/// con qué resultados y la evidencia de ello. Su orden de gobierno y sus entidades se derivan de
/// sus organizaciones y lugares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeDoc {
    /// The practice's key.
    ///
    /// es: La clave de la práctica.
    ///
    /// format: key
    /// required: yes
    #[serde(default)]
    pub key: String,
    /// Its title.
    ///
    /// es: Su título.
    ///
    /// required: yes
    #[serde(default)]
    pub title: TextDoc,
    /// The organisations that carried it out, each once: federal, state or municipal
    /// governments or bodies (their `level`).
    ///
    /// es: Las organizaciones que la llevaron a cabo, cada una una vez: gobiernos o dependencias
    /// federales, estatales o municipales (su `level`).
    ///
    /// format: org
    /// min: 1
    #[serde(default)]
    pub organisations: Vec<String>,
    /// What was done.
    ///
    /// es: Qué se hizo.
    ///
    /// required: yes
    #[serde(default)]
    pub summary: TextDoc,
    /// The federal entities where it took place: INEGI code (`07`) or ISO 3166-2 code (`MX-CHP`).
    ///
    /// es: Las entidades federativas donde se llevó a cabo: clave INEGI (`07`) o código ISO 3166-2
    /// (`MX-CHP`).
    ///
    /// codes: MxState
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_states: Vec<String>,
    /// The municipalities where it took place (`07089`); each in one of `mx_states`, when those
    /// are given.
    ///
    /// es: Los municipios donde se llevó a cabo (`07089`); cada uno en una de las `mx_states`,
    /// cuando se dan.
    ///
    /// codes: MxMunicipality
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_municipalities: Vec<String>,
    /// The countries abroad where it took place, if any.
    ///
    /// es: Los países del exterior donde se llevó a cabo, si los hay.
    ///
    /// codes: Country
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// When it began.
    ///
    /// es: Cuándo comenzó.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// When it ended; not before `start`.
    ///
    /// es: Cuándo terminó; no antes de `start`.
    ///
    /// format: date
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// What it achieved.
    ///
    /// es: Qué logró.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<TextDoc>,
    /// The thematic areas it belongs to (`410`, environment).
    ///
    /// es: Las áreas temáticas a las que pertenece (`410`, medio ambiente).
    ///
    /// codes: ThematicArea
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// The forms of cooperation it took.
    ///
    /// es: Las formas de cooperación que tomó.
    ///
    /// codes: CapacityForm
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<String>,
    /// Activities of the registry that are evidence of it.
    ///
    /// es: Actividades del registro que son evidencia de ella.
    ///
    /// format: activity
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// Documents that show it: reports, evaluations, publications.
    ///
    /// es: Documentos que la muestran: informes, evaluaciones, publicaciones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<PracticeDocumentDoc>,
    /// Figures that show its results.
    ///
    /// es: Cifras que muestran sus resultados.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<PracticeIndicatorDoc>,
    /// Words to find it by, as written.
    ///
    /// es: Palabras para encontrarla, como se escriben.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Where the record stands in the registry's validation.
    ///
    /// es: En qué paso de la validación del registro está.
    ///
    /// codes: WorkflowState
    /// default: draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeDocumentDoc {
    /// Its title.
    ///
    /// es: Su título.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<TextDoc>,
    /// Its address (`https://…`).
    ///
    /// es: Su dirección (`https://…`).
    ///
    /// required: yes
    #[serde(default)]
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeIndicatorDoc {
    /// What it measures (`People served`).
    ///
    /// es: Qué mide (`Personas atendidas`).
    ///
    /// required: yes
    #[serde(default)]
    pub name: TextDoc,
    /// The value reached.
    ///
    /// es: El valor alcanzado.
    ///
    /// required: yes
    #[serde(default)]
    pub value: NumberDoc,
    /// Its unit (`personas`, `%`, `hectáreas`), as written.
    ///
    /// es: Su unidad (`personas`, `%`, `hectáreas`), como se escribe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The year of the value.
    ///
    /// es: El año del valor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl PracticeDoc {
    pub fn references(&self) -> Vec<Reference> {
        let mut r = References::default();
        for (i, k) in self.organisations.iter().enumerate() {
            r.add(format!("organisations[{i}]"), Target::MexicanGovernment, k);
        }
        r.activities("activities", &self.activities);
        r.0
    }

    pub fn into_domain(self) -> Result<GoodPractice, Problems> {
        let mut c = Checker::of(&self);
        let workflow = entered(&mut c, self.workflow.as_deref());
        let key = c.one("key", RecordKey::parse(&self.key));
        let organisations: Vec<Option<OrgKey>> = self
            .organisations
            .iter()
            .enumerate()
            .map(|(i, k)| c.one(&format!("organisations[{i}]"), OrgKey::parse(k)))
            .collect();
        let places = practice_places(&mut c, &self);
        let start = c.opt_date("start", self.start.as_deref());
        let end = c.opt_date("end", self.end.as_deref());
        let themes = codes(&mut c, "themes", &self.themes, ThematicAreaCode::parse);
        let forms = codes(&mut c, "forms", &self.forms, CapacityForm::parse);
        let activities = activity_keys(&mut c, "activities", &self.activities);
        let indicators = practice_indicators(&mut c, &self.indicators);
        let (title, summary) = (self.title.into_text(), self.summary.into_text());
        let documents: Vec<PracticeDocument> = self
            .documents
            .into_iter()
            .map(|d| PracticeDocument { title: text(d.title), url: d.url.trim().to_owned() })
            .collect();
        let facts = PracticeFacts {
            title: Some(&title),
            summary: Some(&summary),
            organisations: organisations.iter().map(Option::as_ref).collect(),
            mx_states: places.0.iter().flatten().copied().collect(),
            mx_municipalities: places.1.clone(),
            start: start.flatten(),
            end: end.flatten(),
            document_urls: documents.iter().map(|d| d.url.as_str()).collect(),
            indicator_named: self.indicators.iter().map(|i| !i.name.clone().into_text().is_empty()).collect(),
        };
        let (Some(key), Some(start), Some(end), true) = (key, start, end, c.problems.is_empty()) else {
            c.problems.nest("", facts.check());
            return Err(c.problems);
        };
        GoodPractice::new(GoodPracticeParts {
            key,
            title,
            organisations: organisations.into_iter().flatten().collect(),
            summary,
            mx_states: places.0.into_iter().flatten().collect(),
            mx_municipalities: places.1.into_iter().flatten().collect(),
            countries: places.2,
            start,
            end,
            results: text(self.results),
            activities,
            documents,
            indicators: indicators.into_iter().flatten().collect(),
            themes,
            forms,
            keywords: self.keywords.iter().map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect(),
            workflow,
        })
    }

    pub fn from_domain(g: &GoodPractice) -> PracticeDoc {
        let p = g.parts();
        PracticeDoc {
            key: p.key.to_string(),
            title: TextDoc::from_text(&p.title).unwrap_or(TextDoc::Plain(String::new())),
            organisations: list(&p.organisations, |k| k.to_string()),
            summary: TextDoc::from_text(&p.summary).unwrap_or(TextDoc::Plain(String::new())),
            mx_states: list(&p.mx_states, |s| s.to_string()),
            mx_municipalities: list(&p.mx_municipalities, |m| m.to_string()),
            countries: list(&p.countries, |c| c.to_string()),
            start: p.start.map(date_text),
            end: p.end.map(date_text),
            results: TextDoc::from_text(&p.results),
            themes: list(&p.themes, |t| t.to_string()),
            forms: list(&p.forms, |f| f.code().to_owned()),
            activities: list(&p.activities, |k| k.to_string()),
            documents: list(&p.documents, |d| PracticeDocumentDoc {
                title: TextDoc::from_text(&d.title),
                url: d.url.clone(),
            }),
            indicators: list(&p.indicators, |i| PracticeIndicatorDoc {
                name: TextDoc::from_text(&i.name).unwrap_or(TextDoc::Plain(String::new())),
                value: NumberDoc::from_decimal(i.value),
                unit: i.unit.clone(),
                year: i.year,
            }),
            keywords: p.keywords.clone(),
            workflow: Some(p.workflow.code().to_owned()),
        }
    }
}

/// Codes of a list, each checked at its position (`themes[1]`); the unknown ones left out.
fn codes<T>(c: &mut Checker, field: &str, docs: &[String], parse: fn(&str) -> Result<T, Problem>) -> Vec<T> {
    docs.iter().enumerate().filter_map(|(i, v)| c.one(&format!("{field}[{i}]"), parse(v))).collect()
}

/// A practice's places as far as they could be read: states and municipalities by position
/// (the municipalities' rule needs them so), countries.
type PracticePlaces = (Vec<Option<MxStateCode>>, Vec<Option<MxMunicipalityCode>>, Vec<CountryCode>);

fn practice_places(c: &mut Checker, doc: &PracticeDoc) -> PracticePlaces {
    let states =
        doc.mx_states.iter().enumerate().map(|(i, s)| c.one(&format!("mx_states[{i}]"), MxStateCode::parse_any(s)));
    let states = states.collect();
    let municipalities = doc
        .mx_municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| c.one(&format!("mx_municipalities[{i}]"), MxMunicipalityCode::parse(m)))
        .collect();
    let countries = codes(c, "countries", &doc.countries, CountryCode::parse);
    (states, municipalities, countries)
}

/// Indicators: a value within the bounds of every number, a year from 1900 to 2100.
fn practice_indicators(c: &mut Checker, docs: &[PracticeIndicatorDoc]) -> Vec<Option<PracticeIndicator>> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let value = c.number(&format!("indicators[{i}].value"), &d.value);
            let year = match d.year {
                Some(y) if !(1900..=2100).contains(&y) => c.one(
                    &format!("indicators[{i}].year"),
                    Err(Problem::new(
                        "",
                        Some(&y.to_string()),
                        Rule::OutOfBounds { min: "1900".into(), max: "2100".into() },
                    )),
                ),
                y => Some(y),
            };
            Some(PracticeIndicator {
                name: d.name.clone().into_text(),
                value: value?,
                unit: d.unit.as_ref().map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()),
                year: year?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"{
        "id": "MX-AMEXCID-2012-0001",
        "folio": "F-1",
        "reporting_org": "amexcid",
        "title": {"es": "Curso de manejo de cuencas", "en": "Watershed management course"},
        "description": "Descripción en español",
        "instrument": "project",
        "cooperation_type": "technical-scientific",
        "modality": "triangular",
        "south_south": true,
        "collaboration_type": "8",
        "default_currency": "USD",
        "status": "2",
        "workflow": "validated",
        "participants": [
            {"org": "amexcid", "role": "first-provider"},
            {"org": "giz", "role": "second-provider"},
            {"org": "segeplan", "role": "recipient"}
        ],
        "sectors": [{"code": "41010", "percentage": 60}, {"code": "15110", "percentage": "40"},
                    {"vocabulary": "7", "code": "13", "percentage": 100}],
        "sdgs": ["13", "13.2"],
        "policy_markers": [{"code": "5", "significance": 2}],
        "countries": [{"code": "GT", "percentage": 70}],
        "regions": [{"code": "489", "percentage": 30}],
        "mx_places": [{"state": "MX-CHP", "municipality": "07101"}],
        "points": [{"name": "Tapachula", "latitude": 14.9, "longitude": -92.26}],
        "cross_border": {"border": "south", "dimensions": ["migration", "regional-public-goods"]},
        "dates": {"planned_start": "2012-01-15", "planned_end": "2013-06-30"},
        "budgets": [{"period_start": "2012-01-01", "period_end": "2012-12-31", "amount": 120000.50}],
        "transactions": [{"type": "2", "date": "2012-02-01", "amount": 100000, "currency": "MXN",
                          "provider": {"org": "amexcid"}, "receiver": {"name": "SEGEPLAN", "activity": "GT-1"}}],
        "in_kind": [{"unit": "expert-days", "quantity": 40, "unit_value": 350, "currency": "USD"}],
        "results": [{"level": "outcome", "title": "Capacidades", "indicators": [
            {"title": "Técnicos formados", "baseline_year": 2011, "baseline": 0,
             "periods": [{"start": "2012-01-01", "end": "2012-12-31", "target": 30, "actual": 28}]}]}],
        "good_practice": {"es": "Modelo replicable", "en": "Replicable model"}
    }"#;

    #[test]
    fn a_full_document_round_trips() {
        let doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
        let activity = doc.into_domain().unwrap();
        let p = activity.parts();
        assert_eq!(p.sectors.len(), 3);
        assert_eq!(p.mx_places[0].state.as_str(), "07");
        assert_eq!(p.budgets[0].value.currency.as_str(), "USD", "default currency applies");
        assert_eq!(p.in_kind[0].value().map(|m| m.amount), Some(Decimal::from(14000)));
        let again = ActivityDoc::from_domain(&activity);
        let twice = again.clone().into_domain().unwrap();
        assert_eq!(activity, twice);
        let json = serde_json::to_string(&again).unwrap();
        let back: ActivityDoc = serde_json::from_str(&json).unwrap();
        assert_eq!(back, again);
    }

    /// Found by fuzzing `coopera import iati`: `iso-date="0000-03-01"` was imported, and its
    /// export refused by the schema, as `xs:date` has no year 0.
    #[test]
    fn a_date_has_a_year_from_1() {
        assert_eq!(parse_date("0001-01-01").map(|d| d.year()), Ok(1));
        assert_eq!(parse_date("9999-12-31T00:00:00Z").map(|d| d.year()), Ok(9999));
        for value in ["0000-03-01", "-0001-01-01"] {
            match parse_date(value) {
                Err(p) => {
                    assert!(matches!(&p.rule, Rule::OutOfBounds { min, .. } if min == "0001-01-01"), "{value}: {p:?}")
                }
                Ok(d) => panic!("{value} read as {d}"),
            }
        }
        let mut doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
        doc.dates.planned_start = Some("0000-01-15".into());
        let problems = doc.into_domain().expect_err("year 0");
        assert!(problems.iter().any(|p| p.path == "dates.planned_start"), "{problems:?}");
    }

    #[test]
    fn every_problem_has_its_path() {
        let mut doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
        doc.sectors[0].code = "99999".into();
        doc.sectors[1].percentage = Some(NumberDoc::Int(30));
        doc.dates.planned_end = Some("2011-13-01".into());
        doc.transactions[0].currency = Some("XYZ".into());
        let problems = doc.into_domain().unwrap_err();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        // The sum of the sectors is checked despite the unknown code: one answer says it all.
        assert_eq!(paths, ["sectors[0].code", "dates.planned_end", "transactions[0].currency", "sectors"]);
    }

    /// Problems as (path, rule) pairs, for comparing.
    fn found(problems: &Problems) -> Vec<(&str, Rule)> {
        problems.iter().map(|p| (p.path.as_str(), p.rule.clone())).collect()
    }

    /// A field left out of a file is reported as required, like an empty one, with the other
    /// problems of its record — not as a syntax error that hides them.
    #[test]
    fn a_document_missing_its_fields_names_each_of_them() {
        fn check<D: serde::de::DeserializeOwned>(
            into_domain: fn(D) -> Result<(), Problems>,
            json: &str,
            expected: &[(&str, Rule)],
        ) {
            let doc: D = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            let problems = into_domain(doc).unwrap_err();
            assert_eq!(found(&problems), expected, "{json}");
        }
        let required = Rule::Required;
        check::<ActivityDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[
                ("id", required.clone()),
                ("reporting_org", required.clone()),
                ("instrument", required.clone()),
                ("cooperation_type", required.clone()),
                ("modality", required.clone()),
                ("status", required.clone()),
                ("title", required.clone()),
                ("participants", Rule::TooFew { min: 1 }),
            ],
        );
        check::<ActivityDoc>(
            |d| d.into_domain().map(drop),
            r#"{"id": "A", "reporting_org": "a", "title": "T", "instrument": "action", "cooperation_type": "economic",
                "modality": "bilateral", "status": "2", "participants": [{"org": "a"}],
                "budgets": [{"period_start": "2012-01-01"}], "policy_markers": [{"code": "1"}]}"#,
            &[
                ("participants[0].role", required.clone()),
                ("policy_markers[0].significance", required.clone()),
                ("budgets[0].period_end", required.clone()),
                ("budgets[0].amount", required.clone()),
                ("budgets[0].currency", required.clone()),
            ],
        );
        check::<OrganisationDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[
                ("key", required.clone()),
                ("kind", required.clone()),
                ("level", required.clone()),
                ("name", required.clone()),
            ],
        );
        check::<CapacityDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[
                ("key", required.clone()),
                ("institution", required.clone()),
                ("title", required.clone()),
                ("sectors", Rule::TooFew { min: 1 }),
                ("forms", Rule::TooFew { min: 1 }),
            ],
        );
        check::<DemandDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[
                ("key", required.clone()),
                ("requester", required.clone()),
                ("title", required.clone()),
                ("sectors", Rule::TooFew { min: 1 }),
            ],
        );
        check::<ActionDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[
                ("key", required.clone()),
                ("actor", required.clone()),
                ("kind", required.clone()),
                ("date", required.clone()),
                ("purpose", required.clone()),
            ],
        );
        check::<AgreementDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[
                ("key", required.clone()),
                ("signed", required.clone()),
                ("title", required.clone()),
                ("parties", Rule::TooFew { min: 2 }),
            ],
        );
        check::<MembershipDoc>(
            |d| d.into_domain().map(drop),
            "{}",
            &[("key", required.clone()), ("network", required.clone()), ("member", required.clone())],
        );
    }

    /// The rules of a record look at whatever could be read, and wait for what could not.
    #[test]
    fn rules_apply_to_what_could_be_read() {
        let mut doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
        doc.title = TextDoc::Plain(String::new());
        doc.sectors[0].code = "41011".into();
        doc.sectors[1].percentage = Some(NumberDoc::Int(30));
        doc.dates.planned_start = Some("2013-07-01".into());
        doc.status = "22".into();
        let problems = doc.clone().into_domain().unwrap_err();
        assert_eq!(
            found(&problems),
            [
                ("status", problems.0[0].rule.clone()),
                ("sectors[0].code", problems.0[1].rule.clone()),
                ("title", Rule::Required),
                ("sectors", Rule::PercentSum { group: "1".into(), sum: Decimal::from(90) }),
                ("dates.planned_end", Rule::EndBeforeStart { start: "2013-07-01".into() }),
            ]
        );
        // A triangular activity's roles wait until every participant could be read…
        doc.participants[0].role = "primer".into();
        doc.participants.remove(1);
        let paths: Vec<String> = doc.clone().into_domain().unwrap_err().iter().map(|p| p.path.clone()).collect();
        assert!(!paths.contains(&"participants".to_owned()), "{paths:?}");
        // …and then are counted.
        doc.participants[0].role = "first-provider".into();
        let problems = doc.into_domain().unwrap_err();
        assert!(problems.iter().any(|p| p.rule == Rule::TriangularRoleMissing { role: Role::SecondProvider }));

        let org: OrganisationDoc = serde_json::from_str(
            r#"{"key": "x", "name": "", "kind": "99", "level": "municipal", "country": "MX", "mx_state": "07", "parent": "x"}"#,
        )
        .unwrap();
        let problems = org.into_domain().unwrap_err();
        let rules: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(rules, ["kind", "name", "mx_municipality", "parent"]);
    }

    #[test]
    fn documents_name_their_references() {
        let doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
        let refs: Vec<(String, Target, String)> =
            doc.references().into_iter().map(|r| (r.path, r.target, r.key)).collect();
        let org = |p: &str, k: &str| (p.to_owned(), Target::Organisation, k.to_owned());
        assert_eq!(
            refs,
            [
                org("reporting_org", "amexcid"),
                org("participants[0].org", "amexcid"),
                org("participants[1].org", "giz"),
                org("participants[2].org", "segeplan"),
                org("transactions[0].provider.org", "amexcid"),
            ]
        );
        let action: ActionDoc =
            serde_json::from_str(r#"{"actor": " gob-chiapas ", "activities": ["MX-1", "no es clave"]}"#).unwrap();
        let refs: Vec<(String, Target, String)> =
            action.references().into_iter().map(|r| (r.path, r.target, r.key)).collect();
        assert_eq!(
            refs,
            [
                ("actor".to_owned(), Target::SubnationalGovernment, "gob-chiapas".to_owned()),
                ("activities[0]".to_owned(), Target::Activity, "MX-1".to_owned()),
            ],
            "a key that is not one is the document's problem, not a reference"
        );
    }

    #[test]
    fn an_action_carries_the_cross_border_tag_of_an_activity() {
        let json = r#"{"key": "mision-1", "actor": "gob-chiapas", "kind": "technical-mission", "date": "2024-03-05",
            "purpose": "Salud en la frontera", "cross_border": {"border": "south", "dimensions": ["migration", "drug-trafficking"]}}"#;
        let doc: ActionDoc = serde_json::from_str(json).unwrap();
        let action = doc.clone().into_domain().unwrap();
        let tag = action.parts().cross_border.clone().unwrap();
        assert_eq!(tag.border, Border::South);
        assert_eq!(tag.dimensions, [CrossBorderDimension::Migration, CrossBorderDimension::DrugTrafficking]);
        assert_eq!(ActionDoc::from_domain(&action).cross_border, doc.cross_border, "the tag survives the round trip");

        let untagged: ActionDoc = serde_json::from_str(
            r#"{"key": "m", "actor": "gob-chiapas", "kind": "technical-mission", "date": "2024-03-05", "purpose": "P"}"#,
        )
        .unwrap();
        assert_eq!(untagged.into_domain().unwrap().parts().cross_border, None, "older actions have no tag");

        let mut bad = doc;
        bad.cross_border =
            Some(CrossBorderDoc { border: "east".into(), dimensions: vec!["migration".into(), "smuggling".into()] });
        let problems = bad.into_domain().unwrap_err();
        let found: Vec<(&str, Option<&str>)> = problems.iter().map(|p| (p.path.as_str(), p.value.as_deref())).collect();
        assert_eq!(found, [("cross_border.border", Some("east")), ("cross_border.dimensions[1]", Some("smuggling"))]);
    }

    #[test]
    fn percentage_error_after_codes_are_right() {
        let mut doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
        doc.sectors[1].percentage = Some(NumberDoc::Int(30));
        let problems = doc.into_domain().unwrap_err();
        assert_eq!(problems.0[0].path, "sectors");
        assert_eq!(problems.0[0].rule, Rule::PercentSum { group: "1".into(), sum: Decimal::from(90) });
    }

    /// Values an attacker or a typing slip can send through any door: refused, each at its
    /// place, before anything could overflow or make the record unpublishable.
    #[test]
    fn values_beyond_the_bounds_and_characters_xml_cannot_carry_are_refused() {
        let check = |edit: &dyn Fn(&mut ActivityDoc), expected: &[(&str, Rule)]| {
            let mut doc: ActivityDoc = serde_json::from_str(FULL).unwrap();
            edit(&mut doc);
            let problems = doc.into_domain().unwrap_err();
            let found: Vec<(&str, Rule)> = problems.iter().map(|p| (p.path.as_str(), p.rule.clone())).collect();
            assert_eq!(found, expected);
        };
        let bounds = crate::limits::out_of_bounds();
        check(&|d| d.in_kind[0].quantity = NumberDoc::Text("1e26".into()), &[("in_kind[0].quantity", bounds.clone())]);
        check(
            &|d| d.transactions[0].amount = NumberDoc::Text("-1000000000000000.01".into()),
            &[("transactions[0].amount", bounds.clone())],
        );
        // Each factor within the bound, the product beyond it.
        check(
            &|d| {
                d.in_kind[0].quantity = NumberDoc::Int(1_000_000_000);
                d.in_kind[0].unit_value = Some(NumberDoc::Int(10_000_000));
            },
            &[("in_kind[0].quantity", bounds.clone())],
        );
        check(
            &|d| d.title = TextDoc::Plain("Curso\u{FFFE}".into()),
            &[("title", Rule::ForbiddenCharacter { code_point: 0xFFFE, position: 6 })],
        );
        check(
            &|d| {
                d.title = TextDoc::Langs([("en".to_owned(), "\u{FFFF}".to_owned())].into());
                d.participants[1].org = "giz\u{7}".into();
            },
            &[
                ("title.en", Rule::ForbiddenCharacter { code_point: 0xFFFF, position: 1 }),
                ("participants[1].org", Rule::ForbiddenCharacter { code_point: 7, position: 4 }),
                ("participants[1].org", Rule::Format { expected: crate::problem::Expected::Slug }),
            ],
        );
    }
}
