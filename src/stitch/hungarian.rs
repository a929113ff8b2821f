//! The assignment problem (Kuhn–Munkres), O(n³): which title goes with which body.

/// Maximise the total score of a one-to-one assignment of rows to columns. `score[r][c]` is the
/// gain of pairing row `r` with column `c`; a row whose best gain is below `floor` stays
/// unassigned. Returns, for each row, its column.
pub fn assign(score: &[Vec<f64>], floor: f64) -> Vec<Option<usize>> {
    let rows = score.len();
    let cols = score.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return vec![None; rows];
    }
    // Square cost matrix with a dummy column per row (staying unassigned gains `floor`) and a
    // dummy row per column.
    let n = rows + cols;
    let big = 1e9;
    let mut cost = vec![vec![0.0; n]; n];
    for (r, row) in cost.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            *cell = match (r < rows, c < cols) {
                (true, true) => -score[r][c],
                (true, false) => {
                    if c - cols == r {
                        -floor
                    } else {
                        big
                    }
                }
                (false, true) => {
                    if r - rows == c {
                        0.0
                    } else {
                        big
                    }
                }
                (false, false) => 0.0,
            };
        }
    }
    let p = hungarian(&cost);
    (0..rows)
        .map(|r| {
            let c = p[r];
            (c < cols && score[r][c] >= floor).then_some(c)
        })
        .collect()
}

/// Minimum-cost perfect assignment of a square matrix: column for each row.
fn hungarian(a: &[Vec<f64>]) -> Vec<usize> {
    let n = a.len();
    let inf = f64::INFINITY;
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut ans = vec![0; n];
    for j in 1..=n {
        if p[j] > 0 {
            ans[p[j] - 1] = j - 1;
        }
    }
    ans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_total_not_greedy() {
        // Greedy would give row 0 column 0 (5) and leave row 1 with 1; the optimum is 4 + 4.
        let s = vec![vec![5.0, 4.0], vec![4.0, 1.0]];
        assert_eq!(assign(&s, 0.5), vec![Some(1), Some(0)]);
    }

    #[test]
    fn floor_leaves_rows_unassigned() {
        let s = vec![vec![0.1, 0.2], vec![3.0, 0.0]];
        assert_eq!(assign(&s, 0.5), vec![None, Some(0)]);
    }
}
