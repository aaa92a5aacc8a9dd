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
    /// Recipient country (or region, for shares given to a region), split by percentages.
    Country = ("country", "countries", "País", "Country"),
    /// Coopera's regional groupings (Centroamérica, Caribe…), see `geo`.
    Region = ("region", "regions", "Región", "Region"),
    /// OECD DAC region.
    DacRegion = ("dac-region", "dac-regions", "Región CAD", "DAC region"),
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
}

impl Dimension {
    /// By filter code or report name, ignoring case.
    pub fn parse(s: &str) -> Option<Dimension> {
        let s = s.trim().to_lowercase();
        Dimension::ALL.iter().copied().find(|d| d.code() == s || d.report_name() == s)
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
    /// Number of activities (fractions where an activity is split over several rows).
    Count,
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
    pub const ALL: &'static [Measure] =
        &[Measure::Count, Measure::Committed, Measure::Disbursed, Measure::Spent, Measure::InKind, Measure::Total];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Count => "count",
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
            Measure::Committed => lang.pick("Comprometido", "Committed"),
            Measure::Disbursed => lang.pick("Desembolsado", "Disbursed"),
            Measure::Spent => lang.pick("Gastado", "Spent"),
            Measure::InKind => lang.pick("Valor en especie", "In-kind value"),
            Measure::Total => lang.pick("Valor total", "Total value"),
        }
    }

    pub fn is_money(self) -> bool {
        self != Measure::Count
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
