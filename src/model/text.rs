//! Lossy UTF-8 decoding, shared by the URL's decoding and the answers read in pieces.

/// Appends `bytes` to `out` as `String::from_utf8_lossy` writes them (each invalid sequence as
/// one U+FFFD), without std's iterator over chunks (~250 B brotli). Returns the start of a
/// character cut by the end of `bytes`: more bytes may complete it; at the very end it is one
/// U+FFFD.
pub fn push_lossy<'a>(out: &mut String, mut bytes: &'a [u8]) -> &'a [u8] {
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                return &[];
            }
            Err(e) => {
                let (valid, bad) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                match e.error_len() {
                    Some(n) => {
                        out.push('\u{FFFD}');
                        bytes = bad.get(n..).unwrap_or_default();
                    }
                    None => return bad,
                }
            }
        }
    }
}
