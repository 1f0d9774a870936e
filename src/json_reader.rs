//! A small, bounded JSON reader, for the lines of an NDJSON log (one object per line) and for
//! boxes copied from an Ergo node or explorer: the members of an object, or the elements of an
//! array, are returned as borrowed slices with their offsets, so that nested ones can be read in
//! turn. It accepts any valid JSON (unknown members may hold any value, nested up to
//! [`MAX_DEPTH`]) and refuses everything else with `LOG_CORRUPT` and the offset of the first
//! offending byte, which each caller may turn into its own error. It allocates nothing per value.

use crate::error::{Error, ErrorKind, Result};

/// The deepest nesting of arrays and objects accepted inside an unknown member.
pub(crate) const MAX_DEPTH: usize = 16;

/// A member's value, as far as the log's reader needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonValue<'a> {
    /// A string without escape sequences: its text between the quotes.
    String(&'a str),
    /// A string with escape sequences (never what a hex or decimal field holds).
    EscapedString,
    /// A number, as written.
    Number(&'a str),
    Null,
    Bool(bool),
    /// An object or an array (only unknown members may hold one).
    Composite,
}

/// One `"name": value` pair of the top-level object, with the offset of its value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonMember<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: JsonValue<'a>,
    pub(crate) offset: u64,
}

/// The members of the one JSON object that `line` holds (surrounding JSON whitespace allowed);
/// `base` is the offset of the line in the log, for errors.
pub(crate) fn parse_object(line: &[u8], base: u64) -> Result<Vec<JsonMember<'_>>> {
    let mut reader = Reader::at_start(line, base)?;
    let members = reader.object_members()?;
    reader.skip_whitespace();
    if reader.position < reader.bytes.len() {
        return Err(reader.error("unexpected bytes after the JSON object"));
    }
    Ok(members)
}

/// The members of the JSON object at the start of `text`, and the length of `text` up to the end
/// of that object (what follows is not read): for an object nested in another, found at the
/// offset its [`JsonMember`] gives. `base` is the offset of `text` in the whole input.
pub(crate) fn parse_object_prefix(text: &[u8], base: u64) -> Result<(Vec<JsonMember<'_>>, usize)> {
    let mut reader = Reader::at_start(text, base)?;
    let members = reader.object_members()?;
    Ok((members, reader.position))
}

/// The elements of the JSON array at the start of `text` (each as a member with an empty name and
/// the offset of its value), and the length of `text` up to the end of that array. `base` is the
/// offset of `text` in the whole input.
pub(crate) fn parse_array_prefix(text: &[u8], base: u64) -> Result<(Vec<JsonMember<'_>>, usize)> {
    let mut reader = Reader::at_start(text, base)?;
    let elements = reader.array_elements()?;
    Ok((elements, reader.position))
}

