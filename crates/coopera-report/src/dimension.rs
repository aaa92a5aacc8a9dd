//! What a report groups by (dimensions), what it adds up (measures) and in which currency.

use coopera_domain::Lang;
use coopera_domain::code::CurrencyCode;

macro_rules! dimensions {
    ($($(#[$doc:meta])* $variant:ident = ($code:literal, $report:literal, $es:literal, $en:literal)),+ $(,)?) => {
        /// A way of grouping activities into the rows of a report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Dimension {
            $($(#[$doc])* $variant),+
        }

        impl Dimension {
            pub const ALL: &'static [Dimension] = &[$(Dimension::$variant),+];

            /// The name in filters (`--filter country=GT`) and in JSON.
            pub fn code(self) -> &'static str {
                match self { $(Dimension::$variant => $code),+ }
            }

            /// The name of the report that groups by this dimension (`coopera report countries`).
            pub fn report_name(self) -> &'static str {
                match self { $(Dimension::$variant => $report),+ }
            }

            /// The heading of the column of row labels.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $(Dimension::$variant => lang.pick($es, $en)),+ }
            }
        }
    };
}

dimensions! {
    /// DAC sector group (the seed's thematic areas), split by sector percentages.
    ThematicArea = ("sector-group", "themes", "Área temática", "Thematic area"),
    /// DAC 3-digit category.
    DacCategory = ("dac-category", "categories", "Categoría CAD", "DAC category"),
    /// DAC 5-digit purpose code (a 3-digit category where only that was given).
    DacCode = ("dac-code", "sectors", "Sector CAD", "DAC sector"),
    SdgGoal = ("sdg", "sdgs", "Objetivo de Desarrollo Sostenible", "Sustainable Development Goal"),
    /// The partner's country — where cooperation went, where it came from (see `partner`):
    /// the default geography, so its report is `countries`. International organisations have
    /// a row of their own ("multilateral"), shares given to a region rather than a country too.
    PartnerCountry = ("partner-country", "countries", "País socio", "Partner country"),
    /// The partner's regional grouping (Centroamérica, Caribe…; see `geo`); international
    /// organisations under "multilateral". The default geography: its report is `regions`.
    PartnerRegion = ("partner-region", "regions", "Región del socio", "Partner region"),
    /// IATI's recipient country (or region, for shares given to a region), split by
    /// percentages: the home country itself for cooperation it receives.
    RecipientCountry = ("recipient-country", "recipient-countries", "País receptor (IATI)", "Recipient country (IATI)"),
    /// The regional grouping of IATI's recipient countries and regions.
    RecipientRegion = ("recipient-region", "recipient-regions", "Región receptora (IATI)", "Recipient region (IATI)"),
    /// OECD DAC region of IATI's recipient countries and regions.
    DacRegion = ("dac-region", "dac-regions", "Región CAD del receptor", "DAC region of the recipient"),
    /// Participating organisations that are not of the home country.
    Partner = ("partner", "partners", "Socio", "Partner"),
    Modality = ("modality", "modalities", "Modalidad", "Modality"),
    /// South-South, North-South, decentralised, cross-border.
    Scheme = ("scheme", "schemes", "Esquema", "Scheme"),
    Instrument = ("instrument", "instruments", "Instrumento", "Instrument"),
    CooperationType = ("cooperation-type", "types", "Tipo de cooperación", "Type of cooperation"),
    Direction = ("direction", "directions", "Dirección", "Direction"),
    /// Government level of the home country's participants (federal, state, municipal…).
    ActorLevel = ("level", "levels", "Nivel del actor", "Actor level"),
    /// Mexican state where the activity happens or whose government takes part.
    MxState = ("state", "states", "Entidad federativa", "Mexican state"),
    /// Border of cross-border activities (others are left out).
    Border = ("border", "crossborder", "Frontera", "Border"),
    /// Dimension of the cross-border agenda (activities that are not cross-border are left out).
    Agenda = ("agenda", "agenda", "Dimensión de la agenda transfronteriza", "Cross-border agenda dimension"),
    /// Year: an activity's start year for counts, a flow's year for money.
    Year = ("year", "years", "Año", "Year"),
    /// IATI activity status.
    Status = ("status", "statuses", "Estado", "Status"),
    /// Where the activity stands in the registry's validation workflow (draft, submitted,
    /// validated, published).
    Workflow = ("workflow", "workflow-states", "Flujo de validación", "Workflow"),
}

