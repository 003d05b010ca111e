//! The instance client against the fake Mastodon API: each call, pagination, media polling,
//! idempotent posting, and what errors say.

use std::time::Duration;

use fakeverse::Resp;
use fakeverse::mastodon::{AccountSpec, Flavour};
use fedimigrate::discover::Handle;
use fedimigrate::exit::{Status as Exit, classify};
use fedimigrate::fedi::{
    Error, FollowOptions, ListOptions, MediaUpload, MuteOptions, NewStatus, Posted, Repeat,
    Visibility,
};

use crate::fedi_support::{World, count, manual};

#[tokio::test]
async fn instance_facts_in_three_flavours() {
    let cases = [
        (Flavour::Mastodon, None, "mastodon", 500, false),
        (Flavour::GoToSocial, None, "gotosocial", 5000, true),
        (
            Flavour::GoToSocial,
            Some("0.17.3"),
            "gotosocial",
            5000,
            false,
        ),
        (Flavour::Pleroma, None, "pleroma", 5000, false),
    ];
    for (flavour, version, software, max, backdate) in cases {
        let world = World::with_version("social.example", flavour, version);
        let info = world.client().instance_info().await.unwrap();
        assert_eq!(info.software.name, software, "{flavour:?}");
        assert_eq!(info.limits.max_characters, max, "{flavour:?}");
        assert_eq!(
            info.capabilities.can_backdate, backdate,
            "{flavour:?} {version:?}"
        );
        assert_eq!(info.domain, "social.example");
        if flavour == Flavour::Pleroma {
            assert_eq!(
                count(&world.fake, "GET", "/api/v1/instance"),
                1,
                "v1 fallback"
            );
        } else {
            assert!(
                info.limits
                    .supported_mime_types
                    .contains(&"video/mp4".to_string())
            );
        }
    }
}

#[tokio::test]
async fn verify_credentials_names_the_user() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let me = world.client().verify_credentials().await.unwrap();
    assert_eq!(me.username, "alice");
    assert_eq!(me.acct, "alice");
}

#[tokio::test]
async fn resolve_matches_the_acct_exactly() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world
        .fake
        .add_account(AccountSpec::remote("alice2", "remote.example"));
    let alice = world
        .fake
        .add_account(AccountSpec::remote("alice", "remote.example").unknown());
    let bob = world.fake.add_user("bob");
    let client = world.client();

    let handle = |text: &str| text.parse::<Handle>().unwrap();
    let found = client
        .resolve(&handle("@Alice@Remote.Example"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        found.id, alice,
        "the exact handle, not the prefix match listed first"
    );
    let local = client
        .resolve(&handle("bob@mastodon.example"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((local.id, local.acct), (bob, "bob".to_string()));
    assert_eq!(
        client
            .resolve(&handle("nobody@remote.example"))
            .await
            .unwrap(),
        None
    );
    let query = world
        .fake
        .host()
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v2/search")
        .unwrap()
        .query;
    assert!(
        query.contains("resolve=true") && query.contains("type=accounts"),
        "{query}"
    );
}

#[tokio::test]
async fn relationships_are_asked_in_batches() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let ids: Vec<String> = (0..90)
        .map(|i| {
            world
                .fake
                .add_account(AccountSpec::remote(&format!("u{i}"), "r.example"))
        })
        .collect();
    let rels = world.client().relationships(&ids).await.unwrap();
    assert_eq!(rels.len(), 90);
    assert_eq!(rels[89].id, ids[89]);
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/accounts/relationships"),
        3
    );
}

