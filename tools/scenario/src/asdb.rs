//! Names of the autonomous systems that may appear in synthetic paths, and the peering LANs
//! of the RIS collectors. Real ASNs and RIPEstat-style owner strings, so the recording looks
//! like the real thing; which AS sits where in a path is invented by the generator.

/// (ASN, owner string as RIPEstat's bgplay `nodes[].owner` writes it).
pub const AS_OWNERS: &[(u32, &str)] = &[
    (131279, "STAR-KP Ryugyong-dong, KP"),
    (4837, "CHINA169-BACKBONE CHINA UNICOM China169 Backbone, CN"),
    (20485, "TRANSTELECOM, RU"),
    // Large transit networks.
    (174, "COGENT-174, US"),
    (701, "UUNET, US"),
    (1273, "CW Vodafone Group PLC, GB"),
    (1299, "TWELVE99 Arelion, fka Telia Carrier, SE"),
    (2914, "NTT-LTD-2914, US"),
    (3257, "GTT-BACKBONE GTT, US"),
    (3320, "DTAG Internet service provider operations, DE"),
    (3356, "LEVEL3, US"),
    (3491, "BTN-ASN, US"),
    (4134, "CHINANET-BACKBONE No.31,Jin-rong Street, CN"),
    (4637, "ASN-TELSTRA-GLOBAL Telstra Global, HK"),
    (5511, "OPENTRANSIT, FR"),
    (6453, "AS6453, US"),
    (6461, "ZAYO-6461, US"),
    (6762, "SEABONE-NET TELECOM ITALIA SPARKLE S.p.A., IT"),
    (6830, "LIBERTYGLOBAL Liberty Global B.V., NL"),
    (6939, "HURRICANE, US"),
    (7018, "ATT-INTERNET4, US"),
    (7473, "SINGTEL-AS-AP Singapore Telecommunications Ltd, SG"),
    (9002, "RETN-AS, GB"),
    (10099, "CUG-AP China Unicom Global, HK"),
    (2516, "KDDI KDDI CORPORATION, JP"),
    (4766, "KIXS-AS-KR Korea Telecom, KR"),
    (9498, "BBIL-AP BHARTI Airtel Ltd., IN"),
    // Russian networks that buy from or peer with TransTelecom.
    (3216, "SOVAM-AS, RU"),
    (8359, "MTS PJSC MTS, RU"),
    (8732, "COMCOR-AS, RU"),
    (12389, "ROSTELECOM-AS PJSC Rostelecom. Technical Team, RU"),
    (20764, "RASCOM-AS, RU"),
    (29076, "CITYTELECOM-AS, RU"),
    (31133, "MF-MGSM-AS, RU"),
    // Regional networks and typical RIS peers.
    (1103, "SURFNET-NL SURF B.V., NL"),
    (2152, "CSUNET-NW, US"),
    (2497, "IIJ Internet Initiative Japan Inc., JP"),
    (3130, "RGNET-SEA RGnet, LLC, US"),
    (
        4608,
        "APNIC-SERVICES Asia Pacific Network Information Centre, AU",
    ),
    (
        4777,
        "APNIC-NSPIXP2-AS Asia Pacific Network Information Centre, JP",
    ),
    (6079, "RCN-AS, US"),
    (
        7575,
        "AARNET-AS-AP Australian Academic and Research Network, AU",
    ),
    (7660, "APAN-JP Asia Pacific Advanced Network - Japan, JP"),
    (7922, "COMCAST-7922, US"),
    (8220, "COLT COLT Technology Services Group Limited, GB"),
    (8283, "COLOCLUE-AS, NL"),
    (8455, "ATOM86-AS ATOM86, NL"),
    (
        9304,
        "HUTCHISON-AS-AP HGC Global Communications Limited, HK",
    ),
    (11537, "INTERNET2-RESEARCH-EDU, US"),
    (13030, "INIT7, CH"),
    (16347, "RMI-FITECH, FR"),
    (18106, "VIEWQWEST-SG-AP Viewqwest Pte Ltd, SG"),
    (19151, "WV-FIBER-1, US"),
    (20811, "BRENNERCOM-AS, IT"),
    (24482, "SGGS-AS-AP SG.GS, SG"),
    (25091, "IP-MAX, CH"),
    (
        25152,
        "K-ROOT-SERVER Reseaux IP Europeens Network Coordination Centre (RIPE NCC), NL",
    ),
    (34549, "MEER-AS meerfarbig GmbH & Co. KG, DE"),
    (37100, "SEACOM-AS, MU"),
    (37271, "Workonline, ZA"),
    (39120, "CONVERGENZE-AS Convergenze S.p.A., IT"),
    (47692, "NESSUS-AS, AT"),
    (50304, "BLIX, NO"),
    (53013, "W I X NET DO BRASIL LTDA - ME, BR"),
    (57866, "FUSIX, NL"),
    (199524, "GCORE, LU"),
    (396998, "PATH-NETWORK, US"),
];

/// Owner string of an AS, or a neutral placeholder for an AS not in the table.
pub fn owner(asn: u32) -> String {
    AS_OWNERS
        .iter()
        .find(|(a, _)| *a == asn)
        .map(|(_, o)| (*o).to_string())
        .unwrap_or_else(|| format!("AS{asn}"))
}

/// Whether the table knows the AS (the generator only draws ASes that it knows).
pub fn known(asn: u32) -> bool {
    AS_OWNERS.iter().any(|(a, _)| *a == asn)
}

/// The first three octets of peering addresses at a RIS collector (an IXP LAN, or for the
/// multihop collectors rrc00/rrc24/rrc25 a spread of provider networks).
pub fn collector_lans(rrc: u8) -> &'static [&'static str] {
    match rrc {
        0 => &[
            "12.0.1.",
            "4.68.4.",
            "89.149.178.",
            "202.12.28.",
            "193.0.4.",
            "154.11.12.",
        ],
        1 => &["195.66.224.", "195.66.225.", "195.66.226."],
        3 => &["80.249.208.", "80.249.209.", "80.249.210.", "80.249.211."],
        4 => &["192.65.185."],
        5 => &["193.203.0."],
        6 => &["202.249.2."],
        7 => &["194.68.123.", "194.68.128."],
        10 => &["217.29.66.", "217.29.67."],
        11 => &["198.32.160.", "206.126.236."],
        12 => &["80.81.192.", "80.81.193.", "80.81.194."],
        13 => &["195.208.208.", "195.208.209.", "195.208.210."],
        14 => &["198.32.176.", "206.223.116."],
        15 => &["187.16.216.", "187.16.217."],
        16 => &["198.32.124.", "206.41.110."],
        18 => &["193.242.98."],
        19 => &["196.60.8.", "196.60.9."],
        20 => &["91.206.52.", "91.206.53."],
        21 => &["37.49.236.", "37.49.237."],
        22 => &["86.104.125."],
        23 => &["27.111.228.", "27.111.229."],
        24 => &["45.6.52.", "200.0.17.", "190.15.8."],
        25 => &["176.12.110.", "185.1.167."],
        26 => &["185.1.8.", "185.1.9."],
        _ => &["10.255.0."],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates_and_lookup_works() {
        for (i, (a, _)) in AS_OWNERS.iter().enumerate() {
            assert!(
                AS_OWNERS[i + 1..].iter().all(|(b, _)| b != a),
                "duplicate AS{a}"
            );
        }
        assert_eq!(owner(20485), "TRANSTELECOM, RU");
        assert_eq!(owner(64512), "AS64512");
        assert!(known(4837) && !known(64512));
    }
}
