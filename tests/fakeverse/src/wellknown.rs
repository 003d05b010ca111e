//! Fediverse discovery routes for virtual hosts: WebFinger (JRD, or XRD on request), host-meta
//! (XML or JRD), NodeInfo in the shapes of Mastodon, GoToSocial, Pleroma/Akkoma and Misskey,
//! ActivityPub actors (with `movedTo`, suspension, authorized fetch), split domains, and
//! per-account or per-host failure switches. The documents are written for these tests,
//! modelled on real servers' answers (the team's public fixtures), not copied from them.
//!
//! ```ignore
//! let social = FediHost::mount(&fv, "social.example", Software::mastodon());
//! social.account("alice").moved("old", "https://new.example/users/old").account_status("gone", 410);
//! ```

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::{Value, json};

use crate::{Fakeverse, Host, Req, Resp};

/// Which server a host pretends to be (shapes of WebFinger, NodeInfo and actor URLs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Software {
    Mastodon { version: String },
    GoToSocial { version: String },
    Pleroma { version: String },
    Akkoma { version: String },
    Misskey { version: String },
}

impl Software {
    pub fn mastodon() -> Self {
        Software::Mastodon {
            version: "4.3.2".into(),
        }
    }
    pub fn gotosocial() -> Self {
        Software::GoToSocial {
            version: "0.17.3 git-2b3c4d5".into(),
        }
    }
    pub fn pleroma() -> Self {
        Software::Pleroma {
            version: "2.7.0".into(),
        }
    }
    pub fn akkoma() -> Self {
        Software::Akkoma {
            version: "3.13.2".into(),
        }
    }
    pub fn misskey() -> Self {
        Software::Misskey {
            version: "2024.11.0".into(),
        }
    }

    /// NodeInfo's `software.name`.
    pub fn name(&self) -> &'static str {
        match self {
            Software::Mastodon { .. } => "mastodon",
            Software::GoToSocial { .. } => "gotosocial",
            Software::Pleroma { .. } => "pleroma",
            Software::Akkoma { .. } => "akkoma",
            Software::Misskey { .. } => "misskey",
        }
    }

    pub fn version(&self) -> &str {
        match self {
            Software::Mastodon { version }
            | Software::GoToSocial { version }
            | Software::Pleroma { version }
            | Software::Akkoma { version }
            | Software::Misskey { version } => version,
        }
    }
}

/// How host-meta is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostMeta {
    Xml,
    Jrd,
    None,
}

/// How a handle domain sends WebFinger to the server that holds its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// host-meta (XML) names the server's WebFinger; the handle domain's WebFinger is 404.
    HostMetaXml,
    /// The same with host-meta as JRD.
    HostMetaJrd,
    /// The handle domain redirects `/.well-known/webfinger` to the server (301).
    Redirect,
}

#[derive(Debug, Clone, Default)]
struct Account {
    name: String,
    webfinger_status: Option<u16>,
    actor_status: Option<u16>,
    moved_to: Option<String>,
    suspended: bool,
}

#[derive(Debug, Clone)]
struct Model {
    name: String,
    software: Software,
    local_domain: String,
    accounts: HashMap<String, Account>,
    users: u64,
    open_registrations: bool,
    nodeinfo: bool,
    host_meta: HostMeta,
    webfinger_xrd: bool,
    webfinger_status: Option<u16>,
    authorized_fetch: bool,
    retry_after: u64,
}

/// A fediverse server on a virtual host. Cheap to clone; switches apply immediately.
#[derive(Clone)]
pub struct FediHost {
    pub name: String,
    host: Arc<Host>,
    model: Arc<RwLock<Model>>,
}

impl std::fmt::Debug for FediHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FediHost")
            .field("name", &self.name)
            .finish()
    }
}

impl FediHost {
    /// Mounts a server on `name` with no accounts yet.
    pub fn mount(fv: &Fakeverse, name: &str, software: Software) -> FediHost {
        let name = name.to_ascii_lowercase();
        let model = Arc::new(RwLock::new(Model {
            name: name.clone(),
            software,
            local_domain: name.clone(),
            accounts: HashMap::new(),
            users: 1200,
            open_registrations: true,
            nodeinfo: true,
            host_meta: HostMeta::Xml,
            webfinger_xrd: false,
            webfinger_status: None,
            authorized_fetch: false,
            retry_after: 3600,
        }));
        let host = fv.host(&name);
        let routes = model.clone();
        host.mount(move |req| route(&routes.read().expect("model"), req));
        FediHost { name, host, model }
    }

