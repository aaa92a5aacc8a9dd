//! `cargo xtask long-functions [--check]`: the functions that have grown too long.
//!
//! A long function is a list of named steps (STYLE.md): past about 100 lines its steps get
//! names, and none passes [`LIMIT`]. A function's length is counted from the line of its `fn`
//! to the line of its closing brace (doc comments and attributes are not counted). Every `.rs`
//! file of the repository is read, except `target/` and the generated tables, which are data
//! rather than steps ([`GENERATED`]).
//!
//! The files are read as text with a small lexer that knows what can hide a brace or a `fn`
//! (comments, strings, raw strings, character literals), so the xtask depends on no parser.
//!
//! Without `--check` the task lists the functions over [`REPORTED`] lines, longest first:
//! the candidates for named steps. With `--check` it fails when a function passes [`LIMIT`]
//! and [`ALLOWED`] does not name it, or when [`ALLOWED`] names one that no longer does (the
//! list only shrinks). A test runs the check over the repository, so `cargo test` fails too.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// No function may be longer than this, in lines.
pub const LIMIT: usize = 150;

/// Without `--check`, functions longer than this are listed.
const REPORTED: usize = 100;

/// Generated files: tables, not steps.
const GENERATED: &[&str] =
    &["crates/coopera-domain/src/codelists/generated.rs", "crates/coopera-iati/src/validate/schema_generated.rs"];

/// Functions allowed past [`LIMIT`]: (file, function, why). Each says why it cannot be split
/// now; an entry goes when its function is split.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// One function of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// The line of its `fn`, from 1.
    pub line: usize,
    /// Lines from its `fn` to its closing brace, both included.
    pub lines: usize,
}

/// A function of the repository: its file, relative to the root, with `/` separators.
struct Found {
    path: String,
    function: Function,
}

