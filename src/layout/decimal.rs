//! The JSON Schema `pattern` of a decimal field: the exact set of strings
//! its request bodies take.
//!
//! A decimal travels in JSON as a string (`"39.90"`). The server takes a
//! string in plain notation (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`, checked by
//! `app.schemas.json_decimal`) that Pydantic's `max_digits`,
//! `decimal_places`, `ge` and `le` then accept. Pydantic counts digits on
//! the value or on its normalized form, whichever passes (pydantic-core
//! PR 1049), so trailing zeros after the point are free (`"1.500"` fits
//! scale 2), a whole part of `0` alone counts as a digit (`"0"` does not fit
//! precision 2 scale 2, `"0.0"` does) and `-0` is zero (it passes `min: 0`).
//! The pattern says the same, integer bounds included; a bound with a
//! fraction (`min: 0.5`) is not encoded (see [`decimal_pattern`]).

use std::cmp::Ordering;

/// The anchored pattern of a decimal with `precision` digits, `scale` of
/// them after the point, between `min` and `max` where given. A bound that
/// is not a whole number is left to the server's `ge`/`le` and out of the
/// pattern, which then allows more than the server takes.
pub(crate) fn decimal_pattern(
    precision: u32,
    scale: u32,
    min: Option<f64>,
    max: Option<f64>,
) -> String {
    let whole = (precision - scale) as usize;
    let opt = if whole == 0 { "" } else { "?" };
    let frac = if scale == 0 {
        format!(r"(?:\.0+){opt}")
    } else {
        format!(r"(?:\.[0-9]{{1,{scale}}}0*){opt}")
    };
    let zero = format!(r"(?:\.0+){opt}");
    let digits = Digits {
        whole,
        frac: &frac,
        zero: &zero,
    };
    let lo = min.and_then(whole_number);
    let hi = max.and_then(whole_number);
    let mut alts = Vec::new();
    // Zero and above: magnitudes from max(lo, 0) to hi.
    if hi.as_ref().is_none_or(|(neg, _)| !neg) {
        let from = match &lo {
            Some((false, m)) => m.clone(),
            _ => "0".to_owned(),
        };
        alts.extend(digits.magnitude(&from, hi.as_ref().map(|(_, m)| m.as_str())));
    }
    // Below zero: magnitudes from -hi (or 0) to -lo.
    match &lo {
        Some((false, m)) if m != "0" => {}
        Some((false, _)) => {
            if hi.as_ref().is_none_or(|(neg, _)| !neg) {
                alts.push(format!("-0{zero}"));
            }
        }
        _ => {
            let from = match &hi {
                Some((true, m)) => m.clone(),
                _ => "0".to_owned(),
            };
            let to = lo.as_ref().map(|(_, m)| m.as_str());
            if let Some(m) = alt(&digits.magnitude(&from, to)) {
                alts.push(format!("-{m}"));
            }
        }
    }
    format!("^{}$", alt(&alts).unwrap_or_else(|| "(?!)".to_owned()))
}

/// `x` as (negative, digits of its magnitude) when it is a whole number.
fn whole_number(x: f64) -> Option<(bool, String)> {
    (x.fract() == 0.0 && x.is_finite()).then(|| (x < 0.0, format!("{:.0}", x.abs())))
}

/// How one decimal field writes its whole part and its fraction.
struct Digits<'a> {
    /// Digits before the point (`precision - scale`).
    whole: usize,
    /// Any fraction the scale allows.
    frac: &'a str,
    /// A fraction of zeros only.
    zero: &'a str,
}

impl Digits<'_> {
    /// Alternatives for magnitudes from whole number `from` up to whole
    /// number `to` included (the most the digits hold when `None`).
    fn magnitude(&self, from: &str, to: Option<&str>) -> Vec<String> {
        let cap = if self.whole == 0 {
            "0".to_owned()
        } else {
            "9".repeat(self.whole)
        };
        let mut out = Vec::new();
        match to.filter(|t| cmp(t, &cap) != Ordering::Greater) {
            None => {
                if cmp(from, &cap) != Ordering::Greater {
                    out.extend(alt(&int_range(from, &cap)).map(|r| format!("{r}{}", self.frac)));
                }
            }
            Some(to) => {
                if cmp(from, to) == Ordering::Less {
                    let below = decrement(to);
                    out.extend(alt(&int_range(from, &below)).map(|r| format!("{r}{}", self.frac)));
                }
                if cmp(from, to) != Ordering::Greater {
                    out.push(format!("{to}{}", self.zero));
                }
            }
        }
        out
    }
}

