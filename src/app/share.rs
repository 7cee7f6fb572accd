//! Share links: the lesson, step and query encoded in the URL fragment
//! (`#lesson=<id>&step=<id>&q=<base64url>`), so a link restores them without a server.

use crate::lesson::sha256_hex;

/// Longest query a link may carry.
pub const MAX_QUERY: usize = 16 * 1024;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShareState {
    pub lesson: Option<String>,
    pub step: Option<String>,
    pub query: Option<String>,
}

/// The URL-safe alphabet without padding, as links carry it. Reading accepts unused low bits
/// in the last character; a `=` or any other character outside the alphabet is an error.
const B64URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

fn b64url(data: &[u8]) -> String {
    use base64::Engine as _;
    B64URL.encode(data)
}

fn un_b64url(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    B64URL.decode(s).ok()
}

fn safe_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl ShareState {
    /// The fragment (without `#`).
    pub fn to_fragment(&self) -> String {
        let mut parts = Vec::new();
        if let Some(l) = &self.lesson {
            parts.push(format!("lesson={l}"));
        }
        if let Some(s) = &self.step {
            parts.push(format!("step={s}"));
        }
        if let Some(q) = &self.query {
            let q: String = q.chars().take(MAX_QUERY).collect();
            parts.push(format!("q={}", b64url(q.as_bytes())));
        }
        parts.join("&")
    }

    /// Reads a fragment (with or without `#`). Unknown keys are ignored; a malformed value is
    /// an error naming it.
    pub fn from_fragment(frag: &str) -> Result<ShareState, String> {
        let frag = frag.trim_start_matches('#');
        let mut st = ShareState::default();
        // The longest link `to_fragment` writes: MAX_QUERY characters of up to 4 UTF-8 bytes,
        // base64 (4 characters per 3 bytes), plus the ids.
        if frag.len() > MAX_QUERY * 4 / 3 * 4 + 256 {
            return Err("the link is too long to be a kqlab share link".into());
        }
        for part in frag.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k {
                "lesson" | "step" => {
                    if !safe_id(v) {
                        return Err(format!("the link's {k} '{}' is not a valid id", v.chars().take(40).collect::<String>()));
                    }
                    if k == "lesson" {
                        st.lesson = Some(v.to_string());
                    } else {
                        st.step = Some(v.to_string());
                    }
                }
                "q" => {
                    let bytes = un_b64url(v).ok_or("the link's query is damaged (it is not valid base64url)")?;
                    let q = String::from_utf8(bytes).map_err(|_| "the link's query is damaged (it is not valid UTF-8)".to_string())?;
                    if q.chars().count() > MAX_QUERY {
                        return Err("the link is too long to be a kqlab share link".into());
                    }
                    st.query = Some(q);
                }
                _ => {}
            }
        }
        Ok(st)
    }
}

/// A short fingerprint of a text (for cache keys and lesson ids of local files).
pub fn fingerprint(text: &str) -> String {
    sha256_hex(text.as_bytes())[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_hostile_input() {
        let s = ShareState {
            lesson: Some("following-the-click".into()),
            step: Some("spike".into()),
            query: Some("UrlClickEvents\n| where Url has \"é😀\" // <script>".into()),
        };
        let f = s.to_fragment();
        assert!(!f.contains('<') && !f.contains(' '), "{f}");
        assert_eq!(ShareState::from_fragment(&format!("#{f}")).unwrap(), s);
        assert_eq!(ShareState::from_fragment("").unwrap(), ShareState::default());
        assert!(ShareState::from_fragment("lesson=<img src=x onerror=alert(1)>").is_err());
        assert!(ShareState::from_fragment("q=%%%").is_err());
        assert!(ShareState::from_fragment("q=_w").is_err(), "invalid UTF-8");
        // The two characters the URL-safe alphabet has instead of `+` and `/` round-trip.
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(un_b64url("-_8").unwrap(), [0xfb, 0xff]);
        assert!(un_b64url("+/8").is_none() && un_b64url("AAA=").is_none() && un_b64url("A").is_none());
        assert_eq!(ShareState::from_fragment("utm=1&q=").unwrap().query.as_deref(), Some(""));
    }
}
