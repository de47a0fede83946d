//! A development's sources as the md and html reports show them: a URL
//! whose scheme is http, https or mailto becomes a link named by its host
//! (or address); anything else — a citation, or a URL of another scheme such
//! as `javascript:` — is text. Links are made safe here for Markdown: the
//! characters that could end a link destination or open another are
//! percent-encoded, so `)` or `](` in a URL cannot break out of it.

/// One source, as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'a> {
    /// A URL to link to: its address made safe, and the name to show.
    Link { href: String, name: String },
    /// Text to show as it is (escaped by the renderer).
    Text(&'a str),
}

/// How a report shows `source`.
pub fn classify(source: &str) -> Source<'_> {
    let text = source.trim();
    let Some((scheme, rest)) = text.split_once(':') else {
        return Source::Text(source);
    };
    let name = match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => rest.strip_prefix("//").map(host),
        "mailto" => Some(rest.split('?').next().unwrap_or("").to_string()),
        _ => None,
    };
    match name {
        Some(name) if !name.trim().is_empty() => Source::Link {
            href: safe_href(text),
            name,
        },
        _ => Source::Text(source),
    }
}

/// The host of what follows `//`: up to the path, query or fragment,
/// without user information.
fn host(authority_and_more: &str) -> String {
    let authority = authority_and_more
        .split(['/', '?', '#', '\\'])
        .next()
        .unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    host.to_string()
}

/// The URL with every character that Markdown or HTML could read as
/// something other than part of the address percent-encoded: whitespace,
/// control and bidi characters, and `()[]<>"'\`|{}^` and backtick. Letters of
/// any script, digits and the URL's own delimiters stay as they are.
pub fn safe_href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let keep = c.is_ascii_alphanumeric()
            || "-._~:/?#@!$&*+,;=%".contains(c)
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control() && !is_bidi(c));
        if keep {
            out.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Characters that reorder text on screen.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, name: &str) -> Source<'static> {
        Source::Link {
            href: href.to_string(),
            name: name.to_string(),
        }
    }

    #[test]
    fn web_and_mail_addresses_become_links_named_by_host() {
        assert_eq!(
            classify("https://www.example.org/a/b?x=1#f"),
            link("https://www.example.org/a/b?x=1#f", "www.example.org")
        );
        assert_eq!(
            classify("HTTP://user:pw@example.org:8080"),
            link("HTTP://user:pw@example.org:8080", "example.org:8080")
        );
        assert_eq!(
            classify("mailto:press@example.org?subject=x"),
            link("mailto:press@example.org?subject=x", "press@example.org")
        );
        assert_eq!(
            classify("https://例え.jp/記事"),
            link("https://例え.jp/記事", "例え.jp")
        );
    }

    #[test]
    fn other_schemes_and_citations_stay_text() {
        for text in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "Taresh Singh, \"China releases AI action plan\"",
            "https:",
            "https://",
            "http:/no-host",
            "mailto:",
        ] {
            assert_eq!(classify(text), Source::Text(text), "{text}");
        }
    }

    #[test]
    fn nothing_in_an_address_can_end_a_markdown_link() {
        let Source::Link { href, .. } =
            classify("https://example.org/a)](javascript:alert(1)) <b>\"x\" 'y'\\|`{}^\u{202e}")
        else {
            panic!("not a link");
        };
        assert_eq!(
            href,
            "https://example.org/a%29%5D%28javascript:alert%281%29%29%20%3Cb%3E%22x%22%20%27y%27%5C%7C%60%7B%7D%5E%E2%80%AE"
        );
        for c in ['(', ')', '[', ']', '<', '>', '"', '\'', ' ', '\\', '`'] {
            assert!(!href.contains(c), "{c} in {href}");
        }
    }
}
