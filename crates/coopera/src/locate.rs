//! Finds where a field path (`activity[3].sectors[0].code`) is in a TOML or JSON file, so a
//! problem found after parsing can still be reported with its line and column.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A file format Coopera reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// By extension: `.json` is JSON, anything else TOML.
    pub fn of(path: &str) -> Format {
        if path.to_ascii_lowercase().ends_with(".json") { Format::Json } else { Format::Toml }
    }
}

/// A line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The position of a byte offset in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, column }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(bracket) = rest.find('[') {
            if bracket > 0 {
                out.push(Step::Key(rest[..bracket].to_owned()));
            }
            rest = &rest[bracket..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                if let Ok(i) = stripped[..end].parse() {
                    out.push(Step::Index(i));
                }
                rest = &stripped[end + 1..];
            }
        } else {
            out.push(Step::Key(rest.to_owned()));
        }
    }
    out
}

/// Where `path` is in `text`: the deepest part of the path that exists (a missing field is
/// reported at the record that lacks it). `None` if the text does not parse.
pub fn locate(text: &str, format: Format, path: &str) -> Option<Position> {
    let steps = steps(path);
    let span = match format {
        Format::Toml => locate_toml(text, &steps)?,
        Format::Json => locate_json(text, &steps)?,
    };
    Some(position(text, span.start))
}

fn locate_toml(text: &str, steps: &[Step]) -> Option<Range<usize>> {
    let root: Spanned<DeTable<'_>> = DeTable::parse(text).ok()?;
    let mut span = root.span();
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    for step in steps {
        let next: Option<&Spanned<DeValue<'_>>> = match (step, table, array) {
            (Step::Key(k), Some(t), _) => {
                t.iter().find(|(key, _)| key.get_ref().as_ref() as &str == k.as_str()).map(|(_, v)| v)
            }
            (Step::Index(i), _, Some(a)) => a.get(*i),
            _ => None,
        };
        let Some(value) = next else { break };
        span = value.span();
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    Some(span)
}

/// A JSON value with the byte span of each value: just enough to locate paths.
#[derive(Debug)]
enum Json {
    Object(Vec<(String, Range<usize>, Json)>),
    Array(Vec<(Range<usize>, Json)>),
    Scalar,
}

struct JsonScanner<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl JsonScanner<'_> {
    fn ws(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.at + 1;
        self.at += 1;
        while self.at < self.bytes.len() {
            match self.bytes[self.at] {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    let raw = std::str::from_utf8(&self.bytes[start..self.at - 1]).ok()?;
                    return Some(
                        serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_owned()),
                    );
                }
                _ => self.at += 1,
            }
        }
        None
    }

    fn value(&mut self) -> Option<(Range<usize>, Json)> {
        self.ws();
        let start = self.at;
        self.depth += 1;
        if self.depth > 256 {
            return None;
        }
        let value = match *self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                loop {
                    self.ws();
                    match *self.bytes.get(self.at)? {
                        b'}' => {
                            self.at += 1;
                            break;
                        }
                        b',' => self.at += 1,
                        b'"' => {
                            let key = self.string()?;
                            self.ws();
                            if self.bytes.get(self.at) != Some(&b':') {
                                return None;
                            }
                            self.at += 1;
                            let (span, v) = self.value()?;
                            members.push((key, span, v));
                        }
                        _ => return None,
                    }
                }
                Json::Object(members)
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    match *self.bytes.get(self.at)? {
                        b']' => {
                            self.at += 1;
                            break;
                        }
                        b',' => self.at += 1,
                        _ => items.push(self.value()?),
                    }
                }
                Json::Array(items)
            }
            b'"' => {
                self.string()?;
                Json::Scalar
            }
            _ => {
                while self.at < self.bytes.len()
                    && !matches!(self.bytes[self.at], b',' | b'}' | b']')
                    && !self.bytes[self.at].is_ascii_whitespace()
                {
                    self.at += 1;
                }
                // Nothing read (`[}`): not JSON, and an array would ask for this value forever.
                if self.at == start {
                    return None;
                }
                Json::Scalar
            }
        };
        self.depth -= 1;
        Some((start..self.at, value))
    }
}

fn locate_json(text: &str, steps: &[Step]) -> Option<Range<usize>> {
    let (mut span, root) = JsonScanner { bytes: text.as_bytes(), at: 0, depth: 0 }.value()?;
    let mut node = &root;
    for step in steps {
        let next = match (step, node) {
            (Step::Key(k), Json::Object(members)) => {
                members.iter().find(|(key, _, _)| key == k).map(|(_, s, v)| (s, v))
            }
            (Step::Index(i), Json::Array(items)) => items.get(*i).map(|(s, v)| (s, v)),
            _ => None,
        };
        let Some((s, v)) = next else { break };
        span = s.clone();
        node = v;
    }
    Some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths() {
        assert_eq!(
            steps("activity[3].sectors[0].code"),
            [
                Step::Key("activity".into()),
                Step::Index(3),
                Step::Key("sectors".into()),
                Step::Index(0),
                Step::Key("code".into())
            ]
        );
    }

    #[test]
    fn finds_toml_fields() {
        let text = "note = \"x\"\n\n[[activity]]\nid = \"A\"\nsectors = [\n  { code = \"41010\" },\n  { code = \"99999\", percentage = 50 },\n]\n";
        assert_eq!(locate(text, Format::Toml, "activity[0].sectors[1].code"), Some(Position { line: 7, column: 12 }));
        assert_eq!(locate(text, Format::Toml, "activity[0].id").map(|p| p.line), Some(4));
        // a missing field is reported where its record is
        assert_eq!(locate(text, Format::Toml, "activity[0].title").map(|p| p.line), Some(3));
    }

    #[test]
    fn finds_json_fields() {
        let text =
            "{\n  \"id\": \"A\",\n  \"sectors\": [\n    {\"code\": \"41010\"},\n    {\"code\": \"99999\"}\n  ]\n}";
        assert_eq!(locate(text, Format::Json, "sectors[1].code"), Some(Position { line: 5, column: 14 }));
        assert_eq!(locate(text, Format::Json, "id").map(|p| p.line), Some(2));
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(position("añb\nc", 5), Position { line: 2, column: 1 });
        assert_eq!(position("añb", 3), Position { line: 1, column: 3 });
    }
}
