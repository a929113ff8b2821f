//! The walk that builds blocks: heading lines into groups, bylines, place tags and jump lines
//! into their own blocks, body lines into paragraphs joined across line breaks (LB001 across a
//! blank that is a column break, PB001 where a paragraph starts without one, BY001 a glued byline).

use std::ops::Range;

use super::continued::{continue_bodies, find_suffix_start};
use super::headings::{is_capitals, starts_new_group};
use super::lines::{Line, Role};
use super::model::Label;
use super::paragraphs::{
    break_reason, has_break_evidence, join_reason, paragraph_break, starts_mid,
};
use super::{Block, Kind};
use crate::fix::{Fix, Safety, BY001, LB001, PB001, ST005};
use crate::grammar::Grammar;
use crate::parse::End;
use crate::repair::{self, join};
use crate::source::Page;
use crate::Options;

/// The walk's state: the blocks so far and the paragraph still open.
struct Walk<'a> {
    page: &'a Page,
    lines: &'a [Line],
    heading: &'a [bool],
    labels: Option<&'a [Option<Label>]>,
    opts: &'a Options,
    grammar: &'a Grammar,
    cjk: bool,
    words: repair::hyphen::Words<'a>,
    blocks: Vec<Block>,
    fixes: &'a mut Vec<Fix>,
    para: Option<Block>,
    /// Last body line of the open paragraph.
    prev_line: Option<usize>,
    /// A blank line since the last text line.
    blank_since: bool,
}

/// Build the blocks of a raw page from its lines, their heading decisions and (when the page
/// model ran) their labels.
#[allow(clippy::too_many_arguments)]
pub(super) fn build(
    page: &Page,
    lines: &[Line],
    heading: &[bool],
    labels: Option<&[Option<Label>]>,
    words: repair::hyphen::Words<'_>,
    opts: &Options,
    cjk: bool,
    fixes: &mut Vec<Fix>,
) -> Vec<Block> {
    let grammar = words.grammar;
    let mut w = Walk {
        page,
        lines,
        heading,
        labels,
        opts,
        grammar,
        cjk,
        words,
        blocks: Vec::new(),
        fixes,
        para: None,
        prev_line: None,
        blank_since: false,
    };
    let mut k = 0;
    while k < lines.len() {
        let l = &lines[k];
        if l.role == Role::Blank {
            w.blank_since = true;
            k += 1;
            continue;
        }
        if heading[k] {
            k = w.heading_group(k);
        } else {
            match l.role {
                Role::Byline | Role::Place | Role::Jump | Role::Furniture | Role::Noise => {
                    w.own_block(k)
                }
                _ => w.body_line(k),
            }
            k += 1;
        }
        w.blank_since = false;
    }
    w.close();
    let mut blocks = w.blocks;
    kickers_over_titles(&mut blocks);
    if opts.enabled(ST005.code) {
        continue_bodies(page, &mut blocks, cjk, grammar, fixes);
    }
    blocks
}

/// A heading group the page model labelled kicker only (a standing column's name), right
/// before a group that opens with a title line, is that title's kicker printed a blank line
/// above it: the two groups become one, so the kicker goes with its title and never heads an
/// article of its own.
fn kickers_over_titles(blocks: &mut Vec<Block>) {
    let kicker_only = |b: &Block| {
        b.kind == Kind::Heading
            && !b.cues.labels.is_empty()
            && b.cues.labels.len() == b.pieces.len()
            && b.cues.labels.iter().all(|&l| l == Label::Kicker)
    };
    let mut i = 0;
    while i + 1 < blocks.len() {
        let next = &blocks[i + 1];
        let titled = next.kind == Kind::Heading
            && next.cues.labels.len() == next.pieces.len()
            && next.cues.labels.first().is_some_and(|l| l.title());
        if kicker_only(&blocks[i]) && titled {
            let next = blocks.remove(i + 1);
            let b = &mut blocks[i];
            let cues = b.append(" ", next);
            b.cues.labels.extend(cues.labels);
            b.cues.group += cues.group;
            b.cues.undoubled |= cues.undoubled;
        }
        i += 1;
    }
}

