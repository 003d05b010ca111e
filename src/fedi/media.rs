//! Media uploads: `POST /api/v2/media` (falling back to v1), then, when the server answers
//! 202 "still processing", polling `GET /api/v1/media/:id` (206 while processing, 200 when
//! done) until it is ready or a deadline passes. Statuses may only carry processed media.
//!
//! The multipart body is built here by a small pure encoder (the upload is one file and two
//! text fields), so no extra HTTP dependency is needed.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;

use super::accounts::segment;
use super::client::{Body, Client};
use super::error::Error;
use super::retry::random_u64;
use super::types::MediaAttachment;

/// A file to upload.
#[derive(Debug, Clone)]
pub struct MediaUpload {
    pub file_name: String,
    pub mime_type: String,
    pub bytes: Bytes,
    /// Alt text.
    pub description: Option<String>,
    /// Focal point, `x,y` in `-1.0..=1.0`.
    pub focus: Option<(f32, f32)>,
}

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaState {
    Ready(MediaAttachment),
    Processing(MediaAttachment),
}

/// First and longest pause between polls.
const POLL_FIRST: Duration = Duration::from_millis(500);
const POLL_MAX: Duration = Duration::from_secs(5);

impl Client {
    /// Uploads a file and waits until the server has processed it.
    pub async fn upload_media(&self, upload: &MediaUpload) -> Result<MediaAttachment, Error> {
        match self.post_media(upload, "/api/v2/media").await {
            Err(err) if err.is_not_found() => {
                let done = self.post_media(upload, "/api/v1/media").await?;
                self.wait_for_media(done).await
            }
            other => self.wait_for_media(other?).await,
        }
    }

    async fn post_media(&self, upload: &MediaUpload, path: &str) -> Result<MediaState, Error> {
        let (content_type, bytes) = encode_upload(upload);
        let mut call = self.call(Method::POST, path);
        call.timeout = Some(upload_timeout(self.request_timeout(), bytes.len()));
        call.body = Body::Raw {
            content_type,
            bytes: bytes.into(),
        };
        let fetched = self.fetch(call).await?;
        let attachment: MediaAttachment = self.decode(&fetched, "a media attachment")?;
        Ok(state(fetched.status.as_u16(), attachment))
    }

    /// Where an upload stands (`GET /api/v1/media/:id`).
    pub async fn media(&self, id: &str) -> Result<MediaState, Error> {
        let call = self.call(Method::GET, &format!("/api/v1/media/{}", segment(id)));
        let fetched = self.fetch(call).await?;
        let attachment: MediaAttachment = self.decode(&fetched, "a media attachment")?;
        Ok(state(fetched.status.as_u16(), attachment))
    }

    /// Polls until the upload is processed, or fails after the client's media deadline.
    pub async fn wait_for_media(&self, state: MediaState) -> Result<MediaAttachment, Error> {
        let mut attachment = match state {
            MediaState::Ready(done) => return Ok(done),
            MediaState::Processing(pending) => pending,
        };
        let deadline = self.options().media_deadline;
        let mut waited = Duration::ZERO;
        let mut pause = POLL_FIRST;
        loop {
            if waited >= deadline {
                return Err(Error::MediaTimeout {
                    host: self.host().to_string(),
                    id: attachment.id,
                    secs: deadline.as_secs(),
                });
            }
            let step = pause.min(deadline - waited);
            self.sleep(step).await?;
            waited += step;
            pause = (pause * 3 / 2).min(POLL_MAX);
            match self.media(&attachment.id).await? {
                MediaState::Ready(done) => return Ok(done),
                MediaState::Processing(pending) => attachment = pending,
            }
        }
    }
}

/// The user's timeout, plus time to send the file at a slow 64 KiB/s.
fn upload_timeout(base: Duration, size: usize) -> Duration {
    base + Duration::from_secs((size / (64 * 1024)) as u64)
}

/// 202/206, or a 200 without a URL (older servers), mean "still processing".
fn state(status: u16, attachment: MediaAttachment) -> MediaState {
    let has_url = attachment.url.as_deref().is_some_and(|u| !u.is_empty());
    if status == 200 && has_url {
        MediaState::Ready(attachment)
    } else {
        MediaState::Processing(attachment)
    }
}

