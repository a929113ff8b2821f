//! Stage 5 — output: galley text, JSON, JSON Lines and diffs, all derived from the articles and
//! the one list of fixes of each page.

pub mod diff;
pub mod json;
pub mod text;