impl Walk<'_> {
    fn label(&self, k: usize) -> Option<Label> {
        self.labels.and_then(|ls| ls[k])
    }

    /// Join two lines of one block (a paragraph, or a Latin heading broken at a hyphen): the
    /// separator; the hyphen fix if any is recorded.
    fn join_lines(&mut self, a: usize, b: usize) -> &'static str {
        let (a, b) = (&self.lines[a], &self.lines[b]);
        let enabled = |c: &str| self.opts.enabled(c);
        let d = join::decide(
            &a.text,
            a.shape.span.end,
            &b.text,
            &self.words,
            self.cjk,
            &enabled,
        );
        if let Some(f) = d.fix {
            self.fixes.push(f);
        }
        d.sep
    }

    /// Close the open paragraph, if any.
    fn close(&mut self) {
        if let Some(mut p) = self.para.take() {
            if let Some(l) = self.prev_line {
                p.cues.ends_mid = self.lines[l].shape.end != End::Sentence;
            }
            self.blocks.push(p);
        }
        self.prev_line = None;
    }

    /// Consecutive heading lines (no blank between) form one group, unless the model's labels
    /// part them. Returns the index of the first line after the group.
    fn heading_group(&mut self, k: usize) -> usize {
        self.close();
        let l = &self.lines[k];
        let mut g = Block::new(Kind::Heading, l.shape.span.clone());
        g.cues.labels.extend(self.label(k));
        g.cues.group = 1;
        g.cues.undoubled = l.undoubled;
        g.cues.capitals = is_capitals(&l.text);
        let mut j = k + 1;
        while j < self.lines.len()
            && self.lines[j].role != Role::Blank
            && self.heading[j]
            && !starts_new_group(self.label(j - 1), self.label(j))
        {
            g.cues.labels.extend(self.label(j));
            g.pieces.push(self.lines[j].shape.span.clone());
            // A Latin heading broken at a hyphen rejoins like body text.
            let prev = &self.lines[j - 1];
            // Lines of one field (a title's first line and the lines going on with it count as
            // one) join like body text: no space between CJK lines.
            let field = |y: Option<Label>| {
                y.map(|y| {
                    if y == Label::TitleMore {
                        Label::Title
                    } else {
                        y
                    }
                })
            };
            let same_field =
                self.label(j - 1).is_some() && field(self.label(j - 1)) == field(self.label(j));
            if same_field || (!self.cjk && prev.shape.end == End::Hyphen) {
                let sep = self.join_lines(j - 1, j);
                g.seps.push(sep);
            } else {
                g.seps.push(" ");
            }
            g.cues.group += 1;
            g.cues.undoubled |= self.lines[j].undoubled;
            j += 1;
        }
        self.blocks.push(g);
        j
    }

    /// A byline, place tag, jump line or furniture line is a block of its own; a byline
    /// continuing a glued one joins it.
    fn own_block(&mut self, k: usize) {
        self.close();
        let l = &self.lines[k];
        let kind = match l.role {
            Role::Byline => Kind::Byline,
            Role::Place => Kind::Place,
            Role::Jump => Kind::Jump,
            Role::Noise => Kind::Noise,
            _ => Kind::Furniture,
        };
        if kind == Kind::Byline {
            if let Some(b) = self.blocks.last_mut() {
                if b.kind == Kind::Byline && b.cues.group == 99 {
                    b.pieces.push(l.shape.span.clone());
                    b.seps.push(" ");
                    b.cues.group = 1;
                    return;
                }
            }
        }
        self.blocks.push(Block::new(kind, l.shape.span.clone()));
    }

    /// A body line: it starts a paragraph or joins the open one; a byline glued to its end
    /// becomes a block of its own.
    fn body_line(&mut self, k: usize) {
        let l = &self.lines[k];
        let (body_span, glued) = split_glued(self.page, l);
        match (self.para.is_some(), self.prev_line) {
            (true, Some(pk)) => {
                if self.breaks_before(pk, k) {
                    if !self.blank_since {
                        let a = &self.lines[pk];
                        let mut f = Fix::decision(&PB001, l.shape.span.clone(), "new paragraph")
                            .because(break_reason(a, l, self.cjk, self.label(k).is_some()));
                        // A break after a line that ends no sentence is for a reviewer to see.
                        if !matches!(a.shape.end, End::Sentence | End::Colon) {
                            f = f.safety(Safety::Review);
                        }
                        self.fixes.push(f);
                    }
                    self.close();
                    self.open(k, body_span);
                } else {
                    let sep = self.join_lines(pk, k);
                    if self.blank_since {
                        let a = &self.lines[pk];
                        // Across the break between two columns read one after the other (CO001)
                        // the gap is the start of the line that goes on.
                        let at = l.shape.span.start;
                        let gap = a.shape.span.end.min(at)..at;
                        let why = join_reason(a, self.cjk, self.label(k).is_some());
                        self.fixes
                            .push(Fix::decision(&LB001, gap, "joined").because(why));
                    }
                    let p = self.para.as_mut().expect("open paragraph");
                    p.pieces.push(body_span);
                    p.seps.push(sep);
                }
            }
            _ => {
                self.close();
                self.open(k, body_span);
            }
        }
        self.prev_line = Some(k);
        if let Some((span, cont)) = glued {
            self.close();
            let mut b = Block::new(Kind::Byline, span.clone());
            if cont {
                b.cues.group = 99; // the next line's byline joins this one
            }
            self.fixes.push(
                Fix::decision(&BY001, span, "byline")
                    .because("a byline pattern matches the end of the line after a sentence end"),
            );
            self.blocks.push(b);
        }
    }

    /// Open a paragraph at line `k`.
    fn open(&mut self, k: usize, span: Range<usize>) {
        let mut b = Block::new(Kind::Paragraph, span);
        b.cues.starts_mid = starts_mid(&self.lines[k], self.cjk);
        self.para = Some(b);
    }

    /// Does a paragraph start at line `k`, after line `pk` of the open paragraph? The model's
    /// label when it ran, else the column-width rules. With PB001 off only blank lines part
    /// paragraphs; with LB001 off every blank does.
    fn breaks_before(&self, pk: usize, k: usize) -> bool {
        let (a, l) = (&self.lines[pk], &self.lines[k]);
        let first = self.para.as_ref().is_some_and(|p| p.pieces.len() == 1);
        let inferred = match self.label(k) {
            Some(y) => {
                y != Label::Body
                    && (self.cjk
                        || self.blank_since
                        || has_break_evidence(a, l, self.cjk, self.grammar))
            }
            None => paragraph_break(a, l, self.blank_since, self.cjk, self.lines, k, first),
        };
        if self.blank_since {
            inferred || !self.opts.enabled(LB001.code)
        } else {
            inferred && self.opts.enabled(PB001.code)
        }
    }
}

