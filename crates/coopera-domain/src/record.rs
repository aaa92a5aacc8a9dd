//! The kinds of record the registry holds, named once: in the database, in dataset files, in
//! the change history and in messages.

use std::fmt;

use crate::Lang;

/// The kinds of record the registry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Organisation,
    Activity,
    Capacity,
    Demand,
    Action,
    Agreement,
    Membership,
    Practice,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Organisation,
        RecordKind::Activity,
        RecordKind::Capacity,
        RecordKind::Demand,
        RecordKind::Action,
        RecordKind::Agreement,
        RecordKind::Membership,
        RecordKind::Practice,
    ];

    /// The name in the database and in dataset files.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Organisation => "organisation",
            RecordKind::Activity => "activity",
            RecordKind::Capacity => "capacity",
            RecordKind::Demand => "demand",
            RecordKind::Action => "action",
            RecordKind::Agreement => "agreement",
            RecordKind::Membership => "membership",
            RecordKind::Practice => "practice",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The record's name in a sentence, in `lang` (`actividad`, `activity`).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::Organisation => lang.pick("organización", "organisation"),
            RecordKind::Activity => lang.pick("actividad", "activity"),
            RecordKind::Capacity => lang.pick("capacidad", "capacity"),
            RecordKind::Demand => lang.pick("solicitud", "demand"),
            RecordKind::Action => lang.pick("acción internacional", "international action"),
            RecordKind::Agreement => lang.pick("acuerdo", "agreement"),
            RecordKind::Membership => lang.pick("membresía", "membership"),
            RecordKind::Practice => lang.pick("buena práctica", "good practice"),
        }
    }
}

impl RecordKind {
    /// The record's name with its article, to start a message (`la actividad`, `the activity`).
    pub fn with_article(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::Organisation => lang.pick("la organización", "the organisation"),
            RecordKind::Activity => lang.pick("la actividad", "the activity"),
            RecordKind::Capacity => lang.pick("la capacidad", "the capacity"),
            RecordKind::Demand => lang.pick("la solicitud", "the demand"),
            RecordKind::Action => lang.pick("la acción internacional", "the international action"),
            RecordKind::Agreement => lang.pick("el acuerdo", "the agreement"),
            RecordKind::Membership => lang.pick("la membresía", "the membership"),
            RecordKind::Practice => lang.pick("la buena práctica", "the good practice"),
        }
    }
}

/// The name in the database and in files (`organisation`); messages use [`RecordKind::label`].
impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