impl Dimension {
    /// By filter code or report name, ignoring case.
    pub fn parse(s: &str) -> Option<Dimension> {
        let s = s.trim().to_lowercase();
        Dimension::ALL.iter().copied().find(|d| d.code() == s || d.report_name() == s)
    }

    /// The label inside a sentence ("Número de actividades por país socio"): its first letter
    /// in lowercase, unless the first word is an acronym or a proper adjective ("DAC region",
    /// "Mexican state", "Sustainable Development Goal").
    pub fn label_in_sentence(self, lang: Lang) -> String {
        let label = self.label(lang);
        let first = label.split(' ').next().unwrap_or("");
        let keep = first.chars().all(|c| c.is_uppercase()) || matches!(first, "Mexican" | "Sustainable");
        let mut chars = label.chars();
        match chars.next() {
            Some(c) if !keep => c.to_lowercase().chain(chars).collect(),
            _ => label.to_owned(),
        }
    }

    /// Whether activities without a value for this dimension are left out of the report (only
    /// cross-border activities have a border or an agenda).
    pub(crate) fn only_cross_border(self) -> bool {
        matches!(self, Dimension::Border | Dimension::Agenda)
    }
}

/// What a report adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Number of whole activities: an activity counts once in every row it touches (rows of
    /// a dimension with several values per activity overlap), and the total is the number of
    /// distinct activities.
    Count,
    /// Number of activities, each split over its rows by its percentages (in equal parts
    /// where the dimension has none), so that the rows add up to the activities.
    Weighted,
    /// Commitments (IATI transaction type 2); without any, incoming commitments (11); without
    /// those, budgets.
    Committed,
    /// Disbursements (3); without any, incoming funds (1).
    Disbursed,
    /// Expenditure (4).
    Spent,
    /// Value of in-kind contributions.
    InKind,
    /// Money committed plus in-kind value.
    Total,
}

impl Measure {
    pub const ALL: &'static [Measure] = &[
        Measure::Count,
        Measure::Weighted,
        Measure::Committed,
        Measure::Disbursed,
        Measure::Spent,
        Measure::InKind,
        Measure::Total,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Count => "count",
            Measure::Weighted => "weighted",
            Measure::Committed => "committed",
            Measure::Disbursed => "disbursed",
            Measure::Spent => "spent",
            Measure::InKind => "in-kind",
            Measure::Total => "total",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Measure::Count => lang.pick("Número de actividades", "Number of activities"),
            Measure::Weighted => lang.pick("Número de actividades (ponderado)", "Number of activities (weighted)"),
            Measure::Committed => lang.pick("Comprometido", "Committed"),
            Measure::Disbursed => lang.pick("Desembolsado", "Disbursed"),
            Measure::Spent => lang.pick("Gastado", "Spent"),
            Measure::InKind => lang.pick("Valor en especie", "In-kind value"),
            Measure::Total => lang.pick("Valor total", "Total value"),
        }
    }

    /// Whether it adds up money (the others count activities).
    pub fn is_money(self) -> bool {
        !matches!(self, Measure::Count | Measure::Weighted)
    }
}

/// The currency of a value report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Currency {
    /// Every value converted to US dollars at dated rates.
    Usd,
    /// Every value converted to Mexican pesos at dated rates.
    Mxn,
    /// Only values recorded in this currency, as recorded (no conversion); values in other
    /// currencies are listed apart.
    Native(CurrencyCode),
}

impl Currency {
    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Mxn => "MXN",
            Currency::Native(c) => c.as_str(),
        }
    }

    pub fn is_native(self) -> bool {
        matches!(self, Currency::Native(_))
    }
}
