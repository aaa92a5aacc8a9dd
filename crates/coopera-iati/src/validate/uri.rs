//! `xs:anyURI` as the reference validator checks it: characters a URI cannot hold (controls,
//! spaces, non-ASCII, `<>"{}|\^`'`) are first replaced by `_`, then the value must parse as
//! an RFC 3986 URI reference with libxml2's grammar — percent signs must start `%XX`, a
//! port is digits, `[` `]` only around a host or in a fragment, one `#`…

/// Whether `value` (already whitespace-collapsed) is a URI reference.
pub fn is_uri_reference(value: &str) -> bool {
    let cleaned: Vec<u8> = value
        .bytes()
        .map(|b| {
            let replace = !(32..127).contains(&b)
                || matches!(b, b' ' | b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`' | b'\'');
            if replace { b'_' } else { b }
        })
        .collect();
    let p = Parser { s: &cleaned };
    p.absolute(0).is_some() || p.relative(0).is_some()
}

struct Parser<'a> {
    s: &'a [u8],
}

impl Parser<'_> {
    /// The byte at `i`, or 0 past the end (the C string's terminator).
    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    fn is_unreserved(&self, i: usize) -> bool {
        let c = self.at(i);
        c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
    }

    fn is_sub_delim(&self, i: usize) -> bool {
        matches!(self.at(i), b'!' | b'$' | b'&' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'\'')
    }

    fn is_pct_encoded(&self, i: usize) -> bool {
        self.at(i) == b'%' && self.at(i + 1).is_ascii_hexdigit() && self.at(i + 2).is_ascii_hexdigit()
    }

    fn is_pchar(&self, i: usize) -> bool {
        self.is_unreserved(i) || self.is_pct_encoded(i) || self.is_sub_delim(i) || matches!(self.at(i), b':' | b'@')
    }

    /// Past one character, or one `%XX`.
    fn next(&self, i: usize) -> usize {
        if self.at(i) == b'%' { i + 3 } else { i + 1 }
    }

    /// `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`, to the end.
    fn absolute(&self, mut i: usize) -> Option<usize> {
        if !self.at(i).is_ascii_alphabetic() {
            return None;
        }
        i += 1;
        while self.at(i).is_ascii_alphanumeric() || matches!(self.at(i), b'+' | b'-' | b'.') {
            i += 1;
        }
        if self.at(i) != b':' {
            return None;
        }
        i += 1;
        i = if self.at(i) == b'/' && self.at(i + 1) == b'/' {
            let i = self.authority(i + 2)?;
            self.path_abempty(i)
        } else if self.at(i) == b'/' {
            self.path_absolute(i)?
        } else if self.is_pchar(i) {
            self.path_rootless(i)?
        } else {
            i
        };
        self.query_fragment_end(i)
    }

    /// `relative-part [ "?" query ] [ "#" fragment ]`, to the end.
    fn relative(&self, i: usize) -> Option<usize> {
        let i = if self.at(i) == b'/' && self.at(i + 1) == b'/' {
            let i = self.authority(i + 2)?;
            self.path_abempty(i)
        } else if self.at(i) == b'/' {
            self.path_absolute(i)?
        } else if self.is_pchar(i) {
            self.path_noscheme(i)?
        } else {
            i
        };
        self.query_fragment_end(i)
    }

    fn query_fragment_end(&self, mut i: usize) -> Option<usize> {
        if self.at(i) == b'?' {
            i += 1;
            while self.is_pchar(i) || matches!(self.at(i), b'/' | b'?') {
                i = self.next(i);
            }
        }
        if self.at(i) == b'#' {
            i += 1;
            while self.is_pchar(i) || matches!(self.at(i), b'/' | b'?' | b'[' | b']') {
                i = self.next(i);
            }
        }
        (i == self.s.len()).then_some(i)
    }

    fn authority(&self, start: usize) -> Option<usize> {
        // [ userinfo "@" ]
        let mut i = start;
        while self.is_unreserved(i) || self.is_pct_encoded(i) || self.is_sub_delim(i) || self.at(i) == b':' {
            i = self.next(i);
        }
        i = if self.at(i) == b'@' { i + 1 } else { start };
        // host: "[" … "]" or a registered name (libxml2's IPv4 branch never succeeds and
        // falls back to this, which accepts the same strings).
        if self.at(i) == b'[' {
            i += 1;
            while self.at(i) != b']' && self.at(i) != 0 {
                i += 1;
            }
            if self.at(i) != b']' {
                return None;
            }
            i += 1;
        } else {
            while self.is_unreserved(i) || self.is_pct_encoded(i) || self.is_sub_delim(i) {
                i = self.next(i);
            }
        }
        if self.at(i) == b':' {
            i += 1;
            if !self.at(i).is_ascii_digit() {
                return None;
            }
            let mut port: i64 = 0;
            while self.at(i).is_ascii_digit() {
                port = port * 10 + i64::from(self.at(i) - b'0');
                if port > i64::from(i32::MAX) {
                    return None;
                }
                i += 1;
            }
        }
        Some(i)
    }

    /// A segment; `forbid` stops it (`:` in the first segment of a relative path).
    fn segment(&self, i: usize, forbid: u8, empty_ok: bool) -> Option<usize> {
        if !self.is_pchar(i) {
            return empty_ok.then_some(i);
        }
        let mut i = i;
        while self.is_pchar(i) && self.at(i) != forbid {
            i = self.next(i);
        }
        Some(i)
    }

    fn more_segments(&self, mut i: usize) -> usize {
        while self.at(i) == b'/' {
            // An empty segment is fine, so this cannot fail.
            i = self.segment(i + 1, 0, true).unwrap_or(i + 1);
        }
        i
    }

    fn path_abempty(&self, i: usize) -> usize {
        self.more_segments(i)
    }

    fn path_absolute(&self, i: usize) -> Option<usize> {
        if self.at(i) != b'/' {
            return None;
        }
        match self.segment(i + 1, 0, false) {
            Some(j) => Some(self.more_segments(j)),
            None => Some(i + 1),
        }
    }

    fn path_rootless(&self, i: usize) -> Option<usize> {
        let i = self.segment(i, 0, false)?;
        Some(self.more_segments(i))
    }

    fn path_noscheme(&self, i: usize) -> Option<usize> {
        let i = self.segment(i, b':', false)?;
        Some(self.more_segments(i))
    }
}
