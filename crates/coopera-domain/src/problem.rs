//! What is wrong with a record, where, and which rule it breaks — in Spanish or English.
//!
//! Constructors return [`Problems`] instead of stopping at the first mistake, so a user sees
//! every problem of a file at once. Paths are relative (`sectors[1].percentage`); callers that
//! nest records prefix them with [`Problems::nest`].

use std::fmt;

use rust_decimal::Decimal;

use crate::Lang;
use crate::codelists::Code;
use crate::kinds::{DemandState, Role, WorkflowState};

/// The rule a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The field must be present and not empty.
    Required,
    /// The code is not in the named codelist; the closest valid codes follow (shown with
    /// their names: «2 — En ejecución»).
    UnknownCode { list: &'static str, suggestions: Vec<&'static Code> },
    /// The text does not have the expected shape (a date, a number, an identifier…).
    Format { expected: Expected },
    /// A percentage outside 0–100.
    PercentRange,
    /// Percentages of one vocabulary do not add up to 100 (±0.01).
    PercentSum { group: String, sum: Decimal },
    /// An end date before its start date.
    EndBeforeStart { start: String },
    /// A triangular activity lacks one of its three roles.
    TriangularRoleMissing { role: Role },
    /// A first or second provider on an activity that is not triangular.
    TriangularRoleOutside,
    /// A municipality that does not belong to the state given with it.
    MunicipalityOutsideState { state: String },
    /// A subnational (state or municipal) actor needs its INEGI state code, and Mexico as country.
    SubnationalNeedsState,
    /// A municipal actor needs its INEGI municipality code.
    MunicipalNeedsMunicipality,
    /// INEGI codes on an organisation of another country.
    StateOutsideMexico,
    /// The same value appears twice where it must be unique.
    Duplicate,
    /// A reference to a record that does not exist.
    UnknownReference { target: Target },
    /// A value that must not be negative.
    Negative,
    /// A value that must be a subnational government (state or municipality).
    NotSubnational,
    /// A value that must be a Mexican government or body: federal, state or municipal.
    NotMexicanGovernment,
    /// A workflow step that is not allowed from the current state.
    WorkflowStep { from: WorkflowState },
    /// The demand workflow has no such step from where the demand is.
    DemandStep { from: DemandState },
    /// A demand in `state` needs this field (the capacities proposed, the activity agreed).
    RequiredInState { state: DemandState },
    /// At least `min` entries are needed.
    TooFew { min: usize },
    /// A text longer than `max` characters.
    TooLong { max: usize },
    /// Someone saved the record after the form was opened: the save was refused, and the
    /// differences between what is stored now and what the form holds follow.
    EditedMeanwhile { by: String, at: String },
    /// A number beyond the bounds a value of its kind may take ([`crate::limits`]).
    OutOfBounds { min: String, max: String },
    /// A text holding a character that XML cannot carry (a control character, U+FFFE or
    /// U+FFFF): the record could not be published as IATI. `position` counts characters from 1.
    ForbiddenCharacter { code_point: u32, position: usize },
    /// A record is stored under this key with another content, and the write may not replace
    /// it; `differences` fields differ (each reported as [`Rule::Changed`]).
    StoredDiffers { differences: usize },
    /// A field of a record that differs from the stored record: its value stored and new
    /// (`None` where the field is absent or empty).
    Changed { stored: Option<String>, new: Option<String> },
    /// A field a document does not have (a misspelt name); the closest field, if any.
    UnknownField { suggestion: Option<String> },
    /// A value of another shape than the field takes (a list where a text goes).
    WrongShape { expected: Shape },
}

/// What a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Organisation,
    /// An organisation that must also be a state or municipal government.
    SubnationalGovernment,
    /// An organisation that must also be federal, state or municipal.
    MexicanGovernment,
    Activity,
    /// A capacity of the catalog.
    Capacity,
    /// A partner's demand.
    Demand,
    /// A record of another kind (an international action, an agreement…).
    Record(crate::record::RecordKind),
}

