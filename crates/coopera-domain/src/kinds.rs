//! Coopera's own classifications — the words of Mexican cooperation that IATI has no list
//! for: instrument, type of cooperation, modality, roles, government level, cross-border
//! agenda, workflow. Each has a stable code (used in files and URLs) and Spanish and English
//! labels.

use crate::Lang;
use crate::codelists::Code;
use crate::problem::{Problem, Rule};

macro_rules! labelled_enum {
    (
        $(#[$doc:meta])*
        $name:ident, $list:literal {
            $($(#[$vdoc:meta])* $variant:ident = ($code:literal, $es:literal, $en:literal)),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The classification as a codelist (codes with Spanish and English names).
            pub const CODES: &'static [Code] = &[$(Code { code: $code, name_es: $es, name_en: $en, category: None, withdrawn: false }),+];
            /// The name of this classification in messages and in `coopera codelist`.
            pub const LIST: &'static str = $list;

            /// The stable code used in files, URLs and the database.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match self {
                    $($name::$variant => lang.pick($es, $en)),+
                }
            }

            /// The value by its code (any case); an empty value is missing, an unknown one is
            /// answered with the closest codes, or all of them.
            pub fn parse(value: &str) -> Result<$name, Problem> {
                let v = value.trim();
                if v.is_empty() {
                    return Err(Problem::new("", None, Rule::Required));
                }
                $name::ALL
                    .iter()
                    .copied()
                    .find(|k| k.code().eq_ignore_ascii_case(v))
                    .ok_or_else(|| {
                        let near = |c: &&Code| strsim::levenshtein(&v.to_lowercase(), c.code) <= 3;
                        let close: Vec<&'static Code> = $name::CODES.iter().filter(near).collect();
                        let suggestions = if close.is_empty() { $name::CODES.iter().collect() } else { close };
                        Problem::new("", Some(value), Rule::UnknownCode { list: $list, suggestions })
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        stored_as_text!($name, |k| k.code(), $name::parse);
    };
}

labelled_enum! {
    /// The level of government (or kind of actor) an organisation belongs to.
    Level, "Level" {
        Federal = ("federal", "Federal", "Federal"),
        State = ("state", "Estatal", "State"),
        Municipal = ("municipal", "Municipal", "Municipal"),
        /// Bodies of several states: CONAGO, regional trusts such as FIDESUR.
        InterState = ("inter-state", "Interestatal", "Inter-state"),
        ForeignGovernment = ("foreign-government", "Gobierno extranjero", "Foreign government"),
        International = ("international", "Organismo internacional", "International organisation"),
        NonGovernmental = ("non-governmental", "No gubernamental", "Non-governmental"),
    }
}

impl Level {
    /// State and municipal governments: the actors of decentralised cooperation.
    pub fn is_subnational(self) -> bool {
        matches!(self, Level::State | Level::Municipal)
    }

    /// The three orders of Mexican government: federal, state and municipal.
    pub fn is_mexican_government(self) -> bool {
        matches!(self, Level::Federal | Level::State | Level::Municipal)
    }
}

labelled_enum! {
    /// The form an activity takes.
    Instrument, "Instrument" {
        Programme = ("programme", "Programa", "Programme"),
        Project = ("project", "Proyecto", "Project"),
        Action = ("action", "Acción", "Action"),
        Scholarship = ("scholarship", "Beca", "Scholarship"),
        HumanitarianAid = ("humanitarian-aid", "Ayuda humanitaria", "Humanitarian aid"),
        Contribution = ("contribution", "Contribución a organismo internacional", "Contribution to an international organisation"),
        FinancialCooperation = ("financial-cooperation", "Cooperación financiera", "Financial cooperation"),
    }
}

labelled_enum! {
    /// The type of cooperation.
    CooperationType, "CooperationType" {
        TechnicalScientific = ("technical-scientific", "Técnica y científica", "Technical and scientific"),
        EducationalCultural = ("educational-cultural", "Educativa y cultural", "Educational and cultural"),
        Economic = ("economic", "Económica", "Economic"),
        Financial = ("financial", "Financiera", "Financial"),
        Humanitarian = ("humanitarian", "Humanitaria", "Humanitarian"),
    }
}

labelled_enum! {
    /// How many partners take part and how.
    Modality, "Modality" {
        Bilateral = ("bilateral", "Bilateral", "Bilateral"),
        Triangular = ("triangular", "Triangular", "Triangular"),
        Regional = ("regional", "Regional", "Regional"),
        Multilateral = ("multilateral", "Multilateral", "Multilateral"),
    }
}

labelled_enum! {
    /// The part an organisation plays in an activity. The first four are Coopera's roles; the
    /// last four are IATI's, kept as they are when imported.
    Role, "Role" {
        Provider = ("provider", "Oferente", "Provider"),
        Recipient = ("recipient", "Receptor", "Recipient"),
        /// In triangular cooperation: the southern partner that transfers its capacity.
        FirstProvider = ("first-provider", "Primer oferente", "First provider"),
        /// In triangular cooperation: the facilitator, often a DAC donor or an international body.
        SecondProvider = ("second-provider", "Segundo oferente", "Second provider"),
        Funding = ("funding", "Financiador", "Funding"),
        Accountable = ("accountable", "Responsable", "Accountable"),
        Extending = ("extending", "Canalizador de fondos", "Extending"),
        Implementing = ("implementing", "Ejecutor", "Implementing"),
    }
}

impl Role {
    /// Whether the organisation gives in this role (its country's cooperation is "given").
    pub fn gives(self) -> bool {
        matches!(self, Role::Provider | Role::FirstProvider | Role::SecondProvider | Role::Funding | Role::Extending)
    }

    /// The IATI OrganisationRole code this role is published as.
    pub fn iati_code(self) -> &'static str {
        match self {
            Role::Provider | Role::FirstProvider | Role::SecondProvider | Role::Funding => "1",
            Role::Accountable => "2",
            Role::Extending => "3",
            Role::Recipient | Role::Implementing => "4",
        }
    }
}

labelled_enum! {
    /// Which way cooperation flows relative to the reporting country. Always derived from the
    /// participants and places, never typed.
    Direction, "Direction" {
        Given = ("given", "Otorgada", "Given"),
        Received = ("received", "Recibida", "Received"),
        Both = ("both", "Bidireccional", "Both ways"),
    }
}

labelled_enum! {
    /// The border a cross-border activity belongs to.
    Border, "Border" {
        North = ("north", "Frontera norte (Estados Unidos)", "Northern border (United States)"),
        South = ("south", "Frontera sur (Guatemala y Belice)", "Southern border (Guatemala and Belize)"),
    }
}

labelled_enum! {
    /// The dimensions of the cross-border agenda.
    CrossBorderDimension, "CrossBorderDimension" {
        Migration = ("migration", "Migración", "Migration"),
        DrugTrafficking = ("drug-trafficking", "Combate al narcotráfico", "Fight against drug trafficking"),
        RegionalPublicGoods = ("regional-public-goods", "Bienes públicos regionales (medio ambiente)", "Regional public goods (environment)"),
        LocalEconomicDevelopment = ("local-economic-development", "Desarrollo económico local y cadenas de valor", "Local economic development and value chains"),
        LabourMarkets = ("labour-markets", "Mercados laborales", "Labour markets"),
        PortabilityOfRights = ("portability-of-rights", "Portabilidad de derechos", "Portability of rights"),
        Integration = ("integration", "Integración económica y social", "Economic and social integration"),
    }
}

labelled_enum! {
    /// Units of in-kind contributions, valued with a published rate table.
    InKindUnit, "InKindUnit" {
        ExpertDays = ("expert-days", "Días de experto", "Expert-days"),
        Participants = ("participants", "Participantes en cursos", "Course participants"),
        Trips = ("trips", "Viajes", "Trips"),
        Materials = ("materials", "Materiales", "Materials"),
        Other = ("other", "Otro", "Other"),
    }
}

labelled_enum! {
    /// Where a record stands in the registry's validation workflow.
    WorkflowState, "WorkflowState" {
        Draft = ("draft", "Borrador", "Draft"),
        Submitted = ("submitted", "Enviado", "Submitted"),
        Validated = ("validated", "Validado", "Validated"),
        Published = ("published", "Publicado", "Published"),
    }
}

impl WorkflowState {
    /// The steps allowed: forward one step, or back to draft for correction.
    pub fn can_move_to(self, to: WorkflowState) -> bool {
        use WorkflowState::*;
        matches!(
            (self, to),
            (Draft, Submitted)
                | (Submitted, Validated)
                | (Validated, Published)
                | (Submitted | Validated | Published, Draft)
        )
    }

    /// The state of a record stored before its kind had a workflow: such records were
    /// public, and stay so.
    pub fn stored_before_workflow() -> WorkflowState {
        WorkflowState::Published
    }

    pub fn move_to(self, to: WorkflowState) -> Result<WorkflowState, Problem> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(Problem::new("workflow", Some(to.code()), Rule::WorkflowStep { from: self }))
        }
    }
}

labelled_enum! {
    /// The role of an account in the registry. What each role may do is decided in one place,
    /// [`crate::access::decide`].
    AccountRole, "AccountRole" {
        /// Everything, including managing accounts.
        Administrator = ("administrator", "Administrador", "Administrator"),
        /// The agency's staff: everything on records, validating and publishing included.
        Analyst = ("analyst", "Analista de la agencia", "Agency analyst"),
        /// Writes and submits the records of its scope; never validates or publishes.
        Editor = ("editor", "Editor", "Editor"),
        /// Reads the records of its scope; writes nothing.
        Viewer = ("viewer", "Consulta", "Viewer"),
    }
}

labelled_enum! {
    /// The forms a capacity of the catalog can be offered in.
    CapacityForm, "CapacityForm" {
        TechnicalAssistance = ("technical-assistance", "Asistencia técnica", "Technical assistance"),
        Course = ("course", "Curso", "Course"),
        Internship = ("internship", "Pasantía", "Internship"),
        ExpertMission = ("expert-mission", "Misión de expertos", "Expert mission"),
        Scholarship = ("scholarship", "Beca", "Scholarship"),
    }
}

labelled_enum! {
    /// Where a partner's demand stands. It moves received → answered (capacities proposed) →
    /// agreed (an activity carries it out) → closed; a received or answered demand may be
    /// declined instead. Closed and declined are final.
    DemandState, "DemandState" {
        Received = ("received", "Recibida", "Received"),
        Answered = ("answered", "Respondida", "Answered"),
        Agreed = ("agreed", "Acordada", "Agreed"),
        Closed = ("closed", "Cerrada", "Closed"),
        Declined = ("declined", "Declinada", "Declined"),
    }
}

// The enum comes from a macro that derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for DemandState {
    fn default() -> DemandState {
        DemandState::Received
    }
}

impl DemandState {
    /// The steps of the demand workflow.
    pub fn can_move_to(self, to: DemandState) -> bool {
        use DemandState::*;
        matches!(
            (self, to),
            (Received, Answered) | (Answered, Agreed) | (Agreed, Closed) | (Received | Answered, Declined)
        )
    }

    pub fn move_to(self, to: DemandState) -> Result<DemandState, Problem> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(Problem::new("state", Some(to.code()), Rule::DemandStep { from: self }))
        }
    }

    /// Closed and declined: nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, DemandState::Closed | DemandState::Declined)
    }

    /// Answered or past it without being declined: capacities were proposed.
    pub fn was_answered(self) -> bool {
        matches!(self, DemandState::Answered | DemandState::Agreed | DemandState::Closed)
    }

    pub fn is_received(&self) -> bool {
        *self == DemandState::Received
    }
}

