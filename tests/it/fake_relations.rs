//! The fake instance's follow, block and mute model, as the `follow`, `block` and `mute`
//! commands' tests rely on it: moved accounts, real counts, the follow cap, refusals, undo,
//! and the paged lists of blocks, mutes and list members.

use fakeverse::mastodon::{AccountSpec, Flavour};
use fedimigrate::fedi::pagination::parse_link;
use fedimigrate::fedi::retry::Repeat;
use fedimigrate::fedi::{Client, Error, FollowOptions, ListOptions, MuteOptions, Relationship};
use reqwest::Method;
use serde_json::Value;

use crate::fedi_support::World;

fn remote(world: &World, user: &str) -> String {
    world
        .fake
        .add_account(AccountSpec::remote(user, "r.example"))
}

/// Walks a paged account list from `path?query` by its `Link` headers: every item, and the
/// query of every page asked for.
async fn walk(client: &Client, path: &str, query: &[(&str, &str)]) -> (Vec<Value>, Vec<String>) {
    let mut call = client.call(Method::GET, path);
    for (name, value) in query {
        call = call.query(name, *value);
    }
    let (mut items, mut queries) = (Vec::new(), Vec::new());
    loop {
        queries.push(call.url.query().unwrap_or("").to_string());
        let base = call.url.clone();
        let fetched = client.fetch(call).await.unwrap();
        let page: Vec<Value> = serde_json::from_slice(&fetched.body).unwrap();
        let link = fetched.headers.get("link").and_then(|l| l.to_str().ok());
        let next = link.and_then(|l| parse_link(l, &base).next);
        let done = page.is_empty();
        items.extend(page);
        match next {
            Some(url) if !done => call = client.call_url(Method::GET, url, Repeat::Safe),
            _ => return (items, queries),
        }
    }
}

async fn follow(client: &Client, id: String) -> Result<Relationship, Error> {
    client.follow(&id, &FollowOptions::default()).await
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

fn api_error(err: &Error) -> (u16, String) {
    let api = err
        .api()
        .unwrap_or_else(|| panic!("not an API error: {err}"));
    (api.status, api.error.clone().unwrap_or_default())
}

#[tokio::test]
async fn a_moved_account_names_its_new_home_and_refuses_follows_on_mastodon() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let newest = remote(&world, "newest");
    let new = world
        .fake
        .add_account(AccountSpec::remote("new", "b.example").moved_to(&newest));
    let old = world
        .fake
        .add_account(AccountSpec::remote("old", "a.example").moved_to(&new));
    let client = world.client();

    let found = client.lookup("old@a.example").await.unwrap().unwrap();
    let moved = found.moved.expect("moved");
    assert_eq!(moved.acct, "new@b.example");
    assert!(
        moved.moved.is_none(),
        "rendered one level deep, as Mastodon does"
    );

    let err = client
        .follow(&old, &FollowOptions::default())
        .await
        .unwrap_err();
    assert_eq!(api_error(&err), (403, "This action is not allowed".into()));
    assert!(
        client
            .follow(&newest, &FollowOptions::default())
            .await
            .is_ok()
    );

    world.fake.set_moved(&old, None);
    assert!(
        client
            .lookup("old@a.example")
            .await
            .unwrap()
            .unwrap()
            .moved
            .is_none()
    );
    assert!(client.follow(&old, &FollowOptions::default()).await.is_ok());
}

#[tokio::test]
async fn other_flavours_let_a_moved_account_be_followed() {
    let world = World::new("gts.example", Flavour::GoToSocial);
    let new = remote(&world, "new");
    let old = world
        .fake
        .add_account(AccountSpec::remote("old", "a.example").moved_to(&new));
    let rel = world
        .client()
        .follow(&old, &FollowOptions::default())
        .await
        .unwrap();
    assert!(rel.following);
}