    /// The underlying virtual host (switches, request log).
    pub fn host(&self) -> Arc<Host> {
        self.host.clone()
    }

    fn edit(&self, f: impl FnOnce(&mut Model)) -> &Self {
        f(&mut self.model.write().expect("model"));
        self
    }

    fn edit_account(&self, user: &str, f: impl FnOnce(&mut Account)) -> &Self {
        self.edit(|model| {
            let entry = model
                .accounts
                .entry(user.to_lowercase())
                .or_insert_with(|| Account {
                    name: user.to_string(),
                    ..Account::default()
                });
            f(entry)
        })
    }

    /// Adds an account (its name keeps its case; lookups ignore case).
    pub fn account(&self, user: &str) -> &Self {
        self.edit_account(user, |_| {})
    }

    /// The account moved: its actor carries `movedTo: to` (an actor URL).
    pub fn moved(&self, user: &str, to: &str) -> &Self {
        self.edit_account(user, |a| a.moved_to = Some(to.to_string()))
    }

    /// The account is suspended: its actor says `suspended: true`.
    pub fn suspended(&self, user: &str) -> &Self {
        self.edit_account(user, |a| a.suspended = true)
    }

    /// WebFinger answers `status` for this account (404, 410, 403, 500, 429…).
    pub fn account_status(&self, user: &str, status: u16) -> &Self {
        self.edit_account(user, |a| a.webfinger_status = Some(status))
    }

    /// The account's actor answers `status`.
    pub fn actor_status(&self, user: &str, status: u16) -> &Self {
        self.edit_account(user, |a| a.actor_status = Some(status))
    }

    /// WebFinger answers `status` for every account of this host.
    pub fn webfinger_status(&self, status: u16) -> &Self {
        self.edit(|m| m.webfinger_status = Some(status))
    }

    /// The `Retry-After` seconds sent with a 429 from the switches above (default 3600).
    pub fn retry_after(&self, secs: u64) -> &Self {
        self.edit(|m| m.retry_after = secs)
    }

    /// Actors answer 401 to requests without an HTTP signature (Mastodon's authorized fetch).
    pub fn authorized_fetch(&self) -> &Self {
        self.edit(|m| m.authorized_fetch = true)
    }

    /// NodeInfo's `usage.users.total`.
    pub fn users(&self, total: u64) -> &Self {
        self.edit(|m| m.users = total)
    }

    /// NodeInfo's `openRegistrations`.
    pub fn open_registrations(&self, open: bool) -> &Self {
        self.edit(|m| m.open_registrations = open)
    }

    /// Serves no NodeInfo at all (404).
    pub fn without_nodeinfo(&self) -> &Self {
        self.edit(|m| m.nodeinfo = false)
    }

    /// Answers WebFinger in XRD (XML), as some older servers do whatever the `Accept`.
    pub fn webfinger_xrd(&self) -> &Self {
        self.edit(|m| m.webfinger_xrd = true)
    }

    /// How host-meta is served on this host.
    pub fn host_meta(&self, format: HostMeta) -> &Self {
        self.edit(|m| m.host_meta = format)
    }

    /// Makes `domain` the accounts' domain (`user@domain`), served by this host: `domain`
    /// gets a virtual host that sends WebFinger here the `how` way.
    pub fn split_domain(&self, fv: &Fakeverse, domain: &str, how: Split) -> &Self {
        let domain = domain.to_ascii_lowercase();
        self.edit(|m| m.local_domain = domain.clone());
        let server = self.name.clone();
        fv.host(&domain)
            .mount(move |req| split_route(&server, how, req));
        self
    }

    /// The actor URL of `user`.
    pub fn actor_url(&self, user: &str) -> String {
        let model = self.model.read().expect("model");
        actor_path(&model, user)
    }

    /// The profile page URL (`https://host/@user`).
    pub fn profile_url(&self, user: &str) -> String {
        format!("https://{}/@{user}", self.name)
    }
}

/// A host that answers every path with a 200 HTML page (a parked or ordinary web site).
pub fn html_site(fv: &Fakeverse, name: &str) -> Arc<Host> {
    let host = fv.host(name);
    host.mount(|_| {
        let page = b"<!DOCTYPE html><html><body><h1>Welcome to my site</h1></body></html>";
        Some(Resp::bytes(200, "text/html; charset=utf-8", page.to_vec()))
    });
    host
}

