//! Known outages, ready to open: North Korea's dated outages (`api-notes.md` §4), each with a
//! window padded around it (about 6 h either side, whole hours, UTC). Pure data.

use crate::model::{Asn, Entity, UtcTime};
use crate::state::{ViewState, NK_OUTAGE};

/// One outage of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownOutage {
    /// Stable and URL-safe: `kp-2014-12`.
    pub id: &'static str,
    /// Short and plain, for the list.
    pub label: &'static str,
    pub entity: Entity,
    /// When it began, as precisely as it is known (the earliest possible start otherwise).
    pub start: UtcTime,
    /// When it ended, when that is known.
    pub end: Option<UtcTime>,
    /// The window to show.
    pub from: UtcTime,
    pub until: UtcTime,
    /// One sentence: what happened.
    pub what: &'static str,
}

impl KnownOutage {
    /// The view that shows it: its entity and window; everything else as by default.
    #[allow(clippy::needless_update)]
    pub fn view(&self) -> ViewState {
        ViewState {
            entity: self.entity,
            from: self.from,
            until: self.until,
            at: None,
            ..NK_OUTAGE
        }
    }
}

const STAR_JV: Entity = Entity::Asn(Asn(131_279));

/// North Korea's known outages, oldest first.
pub const NORTH_KOREA: &[KnownOutage] = &[
    KnownOutage {
        id: "kp-2014-12",
        label: "Dec 2014: total outage, 9.5 h",
        entity: STAR_JV,
        start: UtcTime(1_419_264_900),     // 2014-12-22T16:15Z
        end: Some(UtcTime(1_419_299_160)), // 2014-12-23T01:46Z
        from: UtcTime(1_419_242_400),      // 2014-12-22T10:00Z
        until: UtcTime(1_419_321_600),     // 2014-12-23T08:00Z
        what: "After a day of instability, every route to North Korea was withdrawn at 16:15 UTC \
               on 22 December 2014, and the country stayed off the Internet for about 9.5 hours.",
    },
    KnownOutage {
        id: "kp-2022-01-13",
        label: "13 Jan 2022: outage during DDoS attacks",
        entity: STAR_JV,
        start: UtcTime(1_642_113_600),     // 2022-01-13T22:40Z
        end: Some(UtcTime(1_642_128_000)), // 2022-01-14T02:40Z (about 4 h)
        from: UtcTime(1_642_089_600),      // 2022-01-13T16:00Z
        until: UtcTime(1_642_150_800),     // 2022-01-14T09:00Z
        what: "During a wave of DDoS attacks, North Korea's network went offline at about \
               22:40 UTC on 13 January 2022 for roughly 4 hours.",
    },
    KnownOutage {
        id: "kp-2022-01-26",
        label: "26 Jan 2022: outage during DDoS attacks",
        entity: STAR_JV,
        // Only the day is recorded: the window covers all of it.
        start: UtcTime(1_643_155_200), // 2022-01-26T00:00Z
        end: None,
        from: UtcTime(1_643_133_600),  // 2022-01-25T18:00Z
        until: UtcTime(1_643_284_800), // 2022-01-27T12:00Z
        what: "A second outage during the DDoS attacks took North Korea offline for about \
               6 hours on 26 January 2022; the window spans the whole UTC day because only \
               the day is recorded.",
    },
    KnownOutage {
        id: "kp-2025-03",
        label: "Mar 2025: routes RPKI-invalid",
        entity: STAR_JV,
        start: UtcTime(1_742_290_200), // 2025-03-18T09:30Z
        end: None,
        from: UtcTime(1_742_266_800),  // 2025-03-18T03:00Z
        until: UtcTime(1_742_353_200), // 2025-03-19T03:00Z
        what: "From 09:30 UTC on 18 March 2025 a faulty ROA made North Korea's routes \
               RPKI-invalid, and networks that validate RPKI dropped them.",
    },
    KnownOutage {
        id: "kp-2025-06",
        label: "Jun 2025: all links lost, about 9 h",
        entity: STAR_JV,
        // "~17:00-18:00 to ~02:00-03:00": the earliest start; the data gives the minute.
        start: UtcTime(1_749_229_200), // 2025-06-06T17:00Z
        end: None,
        // The same window as the default view and its preset.
        from: UtcTime(1_749_211_200),  // 2025-06-06T12:00Z
        until: UtcTime(1_749_297_600), // 2025-06-07T12:00Z
        what: "In the evening of 6 June 2025 (UTC) every route via China Unicom and \
               TransTelecom was withdrawn, and North Korea stayed off the Internet for \
               about 9 hours.",
    },
];