/// The shapes a field of a document takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// A text, or a table of texts by language (`{ es = "…", en = "…" }`).
    Texts,
    Number,
    Integer,
    Boolean,
    List,
    Table,
    /// A value of another kind than the one given (what the file's parser said).
    Valid,
}

impl Shape {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Shape::Text => lang.pick("un texto", "a text"),
            Shape::Texts => lang.pick(
                "un texto, o una tabla de textos por idioma (es, en)",
                "a text, or a table of texts by language (es, en)",
            ),
            Shape::Number => lang.pick("un número", "a number"),
            Shape::Integer => lang.pick("un número entero", "a whole number"),
            Shape::Boolean => lang.pick("`true` o `false`", "`true` or `false`"),
            Shape::List => lang.pick("una lista", "a list"),
            Shape::Table => lang.pick("una tabla de campos", "a table of fields"),
            Shape::Valid => lang.pick("otro valor", "another value"),
        }
    }
}

/// A value as messages quote it: «…» in Spanish, “…” in English.
fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!("«{text}»"),
        Lang::En => format!("“{text}”"),
    }
}

/// A code with its name, as suggestions show it: `2 — En ejecución`.
pub fn code_and_name(code: &Code, lang: Lang) -> String {
    let name = code.name(lang);
    if name.is_empty() || name == code.code { code.code.to_owned() } else { format!("{} — {name}", code.code) }
}

/// The name of an IATI sector vocabulary, for messages.
fn vocabulary_name(code: &str, lang: Lang) -> &'static str {
    match crate::codelists::SECTOR_VOCABULARY.get(code) {
        Some(c) => c.name(lang),
        None => lang.pick("vocabulario propio", "own vocabulary"),
    }
}

/// The shapes a value can be expected to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Number,
    Date,
    Percent,
    Significance,
    Email,
    Slug,
    Identifier,
    Language,
    /// The scope of an account ([`crate::access::Scope`]).
    Scope,
    /// A web address, `http://` or `https://`.
    Url,
}

impl Expected {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Expected::Number => lang.pick("un número", "a number"),
            Expected::Date => lang.pick("una fecha AAAA-MM-DD", "a date YYYY-MM-DD"),
            Expected::Percent => lang.pick("un porcentaje de 0 a 100", "a percentage from 0 to 100"),
            Expected::Significance => lang.pick("un nivel de 0 a 4", "a level from 0 to 4"),
            Expected::Email => lang.pick("una dirección de correo", "an e-mail address"),
            Expected::Slug => lang.pick(
                "una clave en minúsculas con letras, dígitos y guiones (p. ej. gob-chiapas)",
                "a lowercase key of letters, digits and dashes (e.g. gob-chiapas)",
            ),
            Expected::Identifier => lang.pick(
                "un identificador sin espacios (p. ej. MX-AMEXCID-2012-0001)",
                "an identifier without spaces (e.g. MX-AMEXCID-2012-0001)",
            ),
            Expected::Language => lang.pick(
                "un código de idioma de 1 a 8 letras (p. ej. es, en, pt-br)",
                "a language code of 1 to 8 letters (e.g. es, en, pt-br)",
            ),
            Expected::Url => lang.pick(
                "una dirección web que empiece con http:// o https://",
                "a web address starting with http:// or https://",
            ),
            Expected::Scope => lang.pick(
                "un ámbito: all, org:CLAVE, state:07 o state:MX-CHP",
                "a scope: all, org:KEY, state:07 or state:MX-CHP",
            ),
        }
    }
}

/// One problem: where, with which value, breaking which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Field path inside the record, e.g. `sectors[1].code`. Empty for the record itself.
    pub path: String,
    /// The offending value as the user wrote it, when there is one.
    pub value: Option<String>,
    pub rule: Rule,
}

impl Problem {
    pub fn new(path: impl Into<String>, value: Option<&str>, rule: Rule) -> Problem {
        Problem { path: path.into(), value: value.map(str::to_owned), rule }
    }

