//! Statuses: creating one (always with an `Idempotency-Key`, so a crash between sending and
//! recording cannot post twice on a server that honours it: the server returns the first post
//! for a repeated key), fetching one back, an account's latest, and deleting one.

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::Method;

use super::accounts::segment;
use super::client::Client;
use super::error::Error;
use super::retry::Repeat;
use super::types::{Posted, ScheduledStatus, Status, Visibility};

/// A status to create.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewStatus {
    pub text: String,
    pub media_ids: Vec<String>,
    pub in_reply_to_id: Option<String>,
    pub sensitive: bool,
    /// Content warning.
    pub spoiler_text: Option<String>,
    pub visibility: Option<Visibility>,
    /// ISO 639-1.
    pub language: Option<String>,
    /// Publish at this time. In the past: GoToSocial ≥ 0.18 backdates the post; Mastodon
    /// publishes it now (see `Capabilities::can_backdate`).
    pub scheduled_at: Option<DateTime<Utc>>,
}

impl NewStatus {
    /// The form fields.
    fn form(&self) -> Vec<(String, String)> {
        let mut form = vec![("status".to_string(), self.text.clone())];
        let mut push = |k: &str, v: String| form.push((k.to_string(), v));
        for id in &self.media_ids {
            push("media_ids[]", id.clone());
        }
        if let Some(id) = &self.in_reply_to_id {
            push("in_reply_to_id", id.clone());
        }
        if self.sensitive {
            push("sensitive", "true".into());
        }
        if let Some(cw) = &self.spoiler_text {
            push("spoiler_text", cw.clone());
        }
        if let Some(visibility) = self.visibility {
            push("visibility", visibility.as_str().into());
        }
        if let Some(language) = &self.language {
            push("language", language.clone());
        }
        if let Some(at) = self.scheduled_at {
            push(
                "scheduled_at",
                at.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
        }
        form
    }
}

impl Client {
    /// Creates a status. `idempotency_key` must identify this post (e.g. derived from the
    /// tweet and chunk): Mastodon returns the existing post for a key it saw within the last
    /// hour, which is what makes retrying this request safe there. `repeat` says whether the
    /// server honours the key (`Capabilities::honours_idempotency_key`): with
    /// [`Repeat::Unsafe`] a request that may have reached the server is never resent; the
    /// caller looks for the post first ([`Client::account_statuses`]).
    pub async fn create_status(
        &self,
        status: &NewStatus,
        idempotency_key: &str,
        repeat: Repeat,
    ) -> Result<Posted, Error> {
        let key_ok = !idempotency_key.is_empty()
            && idempotency_key.len() <= 256
            && idempotency_key.bytes().all(|b| b.is_ascii_graphic());
        if !key_ok {
            return Err(Error::BadIdempotencyKey);
        }
        let mut call = self
            .call(Method::POST, "/api/v1/statuses")
            .repeat(repeat)
            .form(status.form());
        call.idempotency_key = Some(idempotency_key.to_string());
        let value: serde_json::Value = self.json(call, "a status").await?;
        self.posted(value)
    }

    /// A status by id (an [`Error::Api`] 404 when it does not exist, see `Error::is_not_found`).
    pub async fn status(&self, id: &str) -> Result<Status, Error> {
        let call = self.call(Method::GET, &format!("/api/v1/statuses/{}", segment(id)));
        self.json(call, "a status").await
    }

    /// Deletes a status (an [`Error::Api`] 404 when it is already gone). Deleting twice does
    /// no harm, so the request is retried.
    pub async fn delete_status(&self, id: &str) -> Result<(), Error> {
        let call = self
            .call(Method::DELETE, &format!("/api/v1/statuses/{}", segment(id)))
            .repeat(Repeat::Safe);
        self.fetch(call).await?;
        Ok(())
    }

    /// Cancels a scheduled status (what a server made of a `scheduled_at` it took for the
    /// future).
    pub async fn cancel_scheduled(&self, id: &str) -> Result<(), Error> {
        let path = format!("/api/v1/scheduled_statuses/{}", segment(id));
        let call = self.call(Method::DELETE, &path).repeat(Repeat::Safe);
        self.fetch(call).await?;
        Ok(())
    }

    /// Up to `limit` (≤ 40) statuses of `account_id`, newest first; with `min_id`, the ones
    /// right after that status (by id), which is where a post backdated just after it lands.
    pub async fn account_statuses(
        &self,
        account_id: &str,
        min_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Status>, Error> {
        let path = format!("/api/v1/accounts/{}/statuses", segment(account_id));
        let mut call = self
            .call(Method::GET, &path)
            .query("limit", limit.min(40).to_string());
        if let Some(min_id) = min_id {
            call = call.query("min_id", min_id);
        }
        self.json(call, "a list of statuses").await
    }

    fn posted(&self, value: serde_json::Value) -> Result<Posted, Error> {
        let decode_error = |err: serde_json::Error| Error::Decode {
            host: self.host().to_string(),
            what: "a status",
            reason: err.to_string(),
        };
        if value.get("params").is_some() && value.get("scheduled_at").is_some() {
            let scheduled: ScheduledStatus = serde_json::from_value(value).map_err(decode_error)?;
            return Ok(Posted::Scheduled(scheduled));
        }
        let status: Status = serde_json::from_value(value).map_err(decode_error)?;
        Ok(Posted::Status(Box::new(status)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_use_mastodons_names() {
        let status = NewStatus {
            text: "hello".into(),
            media_ids: vec!["1".into(), "2".into()],
            in_reply_to_id: Some("9".into()),
            sensitive: true,
            spoiler_text: Some("cw".into()),
            visibility: Some(Visibility::Unlisted),
            language: Some("en".into()),
            scheduled_at: DateTime::parse_from_rfc3339("2014-03-01T10:00:00+01:00")
                .ok()
                .map(|d| d.with_timezone(&Utc)),
        };
        let form = status.form();
        let get = |k: &str| -> Vec<&str> {
            form.iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(get("status"), ["hello"]);
        assert_eq!(get("media_ids[]"), ["1", "2"]);
        assert_eq!(get("visibility"), ["unlisted"]);
        assert_eq!(get("scheduled_at"), ["2014-03-01T09:00:00Z"]);
        assert_eq!(get("sensitive"), ["true"]);
        let plain = NewStatus {
            text: "x".into(),
            ..NewStatus::default()
        };
        assert_eq!(plain.form().len(), 1);
    }
}
