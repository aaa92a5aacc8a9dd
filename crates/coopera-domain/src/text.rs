//! Multilingual text: one string per language, as IATI narratives are.

use std::collections::BTreeMap;

use crate::Lang;

/// Text in one or more languages, keyed by ISO 639-1 code (`es`, `en`, `fr`…).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    pub fn new() -> Text {
        Text(BTreeMap::new())
    }

    /// Spanish and English at once — the common case of Coopera's own records.
    pub fn es_en(es: &str, en: &str) -> Text {
        let mut t = Text::new();
        t.set("es", es);
        t.set("en", en);
        t
    }

    /// Sets the text of one language; blank text is ignored.
    pub fn set(&mut self, lang: &str, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.0.insert(lang.to_ascii_lowercase(), text.to_owned());
        }
    }

    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// The text in `lang`, else Spanish, else English, else any language there is.
    pub fn best(&self, lang: Lang) -> &str {
        self.get(lang.code())
            .or_else(|| self.get("es"))
            .or_else(|| self.get("en"))
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_spanish_then_any() {
        let t = Text::es_en("Hola", "Hello");
        assert_eq!(t.best(Lang::En), "Hello");
        let mut only_fr = Text::new();
        only_fr.set("fr", "Bonjour");
        assert_eq!(only_fr.best(Lang::En), "Bonjour");
        only_fr.set("es", "  ");
        assert_eq!(only_fr.iter().count(), 1);
    }
}
