//! The bounds every value of a record keeps, whatever door it came in by (a file, a form, the
//! API, an IATI import): numbers within [`MAX_ABS_NUMBER`], and text made only of characters
//! XML can carry, so that every record can be published as IATI and every figure computed.
//!
//! Numbers: no amount of any currency, quantity or indicator value may pass ±10^15 (a
//! thousand million million). The largest value in 13,200 real published IATI activities is
//! 2.5 × 10^11, so the bound leaves four orders of magnitude for any currency, and it keeps
//! products of two stored values (a quantity × a unit value) within what a decimal holds.
//! A value beyond it is a typing slip or an attack, and is refused with its place.
//!
//! Text: XML 1.0 allows tab, line feed, carriage return and every character from U+0020 but
//! U+FFFE and U+FFFF (surrogates cannot occur in Rust strings). A record holding another
//! control character or one of those two could not be exported at all.
//!
//! Languages: the keys of a multilingual text (`{ es = "…", en = "…" }`, the only maps of the
//! documents) become `xml:lang` of IATI narratives, so each must be a language tag as XML
//! Schema's `language` type has it: 1 to 8 letters, then `-` parts of 1 to 8 letters or digits.

use rust_decimal::Decimal;
use serde::ser::{self, Serialize};

use crate::problem::{Expected, Problem, Problems, Rule};

/// The largest absolute value of any number in a record: 10^15.
pub const MAX_ABS_NUMBER: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// `value` if it lies within ±[`MAX_ABS_NUMBER`]; else the problem, with the value as written.
pub fn check_number(value: Decimal) -> Result<Decimal, Problem> {
    if value.abs() <= MAX_ABS_NUMBER {
        Ok(value)
    } else {
        Err(Problem::new("", Some(&value.to_string()), out_of_bounds()))
    }
}

/// The rule a number beyond ±10^15 breaks.
pub fn out_of_bounds() -> Rule {
    Rule::OutOfBounds { min: format!("-{MAX_ABS_NUMBER}"), max: MAX_ABS_NUMBER.to_string() }
}

/// Whether XML 1.0 can carry `c`.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `text` that XML cannot carry, with its position (from 1).
pub fn forbidden_char(text: &str) -> Option<(char, usize)> {
    text.chars().zip(1..).find(|(c, _)| !is_xml_char(*c))
}

/// Whether `tag` is a language tag IATI can carry as `xml:lang` (XML Schema's `language`).
pub fn is_language_tag(tag: &str) -> bool {
    tag.split('-').enumerate().all(|(i, part)| {
        (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit()))
    })
}

/// The problems of every text of `doc` (any document type: activity, organisation…) holding
/// a character XML cannot carry, and of every language of a text that is no language tag,
/// each at the field path the document names it by (`title.es`, `participants[1].org`).
pub fn check_characters(doc: &impl Serialize) -> Problems {
    let mut walker = Walker { path: Vec::new(), problems: Problems::new() };
    // The walker never fails: it only looks at strings, map keys and field names.
    let _ = doc.serialize(&mut walker);
    walker.problems
}

#[derive(Debug)]
enum Segment {
    Field(String),
    Index(usize),
}

/// A serde serializer that writes nothing: it walks a document and checks its strings.
struct Walker {
    path: Vec<Segment>,
    problems: Problems,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the character check never fails")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Never {
        Never
    }
}

impl Walker {
    fn path(&self) -> String {
        let mut out = String::new();
        for s in &self.path {
            match s {
                Segment::Field(f) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(f);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    fn check(&mut self, text: &str) {
        if let Some((c, position)) = forbidden_char(text) {
            let rule = Rule::ForbiddenCharacter { code_point: u32::from(c), position };
            self.problems.push(Problem::new(self.path(), None, rule));
        }
    }

    fn nested<T: Serialize + ?Sized>(&mut self, segment: Segment, value: &T) -> Result<(), Never> {
        self.path.push(segment);
        let r = value.serialize(&mut *self);
        self.path.pop();
        r
    }
}

/// A compound value being walked: a sequence counts its elements, a map remembers its key.
struct Compound<'a> {
    walker: &'a mut Walker,
    index: usize,
    key: Option<String>,
}

impl<'a> Compound<'a> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        let i = self.index;
        self.index = i.saturating_add(1);
        self.walker.nested(Segment::Index(i), value)
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Never> {
        self.walker.nested(Segment::Field(name.to_owned()), value)
    }
}

/// Turns a map key into the text of its path segment (keys are strings in every document).
struct KeyText(Option<String>);

macro_rules! ignore_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<Self::Ok, Never> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    ignore_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_f32: f32, serialize_f64: f64, serialize_bytes: &[u8],
    );

    fn serialize_char(self, c: char) -> Result<(), Never> {
        self.check(c.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, text: &str) -> Result<(), Never> {
        self.check(text);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        Ok(Compound { walker: self, index: 0, key: None })
    }
}

/// The compounds whose parts are numbered: sequences, tuples and their variants.
macro_rules! numbered {
    ($($trait:ident :: $method:ident),* $(,)?) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                self.element(value)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        })*
    };
}