pub fn run(root: &Path, check: bool) -> Result<()> {
    let mut found = Vec::new();
    measure_dir(root, root, &mut found)?;
    found.sort_by(|a, b| b.function.lines.cmp(&a.function.lines).then_with(|| a.path.cmp(&b.path)));
    if !check {
        for f in found.iter().filter(|f| f.function.lines > REPORTED) {
            let allowed = if is_allowed(f) { " (allowed)" } else { "" };
            println!("{:>4} {}:{} {}{allowed}", f.function.lines, f.path, f.function.line, f.function.name);
        }
        return Ok(());
    }
    let mut failures: Vec<String> = found
        .iter()
        .filter(|f| f.function.lines > LIMIT && !is_allowed(f))
        .map(|f| {
            format!(
                "{}:{}: `{}` is {} lines (at most {LIMIT}): give its steps names",
                f.path, f.function.line, f.function.name, f.function.lines
            )
        })
        .collect();
    for (path, name, _) in ALLOWED {
        let still_long = found.iter().any(|f| f.path == *path && f.function.name == *name && f.function.lines > LIMIT);
        if !still_long {
            failures.push(format!(
                "{path}: `{name}` is allowed past {LIMIT} lines but is no longer that long (or is gone): \
                 remove it from ALLOWED in xtask/src/long_functions.rs"
            ));
        }
    }
    if !failures.is_empty() {
        bail!("{} problem(s) with long functions:\n{}", failures.len(), failures.join("\n"));
    }
    eprintln!(
        "no function passes {LIMIT} lines ({} functions read; {} allowed: {})",
        found.len(),
        ALLOWED.len(),
        ALLOWED.iter().map(|(path, name, _)| format!("{path}::{name}")).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

fn is_allowed(f: &Found) -> bool {
    ALLOWED.iter().any(|(path, name, _)| f.path == *path && f.function.name == *name)
}

/// Measures the functions of every `.rs` file under `dir`, but `target/`, hidden folders and
/// the generated files.
fn measure_dir(root: &Path, dir: &Path, found: &mut Vec<Found>) -> Result<()> {
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("reading {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                measure_dir(root, &path, found)?;
            }
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if !name.ends_with(".rs") || GENERATED.contains(&relative.as_str()) {
            continue;
        }
        let source = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        found.extend(functions(&source).into_iter().map(|function| Found { path: relative.clone(), function }));
    }
    Ok(())
}

/// The functions with a body in `source`, in order, nested ones included.
pub fn functions(source: &str) -> Vec<Function> {
    let code = blank(source);
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(offset) = code[at..].find("fn") {
        let start = at + offset;
        at = start + 2;
        let before_ok = start == 0 || !is_ident_byte(bytes[start - 1]);
        let after_ok = bytes.get(at).is_some_and(|b| b.is_ascii_whitespace());
        if !(before_ok && after_ok) {
            continue;
        }
        let name_start = at + code[at..].len() - code[at..].trim_start().len();
        let name_len = code[name_start..].bytes().take_while(|b| is_ident_byte(*b)).count();
        if name_len == 0 || bytes[name_start].is_ascii_digit() {
            continue;
        }
        let Some(open) = body_start(bytes, name_start + name_len) else { continue };
        let Some(close) = matching_brace(bytes, open) else { continue };
        let line = line_of(bytes, start);
        out.push(Function {
            name: code[name_start..name_start + name_len].to_owned(),
            line,
            lines: line_of(bytes, close) - line + 1,
        });
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii()
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|b| **b == b'\n').count() + 1
}

/// The `{` that opens the body of the function whose signature starts at `from`; `None` for
/// a declaration without one (`fn f();` in a trait or an `extern` block).
fn body_start(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => return None,
            b'{' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `source` with its comments, strings and character literals replaced by spaces (line
/// breaks kept), so that braces and `fn` are only code's.
fn blank(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    // Pushes chars[from..to] as blanks, keeping line breaks.
    let blank_range = |out: &mut String, from: usize, to: usize| {
        for c in &chars[from..to.min(chars.len())] {
            out.push(if *c == '\n' { '\n' } else { ' ' });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end = if c == '/' && next == Some('/') {
            chars[i..].iter().position(|c| *c == '\n').map_or(chars.len(), |p| i + p)
        } else if c == '/' && next == Some('*') {
            block_comment_end(&chars, i)
        } else if c == '"' {
            string_end(&chars, i + 1)
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            raw_string_end(&chars, i, hashes)
        } else if c == '\'' {
            match char_literal_end(&chars, i) {
                Some(end) => end,
                None => {
                    out.push(c);
                    i += 1;
                    continue;
                }
            }
        } else {
            out.push(c);
            i += 1;
            continue;
        };
        blank_range(&mut out, i, end);
        i = end;
    }
    out
}

/// The end (exclusive) of the block comment opening at `start`; they nest.
fn block_comment_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    chars.len()
}

/// The end (exclusive) of a string whose text starts at `from`: after its closing quote.
fn string_end(chars: &[char], from: usize) -> usize {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// At `r"`, `r#"`, `br##"`, `cr"`…: the number of `#`.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let at_word_start = |j: usize| j == 0 || !is_ident_char(chars[j - 1]);
    let r = match chars[i] {
        'r' if at_word_start(i) => i,
        'b' | 'c' if at_word_start(i) && chars.get(i + 1) == Some(&'r') => i + 1,
        _ => return None,
    };
    let hashes = chars[r + 1..].iter().take_while(|c| **c == '#').count();
    (chars.get(r + 1 + hashes) == Some(&'"')).then_some(hashes)
}

/// The end (exclusive) of the raw string starting at `start`: after `"` and `hashes` `#`.
fn raw_string_end(chars: &[char], start: usize, hashes: usize) -> usize {
    let open = start + chars[start..].iter().position(|c| *c == '"').unwrap_or(0);
    let mut i = open + 1;
    while i < chars.len() {
        if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|c| **c == '#').count() == hashes {
            return i + 1 + hashes;
        }
        i += 1;
    }
    chars.len()
}

/// The end (exclusive) of the character literal at `start` (`'{'`, `'\''`, `'\u{7B}'`);
/// `None` for a lifetime or a label (`'a`, `'outer:`).
fn char_literal_end(chars: &[char], start: usize) -> Option<usize> {
    match chars.get(start + 1)? {
        '\\' => {
            let close = chars[start + 3..].iter().position(|c| *c == '\'')?;
            Some(start + 3 + close + 1)
        }
        _ if chars.get(start + 2) == Some(&'\'') => Some(start + 3),
        _ => None,
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths(source: &str) -> Vec<(String, usize)> {
        functions(source).into_iter().map(|f| (f.name, f.lines)).collect()
    }

    #[test]
    fn counts_from_fn_to_the_closing_brace() {
        let source = "/// Doc.\n#[inline]\npub fn a() {\n    1;\n}\n\nfn b() -> u8 { 2 }\n";
        assert_eq!(lengths(source), [("a".to_owned(), 3), ("b".to_owned(), 1)]);
        assert_eq!(functions(source)[0].line, 3);
    }

    #[test]
    fn braces_in_strings_comments_and_characters_do_not_count() {
        let source = r####"fn a() {
    let s = "}}} fn fake() { ";
    let r = r#"" } "#;
    let b = br##"}"# }"##;
    let c = ('}', '\'', '\u{7D}', '{');
    // }
    /* } /* nested } */ fn fake2() { */
    let e = "\"}";
}
fn after() {}
"####;
        assert_eq!(lengths(source), [("a".to_owned(), 9), ("after".to_owned(), 1)]);
    }

    #[test]
    fn lifetimes_labels_declarations_and_pointers() {
        let source = "trait T {\n    fn declared(&self);\n    fn given<'a>(&'a self) -> &'a str {\n        'outer: loop { break 'outer; }\n        \"\"\n    }\n}\nfn takes(f: fn(u8) -> u8, a: [u8; 2]) -> u8 {\n    f(a[0])\n}\n";
        assert_eq!(lengths(source), [("given".to_owned(), 4), ("takes".to_owned(), 3)]);
    }

    #[test]
    fn nested_functions_are_measured_each() {
        let source = "fn outer() {\n    fn inner() {\n    }\n}\n";
        assert_eq!(lengths(source), [("outer".to_owned(), 4), ("inner".to_owned(), 2)]);
    }

    /// The repository keeps the limit: `cargo test` fails too, not only CI.
    #[test]
    fn no_function_of_the_repository_passes_the_limit() {
        if let Err(e) = run(&crate::workspace_root(), true) {
            panic!("{e:#}");
        }
    }

    #[test]
    fn identifiers_that_contain_fn_are_not_functions() {
        let source = "fn a() { let fnord = 1; let defn = fnord; my_fn (defn); }\n";
        assert_eq!(lengths(source), [("a".to_owned(), 1)]);
    }
}
