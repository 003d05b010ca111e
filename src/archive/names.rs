//! A sorted set of file names packed into one buffer: what the media index keeps of an archive
//! with hundreds of thousands of media files.
//!
//! Each name costs its bytes and one offset, instead of a `String` (its own allocation) inside
//! a tree node. The set is built once and then only searched: by exact name, or for every name
//! that starts with a prefix.

/// Names, sorted and without repeats, in one buffer.
#[derive(Debug, Default)]
pub struct NameSet {
    /// Every name, one after the other, in sorted order.
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<usize>,
}

impl NameSet {
    /// The set of `names` (repeats kept once).
    pub fn new<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<&str> = names.collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut text = String::with_capacity(sorted.iter().map(|n| n.len()).sum());
        let mut ends = Vec::with_capacity(sorted.len());
        for name in sorted {
            text.push_str(name);
            ends.push(text.len());
        }
        Self { text, ends }
    }

    /// The number of names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when `name` is in the set.
    pub fn contains(&self, name: &str) -> bool {
        let at = self.first_not_below(name);
        at < self.len() && self.get(at) == name
    }

    /// The names that start with `prefix`, in sorted order.
    pub fn starting_with<'s>(&'s self, prefix: &'s str) -> impl Iterator<Item = &'s str> + 's {
        (self.first_not_below(prefix)..self.len())
            .map(|i| self.get(i))
            .take_while(move |name| name.starts_with(prefix))
    }

    /// The `i`th name in sorted order.
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The position of the first name not less than `key`.
    fn first_not_below(&self, key: &str) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.get(mid) < key {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_exactly_and_by_prefix() {
        let set = NameSet::new(
            [
                "m/2-b.jpg",
                "m/10-a.jpg",
                "m/1-a.jpg",
                "m/1-b.mp4",
                "m/1-a.jpg",
            ]
            .into_iter(),
        );
        assert_eq!(set.len(), 4, "repeats are kept once");
        assert!(set.contains("m/1-a.jpg") && set.contains("m/2-b.jpg"));
        assert!(!set.contains("m/1-") && !set.contains("m/3-a.jpg") && !set.contains(""));
        let ones: Vec<&str> = set.starting_with("m/1-").collect();
        assert_eq!(ones, ["m/1-a.jpg", "m/1-b.mp4"]);
        assert_eq!(
            set.starting_with("m/10-").collect::<Vec<_>>(),
            ["m/10-a.jpg"]
        );
        assert_eq!(set.starting_with("m/9").count(), 0);
        assert_eq!(set.starting_with("").count(), 4);
    }

    #[test]
    fn an_empty_set_finds_nothing() {
        let set = NameSet::default();
        assert_eq!(set.len(), 0);
        assert!(!set.contains("a"));
        assert_eq!(set.starting_with("").count(), 0);
    }
}
