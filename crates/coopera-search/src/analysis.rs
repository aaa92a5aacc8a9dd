//! How text becomes terms: one stemmed analyzer per language (with the concept table), one
//! folded analyzer without stemming (for typos and prefixes), and the words a request uses to
//! ask rather than to say what it asks for.
//!
//! Stemmed: simple tokenizer → drop tokens over 40 bytes → lower case → ASCII folding → the
//! language's stop words (our own short lists, written folded) → the language's Snowball
//! stemmer → concepts. Folding comes before stemming so that "educacion" and "Educación" get
//! one stem whatever the stemmer makes of accents.
//! Folded: simple tokenizer → drop long tokens → lower case → ASCII folding.
//!
//! Tantivy does not store analyzers: [`register`] must run after every open of an index.

use std::collections::HashSet;
use std::sync::OnceLock;

use coopera_domain::Lang;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};

use crate::concepts::{CONCEPTS, ConceptFilter, StemTable, stem_table};

/// The name of the Spanish stemmed analyzer in the index's tokenizer manager.
pub const ES: &str = "coopera_es";
/// The name of the English stemmed analyzer.
pub const EN: &str = "coopera_en";
/// The name of the folded analyzer.
pub const FOLDED: &str = "coopera_folded";

/// Bump when the pipeline changes in code (the concept table is fingerprinted by itself).
const ANALYZER_REVISION: u64 = 1;

/// Tokens longer than this many bytes are dropped (URLs, identifiers, garbage).
const MAX_TOKEN_BYTES: usize = 40;

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Es => Language::Spanish,
        Lang::En => Language::English,
    }
}

/// Function words of Spanish, folded: they say nothing a record could be found by.
pub const STOP_ES: &[&str] = &[
    "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aqui", "asi", "aun",
    "bajo", "cada", "como", "con", "contra", "cual", "cuales", "cuando", "de", "del", "desde", "donde", "durante", "e",
    "el", "ella", "ellas", "ellos", "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta",
    "estan", "estas", "este", "esto", "estos", "fue", "fueron", "ha", "han", "hasta", "hay", "la", "las", "le", "les",
    "lo", "los", "mas", "me", "mi", "mis", "mucho", "muy", "ni", "no", "nos", "o", "otra", "otras", "otro", "otros",
    "para", "pero", "poco", "por", "porque", "que", "quien", "se", "sea", "segun", "ser", "si", "sin", "sobre", "son",
    "su", "sus", "tambien", "tan", "tanto", "te", "tiene", "tienen", "toda", "todas", "todo", "todos", "tras", "u",
    "un", "una", "unas", "uno", "unos", "y", "ya", "yo",
];

/// Function words of English.
pub const STOP_EN: &[&str] = &[
    "a", "about", "all", "also", "among", "an", "and", "any", "are", "as", "at", "be", "been", "being", "between",
    "both", "but", "by", "can", "could", "each", "for", "from", "has", "have", "if", "in", "into", "is", "it", "its",
    "may", "more", "most", "no", "not", "of", "on", "or", "other", "should", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "under", "upon", "via", "was", "were",
    "which", "who", "will", "with", "within",
];

fn stop_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Es => STOP_ES,
        Lang::En => STOP_EN,
    }
}

fn stop_filter(lang: Lang) -> StopWordFilter {
    StopWordFilter::remove(stop_words(lang).iter().map(|w| (*w).to_owned()))
}

/// The stemmed pipeline of a language, with the concepts of `table`.
fn pipeline(lang: Lang, table: StemTable) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter(lang))
        .filter(Stemmer::new(language(lang)))
        .filter(ConceptFilter::new(table))
        .build()
}

/// The stemmed pipeline of a language without the concepts: what the table is stemmed with.
pub fn stemmed_without_concepts(lang: Lang) -> TextAnalyzer {
    pipeline(lang, StemTable::new())
}

/// The stemmed analyzer of a language, concepts included.
pub fn stemmed(lang: Lang) -> TextAnalyzer {
    let mut plain = stemmed_without_concepts(lang);
    pipeline(lang, stem_table(|word| tokens(&mut plain, word)))
}

