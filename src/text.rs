//! Small text helpers shared by input errors and the rules.

/// Text in double quotes for a message, escaped so that what cannot be seen can be: quotes,
/// backslashes, control characters and invisible or unusual spaces (a no-break space pasted from
/// a web page, a zero-width space) print as escapes (`\u{a0}`). Printable text, ASCII or not,
/// prints as itself. Not `{:?}`: `str`'s `Debug` carries Unicode tables the WebAssembly module
/// does not otherwise need.
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        use std::fmt::Write;
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0' => f.write_str("\\0")?,
                c if c.is_control() || (c.is_whitespace() && c != ' ') || is_invisible(c) => {
                    write!(f, "\\u{{{:x}}}", u32::from(c))?
                }
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// Format characters that show nothing: soft hyphen, zero-width spaces and joiners, direction
/// marks and overrides, word joiner, byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// A number for a message: whole numbers as integers, others to at most six decimals, very large
/// or very small ones as `1.5e20`. Not `f64`'s `Display`: only error messages print floats, and
/// its exact shortest-digits formatting (code and tables) would be the largest single piece of
/// the WebAssembly module.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() && x != 0.0 {
        "-"
    } else {
        ""
    };
    let a = x.abs();
    if a.is_infinite() {
        return format!("{sign}infinity");
    }
    if a < 1e12 && (a >= 1e-6 || a == 0.0) {
        return format!("{sign}{}", decimals(a));
    }
    // Scientific: the mantissa in [1, 10) by repeated scaling (exact enough for a message).
    let (mut m, mut exp) = (a, 0i32);
    while m >= 10.0 {
        m /= 10.0;
        exp += 1;
    }
    while m < 1.0 {
        m *= 10.0;
        exp -= 1;
    }
    if (m * 1e6).round() >= 1e7 {
        // 9.9999999 would print as 10.
        m /= 10.0;
        exp += 1;
    }
    format!("{sign}{}e{exp}", decimals(m))
}

/// `a` (finite, not negative, below 1e12) with up to six decimals, trailing zeros dropped.
fn decimals(a: f64) -> String {
    const SCALE: u64 = 1_000_000;
    // Below 1e12 the scaled value fits in a u64; the rounding can carry into the whole part.
    let scaled = (a * SCALE as f64).round() as u64;
    let (whole, frac) = (scaled / SCALE, scaled % SCALE);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:06}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between `a` and
/// `b`, or `None` when it exceeds `max`. ASCII bytes are compared; other text compares by byte,
/// which only makes distances larger (never a false match).
///
/// After the common prefix and suffix are dropped, only the diagonal band `|i - j| <= max` is
/// computed, on the stack for words up to 63 bytes: the typo search runs this against every
/// known host for each unknown one.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // A common prefix and suffix never change the distance; host names share long ones.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    const STACK: usize = 64;
    let n = b.len();
    if n < STACK {
        let mut rows = [[0usize; STACK]; 3];
        let [r0, r1, r2] = &mut rows;
        banded_osa(a, b, max, [&mut r0[..=n], &mut r1[..=n], &mut r2[..=n]])
    } else {
        let mut rows = vec![0usize; 3 * (n + 1)];
        let (r0, rest) = rows.split_at_mut(n + 1);
        let (r1, r2) = rest.split_at_mut(n + 1);
        banded_osa(a, b, max, [r0, r1, r2])
    }
}

/// The band of the OSA matrix, in three rolling rows of `b.len() + 1` cells. Cells outside the
/// band read as `max + 1` (every read stays within the band of its row, or hits a cell set so).
fn banded_osa(a: &[u8], b: &[u8], max: usize, rows: [&mut [usize]; 3]) -> Option<usize> {
    let [mut prev2, mut prev, mut cur] = rows;
    let n = b.len();
    let inf = max + 1;
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j.min(inf);
    }
    for i in 1..=a.len() {
        let lo = 1.max(i.saturating_sub(max));
        let hi = n.min(i + max);
        cur[0] = i.min(inf);
        if lo > 1 {
            cur[lo - 1] = inf;
        }
        let mut row_min = if lo == 1 { cur[0] } else { inf };
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            let v = v.min(inf);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if hi < n {
            cur[hi + 1] = inf;
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

/// Sorts `v` by `cmp`, stably, in place. An insertion sort: every list the core sorts is short
/// (findings, fixes, factors; the host and domain indexes, a few hundred entries built once), and
/// each use of the standard library's sorts adds kilobytes to the WebAssembly module (all of them
/// together cost 15 KB gzip-compressed).
pub fn sort_small_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &v[j]) == std::cmp::Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts `v` by `cmp` in O(n log n) whatever the input: a heapsort, for lists whose length the
/// input decides (an autoconfig document's elements, a lint's findings). Not stable: give it a
/// total order (break ties with an index). Small in WebAssembly, like [`sort_small_by`].
pub fn sort_any_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    fn sift_down<T>(
        v: &mut [T],
        mut root: usize,
        end: usize,
        cmp: &mut impl FnMut(&T, &T) -> std::cmp::Ordering,
    ) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && cmp(&v[child], &v[child + 1]).is_lt() {
                child += 1;
            }
            if cmp(&v[root], &v[child]).is_ge() {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for root in (0..n / 2).rev() {
        sift_down(v, root, n, &mut cmp);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut cmp);
    }
}