fn split_route(server: &str, how: Split, req: &Req) -> Option<Resp> {
    let template = format!("https://{server}/.well-known/webfinger?resource={{uri}}");
    match (req.path.as_str(), how) {
        ("/.well-known/host-meta", Split::HostMetaXml) => Some(host_meta_xml(&template)),
        ("/.well-known/host-meta", Split::HostMetaJrd) => Some(host_meta_jrd(&template)),
        ("/.well-known/webfinger", Split::Redirect) => {
            let location = format!("https://{server}/.well-known/webfinger?{}", req.query);
            Some(Resp::status(301).header("location", location))
        }
        _ => None,
    }
}

fn route(model: &Model, req: &Req) -> Option<Resp> {
    match req.path.as_str() {
        "/.well-known/webfinger" => Some(webfinger(model, req)),
        "/.well-known/host-meta" => match model.host_meta {
            HostMeta::Xml => Some(host_meta_xml(&own_template(model))),
            HostMeta::Jrd => Some(host_meta_jrd(&own_template(model))),
            HostMeta::None => None,
        },
        "/.well-known/nodeinfo" if model.nodeinfo => Some(nodeinfo_links(model)),
        path if model.nodeinfo && path.starts_with("/nodeinfo/") => Some(nodeinfo_doc(model)),
        _ => actor(model, req),
    }
}

fn own_template(model: &Model) -> String {
    format!(
        "https://{}/.well-known/webfinger?resource={{uri}}",
        model.name
    )
}

fn host_meta_xml(template: &str) -> Resp {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" type=\"application/xrd+xml\" template=\"{}\"/>\n</XRD>\n",
        template.replace('&', "&amp;")
    );
    Resp::bytes(200, "application/xrd+xml; charset=utf-8", body.into_bytes())
}

fn host_meta_jrd(template: &str) -> Resp {
    let body = json!({"links": [
        {"rel": "lrdd", "type": "application/jrd+json", "template": template},
        {"rel": "lrdd", "type": "application/xrd+xml", "template": template},
    ]});
    Resp::json(200, &body)
}

/// Misskey names actors by an opaque id; the others by the user name.
fn actor_path(model: &Model, user: &str) -> String {
    match model.software {
        Software::Misskey { .. } => format!("https://{}/users/{}", model.name, misskey_id(user)),
        _ => format!("https://{}/users/{user}", model.name),
    }
}

fn misskey_id(user: &str) -> String {
    let hash = user
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("9{hash:015x}")
}

/// The account a WebFinger resource names: `acct:user@domain` (this host or its accounts'
/// domain) or a profile/actor URL on this host.
fn find_account<'m>(model: &'m Model, resource: &str) -> Option<&'m Account> {
    if let Some(acct) = resource.strip_prefix("acct:") {
        let (user, domain) = acct.trim_start_matches('@').rsplit_once('@')?;
        let domain = domain.to_ascii_lowercase();
        if domain != model.local_domain && domain != model.name {
            return None;
        }
        return model.accounts.get(&user.to_lowercase());
    }
    let url = url::Url::parse(resource).ok()?;
    if url.host_str()?.to_ascii_lowercase() != model.name {
        return None;
    }
    let path = url.path().to_lowercase();
    model.accounts.values().find(|account| {
        let actor = actor_path(model, &account.name).to_lowercase();
        let page = format!("/@{}", account.name.to_lowercase());
        (path.starts_with("/users/") && actor.ends_with(&path)) || path == page
    })
}

fn webfinger(model: &Model, req: &Req) -> Resp {
    let Some(resource) = req.query_param("resource") else {
        return Resp::error(400, "missing resource");
    };
    if let Some(status) = model.webfinger_status {
        return status_resp(model, status);
    }
    let Some(account) = find_account(model, &resource) else {
        return Resp::error(404, "Record not found");
    };
    if let Some(status) = account.webfinger_status {
        return status_resp(model, status);
    }
    if model.webfinger_xrd {
        return webfinger_xrd(model, account);
    }
    let mut resp = Resp::json(200, &jrd(model, account));
    resp.set_header("content-type", "application/jrd+json; charset=utf-8");
    resp
}

fn status_resp(model: &Model, status: u16) -> Resp {
    let resp = Resp::error(status, "switched");
    if status == 429 {
        return resp.header("retry-after", model.retry_after.to_string());
    }
    resp
}