/// Compares two whole numbers written without leading zeros.
fn cmp(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `n - 1` for a whole number `n > 0` written without leading zeros.
fn decrement(n: &str) -> String {
    let mut digits: Vec<u8> = n.bytes().collect();
    for d in digits.iter_mut().rev() {
        if *d == b'0' {
            *d = b'9';
        } else {
            *d -= 1;
            break;
        }
    }
    let s = String::from_utf8(digits).unwrap_or_default();
    let trimmed = s.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `(?:a|b)` of several alternatives, the one alone, or None for none.
fn alt(parts: &[String]) -> Option<String> {
    match parts {
        [] => None,
        [one] => Some(one.clone()),
        _ => Some(format!("(?:{})", parts.join("|"))),
    }
}

/// `[0-9]` repeated `n` times (`""`, `[0-9]`, `[0-9]{3}`).
fn any_digits(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "[0-9]".to_owned(),
        _ => format!("[0-9]{{{n}}}"),
    }
}

/// Alternatives matching the whole numbers from `a` to `b` (`a <= b`),
/// written without leading zeros.
fn int_range(a: &str, b: &str) -> Vec<String> {
    if a == "0" {
        let mut out = vec!["0".to_owned()];
        if b != "0" {
            out.extend(int_range("1", b));
        }
        return out;
    }
    if a.len() == b.len() {
        return same_length(a, b);
    }
    let smallest = |s: &str| s[1..].bytes().all(|d| d == b'0') && s.starts_with('1');
    let largest = |s: &str| s.bytes().all(|d| d == b'9');
    let mut out = Vec::new();
    let first_full = if smallest(a) {
        a.len()
    } else {
        out.extend(same_length(a, &"9".repeat(a.len())));
        a.len() + 1
    };
    let last_full = if largest(b) { b.len() } else { b.len() - 1 };
    if first_full <= last_full {
        let (m, n) = (first_full - 1, last_full - 1);
        out.push(match (m, n) {
            (0, 0) => "[1-9]".to_owned(),
            _ if m == n => format!("[1-9]{}", any_digits(m)),
            _ => format!("[1-9][0-9]{{{m},{n}}}"),
        });
    }
    if !largest(b) {
        let start = format!("1{}", "0".repeat(b.len() - 1));
        out.extend(same_length(&start, b));
    }
    out
}

/// Alternatives matching the numbers from `a` to `b` (`a <= b`), both of
/// the same number of digits.
fn same_length(a: &str, b: &str) -> Vec<String> {
    let n = a.len();
    if n == 0 {
        return vec![String::new()];
    }
    if a == b {
        return vec![a.to_owned()];
    }
    let (a0, b0) = (a.as_bytes()[0] - b'0', b.as_bytes()[0] - b'0');
    if a0 == b0 {
        return same_length(&a[1..], &b[1..])
            .into_iter()
            .map(|r| format!("{a0}{r}"))
            .collect();
    }
    let mut out = Vec::new();
    let mut lo = a0;
    if a[1..].bytes().any(|d| d != b'0') {
        let rest = same_length(&a[1..], &"9".repeat(n - 1));
        out.extend(rest.into_iter().map(|r| format!("{a0}{r}")));
        lo += 1;
    }
    let mut hi = b0;
    let mut tail = Vec::new();
    if b[1..].bytes().any(|d| d != b'9') {
        let rest = same_length(&"0".repeat(n - 1), &b[1..]);
        tail.extend(rest.into_iter().map(|r| format!("{b0}{r}")));
        hi -= 1;
    }
    if lo <= hi {
        let head = if lo == hi {
            lo.to_string()
        } else {
            format!("[{lo}-{hi}]")
        };
        out.push(format!("{head}{}", any_digits(n - 1)));
    }
    out.extend(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_of_the_specs_decimals() {
        assert_eq!(
            decimal_pattern(10, 2, Some(0.0), None),
            r"^(?:(?:0|[1-9][0-9]{0,7})(?:\.[0-9]{1,2}0*)?|-0(?:\.0+)?)$"
        );
        assert_eq!(
            decimal_pattern(8, 0, Some(1.0), None),
            r"^[1-9][0-9]{0,7}(?:\.0+)?$"
        );
        assert_eq!(
            decimal_pattern(12, 3, Some(0.0), Some(100000.0)),
            r"^(?:(?:0|[1-9][0-9]{0,4})(?:\.[0-9]{1,3}0*)?|100000(?:\.0+)?|-0(?:\.0+)?)$"
        );
        assert_eq!(
            decimal_pattern(2, 2, None, None),
            r"^(?:0(?:\.[0-9]{1,2}0*)|-0(?:\.[0-9]{1,2}0*))$"
        );
        assert_eq!(
            decimal_pattern(4, 0, Some(-50.0), Some(-3.0)),
            r"^-(?:(?:[3-9]|[1-4][0-9])(?:\.0+)?|50(?:\.0+)?)$"
        );
    }

    #[test]
    fn ranges_of_whole_numbers() {
        assert_eq!(int_range("0", "99"), ["0", "[1-9][0-9]{0,1}"]);
        assert_eq!(
            int_range("17", "342"),
            [
                "1[7-9]",
                "[2-9][0-9]",
                "[1-2][0-9]{2}",
                "3[0-3][0-9]",
                "34[0-2]"
            ]
        );
        assert_eq!(decrement("100"), "99");
        assert_eq!(decrement("1"), "0");
    }
}
