//! Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. The same
//! upstream gets the same colour in the timeline and in the graph.

use crate::model::Asn;

pub type Rgb = (u8, u8, u8);

pub const ENTITY: Rgb = (34, 34, 34);
pub const OUTAGE_BAND: Rgb = (120, 120, 120);
pub const CURSOR: Rgb = (0, 0, 0);
pub const NEUTRAL: Rgb = (150, 150, 150);

/// What the charts draw besides their lines, for a light and for a dark page.
pub struct Theme {
    pub background: Rgb,
    pub text: Rgb,
    pub grid_light: Rgb,
    pub grid_bold: Rgb,
    /// Replaces `ENTITY` (near black) so the entity's line stays visible on dark.
    pub entity: Rgb,
    pub cursor: Rgb,
    pub band: Rgb,
}

pub const LIGHT: Theme = Theme {
    background: (255, 255, 255),
    text: (0, 0, 0),
    grid_light: (235, 235, 235),
    grid_bold: (215, 215, 215),
    entity: ENTITY,
    cursor: CURSOR,
    band: OUTAGE_BAND,
};

/// Matches the page's dark background (style/main.css); the Okabe–Ito line colours keep
/// enough contrast on it.
pub const DARK: Theme = Theme {
    background: (22, 22, 26),
    text: (225, 225, 225),
    grid_light: (45, 48, 55),
    grid_bold: (70, 74, 82),
    entity: (235, 235, 235),
    cursor: (255, 255, 255),
    band: (170, 170, 170),
};

/// Blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow.
const PALETTE: [Rgb; 7] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (240, 228, 66),
];

/// Colour of the `index`-th upstream in ASN order (so a view always colours them alike).
pub fn upstream(index: usize) -> Rgb {
    PALETTE
        .get(index % PALETTE.len())
        .copied()
        .unwrap_or(NEUTRAL)
}

/// Colour of `asn` among `upstreams` (sorted); neutral when it is not one of them.
pub fn for_upstream(upstreams: &[Asn], asn: Option<Asn>) -> Rgb {
    asn.and_then(|a| upstreams.binary_search(&a).ok())
        .map_or(NEUTRAL, upstream)
}

pub fn css((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_keep_their_colour_and_differ() {
        let ups = [Asn(4837), Asn(20485)];
        let china = for_upstream(&ups, Some(Asn(4837)));
        let russia = for_upstream(&ups, Some(Asn(20485)));
        assert_ne!(china, russia);
        assert_eq!(css(china), "#0072b2");
        assert_eq!(for_upstream(&ups, Some(Asn(1))), NEUTRAL);
        assert_eq!(for_upstream(&ups, None), NEUTRAL);
    }
}
