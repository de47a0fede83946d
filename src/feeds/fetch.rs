//! A feed's bytes: from disk for a path or a `file://` URL, else over
//! HTTP(S) by ureq (rustls, gzip), with the server's validators sent back so
//! that an unchanged feed costs one small answer (304), at most
//! `MAX_REDIRECTS` redirects (only to http or https), a timeout for the whole
//! exchange, and no more than `MAX_BODY` bytes read, compressed or not.

use std::io::Read as _;
use std::time::Duration;

use super::{MAX_BODY, MAX_REDIRECTS};
use crate::error::{Error, Result};

/// What the server said of the feed's version last time (ETag,
/// Last-Modified), sent back as If-None-Match and If-Modified-Since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Validators {
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
}

/// A feed's bytes, or word that they did not change.
#[derive(Debug)]
pub(crate) enum Fetched {
    NotModified,
    Body(Vec<u8>, Validators),
}

pub(crate) fn fetch(location: &str, validators: &Validators, timeout: Duration) -> Result<Fetched> {
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return http(location, validators, timeout);
    }
    let path = match location.strip_prefix("file://") {
        Some(path) => path,
        None if lower.contains("://") => {
            return Err(Error::data("only http, https and file URLs are read")
                .with_hint("give an http(s) URL, a file:// URL or a path"));
        }
        None => location,
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(format!("cannot read it: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read it: {e}")))?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(too_large());
    }
    Ok(Fetched::Body(bytes, Validators::default()))
}

fn too_large() -> Error {
    Error::data(format!(
        "it is larger than {} MiB, the most lookout reads of a feed",
        MAX_BODY >> 20
    ))
}

fn http(url: &str, validators: &Validators, timeout: Duration) -> Result<Fetched> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(concat!("lookout/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent.get(url);
    if let Some(etag) = &validators.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(since) = &validators.last_modified {
        request = request.header("If-Modified-Since", since);
    }
    let response = request.call().map_err(http_error)?;
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(Error::io(format!("the server answered {status}")));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let next = Validators {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let bytes = response
        .into_body()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(http_error)?;
    Ok(Fetched::Body(bytes, next))
}

/// ureq's error in words a user can act on.
fn http_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Timeout(_) => Error::io("no answer in time (--timeout)"),
        ureq::Error::TooManyRedirects => Error::io(format!("more than {MAX_REDIRECTS} redirects")),
        ureq::Error::BodyExceedsLimit(_) => too_large(),
        ureq::Error::BadUri(uri) => Error::data(format!(
            "a redirect or the URL leads to '{}', which is not an http(s) URL",
            crate::screen::echo(&uri)
        )),
        e => Error::io(e.to_string()),
    }
}