/// `v` sorted by `cmp`, stably, in O(n log n) whatever its length (a report's findings: a lint of
/// a large document has thousands). Sorts the positions with [`sort_any_by`], ties broken by
/// position, then moves the items into that order.
pub fn sorted_stable_by<T>(v: Vec<T>, mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_any_by(&mut order, |&i, &j| cmp(&v[i], &v[j]).then(i.cmp(&j)));
    let mut slots: Vec<Option<T>> = v.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_shows_what_cannot_be_seen() {
        let cases: &[(&str, &str)] = &[
            ("imap.gmial.com", r#""imap.gmial.com""#),
            ("mail.bücher.example", r#""mail.bücher.example""#),
            ("a\"b\\c", r#""a\"b\\c""#),
            ("tab\there\n", r#""tab\there\n""#),
            ("no\u{a0}break", r#""no\u{a0}break""#),
            ("zero\u{200b}width", r#""zero\u{200b}width""#),
            ("\u{1b}[31m", r#""\u{1b}[31m""#),
            ("", r#""""#),
        ];
        for &(text, want) in cases {
            assert_eq!(Quoted(text).to_string(), want);
            if text.chars().all(|c| c.is_ascii_graphic() || c == ' ') || text.contains('ü') {
                // Printable text quotes exactly as `{:?}` would.
                assert_eq!(Quoted(text).to_string(), format!("{text:?}"));
            }
        }
    }

    #[test]
    fn numbers_for_messages() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (993.0, "993"),
            (993.5, "993.5"),
            (-1.25, "-1.25"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.333333"),
            (0.9999999, "1"),
            (1e-7, "1e-7"),
            (2.5e-9, "2.5e-9"),
            (1e20, "1e20"),
            (-1.5e300, "-1.5e300"),
            (9.99999999e20, "1e21"),
            (f64::INFINITY, "infinity"),
            (f64::NEG_INFINITY, "-infinity"),
            (f64::NAN, "NaN"),
        ];
        for &(x, want) in cases {
            assert_eq!(number(x), want, "{x:e}");
        }
    }

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

    /// The whole matrix, for comparison.
    fn reference(a: &str, b: &str) -> usize {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    proptest::proptest! {
        #[test]
        fn banded_matches_the_whole_matrix(a in "[ab.]{0,12}", b in "[ab.]{0,12}", max in 0usize..5) {
            let want = Some(reference(&a, &b)).filter(|&d| d <= max);
            proptest::prop_assert_eq!(edit_distance(&a, &b, max), want);
        }

        #[test]
        fn long_words_use_the_heap_path(a in "[ab]{60,80}", b in "[ab]{60,80}", max in 0usize..4) {
            let want = Some(reference(&a, &b)).filter(|&d| d <= max);
            proptest::prop_assert_eq!(edit_distance(&a, &b, max), want);
        }
    }

    #[test]
    fn closest_picks_best() {
        assert_eq!(closest("prot", ["protocol", "host", "port"]), Some("port"));
        assert_eq!(closest("zzzz", ["port"]), None);
    }

    #[test]
    fn sort_small_by_sorts_stably() {
        let mut v = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_small_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut w: Vec<u32> = (0..300).rev().collect();
        sort_small_by(&mut w, Ord::cmp);
        assert!(w.windows(2).all(|p| p[0] < p[1]));
        sort_small_by(&mut [] as &mut [u8], Ord::cmp);
    }

    #[test]
    fn sorted_stable_by_keeps_ties_in_order() {
        let v: Vec<(u32, usize)> = (0..2000).map(|i| ((i * 37 % 5) as u32, i)).collect();
        let sorted = sorted_stable_by(v.clone(), |a, b| a.0.cmp(&b.0));
        let mut want = v;
        want.sort_by_key(|x| x.0);
        assert_eq!(sorted, want);
    }

    #[test]
    fn sort_any_by_sorts() {
        for n in [0usize, 1, 2, 3, 10, 1000] {
            let mut v: Vec<usize> = (0..n).map(|i| (i * 7919) % (n + 1)).collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_any_by(&mut v, Ord::cmp);
            assert_eq!(v, want, "n = {n}");
        }
    }
}

/// Text from outside (a server, a document, a DNS answer) made safe for a terminal, without
/// quotes: control characters (escape sequences), invisible and unusual spaces print as escapes
/// as in [`Quoted`]; everything else, quotes included, prints as itself.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        use std::fmt::Write;
        for c in self.0.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() || (c.is_whitespace() && c != ' ') || is_invisible(c) => {
                    write!(f, "\\u{{{:x}}}", u32::from(c))?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}