numbered!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        // A key is checked like any text, at the map's own path.
        let mut text = KeyText(None);
        let _ = key.serialize(&mut text);
        if let Some(k) = &text.0 {
            self.walker.check(k);
            // The documents' only maps are multilingual texts, keyed by language.
            if !is_language_tag(k) {
                let rule = Rule::Format { expected: Expected::Language };
                self.walker.problems.push(Problem::new(self.walker.path(), Some(k), rule));
            }
        }
        self.key = text.0;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        match self.key.take() {
            Some(k) => self.field(&k, value),
            None => self.element(value),
        }
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// The compounds whose parts are named: structs and struct variants.
macro_rules! named {
    ($($trait:ident),* $(,)?) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Never> {
                self.field(name, value)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        })*
    };
}

named!(SerializeStruct, SerializeStructVariant);

/// Reads a map key as text; keys of other shapes are left unnamed.
impl ser::Serializer for &mut KeyText {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = ser::Impossible<(), Never>;
    type SerializeTuple = ser::Impossible<(), Never>;
    type SerializeTupleStruct = ser::Impossible<(), Never>;
    type SerializeTupleVariant = ser::Impossible<(), Never>;
    type SerializeMap = ser::Impossible<(), Never>;
    type SerializeStruct = ser::Impossible<(), Never>;
    type SerializeStructVariant = ser::Impossible<(), Never>;

    ignore_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_f32: f32, serialize_f64: f64, serialize_bytes: &[u8],
        serialize_char: char,
    );

    fn serialize_str(self, text: &str) -> Result<(), Never> {
        self.0 = Some(text.to_owned());
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Never> {
        self.0 = Some(variant.to_owned());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Never> {
        Err(Never)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Never> {
        Err(Never)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Never> {
        Err(Never)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Never> {
        Err(Never)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Never> {
        Err(Never)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[test]
    fn the_bound_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_ABS_NUMBER, Decimal::from(1_000_000_000_000_000i64));
        assert!(check_number(Decimal::from(-1_000_000_000_000_000i64)).is_ok());
        let beyond = Decimal::from_i128_with_scale(10_000_000_000_000_001, 1);
        assert_eq!(check_number(beyond).map_err(|p| p.rule), Err(out_of_bounds()));
        assert!(check_number(Decimal::from_scientific("1e26").expect("decimal")).is_err());
    }

    #[test]
    fn xml_characters() {
        for ok in ["", "Educación\t\r\n", "\u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}", "<&>\"'"] {
            assert_eq!(forbidden_char(ok), None, "{ok:?}");
        }
        for (bad, c, at) in [
            ("a\u{FFFE}", '\u{FFFE}', 2),
            ("\u{FFFF}", '\u{FFFF}', 1),
            ("x\u{0}", '\u{0}', 2),
            ("ab\u{1B}c", '\u{1B}', 3),
            ("\u{B}", '\u{B}', 1),
        ] {
            assert_eq!(forbidden_char(bad), Some((c, at)), "{bad:?}");
        }
    }

    #[derive(Serialize)]
    struct Party {
        name: String,
        note: Option<String>,
    }

    #[derive(Serialize)]
    struct Doc {
        id: String,
        title: BTreeMap<String, String>,
        parties: Vec<Party>,
        count: u32,
    }

    /// Found by fuzzing (`record_toml`): a text keyed `esnnnnnnnnnn` was accepted, and the
    /// IATI export of its record was refused by the schema (`xml:lang` takes a language tag).
    #[test]
    fn text_languages_are_language_tags() {
        for good in ["es", "en", "pt-br", "zh-hant-tw", "x-1", "abcdefgh"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "esnnnnnnnnnn", "e s", "es-", "-es", "1es", "es_mx", "es-123456789"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        let doc = Doc {
            id: "MX-1".into(),
            title: [("es".to_owned(), "bien".to_owned()), ("esnnnnnnnnnn".to_owned(), "mal".to_owned())].into(),
            parties: Vec::new(),
            count: 1,
        };
        let found: Vec<(String, Option<String>, Rule)> =
            check_characters(&doc).iter().map(|p| (p.path.clone(), p.value.clone(), p.rule.clone())).collect();
        assert_eq!(
            found,
            vec![("title".to_owned(), Some("esnnnnnnnnnn".to_owned()), Rule::Format { expected: Expected::Language })]
        );
    }

    #[test]
    fn every_text_is_checked_at_its_path() {
        let doc = Doc {
            id: "MX-1".into(),
            title: [("es".to_owned(), "bien".to_owned()), ("en".to_owned(), "ba\u{FFFF}d".to_owned())].into(),
            parties: vec![
                Party { name: "ok".into(), note: None },
                Party { name: "ok".into(), note: Some("\u{1}".into()) },
            ],
            count: 3,
        };
        let found: Vec<(String, Rule)> =
            check_characters(&doc).iter().map(|p| (p.path.clone(), p.rule.clone())).collect();
        assert_eq!(
            found,
            vec![
                ("title.en".to_owned(), Rule::ForbiddenCharacter { code_point: 0xFFFF, position: 3 }),
                ("parties[1].note".to_owned(), Rule::ForbiddenCharacter { code_point: 1, position: 1 }),
            ]
        );
    }
}