/// The entry whose entity and window the view shows, if any.
pub fn matching(view: &ViewState) -> Option<&'static KnownOutage> {
    NORTH_KOREA
        .iter()
        .find(|k| k.entity == view.entity && k.from == view.from && k.until == view.until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::check_range;

    fn t(iso: &str) -> UtcTime {
        UtcTime::parse(iso).unwrap()
    }

    /// 2026-11-22T00:00Z.
    const NOW: UtcTime = UtcTime(1_795_305_600);

    #[test]
    fn every_entry_is_a_valid_view_that_round_trips() {
        assert_eq!(NOW, t("2026-11-22T00:00Z"));
        assert_eq!(NORTH_KOREA.len(), 5);
        for k in NORTH_KOREA {
            assert_eq!(check_range(k.from, k.until, NOW), Ok(()), "{}", k.id);
            let view = k.view();
            let (back, problems) = ViewState::from_query(&view.to_query(), NOW);
            assert_eq!(back, view, "{}", k.id);
            assert!(problems.is_empty(), "{}: {problems:?}", k.id);
            assert_eq!(matching(&back), Some(k), "{}", k.id);
            assert_eq!(k.entity, STAR_JV, "{}", k.id);
        }
    }

    #[test]
    fn windows_are_short_enough_and_hold_the_outage() {
        for k in NORTH_KOREA {
            assert!(
                k.until.secs() - k.from.secs() < 100 * UtcTime::DAY,
                "{}",
                k.id
            );
            assert!(k.from <= k.start && k.start < k.until, "{}", k.id);
            // At least a few hours of normal routing before it, to see it start.
            assert!(
                k.start.secs() - k.from.secs() >= 5 * UtcTime::HOUR,
                "{}",
                k.id
            );
            if let Some(end) = k.end {
                assert!(k.start < end && end < k.until, "{}", k.id);
            }
            // Whole hours, so the range inputs show them exactly.
            assert_eq!(k.from.secs() % UtcTime::HOUR, 0, "{}", k.id);
            assert_eq!(k.until.secs() % UtcTime::HOUR, 0, "{}", k.id);
        }
    }

    #[test]
    fn the_times_are_the_documented_ones() {
        let expected = [
            (
                "kp-2014-12",
                "2014-12-22T16:15Z",
                "2014-12-22T10:00Z",
                "2014-12-23T08:00Z",
            ),
            (
                "kp-2022-01-13",
                "2022-01-13T22:40Z",
                "2022-01-13T16:00Z",
                "2022-01-14T09:00Z",
            ),
            (
                "kp-2022-01-26",
                "2022-01-26T00:00Z",
                "2022-01-25T18:00Z",
                "2022-01-27T12:00Z",
            ),
            (
                "kp-2025-03",
                "2025-03-18T09:30Z",
                "2025-03-18T03:00Z",
                "2025-03-19T03:00Z",
            ),
            (
                "kp-2025-06",
                "2025-06-06T17:00Z",
                "2025-06-06T12:00Z",
                "2025-06-07T12:00Z",
            ),
        ];
        assert_eq!(expected.len(), NORTH_KOREA.len());
        for (k, (id, start, from, until)) in NORTH_KOREA.iter().zip(expected) {
            assert_eq!(k.id, id);
            assert_eq!(
                (k.start, k.from, k.until),
                (t(start), t(from), t(until)),
                "{id}"
            );
        }
        assert_eq!(NORTH_KOREA[0].end, Some(t("2014-12-23T01:46Z")));
        assert_eq!(NORTH_KOREA[1].end, Some(t("2022-01-14T02:40Z")));
        // The 2025-06 entry is the default view.
        let last = NORTH_KOREA.last().map(KnownOutage::view);
        assert_eq!(last, Some(NK_OUTAGE));
    }

    #[test]
    fn ids_are_unique_labels_short_and_entries_in_order() {
        for (i, k) in NORTH_KOREA.iter().enumerate() {
            assert!(
                k.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                k.id
            );
            assert!(k.label.chars().count() <= 40, "{}", k.label);
            assert!(
                k.what.ends_with('.') && !k.what.contains("  "),
                "{}",
                k.what
            );
            for other in &NORTH_KOREA[i + 1..] {
                assert_ne!(k.id, other.id);
                assert!(k.start < other.start, "{} before {}", k.id, other.id);
            }
        }
        assert_eq!(
            matching(&ViewState {
                at: None,
                ..NK_OUTAGE
            }),
            NORTH_KOREA.last()
        );
        let elsewhere = ViewState {
            from: NK_OUTAGE.from.plus(UtcTime::HOUR),
            ..NK_OUTAGE
        };
        assert_eq!(matching(&elsewhere), None);
    }
}
