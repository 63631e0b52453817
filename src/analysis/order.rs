//! Sorting for the whole crate through one compiled routine.
//!
//! The standard library's sorts are fast but each call site instantiates several kilobytes of
//! wasm (about 37 KB for the app's 14 sites), and the app has a size budget. Here only a thin
//! wrapper is generic: the comparisons go through one heapsort over indices, compiled once, and
//! the permutation is applied by swaps. Already-sorted input (bgplay's events) costs one pass.

use std::cmp::Ordering;

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
    fn sorted_input_is_left_alone() {
        let mut v: Vec<(u32, &str)> = vec![(1, "a"), (1, "b"), (2, "c")];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(1, "a"), (1, "b"), (2, "c")]);
    }
}
