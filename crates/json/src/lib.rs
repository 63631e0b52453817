//! A small pull reader for JSON, borrowing from the text.
//!
//! A crate of its own so that it is compiled for speed while the app is compiled for size.
//!
//! The API answers are read straight into the typed models: no intermediate tree, no copy of
//! strings without escapes, unknown members skipped by a scan that never recurses (so hostile
//! nesting cannot exhaust the stack). It replaced serde_json + derived visitors in the app: the
//! bgplay answers run to megabytes and the app has a size budget, and this reader is both
//! smaller and faster on them. Its behaviour is checked against serde_json in the tests.

use std::borrow::Cow;
use std::fmt;

/// Where and why a text is not the JSON expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset in the text.
    pub at: usize,
    pub what: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

impl std::error::Error for JsonError {}

pub type Result<T> = std::result::Result<T, JsonError>;

/// The kind of the next value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// The first byte at or after `at` that ends a plain run in a string: `"`, `\\` or a control
/// character (or the end). Eight bytes per step: strings are most of an answer's bytes.
fn plain_end(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte's high bit is set in `below(x, n)` when it is < n (n <= 128), exactly for the
    // lowest such byte; bytes above it may be flagged falsely, but only the lowest is used.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    while let Some(word) = bytes
        .get(at..at + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
    {
        let x = u64::from_le_bytes(word);
        let hits = below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            | below(x, 0x20);
        if hits != 0 {
            return at + (hits.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

/// Arrays and objects nested deeper than this are refused.
const MAX_DEPTH: usize = 128;

/// Reads one JSON document, value by value.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { text, at: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn fail<T>(&self, what: &'static str) -> Result<T> {
        Err(JsonError { at: self.at, what })
    }

    fn peek_byte(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek_byte() {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<()> {
        self.skip_ws();
        if self.peek_byte() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            self.fail(what)
        }
    }

    fn literal(&mut self, word: &'static str) -> Result<()> {
        if self
            .text
            .get(self.at..)
            .is_some_and(|t| t.starts_with(word))
        {
            self.at += word.len();
            Ok(())
        } else {
            self.fail("invalid literal")
        }
    }

    /// The kind of the next value, without consuming it.
    pub fn kind(&mut self) -> Result<Kind> {
        self.skip_ws();
        match self.peek_byte() {
            Some(b'n') => Ok(Kind::Null),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b'"') => Ok(Kind::String),
            Some(b'[') => Ok(Kind::Array),
            Some(b'{') => Ok(Kind::Object),
            Some(_) => self.fail("expected a value"),
            None => self.fail("unexpected end of input"),
        }
    }

    /// Consumes a `null` if one comes next.
    pub fn null(&mut self) -> Result<bool> {
        if self.kind()? == Kind::Null {
            self.literal("null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    pub fn bool(&mut self) -> Result<bool> {
        self.skip_ws();
        match self.peek_byte() {
            Some(b't') => self.literal("true").map(|_| true),
            Some(b'f') => self.literal("false").map(|_| false),
            _ => self.fail("expected a boolean"),
        }
    }

    /// Calls `member` with each key of an object; it must consume the value.
    pub fn object(&mut self, member: &mut dyn FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        let mut members = self.members()?;
        while let Some(key) = members.next_key(self)? {
            member(self, &key)?;
        }
        Ok(())
    }

    /// Calls `item` for each element of an array; it must consume the element.
    pub fn array(&mut self, item: &mut dyn FnMut(&mut Self) -> Result<()>) -> Result<()> {
        let mut items = self.items()?;
        while items.next(self)? {
            item(self)?;
        }
        Ok(())
    }

    /// A string, borrowed from the text unless it holds escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>> {
        self.expect(b'"', "expected a string")?;
        let start = self.at;
        let bytes = self.bytes();
        // One tight scan to the first byte that needs a decision (most strings have none).
        self.at = plain_end(bytes, start);
        match bytes.get(self.at) {
            Some(b'"') => {
                let s = self.text.get(start..self.at).unwrap_or_default();
                self.at += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return self.fail("control character in a string"),
            None => return self.fail("unterminated string"),
        }
        let mut out = String::from(self.text.get(start..self.at).unwrap_or_default());
        loop {
            let run = self.at;
            while let Some(&b) = bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(self.text.get(run..self.at).unwrap_or_default());
            match bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return self.fail("control character in a string"),
                None => return self.fail("unterminated string"),
            }
        }
    }

    fn escape(&mut self) -> Result<char> {
        let b = self.peek_byte();
        self.at += 1;
        Ok(match b {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self.hex4()?;
                match hi {
                    0xD800..=0xDBFF => {
                        if !self
                            .text
                            .get(self.at..)
                            .is_some_and(|t| t.starts_with("\\u"))
                        {
                            return self.fail("lone surrogate in a string");
                        }
                        self.at += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return self.fail("lone surrogate in a string");
                        }
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        match char::from_u32(c) {
                            Some(c) => c,
                            None => return self.fail("invalid escape"),
                        }
                    }
                    0xDC00..=0xDFFF => return self.fail("lone surrogate in a string"),
                    _ => match char::from_u32(hi) {
                        Some(c) => c,
                        None => return self.fail("invalid escape"),
                    },
                }
            }
            _ => return self.fail("invalid escape"),
        })
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.peek_byte() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return self.fail("invalid \\u escape"),
            };
            v = v * 16 + u32::from(d);
            self.at += 1;
        }
        Ok(v)
    }

    /// The next value when it is a non-negative integer written plainly (no sign, fraction or
    /// exponent; at most 19 digits); otherwise None and nothing consumed, for `number_text` to
    /// judge. AS numbers and Unix times are read so, in one pass over their digits.
    pub fn plain_integer(&mut self) -> Option<u64> {
        self.skip_ws();
        let bytes = self.bytes();
        let start = self.at;
        let mut at = start;
        let mut value: u64 = 0;
        while let Some(&b) = bytes.get(at) {
            if !b.is_ascii_digit() {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
            at += 1;
        }
        let digits = at - start;
        let leading_zero = digits > 1 && bytes.get(start) == Some(&b'0');
        let more = matches!(bytes.get(at), Some(b'.' | b'e' | b'E'));
        if digits == 0 || digits > 19 || leading_zero || more {
            return None;
        }
        self.at = at;
        Some(value)
    }

    /// The text of a number, checked against JSON's grammar.
    pub fn number_text(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let start = self.at;
        let bytes = self.bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let mut at = self.at;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let int_start = at;
        let n = digits(&mut at);
        if n == 0 || (n > 1 && bytes.get(int_start) == Some(&b'0')) {
            self.at = at;
            return self.fail("invalid number");
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                self.at = at;
                return self.fail("invalid number");
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            if digits(&mut at) == 0 {
                self.at = at;
                return self.fail("invalid number");
            }
        }
        self.at = at;
        Ok(self.text.get(start..at).unwrap_or_default())
    }

    /// Skips the next value, whatever it is, without recursion.
    pub fn skip(&mut self) -> Result<()> {
        // Bit d is set when the container open at depth d + 1 is an object.
        let mut objects: u128 = 0;
        let mut depth = 0usize;
        loop {
            match self.kind()? {
                Kind::Null => self.literal("null")?,
                Kind::Bool => {
                    self.bool()?;
                }
                Kind::Number => {
                    self.number_text()?;
                }
                Kind::String => self.skip_string()?,
                Kind::Array | Kind::Object => {
                    if depth >= MAX_DEPTH {
                        return self.fail("nested too deeply");
                    }
                    let is_object = self.peek_byte() == Some(b'{');
                    self.at += 1;
                    if is_object {
                        objects |= 1 << depth;
                    } else {
                        objects &= !(1 << depth);
                    }
                    depth += 1;
                    self.skip_ws();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek_byte() == Some(close) {
                        self.at += 1;
                        depth -= 1;
                    } else {
                        if is_object {
                            self.key_colon()?;
                        }
                        continue;
                    }
                }
            }
            // After a value: close containers, or go on to the next member.
            loop {
                let Some(level) = depth.checked_sub(1) else {
                    return Ok(());
                };
                let is_object = (objects >> level) & 1 == 1;
                self.skip_ws();
                match self.peek_byte() {
                    Some(b',') => {
                        self.at += 1;
                        if is_object {
                            self.key_colon()?;
                        }
                        break;
                    }
                    Some(b']') if !is_object => {
                        self.at += 1;
                        depth = level;
                    }
                    Some(b'}') if is_object => {
                        self.at += 1;
                        depth = level;
                    }
                    _ => return self.fail("expected `,` or a closing bracket"),
                }
            }
        }
    }

    fn key_colon(&mut self) -> Result<()> {
        self.skip_ws();
        if self.peek_byte() != Some(b'"') {
            return self.fail("expected a key");
        }
        self.skip_string()?;
        self.expect(b':', "expected `:`")
    }

    fn skip_string(&mut self) -> Result<()> {
        self.expect(b'"', "expected a string")?;
        let bytes = self.bytes();
        loop {
            self.at = plain_end(bytes, self.at);
            match bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape()?;
                }
                Some(_) => return self.fail("control character in a string"),
                None => return self.fail("unterminated string"),
            }
        }
    }

    /// Skips the next value and returns its text.
    pub fn raw(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let start = self.at;
        self.skip()?;
        Ok(self.text.get(start..self.at).unwrap_or_default())
    }

    /// Reads the next value where it stands with `read` (which keeps it) and returns its text
    /// as well. When `read` fails, the value is skipped instead (it must still be JSON) and the
    /// error kept: an envelope can decide what its `data` means (no data, an error, the answer)
    /// without a second pass over megabytes. Not generic, so an envelope's reading is compiled
    /// once for every type of data.
    pub fn value_and_text_with(
        &mut self,
        read: &mut dyn FnMut(&mut Self) -> Result<()>,
    ) -> Result<(&'a str, Result<()>)> {
        self.skip_ws();
        let start = self.at;
        let typed = read(self);
        if typed.is_err() {
            self.at = start;
            self.skip()?;
        }
        Ok((self.text.get(start..self.at).unwrap_or_default(), typed))
    }

    /// Checks that only whitespace is left.
    pub fn finish(&mut self) -> Result<()> {
        self.skip_ws();
        if self.at < self.text.len() {
            self.fail("trailing characters")
        } else {
            Ok(())
        }
    }
}

