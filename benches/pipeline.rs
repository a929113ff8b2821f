//! Benchmarks live here (criterion); see issue "Whole editions in one run".
fn main() {}