#[tokio::test]
async fn follow_block_and_mute() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let locked = world
        .fake
        .add_account(AccountSpec::remote("carol", "r.example").locked());
    let open = world
        .fake
        .add_account(AccountSpec::remote("dan", "r.example"));
    let client = world.client();

    let rel = client
        .follow(&locked, &FollowOptions::default())
        .await
        .unwrap();
    assert!(
        rel.requested && !rel.following,
        "a locked account answers requested"
    );
    let options = FollowOptions {
        reblogs: Some(false),
        notify: Some(true),
        languages: vec!["en".into(), "de".into()],
    };
    let rel = client.follow(&open, &options).await.unwrap();
    assert!(rel.following && !rel.showing_reblogs && rel.notifying);
    let again = client.follow(&open, &options).await.unwrap();
    assert!(again.following, "following twice is harmless");
    let state = world.fake.state();
    let record = state.follows.iter().find(|f| f.target == open).unwrap();
    assert_eq!(
        record.languages.as_deref(),
        Some(&["en".to_string(), "de".to_string()][..])
    );
    assert_eq!(state.follows.len(), 2);

    let blocked = client.block(&open).await.unwrap();
    assert!(blocked.blocking && !blocked.following);
    let muted = client
        .mute(
            &locked,
            &MuteOptions {
                notifications: Some(false),
                duration: None,
            },
        )
        .await
        .unwrap();
    assert!(muted.muting && !muted.muting_notifications);
    let err = client
        .follow("999", &FollowOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn lists_take_followed_accounts() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let ids: Vec<String> = (0..3)
        .map(|i| {
            world
                .fake
                .add_account(AccountSpec::remote(&format!("l{i}"), "r.example"))
        })
        .collect();
    world.fake.seed_follows("alice", &ids);
    let client = world.client();
    let list = client
        .create_list("From Twitter", &ListOptions::default())
        .await
        .unwrap();
    client.add_to_list(&list.id, &ids).await.unwrap();
    let lists = client.lists().await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].title, "From Twitter");
    assert_eq!(world.fake.state().lists[0].accounts, ids);
    let err = client.add_to_list(&list.id, &ids[..1]).await.unwrap_err();
    assert_eq!(err.api().map(|a| a.status), Some(422), "{err}");
}

#[tokio::test]
async fn the_following_list_is_walked_by_link_headers() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let ids: Vec<String> = (0..160)
        .map(|i| {
            world
                .fake
                .add_account(AccountSpec::remote(&format!("f{i}"), "r.example"))
        })
        .collect();
    world.fake.seed_follows("alice", &ids);
    let client = world.client();
    let me = client.verify_credentials().await.unwrap();
    let all = client.all_following(&me.id).await.unwrap();
    assert_eq!(all.len(), 160);
    assert_eq!(all[0].id, ids[159], "newest follow first");
    let pages: Vec<String> = world
        .fake
        .host()
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/following"))
        .map(|r| r.query)
        .collect();
    assert_eq!(
        pages.len(),
        3,
        "two full pages, then the empty page a full one links to"
    );
    assert!(pages[1].contains("max_id="), "{pages:?}");
    // Pages go by Mastodon's internal follow ids, which no account id equals.
    let cursor = pages[1].split("max_id=").nth(1).unwrap();
    assert!(!ids.iter().any(|id| id == cursor));
}

#[tokio::test]
async fn a_link_to_another_site_is_not_followed() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let host = world.fv.host("evil.example");
    host.mount(|_| Some(Resp::json(200, &serde_json::json!([]))));
    world
        .fake
        .host()
        .queue([Resp::json(200, &serde_json::json!([])).header(
            "link",
            "<https://evil.example/steal?max_id=1>; rel=\"next\"",
        )]);
    let err = world.client().following("1").await.unwrap_err();
    assert!(matches!(err, Error::ForeignLink { .. }), "{err}");
    assert_eq!(
        host.request_count(),
        0,
        "the token never went to evil.example"
    );
}

#[tokio::test]
async fn a_redirect_to_another_site_never_carries_the_token() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let evil = world.fv.host("evil.example");
    evil.mount(|req| {
        let hop = if req.path.contains("hop=1") || req.query.contains("hop=1") {
            Resp::status(302).header(
                "location",
                "https://evil.example/api/v1/accounts/verify_credentials?hop=2",
            )
        } else {
            Resp::json(
                200,
                &serde_json::json!({"id": "66", "username": "evil", "acct": "evil"}),
            )
        };
        Some(hop)
    });
    world.fake.host().queue([Resp::status(307).header(
        "location",
        "https://evil.example/api/v1/accounts/verify_credentials?hop=1",
    )]);
    // The client can reach evil.example (as a real one could reach any site).
    let mut net = world.net();
    net.resolve
        .push(world.fv.resolve_value("evil.example").parse().unwrap());
    let instance = fedimigrate::fedi::InstanceUrl::parse(&world.name, false).unwrap();
    let secret = fedimigrate::fedi::Secret::new(&world.token);
    let client = fedimigrate::fedi::Client::new(instance, Some(secret), &net).unwrap();
    let err = client.verify_credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("redirected to another site (evil.example)"),
        "{err}"
    );
    assert_eq!(
        evil.request_count(),
        0,
        "nothing at all went to evil.example"
    );
    // The same site may redirect (e.g. http → https is not needed here, a path move is).
    world.fake.host().queue([Resp::status(308).header(
        "location",
        "https://mastodon.example/api/v1/accounts/verify_credentials",
    )]);
    assert_eq!(
        world.client().verify_credentials().await.unwrap().username,
        "alice"
    );
}