/// The value of a decimal number written as JSON writes it (`-12.5e3`); None when it is not
/// one or is beyond f64's range.
///
/// Exact (correctly rounded) when the digits fit 2^53 and the power of ten is at most 22, as
/// for every value the APIs send (counts, times, scores); otherwise within a few units in the
/// last place. Not the standard library's parser: its exact algorithm carries a 10 KB table
/// of powers of five into the wasm, a twentieth of the app's size budget.
pub fn number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut exp10: i64 = 0;
    let mut seen_digit = false;
    let mut i = 0;
    let mut in_fraction = false;
    while let Some(&b) = digits.get(i) {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if in_fraction {
                        exp10 -= 1;
                    }
                } else if !in_fraction {
                    // Digits beyond 19 only scale the value.
                    exp10 += 1;
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(exp_text) = digits.get(i + 1..).filter(|_| i < digits.len()) {
        let (sign, exp_digits) = match exp_text.split_first() {
            Some((b'-', rest)) => (-1, rest),
            Some((b'+', rest)) => (1, rest),
            _ => (1, exp_text),
        };
        if exp_digits.is_empty() {
            return None;
        }
        let mut e: i64 = 0;
        for &b in exp_digits {
            if !b.is_ascii_digit() {
                return None;
            }
            e = (e * 10 + i64::from(b - b'0')).min(100_000);
        }
        exp10 += sign * e;
    }
    let value = if mantissa == 0 || exp10 < -400 {
        0.0
    } else if exp10 > 400 {
        return None;
    } else {
        scale(mantissa as f64, exp10)
    };
    if !value.is_finite() {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// `m × 10^e`: one rounding when 10^e is exact (|e| ≤ 22), a few otherwise.
fn scale(m: f64, e: i64) -> f64 {
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let mut v = m;
    let mut left = e;
    while left != 0 {
        let step = left.clamp(-22, 22);
        let p = EXACT
            .get(step.unsigned_abs() as usize)
            .copied()
            .unwrap_or(1.0);
        v = if step > 0 { v * p } else { v / p };
        left -= step;
    }
    v
}

/// A type read from JSON by hand, member by member.
pub trait FromJson: Sized {
    fn read(r: &mut Reader<'_>) -> Result<Self>;
}

impl<T: FromJson> FromJson for Vec<T> {
    /// `null` reads as an empty list: the APIs send either for "nothing".
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut out = Vec::new();
        if !r.null()? {
            r.array(&mut |r| {
                out.push(T::read(r)?);
                Ok(())
            })?;
        }
        Ok(out)
    }
}

/// Any value, skipped: for checking an envelope without reading its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skip;

impl FromJson for Skip {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        r.skip().map(|_| Skip)
    }
}

/// Reads a whole document as `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T> {
    let mut r = Reader::new(text);
    let v = T::read(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// A member without which a value is incomplete.
pub fn required<T>(v: Option<T>, at: usize, what: &'static str) -> Result<T> {
    v.ok_or(JsonError { at, what })
}

/// A string member that may be absent or null.
pub fn opt_string(r: &mut Reader<'_>) -> Result<Option<String>> {
    if r.null()? {
        Ok(None)
    } else {
        r.string().map(|s| Some(s.into_owned()))
    }
}

/// A string member that may be absent or null: empty then.
pub fn string_or_empty(r: &mut Reader<'_>) -> Result<String> {
    opt_string(r).map(Option::unwrap_or_default)
}

/// A whole number that fits `u32`.
pub fn u32_(r: &mut Reader<'_>) -> Result<u32> {
    let at = r.at;
    let t = r.number_text()?;
    t.parse().map_err(|_| JsonError {
        at,
        what: "expected a whole number",
    })
}

/// A whole number that fits `i64`.
pub fn i64_(r: &mut Reader<'_>) -> Result<i64> {
    let at = r.at;
    let t = r.number_text()?;
    t.parse().map_err(|_| JsonError {
        at,
        what: "expected a whole number",
    })
}

impl Reader<'_> {
    /// The byte offset of the next value (for errors about missing members).
    pub fn position(&self) -> usize {
        self.at
    }

    /// Goes back to an earlier `position` (a reader that tried a value one way and must skip it).
    pub fn rewind(&mut self, to: usize) {
        self.at = to.min(self.at);
    }

    /// Opens an object to be read member by member with `Members::next_key`: for readers that
    /// must stop between members (and `object`'s callback cannot).
    /// Between the elements of an object or array: false (and past it) at `close`, else true
    /// past the comma that must separate this element from the one before.
    fn another(&mut self, close: u8, first: &mut bool, what: &'static str) -> Result<bool> {
        self.skip_ws();
        if self.peek_byte() == Some(close) {
            self.at += 1;
            return Ok(false);
        }
        if !std::mem::take(first) {
            self.expect(b',', what)?;
        }
        Ok(true)
    }

    pub fn members(&mut self) -> Result<Members> {
        self.expect(b'{', "expected an object")?;
        Ok(Members { first: true })
    }

    /// Opens an array to be read element by element with `Items::next`.
    pub fn items(&mut self) -> Result<Items> {
        self.expect(b'[', "expected an array")?;
        Ok(Items { first: true })
    }
}

/// An object being read by the caller, key by key.
#[derive(Debug)]
pub struct Members {
    first: bool,
}

impl Members {
    /// The next key (the reader then stands at its value, which the caller must consume), or
    /// None at the end of the object.
    pub fn next_key<'a>(&mut self, r: &mut Reader<'a>) -> Result<Option<Cow<'a, str>>> {
        if !r.another(b'}', &mut self.first, "expected `,` or `}`")? {
            return Ok(None);
        }
        r.skip_ws();
        if r.peek_byte() != Some(b'"') {
            return r.fail("expected a key");
        }
        let key = r.string()?;
        r.expect(b':', "expected `:`")?;
        Ok(Some(key))
    }
}