/// The folded analyzer: words as written, in lower case and without accents.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzers, built once (the concept table is stemmed on the first use).
pub struct Analyzers {
    pub es: TextAnalyzer,
    pub en: TextAnalyzer,
    pub folded: TextAnalyzer,
}

impl std::fmt::Debug for Analyzers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzers")
    }
}

/// The shared analyzers; clone one before use (a `TextAnalyzer` needs `&mut` to run).
pub fn analyzers() -> &'static Analyzers {
    static ANALYZERS: OnceLock<Analyzers> = OnceLock::new();
    ANALYZERS.get_or_init(|| Analyzers { es: stemmed(Lang::Es), en: stemmed(Lang::En), folded: folded() })
}

impl Analyzers {
    pub fn stemmed(&self, lang: Lang) -> TextAnalyzer {
        match lang {
            Lang::Es => self.es.clone(),
            Lang::En => self.en.clone(),
        }
    }
}

/// Registers the analyzers in an index (needed after every open: they are not persisted).
pub fn register(index: &Index) {
    let a = analyzers();
    index.tokenizers().register(ES, a.es.clone());
    index.tokenizers().register(EN, a.en.clone());
    index.tokenizers().register(FOLDED, a.folded.clone());
}

/// The terms of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    positioned(analyzer, text).into_iter().map(|(_, t)| t).collect()
}

/// The terms of `text` with their positions (several terms may share one position).
pub fn positioned(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

/// A fingerprint of the analyzers: the revision and the concept table. Stored with every
/// commit, so an index built with other analyzers is known and rebuilt.
pub fn fingerprint() -> u64 {
    let mut hash = Fnv::new();
    hash.write(&ANALYZER_REVISION.to_le_bytes());
    for lang in [Lang::Es, Lang::En] {
        for word in stop_words(lang) {
            hash.write(word.as_bytes());
            hash.write(b"\x1f");
        }
    }
    for (concept, words) in CONCEPTS {
        hash.write(concept.as_bytes());
        for word in *words {
            hash.write(b"\x1f");
            hash.write(word.as_bytes());
        }
        hash.write(b"\x1e");
    }
    hash.finish()
}

/// FNV-1a, 64 bits: stable across builds and platforms, unlike `DefaultHasher`.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Whether a folded word is a stop word of `lang`.
pub fn is_stop_word(lang: Lang, word: &str) -> bool {
    stop_words(lang).contains(&word)
}

/// The folded tokens of `text`.
pub fn folded_tokens(text: &str) -> Vec<String> {
    tokens(&mut analyzers().folded.clone(), text)
}

/// Words that say how a request asks, not what it asks for ("solicitamos apoyo para…",
/// "we need support to…"). They are left out of the words a demand is matched on, as stop
/// words are; written folded and unstemmed.
pub const REQUEST_WORDS: &[&str] = &[
    // Spanish
    "solicita",
    "solicitan",
    "solicitamos",
    "solicitar",
    "solicitud",
    "solicito",
    "necesita",
    "necesitan",
    "necesitamos",
    "necesitar",
    "necesidad",
    "necesidades",
    "requiere",
    "requieren",
    "requerimos",
    "requerir",
    "requerimiento",
    "busca",
    "buscan",
    "buscamos",
    "buscar",
    "quisieramos",
    "quisiera",
    "queremos",
    "quiere",
    "desea",
    "deseamos",
    "desearia",
    "interesa",
    "interesados",
    "interesadas",
    "interes",
    "apoyo",
    "apoyar",
    "apoyen",
    "ayuda",
    "ayudar",
    "ayuden",
    "contar",
    "recibir",
    "obtener",
    "mediante",
    "traves",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "gracias",
    "favor",
    "pais",
    "paises",
    // English
    "request",
    "requests",
    "requesting",
    "requested",
    "need",
    "needs",
    "needed",
    "seek",
    "seeks",
    "seeking",
    "looking",
    "want",
    "wants",
    "wish",
    "would",
    "like",
    "interested",
    "support",
    "supporting",
    "help",
    "helping",
    "our",
    "we",
    "us",
    "please",
    "thanks",
    "country",
    "countries",
    "receive",
    "obtain",
    "get",
];

/// Whether a folded word is one of [`REQUEST_WORDS`].
pub fn is_request_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| REQUEST_WORDS.iter().copied().collect()).contains(word)
}