#[tokio::test]
async fn video_uploads_are_polled_until_processed() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.set_processing_polls(2);
    let (client, clock) = manual(world.client());
    let video = upload("clip.mp4", "video/mp4", Some("a clip"));
    let done = client.upload_media(&video).await.unwrap();
    assert!(done.url.is_some());
    assert_eq!(done.kind, "video");
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/media/"),
        3,
        "206, 206, then 200"
    );
    assert_eq!(clock.sleeps().len(), 3, "one pause before each poll");
    let media = &world.fake.state().media[0];
    assert_eq!(media.description.as_deref(), Some("a clip"));
    assert_eq!(media.file_name, "clip.mp4");

    let image = client
        .upload_media(&upload("a.png", "image/png", None))
        .await
        .unwrap();
    assert!(image.url.is_some());
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/media/"),
        3,
        "images need no polling"
    );
}

#[tokio::test]
async fn processing_has_a_deadline() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.set_processing_polls(10_000);
    let (client, _clock) = manual(world.client());
    let mut options = client.options().clone();
    options.media_deadline = Duration::from_secs(20);
    let client = client.with_options(options);
    let err = client
        .upload_media(&upload("long.mp4", "video/mp4", None))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MediaTimeout { secs: 20, .. }), "{err}");
}

#[tokio::test]
async fn pleroma_uploads_through_v1() {
    let world = World::new("pleroma.example", Flavour::Pleroma);
    let done = world
        .client()
        .upload_media(&upload("a.jpg", "image/jpeg", None))
        .await
        .unwrap();
    assert!(done.url.is_some());
    assert_eq!(count(&world.fake, "POST", "/api/v2/media"), 1);
    assert_eq!(count(&world.fake, "POST", "/api/v1/media"), 1);
}

#[tokio::test]
async fn statuses_thread_and_a_repeated_key_returns_the_same_post() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let client = world.client();
    let first = NewStatus {
        text: "first".into(),
        visibility: Some(Visibility::Unlisted),
        ..NewStatus::default()
    };
    let Posted::Status(root) = client
        .create_status(&first, "tweet-1-0", Repeat::Safe)
        .await
        .unwrap()
    else {
        panic!("expected a status")
    };
    let reply = NewStatus {
        text: "second".into(),
        in_reply_to_id: Some(root.id.clone()),
        ..NewStatus::default()
    };
    let a = client
        .create_status(&reply, "tweet-2-0", Repeat::Safe)
        .await
        .unwrap();
    let b = client
        .create_status(&reply, "tweet-2-0", Repeat::Safe)
        .await
        .unwrap();
    assert_eq!(a.id(), b.id(), "the server replayed the first answer");
    assert_eq!(world.fake.state().statuses.len(), 2);
    let fetched = client.status(a.id()).await.unwrap();
    assert_eq!(fetched.in_reply_to_id.as_deref(), Some(root.id.as_str()));
    assert_eq!(fetched.visibility, "public");
    let sent = world.fake.host().requests();
    let keys: Vec<_> = sent
        .iter()
        .filter_map(|r| r.headers.get("idempotency-key"))
        .collect();
    assert_eq!(keys, ["tweet-1-0", "tweet-2-0", "tweet-2-0"]);
    assert!(client.status("12345").await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn an_over_long_status_is_refused_with_the_servers_words() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let long = NewStatus {
        text: "x".repeat(501),
        ..NewStatus::default()
    };
    let err = world
        .client()
        .create_status(&long, "k", Repeat::Safe)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "mastodon.example refused POST /api/v1/statuses (422: Validation failed: Text character limit of 500 exceeded)"
    );
    assert_eq!(
        count(&world.fake, "POST", "/api/v1/statuses"),
        1,
        "a 422 is final"
    );
    assert!(
        world
            .client()
            .create_status(&long, "", Repeat::Safe)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_past_scheduled_at_backdates_only_on_gotosocial() {
    let past = chrono::Utc::now() - chrono::Duration::days(3650);
    let status = NewStatus {
        text: "from 2015".into(),
        scheduled_at: Some(past),
        ..NewStatus::default()
    };
    for (flavour, backdated) in [(Flavour::GoToSocial, true), (Flavour::Mastodon, false)] {
        let world = World::new("social.example", flavour);
        world
            .client()
            .create_status(&status, "old-1", Repeat::Safe)
            .await
            .unwrap();
        assert_eq!(
            world.fake.state().statuses[0].backdated,
            backdated,
            "{flavour:?}"
        );
    }
    let future = NewStatus {
        text: "later".into(),
        scheduled_at: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        ..NewStatus::default()
    };
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let posted = world
        .client()
        .create_status(&future, "f-1", Repeat::Safe)
        .await
        .unwrap();
    assert!(matches!(posted, Posted::Scheduled(_)), "{posted:?}");
}

#[tokio::test]
async fn a_refused_token_is_one_sentence_and_exit_4() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let client = world.client_with(Some("fvtok_wrong_but_long_enough"));
    let err = client.verify_credentials().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "mastodon.example refused the token (401: The access token is invalid): run `fedimigrate login`"
    );
    let err = anyhow::Error::new(err).context("checking the login");
    assert_eq!(classify(&err), Exit::AuthNeeded);

    let narrow = world.fake.issue_token("alice", "read");
    let err = world
        .client_with(Some(&narrow))
        .follow("1", &FollowOptions::default())
        .await
        .unwrap_err();
    assert!(
        err.is_auth_failure(),
        "a missing scope needs a new login: {err}"
    );
}

