//! Sorting for the whole crate through one compiled routine.
//!
//! The standard library's sorts are fast but each call site instantiates several kilobytes of
//! wasm (about 37 KB for the app's 14 sites), and the app has a size budget. Here only a thin
//! wrapper is generic: the comparisons go through one heapsort over indices, compiled once, and
//! the permutation is applied by swaps. Already-sorted input (bgplay's events) costs one pass.

use std::cmp::Ordering;

use super::pace::{tick, Pace};

/// Sorts `v` by `key`, stably (equal keys keep their order).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sorts `v` by the order `cmp`, stably.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if v.windows(2).all(|w| match w {
        [a, b] => cmp(a, b) != Ordering::Greater,
        _ => true,
    }) {
        return;
    }
    let mut perm: Vec<usize> = (0..v.len()).collect();
    {
        let items: &[T] = v;
        // Ties broken by position: a strict total order, so the unstable heapsort is stable.
        let mut less = |i: usize, j: usize| match (items.get(i), items.get(j)) {
            (Some(a), Some(b)) => cmp(a, b).then(i.cmp(&j)) == Ordering::Less,
            _ => i < j,
        };
        heapsort(&mut perm, &mut less);
    }
    permute(v, &mut perm);
}

/// Sorts `v` in its natural order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp)
}

fn heapsort(v: &mut [usize], less: &mut dyn FnMut(usize, usize) -> bool) {
    let n = v.len();
    for start in (0..n / 2).rev() {
        sift_down(v, start, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

fn sift_down(
    v: &mut [usize],
    mut root: usize,
    end: usize,
    less: &mut dyn FnMut(usize, usize) -> bool,
) {
    let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or_default();
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(at(v, child), at(v, child + 1)) {
            child += 1;
        }
        if !less(at(v, root), at(v, child)) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

/// Sorts `v` by `key`, stably, pausing as `pace` asks: for event lists that can run to a
/// million. A natural merge sort over indices: input already in order (one bgplay answer)
/// costs one pass; k ordered runs (a country's batches, one after the other) cost log k passes.
pub async fn sort_by_key_paced<T, K: Ord, P: Pace>(
    v: &mut [T],
    key: impl Fn(&T) -> K,
    pace: &mut P,
) -> Result<(), P::Stop> {
    let n = v.len();
    let mut count = 0;
    // Where each ascending run starts, and the end.
    let mut bounds = vec![0];
    for i in 1..n {
        if let (Some(a), Some(b)) = (v.get(i - 1), v.get(i)) {
            if key(a) > key(b) {
                bounds.push(i);
            }
        }
        tick!(pace, count);
    }
    bounds.push(n);
    if bounds.len() <= 2 {
        return Ok(());
    }
    let mut perm: Vec<usize> = (0..n).collect();
    let mut next: Vec<usize> = Vec::with_capacity(n);
    while bounds.len() > 2 {
        next.clear();
        let mut merged = vec![0];
        for pair in bounds.windows(3).step_by(2) {
            let &[lo, mid, hi] = pair else { continue };
            let (mut i, mut j) = (lo, mid);
            while i < mid || j < hi {
                // Take from the left run unless the right one's next is strictly smaller.
                let take_left = j >= hi
                    || (i < mid
                        && match (
                            perm.get(i).and_then(|&a| v.get(a)),
                            perm.get(j).and_then(|&b| v.get(b)),
                        ) {
                            (Some(a), Some(b)) => key(a) <= key(b),
                            _ => true,
                        });
                let from = if take_left { &mut i } else { &mut j };
                next.extend(perm.get(*from).copied());
                *from += 1;
                tick!(pace, count);
            }
            merged.push(hi);
        }
        // An odd run out keeps its place for the next pass.
        if bounds.len() % 2 == 0 {
            let lo = bounds.get(bounds.len() - 2).copied().unwrap_or(n);
            next.extend(perm.get(lo..n).unwrap_or_default());
            merged.push(n);
        }
        std::mem::swap(&mut perm, &mut next);
        bounds = merged;
    }
    permute(v, &mut perm);
    Ok(())
}

/// Rearranges `v` so that the new `v[k]` is the old `v[perm[k]]`, following each cycle once.
fn permute<T>(v: &mut [T], perm: &mut [usize]) {
    for i in 0..perm.len() {
        let mut cur = i;
        while let Some(&next) = perm.get(cur) {
            if next == i || next >= v.len() {
                break;
            }
            v.swap(cur, next);
            if let Some(p) = perm.get_mut(cur) {
                *p = cur;
            }
            cur = next;
        }
        if let Some(p) = perm.get_mut(cur) {
            *p = cur;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic scramble (xorshift), so the tests need no randomness crate.
    fn scrambled(n: usize, modulo: u64) -> Vec<(u64, usize)> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % modulo, i)
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        for n in [0, 1, 2, 3, 7, 64, 1000] {
            for modulo in [1, 3, 1000] {
                let mut ours = scrambled(n, modulo);
                let mut std_sorted = ours.clone();
                std_sorted.sort_by_key(|x| x.0);
                sort_by_key(&mut ours, |x| x.0);
                assert_eq!(ours, std_sorted, "n={n} modulo={modulo}");
            }
        }
    }

    #[test]
    fn natural_order_and_custom_order() {
        let mut v = vec![5, 1, 4, 1, 3];
        sort(&mut v);
        assert_eq!(v, [1, 1, 3, 4, 5]);
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, [5, 4, 3, 1, 1]);
    }

    #[test]
    fn the_paced_merge_sort_sorts_like_the_standard_stable_sort_and_pauses() {
        for n in [0, 1, 2, 3, 7, 64, 1000, 5000] {
            for modulo in [1, 3, 1000] {
                let mut ours = scrambled(n, modulo);
                let mut std_sorted = ours.clone();
                std_sorted.sort_by_key(|x| x.0);
                let mut pace = super::super::pace::Counting::default();
                let done = crate::analysis::pace::unpaced(async {
                    Ok::<_, std::convert::Infallible>(
                        sort_by_key_paced(&mut ours, |x| x.0, &mut pace).await,
                    )
                });
                assert_eq!(done, Ok(()));
                assert_eq!(ours, std_sorted, "n={n} modulo={modulo}");
                if n >= 5000 && modulo > 1 {
                    assert!(
                        pace.pauses >= n / super::super::pace::STRIDE,
                        "{}",
                        pace.pauses
                    );
                }
            }
        }
        // Runs already in order, one after the other (a country's batches).
        let mut runs: Vec<u32> = (0..3).flat_map(|_| 0..100).collect();
        let mut expected = runs.clone();
        expected.sort();
        crate::analysis::pace::unpaced(sort_by_key_paced(
            &mut runs,
            |x| *x,
            &mut crate::analysis::pace::Unpaced,
        ));
        assert_eq!(runs, expected);
    }

    #[test]
    fn sorted_input_is_left_alone() {
        let mut v: Vec<(u32, &str)> = vec![(1, "a"), (1, "b"), (2, "c")];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(1, "a"), (1, "b"), (2, "c")]);
    }
}
