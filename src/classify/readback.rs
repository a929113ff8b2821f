//! galley's own text output read back: its markup says what each line is.

use super::lines::{Line, Role};
use super::{Block, Kind};
use crate::parse::Markup;

/// galley's own text output: markup says what each line is.
pub(super) fn galley_blocks(lines: &[Line]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut new_article = true;
    for l in lines {
        if l.role == Role::Blank {
            continue;
        }
        let prefix = match &l.shape.markup {
            Some(Markup::Escape) => 1,
            Some(Markup::Title) => 2,
            Some(Markup::Heading) => 3,
            Some(Markup::Field(n)) => n.len() + 2,
            // The marker and `%file` lines are format; a new input starts a new article.
            Some(Markup::Separator | Markup::Marker | Markup::File) => {
                new_article = true;
                continue;
            }
            None => 0,
        };
        let kind = match &l.shape.markup {
            Some(Markup::Title) => Kind::Title,
            Some(Markup::Heading) => Kind::Heading,
            Some(Markup::Field(n)) => match n.as_str() {
                "place" => Kind::Place,
                "kicker" => Kind::Kicker,
                "subtitle" => Kind::Subtitle,
                "byline" => Kind::Byline,
                "caption" => Kind::Caption,
                "jump" => Kind::Jump,
                "furniture" => Kind::Furniture,
                "noise" => Kind::Noise,
                _ => Kind::Paragraph,
            },
            _ => Kind::Paragraph,
        };
        let span = l.shape.span.clone();
        let start = (span.start + prefix).min(span.end);
        // A field name galley does not know keeps its prefix as text: nothing is dropped.
        let start =
            if kind == Kind::Paragraph && !matches!(l.shape.markup, None | Some(Markup::Escape)) {
                span.start
            } else {
                start
            };
        if start >= span.end {
            continue; // markup with nothing after it
        }
        let mut b = Block::new(kind, start..span.end);
        b.cues.markup = true;
        b.cues.starts_article = std::mem::take(&mut new_article);
        out.push(b);
    }
    out
}