#[tokio::test]
async fn a_web_page_instead_of_json_is_called_one() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.host().set_mode(fakeverse::Mode::Html);
    let err = world.client().verify_credentials().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "mastodon.example sent an account that fedimigrate cannot read (a web page came \
         instead of the API's JSON; check the instance's address)"
    );
    world.fake.host().set_mode(fakeverse::Mode::Malformed);
    let err = world.client().verify_credentials().await.unwrap_err();
    assert!(err.to_string().contains("EOF while parsing"), "{err}");
}

#[tokio::test]
async fn a_server_echoing_the_token_does_not_leak_it() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let echoed = format!("bad token {}", world.token);
    world.fake.host().queue([Resp::error(403, &echoed)]);
    let client = world.client();
    let err = client.verify_credentials().await.unwrap_err();
    let shown = format!("{err} {err:?} {client:?}");
    assert!(!shown.contains(&world.token), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}

fn upload(name: &str, mime: &str, description: Option<&str>) -> MediaUpload {
    MediaUpload {
        file_name: name.into(),
        mime_type: mime.into(),
        bytes: bytes::Bytes::from(vec![7u8; 2048]),
        description: description.map(String::from),
        focus: None,
    }
}

#[tokio::test]
async fn sessions_from_the_instance_flags() {
    use fedimigrate::fedi::credentials::{Credentials, Store, StoredUser};
    use fedimigrate::fedi::session::{open, open_stored};
    use fedimigrate::fedi::{AccountChoice, Secret, SecretSource, SessionError};

    let world = World::new("mastodon.example", Flavour::Mastodon);
    let store = Store::in_dir(&world.dir.path().join("config"));
    let err = open_stored(None, &store, &world.net()).unwrap_err();
    assert!(matches!(err, SessionError::NoLogin), "{err}");
    assert_eq!(classify(&anyhow::Error::new(err)), Exit::AuthNeeded);

    let mut creds = Credentials::default();
    creds.add_user(StoredUser {
        instance: "mastodon.example".into(),
        base_url: "https://mastodon.example".into(),
        username: "alice".into(),
        account_id: String::new(),
        access_token: Secret::new(&world.token),
        scopes: String::new(),
        client_id: None,
        created_at: String::new(),
    });
    store.save(&creds).unwrap();
    let session = open_stored(Some("@Alice@mastodon.example"), &store, &world.net()).unwrap();
    assert_eq!(session.account.as_deref(), Some("alice@mastodon.example"));
    assert_eq!(
        session.client.verify_credentials().await.unwrap().username,
        "alice"
    );
    let active = open_stored(None, &store, &world.net()).unwrap();
    assert_eq!(active.account, session.account);
    let err = open_stored(Some("bob@mastodon.example"), &store, &world.net()).unwrap_err();
    assert!(
        err.to_string().contains("stored: alice@mastodon.example"),
        "{err}"
    );

    let token_file = world.dir.path().join("token");
    std::fs::write(&token_file, format!("{}\n", world.token)).unwrap();
    let adhoc = AccountChoice::Adhoc {
        instance: "https://mastodon.example".into(),
        token: SecretSource::File(token_file),
    };
    let session = open(&adhoc, &world.net()).unwrap();
    assert_eq!(session.account, None);
    assert_eq!(
        session.client.verify_credentials().await.unwrap().username,
        "alice"
    );
    let insecure = AccountChoice::Adhoc {
        instance: "http://mastodon.example".into(),
        token: SecretSource::Stdin,
    };
    let err = open(&insecure, &world.net()).unwrap_err();
    assert_eq!(classify(&anyhow::Error::new(err)), Exit::Usage);
}