/// An array being read by the caller, element by element.
#[derive(Debug)]
pub struct Items {
    first: bool,
}

impl Items {
    /// True when an element follows (the caller must consume it); false at the end.
    pub fn next(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        r.another(b']', &mut self.first, "expected `,` or `]`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same document through `object`/`array` callbacks and through `members`/`items`.
    fn by_callbacks(text: &str) -> Result<Vec<String>> {
        let mut r = Reader::new(text);
        let mut seen = Vec::new();
        r.object(&mut |r, key| {
            seen.push(key.to_string());
            r.array(&mut |r| {
                seen.push(r.raw()?.to_string());
                Ok(())
            })
        })?;
        r.finish()?;
        Ok(seen)
    }

    fn by_cursors(text: &str) -> Result<Vec<String>> {
        let mut r = Reader::new(text);
        let mut seen = Vec::new();
        let mut members = r.members()?;
        while let Some(key) = members.next_key(&mut r)? {
            seen.push(key.to_string());
            let mut items = r.items()?;
            while items.next(&mut r)? {
                seen.push(r.raw()?.to_string());
            }
        }
        r.finish()?;
        Ok(seen)
    }

    #[test]
    fn cursors_read_what_callbacks_read_and_refuse_what_they_refuse() {
        for text in [
            r#"{"a":[1,2],"b":[]}"#,
            r#" { "a" : [ 1 , {"x":[3]} ] } "#,
            "{}",
            r#"{"a":[1,]}"#,
            r#"{"a":[1 2]}"#,
            r#"{"a":[1],}"#,
            r#"{"a":[1] "b":[]}"#,
            r#"{,"a":[]}"#,
            r#"{"a":[,1]}"#,
            r#"{"a":[1]"#,
            r#"{"a":[1"#,
            "[]",
        ] {
            let (a, b) = (by_callbacks(text), by_cursors(text));
            assert_eq!(a.is_ok(), b.is_ok(), "{text}: {a:?} vs {b:?}");
            if a.is_ok() {
                assert_eq!(a, b, "{text}");
            }
        }
    }

    #[test]
    fn plain_integers_are_read_and_the_rest_left_to_number_text() {
        let read = |t: &str| {
            let mut r = Reader::new(t);
            let v = r.plain_integer();
            (v, r.position())
        };
        assert_eq!(read(" 4837,"), (Some(4837), 5));
        assert_eq!(read("0]"), (Some(0), 1));
        assert_eq!(
            read("9999999999999999999"),
            (Some(9_999_999_999_999_999_999), 19)
        );
        for other in [
            "-1",
            "1.5",
            "1e3",
            "1E3",
            "01",
            "",
            "x",
            "\"0\"",
            "12345678901234567890",
        ] {
            assert_eq!(read(other).0, None, "{other}");
            let mut r = Reader::new(other);
            r.plain_integer();
            assert!(
                r.position() <= other.len() - other.trim_start().len(),
                "{other} consumed"
            );
        }
    }

    #[test]
    fn the_word_scan_stops_where_the_byte_scan_does() {
        let naive = |b: &[u8], at: usize| {
            b.iter()
                .skip(at)
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .map_or(b.len(), |n| at + n)
        };
        // Every byte value as filler, every stop byte at every offset of a few words.
        for filler in 0u8..=255 {
            for stop in [b'"', b'\\', 0, 0x1f, 0x0a] {
                for len in 0..20 {
                    let mut b = vec![filler; len];
                    for at in 0..=len {
                        if let Some(x) = b.get_mut(at) {
                            *x = stop;
                        }
                        for from in 0..=len.min(3) {
                            assert_eq!(plain_end(&b, from), naive(&b, from), "{b:?} from {from}");
                        }
                        b = vec![filler; len];
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_match_the_standard_parser() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let m = next() % (1 << 53);
            let frac = (next() % 12) as usize;
            let e = (next() % 61) as i64 - 30;
            let digits = m.to_string();
            let text = if frac < digits.len() {
                let (a, b) = digits.split_at(digits.len() - frac);
                format!("{a}.{b}e{e}")
            } else {
                format!("{digits}e{e}")
            };
            let reference: f64 = text.parse().unwrap();
            let ours = number(&text).unwrap();
            let exact_case = (e - frac as i64).abs() <= 22;
            if exact_case {
                assert_eq!(ours, reference, "{text}");
            } else {
                let rel = ((ours - reference) / reference).abs();
                assert!(rel < 4.0 * f64::EPSILON, "{text}: {ours} vs {reference}");
            }
        }
    }

    #[test]
    fn number_grammar_and_range() {
        assert_eq!(number("0"), Some(0.0));
        assert_eq!(number("-12.5"), Some(-12.5));
        assert_eq!(number("1749262200"), Some(1_749_262_200.0));
        assert_eq!(
            number("12345678901234567890123"),
            Some(1.2345678901234568e22)
        );
        assert_eq!(number("1e-500"), Some(0.0));
        assert_eq!(number("1e999"), None);
        for bad in ["", "-", "e5", "1e", "1e+", "abc", "1x", "--1"] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }
}