    /// The rule in plain words, without the path. Every rule is one arm, in the order the
    /// rules are declared; the few whose message is built from parts name a helper below.
    pub fn rule_message(&self, lang: Lang) -> String {
        use Rule::*;
        match &self.rule {
            Required => lang.pick("campo obligatorio", "required field").to_owned(),
            UnknownCode { list, suggestions } => unknown_code(list, suggestions, lang),
            Format { expected } => match lang {
                Lang::Es => format!("formato inválido, se esperaba {}", expected.label(lang)),
                Lang::En => format!("invalid format, expected {}", expected.label(lang)),
            },
            PercentRange => {
                lang.pick("el porcentaje debe estar entre 0 y 100", "a percentage must be between 0 and 100").to_owned()
            }
            PercentSum { group, sum } => percent_sum(group, *sum, lang),
            EndBeforeStart { start } => match lang {
                Lang::Es => format!("la fecha final es anterior a la inicial ({start})"),
                Lang::En => format!("the end date is before the start date ({start})"),
            },
            TriangularRoleMissing { role } => match lang {
                Lang::Es => {
                    format!("una cooperación triangular necesita un participante con el rol {}", role.label(lang))
                }
                Lang::En => format!("a triangular activity needs a participant with the role {}", role.label(lang)),
            },
            TriangularRoleOutside => lang
                .pick(
                    "los roles primer y segundo oferente solo existen en la cooperación triangular",
                    "first and second provider roles exist only in triangular cooperation",
                )
                .to_owned(),
            MunicipalityOutsideState { state } => match lang {
                Lang::Es => format!("el municipio no pertenece a la entidad federativa {state}"),
                Lang::En => format!("the municipality does not belong to the federal entity {state}"),
            },
            SubnationalNeedsState => lang
                .pick(
                    "un actor estatal o municipal necesita país MX y la clave INEGI de su entidad",
                    "a state or municipal actor needs country MX and the INEGI code of its state",
                )
                .to_owned(),
            MunicipalNeedsMunicipality => lang
                .pick(
                    "un actor municipal necesita la clave INEGI de su municipio",
                    "a municipal actor needs the INEGI code of its municipality",
                )
                .to_owned(),
            StateOutsideMexico => lang
                .pick(
                    "las claves INEGI solo aplican a organizaciones de México (MX)",
                    "INEGI codes apply only to organisations of Mexico (MX)",
                )
                .to_owned(),
            Duplicate => lang.pick("valor repetido", "duplicated value").to_owned(),
            UnknownReference { target } => unknown_reference(*target, lang),
            Negative => lang.pick("no puede ser negativo", "must not be negative").to_owned(),
            NotSubnational => lang
                .pick("debe ser un gobierno estatal o municipal", "must be a state or municipal government")
                .to_owned(),
            NotMexicanGovernment => lang
                .pick(
                    "debe ser un gobierno o una dependencia federal, estatal o municipal",
                    "must be a federal, state or municipal government or body",
                )
                .to_owned(),
            WorkflowStep { from } => match lang {
                Lang::Es => format!("paso de flujo no permitido desde el estado {}", from.label(lang)),
                Lang::En => format!("workflow step not allowed from state {}", from.label(lang)),
            },
            RequiredInState { state } => match lang {
                Lang::Es => format!("es obligatorio en una solicitud {}", state.label(lang).to_lowercase()),
                Lang::En => format!("required in a demand that is {}", state.label(lang).to_lowercase()),
            },
            DemandStep { from } => match lang {
                Lang::Es => format!(
                    "una solicitud {} no puede pasar a ese estado (recibida → respondida → acordada → cerrada; recibida o respondida → declinada)",
                    from.label(lang).to_lowercase()
                ),
                Lang::En => format!(
                    "a demand that is {} cannot move to that state (received → answered → agreed → closed; received or answered → declined)",
                    from.label(lang).to_lowercase()
                ),
            },
            EditedMeanwhile { by, at } => match lang {
                Lang::Es => format!(
                    "{by} guardó este registro ({at} UTC) después de que usted lo abrió; no se guardó nada: abajo están las diferencias entre lo guardado y su formulario, que conserva lo que usted escribió; guarde de nuevo para reemplazarlo"
                ),
                Lang::En => format!(
                    "{by} saved this record ({at} UTC) after you opened it; nothing was saved: below are the differences between what is stored and your form, which keeps what you wrote; save again to replace it"
                ),
            },
            TooLong { max } => match lang {
                Lang::Es => format!("texto demasiado largo: como máximo {max} caracteres"),
                Lang::En => format!("text too long: at most {max} characters"),
            },
            TooFew { min } => match lang {
                Lang::Es => format!("se necesitan al menos {min}"),
                Lang::En => format!("at least {min} needed"),
            },
            OutOfBounds { min, max } => match lang {
                Lang::Es => format!("el valor debe estar entre {min} y {max}"),
                Lang::En => format!("the value must lie between {min} and {max}"),
            },
            ForbiddenCharacter { code_point, position } => forbidden_character(*code_point, *position, lang),
            StoredDiffers { differences } => stored_differs(*differences, lang),
            Changed { stored, new } => changed(stored.as_deref(), new.as_deref(), lang),
            UnknownField { suggestion } => unknown_field(suggestion.as_deref(), lang),
            WrongShape { expected } => match lang {
                Lang::Es => format!("se esperaba {}", expected.label(lang)),
                Lang::En => format!("expected {}", expected.label(lang)),
            },
        }
    }

