//! "Did you mean": the closest of some existing names to a name that was
//! not found (a cluster name with a typo), by edit distance, offered only
//! when it is close enough to be a likely typo rather than another name.

/// The name of `candidates` closest to `wanted` by edit distance, when it is
/// at most a third of `wanted`'s length away (and at least one edit: a
/// one-character typo in a short name still counts). Ties go to the first
/// candidate in sorted order, so the suggestion is deterministic.
pub fn closest<'a>(wanted: &str, candidates: &'a [String]) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(1);
    let mut sorted: Vec<&String> = candidates.iter().collect();
    sorted.sort();
    sorted
        .into_iter()
        .filter(|c| c.as_str() != wanted)
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Levenshtein distance between `a` and `b`, by characters (insertions,
/// deletions and substitutions each cost one).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
