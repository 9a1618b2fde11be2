//! One stable sort for the whole crate. The standard library's sort is a few KB of Wasm per element type and
//! comparison; sorting positions through a `dyn` comparison compiles it once, and putting the items in that
//! order is a few bytes per type. The lists sorted are small (a plan's apps, a resource's permissions).

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, keeping the order of equal items (like `slice::sort_by`).
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts and removes repeats (like `sort` then `dedup`).
pub fn sort_dedup<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
    items.dedup();
}

#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn sorts_and_drops_repeats() {
        let mut v = vec!["b", "a", "c", "a", "b"];
        sort_dedup(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
        let mut empty: Vec<u8> = Vec::new();
        sort_dedup(&mut empty);
        assert!(empty.is_empty());
    }
}