    /// `path: value: rule`, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let mut m = String::new();
        if !self.path.is_empty() {
            m.push_str(&self.path);
            m.push_str(": ");
        }
        if let Some(v) = &self.value {
            m.push('`');
            m.push_str(v);
            m.push_str("`: ");
        }
        m.push_str(&self.rule_message(lang));
        m
    }
}

// The messages of `Problem::rule_message` that are built from parts, by family: codes and
// fields, percentages, references, the characters of a text, a stored record.

/// An unknown code, with the closest valid codes when there are some.
fn unknown_code(list: &str, suggestions: &[&Code], lang: Lang) -> String {
    let mut m = match lang {
        Lang::Es => format!("código desconocido en la lista `{list}`"),
        Lang::En => format!("unknown code in the `{list}` codelist"),
    };
    if !suggestions.is_empty() {
        m.push_str(lang.pick("; ¿quiso decir ", "; did you mean "));
        let shown: Vec<String> = suggestions.iter().map(|c| quoted(&code_and_name(c, lang), lang)).collect();
        m.push_str(&shown.join(", "));
        m.push('?');
    }
    m
}

/// A field a document does not have, with the closest one when there is one.
fn unknown_field(suggestion: Option<&str>, lang: Lang) -> String {
    let mut m = lang.pick("campo desconocido", "unknown field").to_owned();
    if let Some(s) = suggestion {
        m.push_str(&match lang {
            Lang::Es => format!("; ¿quiso decir `{s}`?"),
            Lang::En => format!("; did you mean `{s}`?"),
        });
    }
    m
}

/// Percentages that do not add up: those of countries and regions together, or of the
/// sectors of one vocabulary (`group` is its code).
fn percent_sum(group: &str, sum: Decimal, lang: Lang) -> String {
    let what = match (group, lang) {
        ("countries+regions", Lang::Es) => "de países y regiones".to_owned(),
        ("countries+regions", Lang::En) => "of countries and regions".to_owned(),
        (vocabulary, Lang::Es) => {
            format!("de sectores del vocabulario {vocabulary} ({})", vocabulary_name(vocabulary, lang))
        }
        (vocabulary, Lang::En) => {
            format!("of sectors in vocabulary {vocabulary} ({})", vocabulary_name(vocabulary, lang))
        }
    };
    match lang {
        Lang::Es => format!("los porcentajes {what} suman {sum}, deben sumar 100 (±0.01)"),
        Lang::En => format!("the percentages {what} add up to {sum}, they must add up to 100 (±0.01)"),
    }
}

