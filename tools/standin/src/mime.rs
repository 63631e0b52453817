//! Content types for the static files of the built web app.

use std::path::Path;

pub fn for_path(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        // Browsers only stream-compile wasm served with exactly this type.
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_types() {
        assert_eq!(
            for_path(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(for_path(Path::new("app_bg.WASM")), "application/wasm");
        assert_eq!(for_path(Path::new("x.js")), "text/javascript");
        assert_eq!(for_path(Path::new("x.tar.gz")), "application/octet-stream");
        assert_eq!(for_path(Path::new("Makefile")), "application/octet-stream");
    }
}