labelled_enum! {
    /// The kinds of international action of a state or municipality.
    ActionKind, "SubnationalActionKind" {
        OfficeAbroad = ("office-abroad", "Oficina en el exterior", "Office abroad"),
        InvestmentMission = ("investment-mission", "Gira de promoción de inversiones", "Investment promotion mission"),
        TradeMission = ("trade-mission", "Misión comercial", "Trade mission"),
        TourismMission = ("tourism-mission", "Promoción turística", "Tourism promotion mission"),
        TechnicalMission = ("technical-mission", "Misión técnica de buenas prácticas", "Technical mission for good practice"),
        InternationalFair = ("international-fair", "Feria internacional", "International fair"),
        InternationalMeeting = ("international-meeting", "Reunión de organismo internacional", "International organisation meeting"),
        AgreementSigned = ("agreement-signed", "Firma de acuerdo", "Agreement signed"),
        SisterCity = ("sister-city", "Hermanamiento", "Sister-city tie"),
        MigrantServices = ("migrant-services", "Atención a migrantes", "Services to migrants"),
    }
}

labelled_enum! {
    /// Where an inter-institutional agreement stands on a date: derived from its signature
    /// and validity ([`crate::subnational::Agreement::standing`]), never typed.
    AgreementStanding, "AgreementStanding" {
        InForce = ("in-force", "Vigente", "In force"),
        Expired = ("expired", "Vencido", "Expired"),
        NotYetInForce = ("not-yet-in-force", "Aún no vigente", "Not yet in force"),
    }
}