fn unknown_reference(target: Target, lang: Lang) -> String {
    let with_article = |kind: crate::record::RecordKind| kind.with_article(lang);
    let text = match target {
        Target::Organisation | Target::SubnationalGovernment | Target::MexicanGovernment => {
            lang.pick("no existe una organización con esa clave", "there is no organisation with that key")
        }
        Target::Activity => {
            lang.pick("no existe una actividad con ese identificador", "there is no activity with that identifier")
        }
        Target::Capacity => lang.pick(
            "no existe una capacidad del catálogo con esa clave",
            "there is no capacity of the catalog with that key",
        ),
        Target::Demand => lang.pick("no existe una solicitud con esa clave", "there is no demand with that key"),
        Target::Record(kind) => {
            return match lang {
                Lang::Es => format!("no existe {} con esa clave", with_article(kind)),
                Lang::En => format!("there is no {} with that key", kind.label(lang)),
            };
        }
    };
    text.to_owned()
}

fn forbidden_character(code_point: u32, position: usize, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "el texto contiene el carácter U+{code_point:04X} (posición {position}), que no se puede publicar en XML; quítelo"
        ),
        Lang::En => format!(
            "the text holds the character U+{code_point:04X} (position {position}), which XML cannot carry; remove it"
        ),
    }
}

fn stored_differs(differences: usize, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "ya existe un registro con esta clave y difiere del nuevo en {differences} campo(s); no se reemplazó"
        ),
        Lang::En => format!(
            "a record with this key already exists and differs from the new one in {differences} field(s); it was not replaced"
        ),
    }
}

/// A field's stored and new values, quoted, or "(nothing)" where absent.
fn changed(stored: Option<&str>, new: Option<&str>, lang: Lang) -> String {
    let show = |v: Option<&str>| match v {
        Some(v) => quoted(v, lang),
        None => lang.pick("(nada)", "(nothing)").to_owned(),
    };
    match lang {
        Lang::Es => format!("guardado {} → nuevo {}", show(stored), show(new)),
        Lang::En => format!("stored {} → new {}", show(stored), show(new)),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// All the problems found in one record. Never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn new() -> Problems {
        Problems(Vec::new())
    }

    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub fn add(&mut self, path: impl Into<String>, value: Option<&str>, rule: Rule) {
        self.0.push(Problem::new(path, value, rule));
    }

    /// Takes the problems of a nested record, prefixing their paths with `prefix`.
    pub fn nest(&mut self, prefix: &str, inner: Problems) {
        for mut p in inner.0 {
            p.path = join_path(prefix, &p.path);
            self.0.push(p);
        }
    }

    /// Keeps the value of `r`, or records its problems under `prefix` and gives `None`.
    pub fn take<T>(&mut self, prefix: &str, r: Result<T, Problems>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.nest(prefix, e);
                None
            }
        }
    }

    /// Like [`Problems::take`] for a single problem.
    pub fn take_one<T>(&mut self, prefix: &str, r: Result<T, Problem>) -> Option<T> {
        self.take(prefix, r.map_err(Problems::from))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was found, the problems otherwise.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Problems> {
        if self.0.is_empty() { Ok(value()) } else { Err(self) }
    }
}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Problems {
        Problems(vec![p])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Joins two field paths: `sectors[1]` + `code` = `sectors[1].code`; an index needs no dot.
pub fn join_path(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_owned(),
        (_, true) => prefix.to_owned(),
        _ if path.starts_with('[') => format!("{prefix}{path}"),
        _ => format!("{prefix}.{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_paths() {
        let mut outer = Problems::new();
        let inner = Problems::from(Problem::new("code", Some("99999"), Rule::Required));
        outer.nest("sectors[1]", inner);
        outer.nest("", Problems::from(Problem::new("[0]", None, Rule::Duplicate)));
        assert_eq!(outer.0[0].path, "sectors[1].code");
        assert_eq!(outer.0[1].path, "[0]");
    }

    #[test]
    fn speaks_both_languages() {
        let suggestions = vec![crate::codelists::SECTOR.get("99810").expect("99810")];
        let p = Problem::new("sectors[0].code", Some("99999"), Rule::UnknownCode { list: "Sector", suggestions });
        assert_eq!(
            p.message(Lang::Es),
            "sectors[0].code: `99999`: código desconocido en la lista `Sector`; ¿quiso decir «99810 — Sectores no especificados»?"
        );
        assert_eq!(
            p.message(Lang::En),
            "sectors[0].code: `99999`: unknown code in the `Sector` codelist; did you mean “99810 — Sectors not specified”?"
        );
    }
}