/// The body part of a line and the glued byline after it (its span in the page, and whether it
/// continues on the next line). The split found in the repaired text is mapped back to the page
/// through the suffix it leaves.
fn split_glued(page: &Page, l: &Line) -> (Range<usize>, Option<(Range<usize>, bool)>) {
    let Some((at, cont)) = l.glued else {
        return (l.shape.span.clone(), None);
    };
    let byte = l
        .text
        .char_indices()
        .nth(at)
        .map(|(b, _)| b)
        .unwrap_or(l.text.len());
    let suffix = &l.text[byte..];
    let src = &page.text[l.shape.span.clone()];
    let src_at = src.rfind(
        suffix
            .chars()
            .next()
            .map(|c| c.to_string())
            .unwrap_or_default()
            .as_str(),
    );
    let src_at = find_suffix_start(src, suffix)
        .or(src_at)
        .unwrap_or(src.len());
    let split = l.shape.span.start + src_at;
    (
        l.shape.span.start..split,
        Some((split..l.shape.span.end, cont)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(labels: &[Label], at: usize) -> Block {
        let mut b = Block::new(Kind::Heading, at..at + 3);
        for (i, _) in labels.iter().enumerate().skip(1) {
            b.pieces.push(at + 4 * i..at + 4 * i + 3);
            b.seps.push("");
        }
        b.cues.labels = labels.to_vec();
        b.cues.group = labels.len();
        b
    }

    #[test]
    fn a_lone_kicker_joins_the_title_under_it() {
        let mut blocks = vec![
            group(&[Label::Kicker], 0),
            group(&[Label::Title, Label::TitleMore], 10),
            group(&[Label::Kicker], 30),
            group(&[Label::Heading], 40),
        ];
        kickers_over_titles(&mut blocks);
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[0].cues.labels,
            [Label::Kicker, Label::Title, Label::TitleMore]
        );
        assert_eq!(blocks[0].pieces.len(), 3);
        assert_eq!(blocks[0].seps, [" ", ""]);
        assert_eq!(blocks[0].cues.group, 3);
        // A kicker over a section heading stays apart.
        assert_eq!(blocks[1].cues.labels, [Label::Kicker]);
    }
}
