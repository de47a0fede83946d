//! Small helpers for messages written in English.

/// `1 development`, `3 developments`.
pub fn counted(count: impl Into<u64>, noun: &str) -> String {
    let count = count.into();
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A count with its thousands grouped, for counts a person reads at a
/// glance: `400,000 rows`.
pub fn counted_grouped(count: u64, noun: &str) -> String {
    let digits = count.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{grouped} {noun}s")
    }
}

#[cfg(test)]
mod grouped_tests {
    use super::counted_grouped;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(counted_grouped(400_000, "row"), "400,000 rows");
        assert_eq!(counted_grouped(1_234_567, "row"), "1,234,567 rows");
        assert_eq!(counted_grouped(999, "row"), "999 rows");
        assert_eq!(counted_grouped(1, "row"), "1 row");
    }
}
