//! A feed's bytes: from disk for a path or a `file://` URL, else over
//! HTTP(S) by ureq (rustls, gzip), with the server's validators sent back so
//! that an unchanged feed costs one small answer (304), at most
//! `MAX_REDIRECTS` redirects (only to http or https), a timeout for the whole
//! exchange, and no more than `MAX_BODY` bytes read, compressed or not.

use std::io::Read as _;
use std::time::{Duration, Instant};

use super::{MAX_BODY, MAX_REDIRECTS};
use crate::error::{Error, Result};
use crate::screen::echo;

type Response = ureq::http::Response<ureq::Body>;

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
    let deadline = Instant::now() + timeout;
    let mut url = url.to_string();
    // Redirects are followed here, not by ureq, so that each target is
    // checked: only http(s), never a file or another scheme.
    for _ in 0..=MAX_REDIRECTS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::io("no answer in time (--timeout)"));
        }
        let response = get(&url, validators, left)?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) && status != 304 {
            let location = header(&response, "location").ok_or_else(|| {
                Error::io(format!("the server answered {status} with no Location"))
            })?;
            url = redirect_target(&url, &location)?;
            continue;
        }
        return body(response);
    }
    Err(Error::io(format!("more than {MAX_REDIRECTS} redirects")))
}

/// One GET, with the validators, within `left` for the whole exchange.
fn get(url: &str, validators: &Validators, left: Duration) -> Result<Response> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(left))
        .max_redirects(0)
        .max_redirects_will_error(false)
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
    request.call().map_err(http_error)
}

fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The feed's bytes (at most `MAX_BODY` read), or word that it is unchanged.
fn body(response: Response) -> Result<Fetched> {
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(Error::io(format!("the server answered {status}")));
    }
    let next = Validators {
        etag: header(&response, "etag"),
        last_modified: header(&response, "last-modified"),
    };
    let bytes = response
        .into_body()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(http_error)?;
    Ok(Fetched::Body(bytes, next))
}

/// Where a redirect leads, from `base`: an http(s) URL, or a path on the
/// same server; any other scheme (`file:`, `ftp:`, …) is refused.
fn redirect_target(base: &str, location: &str) -> Result<String> {
    let location = location.trim();
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Ok(location.to_string());
    }
    let first = location.split(['/', '?', '#']).next().unwrap_or_default();
    if first.contains(':') {
        return Err(Error::data(format!(
            "it redirects to '{}', which is not an http(s) URL",
            echo(location)
        )));
    }
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    if let Some(rest) = location.strip_prefix("//") {
        return Ok(format!("{}{rest}", &base[..after_scheme]));
    }
    let host_end = base[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| after_scheme + i);
    if location.starts_with('/') {
        return Ok(format!("{}{location}", &base[..host_end]));
    }
    let path_end = base.find(['?', '#']).unwrap_or(base.len()).max(host_end);
    let dir_end = base[host_end..path_end]
        .rfind('/')
        .map_or(host_end, |i| host_end + i);
    Ok(format!("{}/{location}", &base[..dir_end]))
}

/// ureq's error in words a user can act on.
fn http_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Timeout(_) => Error::io("no answer in time (--timeout)"),
        ureq::Error::TooManyRedirects => Error::io(format!("more than {MAX_REDIRECTS} redirects")),
        ureq::Error::BodyExceedsLimit(_) => too_large(),
        ureq::Error::BadUri(uri) => Error::data(format!("a bad URL: {}", echo(&uri))),
        e => Error::io(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::redirect_target;

    #[test]
    fn redirects_lead_to_http_only() {
        let base = "http://example.org/feeds/plans.xml?x=1";
        let to = |l: &str| redirect_target(base, l).map_err(|e| e.message().to_string());
        assert_eq!(to("https://other.org/a").unwrap(), "https://other.org/a");
        assert_eq!(to("//cdn.org/b").unwrap(), "http://cdn.org/b");
        assert_eq!(to("/c.xml").unwrap(), "http://example.org/c.xml");
        assert_eq!(to("d.xml").unwrap(), "http://example.org/feeds/d.xml");
        assert_eq!(redirect_target("http://h:8/", "e").unwrap(), "http://h:8/e");
        assert_eq!(redirect_target("http://h:8", "e").unwrap(), "http://h:8/e");
        for bad in [
            "file:///etc/passwd",
            "FILE:/etc/passwd",
            "ftp://x/y",
            "javascript:alert(1)",
        ] {
            assert!(to(bad).unwrap_err().contains("not an http(s) URL"), "{bad}");
        }
    }
}
