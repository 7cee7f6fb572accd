//! Fetching lesson files. Lessons live in `lessons/` next to `index.html` (relative URLs, so
//! the site works under any sub-path); `?lesson=URL` loads one lesson from elsewhere, the only
//! request the app makes outside its own origin, and only because the link asks for it.

use gloo::net::http::Request;

/// Largest file the app fetches (lesson or CSV), in bytes.
pub const MAX_FETCH: usize = 16 * 1024 * 1024;

/// Fetches a text file; the error names the file and what went wrong.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = Request::get(url)
        .send()
        .await
        .map_err(|e| format!("could not load {url}: the site is unreachable, or it does not allow other sites to read the file (CORS) ({e})"))?;
    if !resp.ok() {
        return Err(format!("could not load {url}: the server answered {} {}", resp.status(), resp.status_text()));
    }
    let text = resp.text().await.map_err(|e| format!("could not read {url}: {e}"))?;
    if text.len() > MAX_FETCH {
        return Err(format!("{url} is {} bytes; the limit is {MAX_FETCH}", text.len()));
    }
    Ok(text)
}

/// The folder part of a URL (`https://x/a/b.toml` → `https://x/a/`), for files a lesson names.
pub fn base_of(url: &str) -> String {
    match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => String::new(),
    }
}

/// Is `url` acceptable for `?lesson=`: same-site relative paths, or https.
pub fn allowed_lesson_url(url: &str) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || (!lower.contains(':') && !lower.starts_with("//")) {
        Ok(())
    } else {
        Err(format!("'{}' is not an https:// address or a path on this site, so kqlab will not load it", url.chars().take(100).collect::<String>()))
    }
}