/// The multipart body of an upload and its content type.
fn encode_upload(upload: &MediaUpload) -> (String, Vec<u8>) {
    let mut fields = Vec::new();
    if let Some(description) = &upload.description {
        fields.push(("description", description.clone()));
    }
    if let Some((x, y)) = upload.focus {
        fields.push(("focus", format!("{x:.2},{y:.2}")));
    }
    let file = FilePart {
        name: "file",
        file_name: &upload.file_name,
        mime_type: &upload.mime_type,
        bytes: &upload.bytes,
    };
    loop {
        let boundary = format!("fedimigrate-{:016x}{:016x}", random_u64(), random_u64());
        if let Some(body) = multipart(&boundary, &fields, &file) {
            return (format!("multipart/form-data; boundary={boundary}"), body);
        }
    }
}

/// One file field of a multipart body.
pub struct FilePart<'a> {
    pub name: &'a str,
    pub file_name: &'a str,
    pub mime_type: &'a str,
    pub bytes: &'a [u8],
}

/// Encodes `multipart/form-data` (RFC 7578). `None` if the boundary occurs in the content
/// (the caller picks another).
pub fn multipart(
    boundary: &str,
    fields: &[(&str, String)],
    file: &FilePart<'_>,
) -> Option<Vec<u8>> {
    let marker = format!("--{boundary}");
    let clashes = |data: &[u8]| data.windows(marker.len()).any(|w| w == marker.as_bytes());
    if clashes(file.bytes) || fields.iter().any(|(_, v)| clashes(v.as_bytes())) {
        return None;
    }
    let mut body = Vec::with_capacity(file.bytes.len() + 512);
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "{marker}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n",
                quote(name)
            )
            .as_bytes(),
        );
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    let mime = if file.mime_type.contains(['\r', '\n']) {
        "application/octet-stream"
    } else {
        file.mime_type
    };
    body.extend_from_slice(
        format!(
            "{marker}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {mime}\r\n\r\n",
            quote(file.name),
            quote(file.file_name)
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.bytes);
    body.extend_from_slice(format!("\r\n{marker}--\r\n").as_bytes());
    Some(body)
}

/// A header parameter value: quotes and line breaks escaped as browsers do.
fn quote(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_fields_and_file() {
        let file = FilePart {
            name: "file",
            file_name: "cat \"1\".jpg",
            mime_type: "image/jpeg",
            bytes: b"\xff\xd8JPEG",
        };
        let body = multipart("B", &[("description", "a cat".to_string())], &file).unwrap();
        let want = b"--B\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\na cat\r\n\
--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat %221%22.jpg\"\r\n\
Content-Type: image/jpeg\r\n\r\n\xff\xd8JPEG\r\n--B--\r\n";
        assert_eq!(body, want.to_vec());
    }

    #[test]
    fn refuses_a_boundary_found_in_the_content() {
        let file = FilePart {
            name: "file",
            file_name: "x",
            mime_type: "text/plain",
            bytes: b"abc--B123",
        };
        assert!(multipart("B", &[], &file).is_none());
        let (content_type, body) = encode_upload(&MediaUpload {
            file_name: "x.bin".into(),
            mime_type: "application/octet-stream".into(),
            bytes: Bytes::from_static(b"data"),
            description: None,
            focus: Some((0.5, -0.25)),
        });
        let boundary = content_type.split_once("boundary=").unwrap().1;
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\n")));
        assert!(text.contains("name=\"focus\"\r\n\r\n0.50,-0.25\r\n"));
    }

    #[test]
    fn large_uploads_get_more_time() {
        let base = Duration::from_secs(10);
        assert_eq!(upload_timeout(base, 1000), base);
        assert_eq!(
            upload_timeout(base, 40 << 20),
            Duration::from_secs(10 + 640)
        );
    }

    #[test]
    fn processing_states() {
        let att = |url: Option<&str>| MediaAttachment {
            id: "1".into(),
            kind: "video".into(),
            url: url.map(String::from),
            preview_url: None,
            description: None,
        };
        assert!(matches!(
            state(200, att(Some("https://x/v.mp4"))),
            MediaState::Ready(_)
        ));
        assert!(matches!(state(202, att(None)), MediaState::Processing(_)));
        assert!(matches!(
            state(206, att(Some("https://x/v.mp4"))),
            MediaState::Processing(_)
        ));
        assert!(matches!(state(200, att(None)), MediaState::Processing(_)));
    }
}