#[tokio::test]
async fn counts_come_from_the_follows_held_plus_a_seeded_extra() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let open = remote(&world, "open");
    let locked = world
        .fake
        .add_account(AccountSpec::remote("locked", "r.example").locked());
    let me = world.client().verify_credentials().await.unwrap();
    world.fake.add_user("bob");
    world.fake.seed_follows("bob", std::slice::from_ref(&me.id));
    let client = world.client();
    client
        .follow(&open, &FollowOptions::default())
        .await
        .unwrap();
    client
        .follow(&locked, &FollowOptions::default())
        .await
        .unwrap();

    let me = client.verify_credentials().await.unwrap();
    assert_eq!(
        (me.following_count, me.followers_count),
        (1, 1),
        "a request is no follow"
    );
    let target = client.account(&open).await.unwrap();
    assert_eq!(target.followers_count, 1);

    world.fake.set_followers_count("alice", 100);
    world.fake.set_following_count("alice", 40);
    world.fake.add_user("carol");
    world
        .fake
        .seed_follows("carol", std::slice::from_ref(&me.id));
    let me = client.verify_credentials().await.unwrap();
    assert_eq!((me.following_count, me.followers_count), (40, 101));
    world.fake.set_followers_count("open@r.example", 7);
    assert_eq!(client.account(&open).await.unwrap().followers_count, 7);
}

#[tokio::test]
async fn the_follow_cap_refuses_new_follows_in_mastodons_words() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let targets: Vec<String> = (0..7).map(|i| remote(&world, &format!("t{i}"))).collect();
    let locked = world
        .fake
        .add_account(AccountSpec::remote("locked", "r.example").locked());
    world.fake.set_follow_limit(3, 1.5);
    let client = world.client();
    let follow = |id: &str| follow(&client, id.to_string());

    for id in &targets[..3] {
        follow(id).await.unwrap();
    }
    let err = follow(&targets[3]).await.unwrap_err();
    assert_eq!(
        api_error(&err),
        (
            422,
            "Validation failed: You cannot follow more than 3 people".into()
        )
    );
    let err = follow(&locked).await.unwrap_err();
    assert_eq!(api_error(&err).0, 422, "a follow request counts too");
    assert!(
        follow(&targets[0]).await.is_ok(),
        "re-following only changes options"
    );

    // At the threshold, followers × ratio decides: round(3 × 1.5) = 5 (Ruby rounds half up).
    world.fake.set_followers_count("alice", 3);
    follow(&targets[3]).await.unwrap();
    follow(&targets[4]).await.unwrap();
    let err = follow(&targets[5]).await.unwrap_err();
    assert!(api_error(&err).1.ends_with("more than 5 people"), "{err}");
    assert_eq!(world.fake.state().follows.len(), 5);

    world.fake.clear_follow_limit();
    follow(&targets[5]).await.unwrap();
}

