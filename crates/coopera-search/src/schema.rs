//! The index's fields. Changing them means bumping [`SCHEMA_VERSION`]: an index of another
//! version is wiped and rebuilt when opened.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder, TextFieldIndexing, TextOptions,
};

use crate::analysis;

/// The version of the schema and of what each field holds.
pub const SCHEMA_VERSION: u32 = 1;

/// The fields of the index, by name.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `kind:key`, unique: the term updates and deletes go by.
    pub id: Field,
    pub kind: Field,
    pub key: Field,
    pub title_es: Field,
    pub title_en: Field,
    pub body_es: Field,
    pub body_en: Field,
    /// Stored only: the description, for matching.
    pub summary_es: Field,
    pub summary_en: Field,
    /// Every text of the record in both languages, folded and not stemmed: the dictionary that
    /// typos and prefixes are looked up in.
    pub folded: Field,
    pub area: Field,
    pub sector: Field,
    /// The DAC 3-digit categories of the sectors (not a facet; for matching).
    pub category: Field,
    pub form: Field,
    pub institution: Field,
    pub state: Field,
    pub language: Field,
    pub country: Field,
}

impl Fields {
    /// The stemmed text fields: (field, language, weight of a match in it).
    pub fn texts(&self) -> [(Field, coopera_domain::Lang, f32); 4] {
        use coopera_domain::Lang::{En, Es};
        [
            (self.title_es, Es, TITLE_WEIGHT),
            (self.title_en, En, TITLE_WEIGHT),
            (self.body_es, Es, 1.0),
            (self.body_en, En, 1.0),
        ]
    }
}

/// How much more a word in a title counts than one in the body.
pub const TITLE_WEIGHT: f32 = 2.0;

fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored()
}

/// The schema and its fields.
pub fn build() -> (Schema, Fields) {
    let mut b = SchemaBuilder::new();
    let folded = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(analysis::FOLDED).set_index_option(IndexRecordOption::WithFreqs),
    );
    let facet = STRING | FAST | STORED;
    let fields = Fields {
        id: b.add_text_field("id", STRING),
        kind: b.add_text_field("kind", STRING | FAST | STORED),
        key: b.add_text_field("key", STRING | FAST | STORED),
        title_es: b.add_text_field("title_es", text(analysis::ES)),
        title_en: b.add_text_field("title_en", text(analysis::EN)),
        body_es: b.add_text_field("body_es", text(analysis::ES)),
        body_en: b.add_text_field("body_en", text(analysis::EN)),
        summary_es: b.add_text_field("summary_es", STORED),
        summary_en: b.add_text_field("summary_en", STORED),
        folded: b.add_text_field("folded", folded),
        area: b.add_text_field("area", facet.clone()),
        sector: b.add_text_field("sector", facet.clone()),
        category: b.add_text_field("category", STRING | STORED),
        form: b.add_text_field("form", facet.clone()),
        institution: b.add_text_field("institution", facet.clone()),
        state: b.add_text_field("state", facet.clone()),
        language: b.add_text_field("language", facet.clone()),
        country: b.add_text_field("country", facet),
    };
    (b.build(), fields)
}
