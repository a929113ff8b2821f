//! galley's own text output read back: `---` delimits articles and field markup says what each
//! block is, so nothing is inferred.

use super::{Article, Stitched};
use crate::classify::{Block, Kind};

/// galley text output: articles are delimited by `---`, fields are marked.
pub(super) fn articles(blocks: &[Block]) -> Stitched {
    let mut st = Stitched::default();
    let mut cur: Option<Article> = None;
    for b in blocks {
        if b.cues.starts_article {
            st.articles.extend(cur.take());
        }
        if b.kind == Kind::Furniture {
            st.furniture.push(b.clone());
            continue;
        }
        // A field that is already set (or a header after the body) starts a new article.
        let taken = cur.as_ref().is_some_and(|a| match b.kind {
            Kind::Place => a.place.is_some() || !a.blocks.is_empty(),
            Kind::Kicker => a.kicker.is_some() || a.title.is_some() || !a.blocks.is_empty(),
            Kind::Title => a.title.is_some() || !a.blocks.is_empty(),
            Kind::Subtitle => a.subtitle.is_some() || !a.blocks.is_empty(),
            _ => false,
        });
        if taken {
            st.articles.extend(cur.take());
        }
        let a = cur.get_or_insert_with(Article::default);
        match b.kind {
            Kind::Place => a.place = Some(b.clone()),
            Kind::Kicker => a.kicker = Some(b.clone()),
            Kind::Title => a.title = Some(b.clone()),
            Kind::Subtitle => a.subtitle = Some(b.clone()),
            Kind::Byline => a.bylines.push(b.clone()),
            Kind::Jump => a.jumps.push(b.clone()),
            _ => a.blocks.push(b.clone()),
        }
    }
    st.articles.extend(cur);
    for (i, a) in st.articles.iter_mut().enumerate() {
        a.id = i + 1;
    }
    st
}
