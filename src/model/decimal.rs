//! Numbers for people, with a fixed number of decimals.
//!
//! `format!("{:.1}", x)` pulls the standard library's exact float formatting (Grisu with a
//! Dragon4 fallback) into the wasm; every fixed-decimal text in the app goes through here,
//! which needs only integer formatting.

/// `x` rounded half away from zero to `places` decimals (at most 6), e.g. `decimal(2.345, 1)`
/// is "2.3" and `decimal(-0.04, 1)` is "0.0". Values too large for that precision are written
/// without decimals; NaN and infinities as "–".
pub fn decimal(x: f64, places: u32) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let places = places.min(6);
    let scale = 10i64.pow(places);
    let scaled = (x.abs() * scale as f64).round();
    if scaled >= 9.0e15 {
        let whole = x.round() as i64;
        return whole.to_string();
    }
    let scaled = scaled as i64;
    let sign = if x < 0.0 && scaled != 0 { "-" } else { "" };
    let (whole, frac) = (scaled / scale, scaled % scale);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0width$}", width = places as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn agrees_with_std_formatting_away_from_ties() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 2_000_000) as f64 / 997.0 - 1000.0;
            for places in 0..4u32 {
                let ours = decimal(v, places);
                let std = format!("{v:.prec$}", prec = places as usize);
                // std rounds the exact binary value half to even; we round the product, so
                // the two may differ only on (near-)ties of the last digit.
                let tie = ((v.abs() * 10f64.powi(places as i32)).fract() - 0.5).abs() < 1e-6;
                // std keeps the sign of a value that rounds to zero ("-0.0"); we drop it.
                let negative_zero =
                    std.starts_with('-') && std.trim_matches(['-', '0', '.']).is_empty();
                let std = if negative_zero {
                    std.replacen('-', "", 1)
                } else {
                    std
                };
                assert!(tie || ours == std, "{v} at {places}: {ours} vs {std}");
            }
        }
    }

    #[test]
    fn edges() {
        assert_eq!(decimal(0.0, 1), "0.0");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(-0.06, 1), "-0.1");
        assert_eq!(decimal(99.96, 1), "100.0");
        assert_eq!(decimal(1234.5678, 2), "1234.57");
        assert_eq!(decimal(7.0, 0), "7");
        assert_eq!(decimal(f64::NAN, 1), "–");
        assert!(!decimal(1e300, 2).contains('.'));
    }
}
