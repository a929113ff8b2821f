//! Character classes and display widths used by every stage.

use unicode_width::UnicodeWidthChar;

/// A CJK ideograph (Han), including the common extension blocks.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// Kana and Hangul count as CJK text too.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3040..=0x30FF | 0xAC00..=0xD7AF | 0x31F0..=0x31FF)
}

/// East Asian wide or fullwidth (CSS Text 3's F/W classes), which joins without a space.
pub fn is_wide(c: char) -> bool {
    is_cjk(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6 | 0x2E80..=0x2FDF | 0xFE30..=0xFE4F)
        || UnicodeWidthChar::width(c) == Some(2)
}

/// Punctuation, ASCII or CJK (quotes, dashes, brackets, ellipsis included).
pub fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32, 0x2010..=0x206F | 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0x00A1..=0x00BF)
            && !c.is_alphanumeric()
}

/// A space inside a line (ASCII space, tab, ideographic space, no-break space).
pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

/// A Latin (or other alphabetic, non-wide) letter. ASCII and CJK are answered without the
/// Unicode property tables, which dominate profiles otherwise.
pub fn is_latin(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    !is_wide(c) && c.is_alphabetic()
}

/// A letter or digit of a Latin-script word (not CJK).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_wide(c) && c.is_alphanumeric()
}

/// Display width of a character: wide and fullwidth 2; in CJK context ambiguous-width
/// characters (“ ” ‘ ’ … —) are 2 as well, as Chinese fonts set them.
pub fn width(c: char, cjk: bool) -> usize {
    if is_space(c) {
        return if c == '\u{3000}' { 2 } else { 1 };
    }
    let w = if cjk {
        UnicodeWidthChar::width_cjk(c)
    } else {
        UnicodeWidthChar::width(c)
    };
    w.unwrap_or(0)
}

/// Display width of a string.
pub fn str_width(s: &str, cjk: bool) -> usize {
    s.chars().map(|c| width(c, cjk)).sum()
}

/// Count of characters that are not white space.
pub fn visible(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_han('璧') && !is_han('a'));
        assert!(is_wide('。') && is_wide('，') && is_wide('（') && !is_wide('a'));
        assert!(
            is_punct('“') && is_punct('。') && is_punct('-') && !is_punct('a') && !is_punct('中')
        );
        assert_eq!(str_width("“科", true), 4);
        assert_eq!(str_width("ab中", false), 4);
    }
}
