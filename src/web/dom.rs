//! Small wrappers over browser APIs used by several components.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Window};

pub fn window() -> Window {
    web_sys::window().expect("kqlab runs in a browser window")
}

pub fn document() -> Document {
    window().document().expect("the window has a document")
}

/// Milliseconds from a monotonic clock.
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or_default()
}

/// A panic's message on one line: the payload, then where it happened.
pub fn panic_text(info: &std::panic::PanicHookInfo) -> String {
    let payload = info.payload();
    let what = payload.downcast_ref::<&str>().copied().or_else(|| payload.downcast_ref::<String>().map(|s| s.as_str())).unwrap_or("a panic");
    match info.location() {
        Some(l) => format!("{what} (at {}:{})", l.file(), l.line()),
        None => what.to_string(),
    }
}

/// Shows a panic's message in the page's `#fatal` banner (written in `index.html`), so a
/// bug never leaves a blank page without explanation, and logs it to the console.
///
/// Installed through Yew: a hook set with `std::panic::set_hook` would be replaced by Yew's
/// default (console only) when the app renders.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = panic_text(info);
        web_sys::console::error_1(&JsValue::from_str(&format!("kqlab: {message}")));
        super::worker::terminate_all();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        // index.html's banner is replaced when Yew renders into <body>: make a new one.
        let banner = doc.get_element_by_id("fatal").or_else(|| {
            let el = doc.create_element("div").ok()?;
            el.set_id("fatal");
            el.set_class_name("fatal");
            let _ = el.set_attribute("role", "alert");
            doc.body()?.prepend_with_node_1(&el).ok()?;
            Some(el)
        });
        if let Some(el) = banner {
            el.set_text_content(Some(&format!(
                "kqlab hit an internal error and stopped: {message}. Reload the page to continue: your progress and queries are saved; please report this with the query you ran."
            )));
            let _ = el.remove_attribute("hidden");
        }
    }));
}

/// Copies text to the clipboard: the asynchronous Clipboard API where available (secure
/// contexts), else the older `execCommand("copy")` through a temporary text area.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = window().navigator().clipboard();
    if !clipboard.is_undefined() {
        let promise = clipboard.write_text(text);
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return Ok(());
        }
    }
    copy_with_exec_command(text)
}

fn copy_with_exec_command(text: &str) -> Result<(), String> {
    let doc = document();
    let body = doc.body().ok_or("the page has no body")?;
    let area: web_sys::HtmlTextAreaElement = doc.create_element("textarea").map_err(|_| "cannot create a text area")?.unchecked_into();
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.style().set_property("position", "fixed");
    let _ = area.style().set_property("opacity", "0");
    let _ = body.append_child(&area);
    area.select();
    let ok = doc.unchecked_ref::<web_sys::HtmlDocument>().exec_command("copy").unwrap_or(false);
    area.remove();
    if ok {
        Ok(())
    } else {
        Err("the browser refused to copy".into())
    }
}

/// Offers `text` as a file download (a Blob behind a temporary object URL).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| "cannot create the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot create a download link")?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a").map_err(|_| "cannot create a link")?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Give the browser time to start the download before releasing the data.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