fn corrupt(offset: u64, reason: &str) -> Error {
    Error::new(ErrorKind::LogCorrupt {
        reason: reason.to_string(),
    })
    .at_offset(offset)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
    base: u64,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes` (at offset `base` of the whole input), past their leading whitespace;
    /// bytes that are not UTF-8 are refused.
    fn at_start(bytes: &'a [u8], base: u64) -> Result<Reader<'a>> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| corrupt(base + e.valid_up_to() as u64, "line is not valid UTF-8"))?;
        let mut reader = Reader {
            text,
            bytes,
            position: 0,
            base,
        };
        reader.skip_whitespace();
        Ok(reader)
    }

    fn error(&self, reason: &str) -> Error {
        corrupt(self.base + self.position as u64, reason)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek() {
            self.position += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<()> {
        if self.peek() == Some(byte) {
            self.position += 1;
            Ok(())
        } else if self.peek().is_none() {
            Err(self.error(&format!("line ends where {what} was expected")))
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    /// The top-level object, with the offset of each member's value.
    fn object_members(&mut self) -> Result<Vec<JsonMember<'a>>> {
        self.expect(b'{', "'{'")?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(members);
        }
        loop {
            self.skip_whitespace();
            let name = match self.string()? {
                JsonValue::String(name) => name,
                // An escaped name never matches a field of the format: keep it as unknown.
                _ => "",
            };
            self.skip_whitespace();
            self.expect(b':', "':'")?;
            self.skip_whitespace();
            let offset = self.base + self.position as u64;
            let value = self.value(1)?;
            members.push(JsonMember {
                name,
                value,
                offset,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    return Ok(members);
                }
                None => return Err(self.error("line ends inside the JSON object")),
                Some(_) => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    /// An array's elements, with the offset of each.
    fn array_elements(&mut self) -> Result<Vec<JsonMember<'a>>> {
        self.expect(b'[', "'['")?;
        let mut elements = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(elements);
        }
        loop {
            self.skip_whitespace();
            let offset = self.base + self.position as u64;
            let value = self.value(1)?;
            elements.push(JsonMember {
                name: "",
                value,
                offset,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b']') => {
                    self.position += 1;
                    return Ok(elements);
                }
                None => return Err(self.error("line ends inside the JSON array")),
                Some(_) => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<JsonValue<'a>> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'{' | b'[') => {
                self.composite(depth)?;
                Ok(JsonValue::Composite)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", JsonValue::Bool(true)),
            Some(b'f') => self.literal("false", JsonValue::Bool(false)),
            Some(b'n') => self.literal("null", JsonValue::Null),
            None => Err(self.error("line ends where a value was expected")),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, value: JsonValue<'a>) -> Result<JsonValue<'a>> {
        let end = self.position + word.len();
        if self.bytes.get(self.position..end) == Some(word.as_bytes()) {
            self.position = end;
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn string(&mut self) -> Result<JsonValue<'a>> {
        self.expect(b'"', "a string")?;
        let start = self.position;
        let mut escaped = false;
        loop {
            match self.peek() {
                None => return Err(self.error("line ends inside a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.position += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.position += 1
                        }
                        Some(b'u') => {
                            self.position += 1;
                            for _ in 0..4 {
                                match self.peek() {
                                    Some(c) if c.is_ascii_hexdigit() => self.position += 1,
                                    _ => return Err(self.error("bad \\u escape")),
                                }
                            }
                        }
                        _ => return Err(self.error("bad escape sequence")),
                    }
                }
                Some(c) if c < 0x20 => return Err(self.error("control character inside a string")),
                Some(_) => self.position += 1,
            }
        }
        let end = self.position;
        self.position += 1; // the closing quote
        if escaped {
            return Ok(JsonValue::EscapedString);
        }
        // Both ends are at ASCII quotes, hence at character boundaries.
        match self.text.get(start..end) {
            Some(s) => Ok(JsonValue::String(s)),
            None => Err(self.error("string is not valid UTF-8")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.position;
        while let Some(b'0'..=b'9') = self.peek() {
            self.position += 1;
        }
        self.position - start
    }

    fn number(&mut self) -> Result<JsonValue<'a>> {
        let start = self.position;
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        match self.peek() {
            Some(b'0') => self.position += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("bad number")),
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            if self.digits() == 0 {
                return Err(self.error("bad number: no digits after '.'"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.position += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.position += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("bad number: no digits in the exponent"));
            }
        }
        match self.text.get(start..self.position) {
            Some(s) => Ok(JsonValue::Number(s)),
            None => Err(self.error("bad number")),
        }
    }

    /// Skips an object or array, refusing nesting deeper than [`MAX_DEPTH`].
    fn composite(&mut self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        let (is_object, close) = match self.peek() {
            Some(b'{') => (true, b'}'),
            _ => (false, b']'),
        };
        self.position += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            self.position += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            if is_object {
                self.string()?;
                self.skip_whitespace();
                self.expect(b':', "':'")?;
                self.skip_whitespace();
            }
            self.value(depth + 1)?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(c) if c == close => {
                    self.position += 1;
                    return Ok(());
                }
                None => return Err(self.error("line ends inside a JSON value")),
                Some(_) => return Err(self.error("expected ',' or the end of the value")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_members_and_skips_unknown_values() {
        let line = br#" {"a":"x1","b":null,"c":[1,{"d":true},-2.5e3],"e":"q\"q","f":12} "#;
        let members = parse_object(line, 100).unwrap();
        let names: Vec<&str> = members.iter().map(|m| m.name).collect();
        assert_eq!(names, ["a", "b", "c", "e", "f"]);
        assert_eq!(members[0].value, JsonValue::String("x1"));
        assert_eq!(members[0].offset, 106);
        assert_eq!(members[1].value, JsonValue::Null);
        assert_eq!(members[2].value, JsonValue::Composite);
        assert_eq!(members[3].value, JsonValue::EscapedString);
        assert_eq!(members[4].value, JsonValue::Number("12"));
    }

    #[test]
    fn refuses_malformed_lines_at_the_offending_byte() {
        let cases: [(&[u8], u64); 9] = [
            (b"", 0),
            (b"{\"a\":}", 5),
            (b"{\"a\":1,}", 7),
            (b"{\"a\" 1}", 5),
            (b"{\"a\":01}", 6),
            (b"{\"a\":\"\x01\"}", 6),
            (b"{\"a\":1} x", 8),
            (b"{\"a\":\"\\x\"}", 7),
            (b"[1]", 0),
        ];
        for (line, offset) in cases {
            let err = parse_object(line, 0).unwrap_err();
            assert_eq!(err.code(), crate::error::ErrorCode::LogCorrupt);
            assert_eq!(
                err.offset(),
                Some(offset),
                "{:?}: {err}",
                String::from_utf8_lossy(line)
            );
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(40), "]".repeat(40));
        assert!(parse_object(deep.as_bytes(), 0).is_err());
        assert!(parse_object(b"{\"a\":\"\xff\"}", 0).is_err());
    }

    #[test]
    fn reads_an_object_nested_at_a_member_offset() {
        let text = br#"{"a":1,"b": {"c":"x","d":{"e":2}} ,"f":[]}"#;
        let members = parse_object(text, 0).unwrap();
        let b = members[1].offset as usize;
        let (inner, length) = parse_object_prefix(&text[b..], b as u64).unwrap();
        assert_eq!(&text[b..b + length], br#"{"c":"x","d":{"e":2}}"#);
        assert_eq!(inner[0].name, "c");
        assert_eq!(inner[0].value, JsonValue::String("x"));
        assert_eq!(inner[1].offset, b as u64 + 13);
        let err = parse_object_prefix(b"[1]", 7).unwrap_err();
        assert_eq!(err.offset(), Some(7));
    }

    #[test]
    fn reads_the_elements_of_an_array() {
        let text = br#"[ {"a":1}, "x" ,2,[]] tail"#;
        let (elements, length) = parse_array_prefix(text, 10).unwrap();
        assert_eq!(length, 21);
        let values: Vec<JsonValue> = elements.iter().map(|e| e.value).collect();
        assert_eq!(
            values,
            [
                JsonValue::Composite,
                JsonValue::String("x"),
                JsonValue::Number("2"),
                JsonValue::Composite
            ]
        );
        let offsets: Vec<u64> = elements.iter().map(|e| e.offset).collect();
        assert_eq!(offsets, [12, 21, 26, 28]);
        assert_eq!(parse_array_prefix(b"[]", 0).unwrap().0.len(), 0);
        assert!(parse_array_prefix(b"[1,]", 0).is_err());
        assert!(parse_array_prefix(b"[1", 0).is_err());
        assert!(parse_array_prefix(b"{}", 0).is_err());
    }
}
