//! Mastodon's paging of account lists (`paginate_by_max_id`): newest first by a cursor,
//! `limit` (default 40, at most 80), `max_id` and `since_id` (`min_id` read as `since_id`),
//! and a `Link` header with `next` whenever a page is full (even if the next one is empty) and
//! `prev` whenever it is not empty; the links keep `limit` only if the client sent it. Lists
//! also take `limit=0`: everything, no links. Pure: never knows what a cursor stands for.

use crate::Req;

const DEFAULT_LIMIT: u64 = 40;

/// The paging parameters of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paging {
    limit: usize,
    given_limit: Option<u64>,
    max_id: Option<u64>,
    since_id: Option<u64>,
    unlimited: bool,
}

impl Paging {
    /// Reads `limit`, `max_id`, `since_id`/`min_id`; `limit=0` means "all" when
    /// `zero_is_all` (list members), else it is raised to 1.
    pub(crate) fn from_req(req: &Req, zero_is_all: bool) -> Self {
        let param = |name: &str| req.query_param(name).and_then(|v| v.parse::<u64>().ok());
        let given_limit = param("limit");
        let wanted = given_limit.unwrap_or(DEFAULT_LIMIT);
        Self {
            limit: wanted.clamp(1, DEFAULT_LIMIT * 2) as usize,
            given_limit,
            max_id: param("max_id"),
            since_id: param("since_id").or(param("min_id")),
            unlimited: zero_is_all && given_limit == Some(0),
        }
    }

    /// The entries of this page, newest (highest cursor) first.
    pub(crate) fn select<T>(&self, mut entries: Vec<(u64, T)>) -> Vec<(u64, T)> {
        entries.sort_by_key(|(cursor, _)| std::cmp::Reverse(*cursor));
        if self.unlimited {
            return entries;
        }
        entries.retain(|(cursor, _)| {
            self.max_id.is_none_or(|m| *cursor < m) && self.since_id.is_none_or(|s| *cursor > s)
        });
        entries.truncate(self.limit);
        entries
    }

    /// The `Link` header for a page `select` returned, against the list's URL (no query).
    pub(crate) fn link<T>(&self, url: &str, page: &[(u64, T)]) -> Option<String> {
        let (Some((first, _)), Some((last, _))) = (page.first(), page.last()) else {
            return None;
        };
        if self.unlimited {
            return None;
        }
        let limit = self
            .given_limit
            .map(|l| format!("limit={l}&"))
            .unwrap_or_default();
        let mut links = Vec::new();
        if page.len() == self.limit {
            links.push(format!("<{url}?{limit}max_id={last}>; rel=\"next\""));
        }
        links.push(format!("<{url}?{limit}since_id={first}>; rel=\"prev\""));
        Some(links.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &str) -> Req {
        Req {
            host: "h".into(),
            method: "GET".into(),
            path: "/api/v1/blocks".into(),
            query: query.into(),
            headers: Default::default(),
            body: Default::default(),
            tls: true,
        }
    }

    fn cursors(paging: &Paging, entries: &[u64]) -> Vec<u64> {
        let entries = entries.iter().map(|c| (*c, ())).collect();
        paging.select(entries).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn pages_newest_first_within_the_bounds() {
        let all = [5, 9, 1, 7, 3];
        let cases = [
            ("", vec![9, 7, 5, 3, 1]),
            ("limit=2", vec![9, 7]),
            ("limit=2&max_id=7", vec![5, 3]),
            ("since_id=3", vec![9, 7, 5]),
            ("min_id=5&max_id=9", vec![7]),
            ("limit=0", vec![9]),
            ("limit=500", vec![9, 7, 5, 3, 1]),
            ("limit=x", vec![9, 7, 5, 3, 1]),
        ];
        for (query, expected) in cases {
            let paging = Paging::from_req(&req(query), false);
            assert_eq!(cursors(&paging, &all), expected, "{query}");
        }
        let all_of_it = Paging::from_req(&req("limit=0&max_id=2"), true);
        assert_eq!(cursors(&all_of_it, &all), vec![9, 7, 5, 3, 1]);
    }

    #[test]
    fn links_next_only_from_a_full_page_and_keep_a_given_limit() {
        let url = "https://h/api/v1/blocks";
        let full = Paging::from_req(&req("limit=2"), false);
        let page = full.select(vec![(4, ()), (8, ()), (6, ())]);
        assert_eq!(
            full.link(url, &page).as_deref(),
            Some(
                "<https://h/api/v1/blocks?limit=2&max_id=6>; rel=\"next\", \
                 <https://h/api/v1/blocks?limit=2&since_id=8>; rel=\"prev\""
            )
        );
        let short = Paging::from_req(&req(""), false);
        let page = short.select(vec![(4, ())]);
        assert_eq!(
            short.link(url, &page).as_deref(),
            Some("<https://h/api/v1/blocks?since_id=4>; rel=\"prev\"")
        );
        assert_eq!(short.link::<()>(url, &[]), None);
        let all = Paging::from_req(&req("limit=0"), true);
        assert_eq!(all.link(url, &all.select(vec![(1, ())])), None);
    }
}
