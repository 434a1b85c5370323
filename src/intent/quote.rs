//! Long values in messages: a diagnostic quotes the value it rejects (as a
//! Rust string literal, `"..."`), and a rejected 10,000-character value would
//! fill the screen. [`shorten_quoted`] cuts every long quoted value in a
//! message to a prefix and its length, wherever the message came from.

/// A quoted value up to this many characters is shown whole.
pub const QUOTED_MAX: usize = 100;
/// How many characters of a longer one are shown.
pub const QUOTED_PREFIX: usize = 64;

/// `text` with every `"..."` literal (backslash escapes honoured) longer
/// than [`QUOTED_MAX`] characters cut to its first [`QUOTED_PREFIX`]
/// characters, then `…" (N characters)`. An escape counts as one character
/// and is never cut in two. A quote without its closing quote is left as it is.
pub fn shorten_quoted(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len().min(4096));
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '"' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        match literal_units(&chars, i + 1) {
            Some((units, end)) if units.len() > QUOTED_MAX => {
                out.push('"');
                units[..QUOTED_PREFIX]
                    .iter()
                    .for_each(|(a, b)| out.extend(&chars[*a..*b]));
                out.push_str(&format!("…\" ({} characters)", units.len()));
                i = end + 1;
            }
            Some((_, end)) => {
                out.extend(&chars[i..=end]);
                i = end + 1;
            }
            None => {
                out.extend(&chars[i..]);
                break;
            }
        }
    }
    out
}

/// The characters of a literal starting at `start` (just after its opening
/// quote), each as the range of `chars` it spans (an escape is one), and the
/// index of the closing quote; `None` when it never closes.
fn literal_units(chars: &[char], start: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    let mut units = Vec::new();
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '"' => return Some((units, i)),
            '\\' => {
                let mut end = (i + 2).min(chars.len());
                // `\u{…}` is one character.
                if chars.get(i + 1) == Some(&'u') && chars.get(i + 2) == Some(&'{') {
                    while end < chars.len() && chars[end - 1] != '}' {
                        end += 1;
                    }
                }
                units.push((i, end));
                i = end;
            }
            _ => {
                units.push((i, i + 1));
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
