//! A small `multipart/form-data` reader, enough for media uploads.

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The parts of `body`, given the request's `Content-Type`; `None` if it is not multipart or
/// is malformed.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    if !content_type.trim_start().starts_with("multipart/form-data") || boundary.is_empty() {
        return None;
    }
    let marker = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body.strip_prefix(marker.as_bytes())?;
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let end = find(rest, format!("\r\n{marker}").as_bytes())?;
        parts.push(part(&rest[..end])?);
        rest = &rest[end + 2 + marker.len()..];
    }
}

fn part(raw: &[u8]) -> Option<Part> {
    let split = find(raw, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let data = raw[split + 4..].to_vec();
    let mut part = Part {
        name: String::new(),
        file_name: None,
        content_type: None,
        data,
    };
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':')?;
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                part.name = param(value, "name")?;
                part.file_name = param(value, "filename");
            }
            "content-type" => part.content_type = Some(value.trim().to_string()),
            _ => {}
        }
    }
    Some(part)
}

fn param(header: &str, name: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        (key.trim() == name).then(|| value.trim().trim_matches('"').to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_a_file() {
        let body = b"--XY\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nalt text\r\n\
--XY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\r\n--XY--\r\n";
        let parts = parse("multipart/form-data; boundary=XY", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "description");
        assert_eq!(parts[0].data, b"alt text");
        assert_eq!(parts[1].file_name.as_deref(), Some("a.jpg"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(parts[1].data, b"\xff\xd8");
        assert!(parse("application/json", body).is_none());
    }
}