labelled_enum! {
    /// Where a membership of a network stands on a date: derived from its start and end
    /// ([`crate::subnational::NetworkMembership::standing`]), never typed.
    MembershipStanding, "MembershipStanding" {
        Current = ("current", "Vigente", "Current"),
        Past = ("past", "Concluida", "Past"),
        NotYetBegun = ("not-yet-begun", "Por comenzar", "Not yet begun"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_case_insensitive_and_suggests() {
        assert_eq!(Modality::parse("Triangular"), Ok(Modality::Triangular));
        let err = Modality::parse("triangulr").unwrap_err();
        assert_eq!(err.rule, Rule::UnknownCode { list: "Modality", suggestions: vec![&Modality::CODES[1]] });
        assert_eq!(Modality::parse(" ").map_err(|p| p.rule), Err(Rule::Required), "empty is missing");
    }

    #[test]
    fn workflow_moves_one_step_or_back_to_draft() {
        use WorkflowState::*;
        assert_eq!(Draft.move_to(Submitted), Ok(Submitted));
        assert!(Draft.move_to(Published).is_err());
        assert_eq!(Published.move_to(Draft), Ok(Draft));
        assert!(Validated.move_to(Submitted).is_err());
    }

    #[test]
    fn roles_map_to_iati() {
        assert_eq!(Role::FirstProvider.iati_code(), "1");
        assert_eq!(Role::Recipient.iati_code(), "4");
        assert!(Role::SecondProvider.gives());
        assert!(!Role::Recipient.gives());
    }
}
