//! Answers kept for reuse, with expiry: a window that closed long ago will not change, so its
//! answers live a week; a window reaching "now" is still filling, so its answers live minutes.
//! Pure (time is passed in), so it is tested natively; `fetch` keeps one in memory and mirrors
//! it in the browser's Cache API across reloads.

use rustc_hash::FxHashMap;
use std::rc::Rc;

use crate::model::UtcTime;

/// Data may still arrive for a while after a moment: windows ending within this of "now" count
/// as open.
const SETTLING_SECS: i64 = 6 * 3600;
pub const OPEN_TTL_SECS: i64 = 5 * 60;
pub const CLOSED_TTL_SECS: i64 = 7 * 86_400;

/// How long an answer about a window ending at `window_end` may be reused.
pub fn ttl(window_end: Option<UtcTime>, now: UtcTime) -> i64 {
    match window_end {
        Some(end) if end.secs() + SETTLING_SECS < now.secs() => CLOSED_TTL_SECS,
        _ => OPEN_TTL_SECS,
    }
}

#[derive(Default)]
pub struct Cache {
    entries: FxHashMap<String, (Rc<String>, UtcTime)>,
}

impl Cache {
    pub fn get(&self, url: &str, now: UtcTime) -> Option<Rc<String>> {
        self.entries
            .get(url)
            .filter(|(_, expires)| *expires > now)
            .map(|(b, _)| b.clone())
    }

    pub fn put(&mut self, url: &str, body: Rc<String>, expires: UtcTime) {
        self.entries.insert(url.to_string(), (body, expires));
    }

    pub fn remove(&mut self, url: &str) {
        self.entries.remove(url);
    }

    /// Drops what has expired, so a long session does not keep every answer it ever saw.
    pub fn prune(&mut self, now: UtcTime) {
        self.entries.retain(|_, (_, expires)| *expires > now);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UtcTime = UtcTime(1_795_000_000);

    #[test]
    fn closed_windows_live_longer_than_windows_reaching_now() {
        assert_eq!(ttl(Some(UtcTime(1_749_297_600)), NOW), CLOSED_TTL_SECS);
        assert_eq!(
            ttl(Some(NOW.plus(-3600)), NOW),
            OPEN_TTL_SECS,
            "still settling"
        );
        assert_eq!(ttl(Some(NOW), NOW), OPEN_TTL_SECS);
        assert_eq!(ttl(None, NOW), OPEN_TTL_SECS);
    }

    #[test]
    fn entries_expire_and_prune() {
        let mut c = Cache::default();
        c.put("a", Rc::new("1".into()), NOW.plus(60));
        c.put("b", Rc::new("2".into()), NOW.plus(-1));
        assert_eq!(c.get("a", NOW).as_deref().map(String::as_str), Some("1"));
        assert_eq!(c.get("a", NOW.plus(60)), None, "expired at its expiry time");
        assert_eq!(c.get("b", NOW), None);
        c.prune(NOW);
        assert_eq!(c.len(), 1);
        c.remove("a");
        assert!(c.is_empty());
    }
}