fn jrd(model: &Model, account: &Account) -> Value {
    let subject = format!("acct:{}@{}", account.name, model.local_domain);
    let actor = actor_path(model, &account.name);
    let page = format!("https://{}/@{}", model.name, account.name);
    let self_link = json!({"rel": "self", "type": "application/activity+json", "href": actor});
    let page_link =
        json!({"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": page});
    match model.software {
        Software::Pleroma { .. } | Software::Akkoma { .. } => json!({
            "aliases": [actor],
            "links": [
                {"href": actor, "rel": "http://webfinger.net/rel/profile-page", "type": "text/html"},
                self_link,
                {"href": actor, "rel": "self", "type": "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""},
                {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("https://{}/ostatus_subscribe?acct={{uri}}", model.name)}
            ],
            "subject": subject
        }),
        Software::GoToSocial { .. } => json!({
            "subject": subject,
            "aliases": [actor, page],
            "links": [page_link, self_link]
        }),
        Software::Misskey { .. } => json!({
            "subject": subject,
            "links": [self_link, page_link,
                {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("https://{}/authorize-follow?acct={{uri}}", model.name)}]
        }),
        Software::Mastodon { .. } => json!({
            "subject": subject,
            "aliases": [page, actor],
            "links": [page_link, self_link,
                {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("https://{}/authorize_interaction?uri={{uri}}", model.name)}]
        }),
    }
}

fn webfinger_xrd(model: &Model, account: &Account) -> Resp {
    let actor = actor_path(model, &account.name);
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Subject>acct:{}@{}</Subject>\n  <Alias>https://{}/@{}</Alias>\n  <Link rel=\"self\" type=\"application/activity+json\" href=\"{actor}\"/>\n</XRD>\n",
        account.name, model.local_domain, model.name, account.name
    );
    Resp::bytes(200, "application/xrd+xml; charset=utf-8", body.into_bytes())
}

fn nodeinfo_links(model: &Model) -> Resp {
    let base = format!("https://{}/nodeinfo", model.name);
    let rel = |v: &str| format!("http://nodeinfo.diaspora.software/ns/schema/{v}");
    let links = match model.software {
        Software::Pleroma { .. } | Software::Akkoma { .. } => json!([
            {"rel": rel("2.0"), "href": format!("{base}/2.0.json")},
            {"rel": rel("2.1"), "href": format!("{base}/2.1.json")}
        ]),
        Software::Misskey { .. } => json!([
            {"rel": rel("2.1"), "href": format!("{base}/2.1")},
            {"rel": rel("2.0"), "href": format!("{base}/2.0")}
        ]),
        _ => json!([{"rel": rel("2.0"), "href": format!("{base}/2.0")}]),
    };
    Resp::json(200, &json!({ "links": links }))
}

fn nodeinfo_doc(model: &Model) -> Resp {
    let software = &model.software;
    let usage = json!({"users": {"total": model.users, "activeMonth": model.users / 10, "activeHalfyear": model.users / 4}, "localPosts": model.users * 30});
    let doc = match software {
        Software::Misskey { .. } => json!({
            "version": "2.1",
            "software": {"name": software.name(), "version": software.version(), "homepage": "https://misskey-hub.net/"},
            "protocols": ["activitypub"],
            "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
            "openRegistrations": model.open_registrations,
            "usage": usage,
            "metadata": {"nodeName": model.name, "maintainer": {"name": "admin"}}
        }),
        _ => json!({
            "version": "2.0",
            "software": {"name": software.name(), "version": software.version()},
            "protocols": ["activitypub"],
            "services": {"outbound": [], "inbound": []},
            "usage": usage,
            "openRegistrations": model.open_registrations,
            "metadata": {"nodeName": model.name}
        }),
    };
    Resp::json(200, &doc)
}

fn actor(model: &Model, req: &Req) -> Option<Resp> {
    let url = format!("https://{}{}", model.name, req.path);
    let account = model
        .accounts
        .values()
        .find(|a| actor_path(model, &a.name) == url)?;
    if let Some(status) = account.actor_status {
        return Some(status_resp(model, status));
    }
    if model.authorized_fetch && req.header("signature").is_none() {
        return Some(Resp::error(401, "Request not signed"));
    }
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": url,
        "type": "Person",
        "preferredUsername": account.name,
        "inbox": format!("{url}/inbox"),
        "outbox": format!("{url}/outbox"),
        "url": format!("https://{}/@{}", model.name, account.name),
    });
    if let Some(to) = &account.moved_to {
        doc["movedTo"] = json!(to);
    }
    if account.suspended {
        doc["suspended"] = json!(true);
    }
    let body = doc.to_string().into_bytes();
    Some(Resp::bytes(
        200,
        "application/activity+json; charset=utf-8",
        body,
    ))
}
