//! Small text helpers shared by input errors and the rules.

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between `a` and
/// `b`, or `None` when it exceeds `max`. ASCII bytes are compared; other text compares by byte,
/// which only makes distances larger (never a false match).
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rolling rows: OSA needs the row before the previous one for transpositions.
    let n = b.len();
    let mut prev2: Vec<usize> = vec![0; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur: Vec<usize> = vec![0; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[n]).filter(|&d| d <= max)
}

/// The candidate closest to `word` (distance at most 2, and less than the word's length), if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let max = 2.min(word.len().saturating_sub(1));
    candidates
        .into_iter()
        .filter_map(|c| edit_distance(word, c, max).map(|d| (d, c)))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("gmial", "gmail", 2), Some(1));
        assert_eq!(edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
        assert_eq!(edit_distance("", "", 0), Some(0));
        assert_eq!(edit_distance("abc", "", 2), None);
        assert_eq!(
            edit_distance("imap.gmial.com", "imap.gmail.com", 2),
            Some(1)
        );
    }

    #[test]
    fn closest_picks_best() {
        assert_eq!(closest("prot", ["protocol", "host", "port"]), Some("port"));
        assert_eq!(closest("zzzz", ["port"]), None);
    }
}