#[tokio::test]
async fn the_stock_cap_is_mastodons_only() {
    for (flavour, capped) in [(Flavour::Mastodon, true), (Flavour::GoToSocial, false)] {
        let world = World::new("social.example", flavour);
        let target = remote(&world, "t");
        world.fake.set_following_count("alice", 7_500);
        let result = world
            .client()
            .follow(&target, &FollowOptions::default())
            .await;
        match result {
            Err(err) if capped => assert!(api_error(&err).1.contains("7500"), "{err}"),
            Ok(_) if !capped => {}
            other => panic!("{flavour:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn undo_works_for_requests_blocks_and_mutes() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let locked = world
        .fake
        .add_account(AccountSpec::remote("locked", "r.example").locked());
    let other = remote(&world, "other");
    let client = world.client();

    assert!(
        client
            .follow(&locked, &FollowOptions::default())
            .await
            .unwrap()
            .requested
    );
    let rel = client.unfollow(&locked).await.unwrap();
    assert!(!rel.requested && !rel.following, "the request is withdrawn");
    assert!(world.fake.state().follows.is_empty());

    assert!(client.block(&other).await.unwrap().blocking);
    let rel: Value = client
        .json(
            client.call(Method::POST, &format!("/api/v1/accounts/{other}/unblock")),
            "a relationship",
        )
        .await
        .unwrap();
    assert_eq!(rel["blocking"], false);
    assert!(world.fake.state().blocks.is_empty());

    let muted = MuteOptions {
        notifications: Some(false),
        duration: Some(3600),
    };
    assert!(client.mute(&other, &muted).await.unwrap().muting);
    let state = world.fake.state();
    assert_eq!(state.mutes[0].expires_in, Some(3600));
    assert!(!state.mutes[0].notifications);
    let rel: Value = client
        .json(
            client.call(Method::POST, &format!("/api/v1/accounts/{other}/unmute")),
            "a relationship",
        )
        .await
        .unwrap();
    assert_eq!(rel["muting"], false);
    assert!(world.fake.state().mutes.is_empty());
}

#[tokio::test]
async fn blocked_either_way_a_follow_answers_403() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let me = world.client().verify_credentials().await.unwrap();
    let bob = world.fake.add_user("bob");
    let dan = remote(&world, "dan");
    world.fake.seed_blocks("bob", std::slice::from_ref(&me.id));
    world.fake.seed_blocks("alice", std::slice::from_ref(&dan));
    let client = world.client();
    for target in [&bob, &dan] {
        let err = client
            .follow(target, &FollowOptions::default())
            .await
            .unwrap_err();
        assert_eq!(api_error(&err), (403, "This action is not allowed".into()));
    }
    assert!(world.fake.state().follows.is_empty());
}

#[tokio::test]
async fn blocks_are_listed_newest_first_by_link_headers() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let blocked: Vec<String> = (0..5).map(|i| remote(&world, &format!("b{i}"))).collect();
    world.fake.seed_blocks("alice", &blocked);
    let (items, queries) = walk(&world.client(), "/api/v1/blocks", &[("limit", "2")]).await;
    let mut newest_first = blocked.clone();
    newest_first.reverse();
    assert_eq!(ids(&items), newest_first);
    assert_eq!(queries.len(), 3, "{queries:?}");
    assert!(queries[1].starts_with("limit=2&max_id="), "{queries:?}");
    // Pages go by block ids, which no account id equals.
    let cursor = queries[1].split("max_id=").nth(1).unwrap();
    assert!(!blocked.iter().any(|id| id == cursor));

    let (items, queries) = walk(&world.client(), "/api/v1/blocks", &[]).await;
    assert_eq!(
        (items.len(), queries.len()),
        (5, 1),
        "one page of 40 is not full"
    );
}

#[tokio::test]
async fn mutes_are_listed_with_when_they_end() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let forever = remote(&world, "forever");
    let hour = remote(&world, "hour");
    world
        .fake
        .seed_mutes("alice", std::slice::from_ref(&forever));
    let client = world.client();
    let options = MuteOptions {
        notifications: None,
        duration: Some(3600),
    };
    client.mute(&hour, &options).await.unwrap();
    let (items, _) = walk(&client, "/api/v1/mutes", &[("limit", "1")]).await;
    assert_eq!(ids(&items), [hour.clone(), forever.clone()]);
    assert!(items[0]["mute_expires_at"].is_string(), "{}", items[0]);
    assert!(items[1]["mute_expires_at"].is_null());
}

#[tokio::test]
async fn listing_scopes_are_mastodons() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let cases = [
        ("read:blocks", "/api/v1/blocks", 200),
        ("read:mutes", "/api/v1/mutes", 200),
        ("follow", "/api/v1/blocks", 200),
        ("follow", "/api/v1/mutes", 200),
        ("read", "/api/v1/mutes", 200),
        ("read:mutes", "/api/v1/blocks", 403),
        ("write", "/api/v1/blocks", 403),
    ];
    for (scope, path, status) in cases {
        let token = world.fake.issue_token("alice", scope);
        let client = world.client_with(Some(&token));
        let got = match client.fetch(client.call(Method::GET, path)).await {
            Ok(fetched) => fetched.status.as_u16(),
            Err(err) => api_error(&err).0,
        };
        assert_eq!(got, status, "{scope} {path}");
    }
}

#[tokio::test]
async fn list_members_page_by_account_id_and_limit_0_gives_all() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let members: Vec<String> = (0..5).map(|i| remote(&world, &format!("m{i}"))).collect();
    world.fake.seed_follows("alice", &members);
    let client = world.client();
    let list = client
        .create_list("Friends", &ListOptions::default())
        .await
        .unwrap();
    client.add_to_list(&list.id, &members).await.unwrap();
    let path = format!("/api/v1/lists/{}/accounts", list.id);

    let (items, queries) = walk(&client, &path, &[("limit", "2")]).await;
    let mut newest_first = members.clone();
    newest_first.reverse();
    assert_eq!(ids(&items), newest_first);
    assert_eq!(queries[1], format!("limit=2&max_id={}", members[3]));

    let fetched = client
        .fetch(client.call(Method::GET, &path).query("limit", "0"))
        .await
        .unwrap();
    let all: Vec<Value> = serde_json::from_slice(&fetched.body).unwrap();
    assert_eq!(all.len(), 5);
    assert!(fetched.headers.get("link").is_none());
}
