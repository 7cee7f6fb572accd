//! The query editor: a transparent `<textarea>` over a `<pre>` that shows the same text with
//! token colours and wavy error underlines, plus line numbers, a completion list, Tab
//! indentation and Ctrl/Cmd+Enter to run.
//!
//! The textarea does the real editing (caret, selection, IME, undo, accessibility); the
//! overlay only paints. Programmatic edits (indent, completion, inserts) go through
//! `execCommand("insertText")` so the browser's undo history keeps them.
//!
//! Offsets: the props use UTF-8 byte offsets (what the lexer and binder report); the
//! textarea counts UTF-16 units. Conversions happen only in this file, through
//! [`crate::view::editor`].

use super::{dom, CompleteFn, FormatFn, HighlightFn, InsertRequest};
use crate::diag::LineIndex;
use crate::view::editor::{
    apply_completion, auto_trigger, byte_to_utf16, enter_accepts, floor_boundary, indent, insert_text, line_count, outdent, overlay_html, utf16_to_byte,
    word_before, worth_showing, Completion, CompletionKind, Edit,
};
use std::ops::Range;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Recomputes the completion list: `(text, cursor, explicitly requested)`.
type Refresh = Rc<dyn Fn(&str, usize, bool)>;
/// Applies an edit to the text area and reports the new text.
type RunEdit = Rc<dyn Fn(&HtmlTextAreaElement, &str, &Edit)>;

/// Most completion items shown at once.
const MAX_ITEMS: usize = 50;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The query text (the parent owns it).
    pub value: AttrValue,
    /// Called with the new text after every change.
    pub on_change: Callback<String>,
    /// Called on Ctrl+Enter / Cmd+Enter.
    pub on_run: Callback<()>,
    /// Called on Shift+Enter with the cursor's byte offset: run the query block there (the
    /// lines between blank lines, as in Data Explorer). Without it Shift+Enter is a newline.
    #[prop_or_default]
    pub on_run_block: Option<Callback<usize>>,
    /// Format the text (Shift+Alt+F), once per new request id (the toolbar's Format button).
    #[prop_or_default]
    pub format: Option<u64>,
    /// Called with a message when formatting is refused (the query has errors).
    #[prop_or_default]
    pub on_message: Option<Callback<String>>,
    /// Lays the text out (asked of the language worker); without it Format does nothing.
    #[prop_or_default]
    pub formatter: Option<FormatFn>,
    /// Token colours; without it the text is plain.
    #[prop_or_default]
    pub highlight: Option<HighlightFn>,
    /// Completion candidates; without it there is no completion list.
    #[prop_or_default]
    pub complete: Option<CompleteFn>,
    /// Errors to underline: UTF-8 byte ranges into `value` and their messages.
    #[prop_or_default]
    pub errors: Vec<(Range<usize>, String)>,
    /// Text to insert at the cursor, once per new request id.
    #[prop_or_default]
    pub insert: Option<InsertRequest>,
    /// The textarea's id (a `<label for>` can point at it).
    #[prop_or(AttrValue::Static("query"))]
    pub id: AttrValue,
    /// The accessible name of the text area.
    #[prop_or(AttrValue::Static("KQL query"))]
    pub label: AttrValue,
    /// Height in lines: grows with the text between these bounds, then scrolls.
    #[prop_or(6)]
    pub min_lines: usize,
    #[prop_or(20)]
    pub max_lines: usize,
}

#[derive(Clone, PartialEq)]
struct Popup {
    items: Rc<Vec<Completion>>,
    selected: usize,
    /// Byte offset of the cursor the items were computed for.
    cursor: usize,
    /// The word before the cursor when the items were computed.
    typed: String,
    /// Opened with Ctrl+Space (and kept open by typing since).
    explicit: bool,
    /// The learner moved the selection with the arrow keys.
    navigated: bool,
}

fn selection_bytes(ta: &HtmlTextAreaElement) -> (String, usize, usize) {
    let text = ta.value();
    let s = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let e = ta.selection_end().ok().flatten().unwrap_or(s as u32) as usize;
    let (s, e) = (utf16_to_byte(&text, s), utf16_to_byte(&text, e));
    (text, s, e)
}

fn set_selection_bytes(ta: &HtmlTextAreaElement, text: &str, sel: &Range<usize>) {
    let _ = ta.set_selection_range(byte_to_utf16(text, sel.start) as u32, byte_to_utf16(text, sel.end) as u32);
}

/// Replaces the part of the textarea's text that differs from `edit.text`, through the
/// browser's editing commands so undo works, then sets the selection. Returns false when the
/// browser refused and the value was set directly (the caller then reports the change).
fn apply_edit(ta: &HtmlTextAreaElement, old: &str, edit: &Edit) -> bool {
    let new = edit.text.as_str();
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    prefix = floor_boundary(old, prefix.min(new.len()));
    while !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let replaced = prefix..old.len() - suffix;
    let inserted = &new[prefix..new.len() - suffix];
    set_selection_bytes(ta, old, &replaced);
    let doc: web_sys::HtmlDocument = dom::document().unchecked_into();
    let done = if inserted.is_empty() {
        replaced.is_empty() || doc.exec_command("delete").unwrap_or(false)
    } else {
        doc.exec_command_with_show_ui_and_value("insertText", false, inserted).unwrap_or(false)
    };
    let ok = done && ta.value() == new;
    if !ok {
        ta.set_value(new);
    }
    set_selection_bytes(ta, new, &edit.selection);
    ok
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let overlay = use_node_ref();
    let gutter = use_node_ref();
    let popup_ref = use_node_ref();
    let popup = use_state(|| None::<Popup>);
    // Escape then Tab leaves the editor (Tab otherwise indents): keyboard users are never trapped.
    let tab_escape = use_mut_ref(|| false);
    // Set while an edit of ours runs, so its input event does not reopen the completion list.
    let applying = use_mut_ref(|| false);
    let seen_insert = use_mut_ref(|| props.insert.as_ref().map(|r| r.id));
    let seen_format = use_mut_ref(|| props.format);

    let text = props.value.to_string();
    let list_id = format!("{}-completions", props.id);
    let errors_id = format!("{}-errors", props.id);
    let hint_id = format!("{}-hint", props.id);

    // Asks for the completion list at the cursor. The answer comes from the language worker
    // a moment later; it opens the list only if the text and the cursor are still those it was
    // asked for (otherwise a newer question is on its way, or the learner moved on).
    let refresh: Refresh = {
        let popup = popup.clone();
        let complete = props.complete.clone();
        let textarea = textarea.clone();
        Rc::new(move |text: &str, cursor: usize, explicit: bool| {
            let Some(complete) = &complete else { return };
            // A list opened with Ctrl+Space stays explicit while the learner types on in a word.
            let in_word = !word_before(text, cursor).is_empty();
            let explicit = explicit || (in_word && (*popup).as_ref().is_some_and(|p| p.explicit));
            if !explicit && !auto_trigger(text, cursor) {
                popup.set(None);
                return;
            }
            let typed = text[word_before(text, cursor)].to_string();
            // Until the answer comes, an open list narrows to the items that still start with
            // the word (typing on in a word), so it never offers what no longer fits.
            if let Some(p) = (*popup).clone().filter(|p| !typed.is_empty() && typed.starts_with(&p.typed) && typed != p.typed) {
                let word = typed.to_lowercase();
                let items: Vec<Completion> = p.items.iter().filter(|c| c.label.to_lowercase().starts_with(&word)).cloned().collect();
                if items.is_empty() {
                    popup.set(None);
                } else {
                    popup.set(Some(Popup { items: Rc::new(items), selected: 0, cursor, typed: typed.clone(), navigated: false, ..p }));
                }
            }
            let asked = text.to_string();
            let popup = popup.clone();
            let textarea = textarea.clone();
            (complete.0)(
                text,
                cursor,
                Box::new(move |mut items| {
                    let Some(ta) = textarea.cast::<HtmlTextAreaElement>() else { return };
                    let (now_text, start, now_cursor) = selection_bytes(&ta);
                    if now_text != asked || start != now_cursor || now_cursor != cursor {
                        return;
                    }
                    items.truncate(MAX_ITEMS);
                    if items.is_empty() || (!explicit && !worth_showing(&typed, &items)) {
                        popup.set(None);
                    } else {
                        popup.set(Some(Popup { items: Rc::new(items), selected: 0, cursor, typed, explicit, navigated: false }));
                    }
                }),
            );
        })
    };

    // Runs an edit and reports the new text.
    let run_edit: RunEdit = {
        let on_change = props.on_change.clone();
        let applying = applying.clone();
        Rc::new(move |ta: &HtmlTextAreaElement, old: &str, edit: &Edit| {
            *applying.borrow_mut() = true;
            let via_browser = apply_edit(ta, old, edit);
            *applying.borrow_mut() = false;
            if !via_browser {
                on_change.emit(edit.text.clone());
            }
        })
    };

    let accept: Rc<dyn Fn(usize)> = {
        let popup = popup.clone();
        let textarea = textarea.clone();
        let run_edit = run_edit.clone();
        Rc::new(move |i: usize| {
            let (Some(p), Some(ta)) = ((*popup).clone(), textarea.cast::<HtmlTextAreaElement>()) else { return };
            let Some(item) = p.items.get(i) else { return };
            let (text, _, cursor) = selection_bytes(&ta);
            let edit = apply_completion(&text, cursor, &item.insert);
            run_edit(&ta, &text, &edit);
            popup.set(None);
        })
    };

    let oninput = {
        let on_change = props.on_change.clone();
        let applying = applying.clone();
        let refresh = refresh.clone();
        let popup = popup.clone();
        Callback::from(move |e: InputEvent| {
            let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
            let (text, _, cursor) = selection_bytes(&ta);
            on_change.emit(text.clone());
            if *applying.borrow() {
                return;
            }
            // Typing (not pasting) opens or narrows the list; deleting narrows an open list.
            let kind = e.input_type();
            let typed = kind.starts_with("insert") && kind != "insertFromPaste" && kind != "insertFromDrop";
            if typed || (kind.starts_with("delete") && popup.is_some()) {
                refresh(&text, cursor, false);
            } else {
                popup.set(None);
            }
        })
    };

    // Lays the query out with one pipe stage per line (the language worker runs
    // `syntax::layout::format_query`), as one undoable edit, if the text has not changed
    // while the answer was on its way.
    let format_now = {
        let run_edit = run_edit.clone();
        let on_message = props.on_message.clone();
        let formatter = props.formatter.clone();
        Rc::new(move |ta: &HtmlTextAreaElement| {
            let Some(formatter) = &formatter else { return };
            let text = ta.value();
            let run_edit = run_edit.clone();
            let on_message = on_message.clone();
            let ta = ta.clone();
            let asked = text.clone();
            (formatter.0)(
                &text,
                Box::new(move |result| {
                    if ta.value() != asked {
                        return;
                    }
                    match result {
                        Ok(formatted) if formatted != asked => {
                            let end = formatted.len();
                            // The browser's undo history records edits of the focused field.
                            let _ = ta.focus();
                            run_edit(&ta, &asked, &Edit { text: formatted, selection: end..end });
                        }
                        Ok(_) => {}
                        Err(e) => {
                            if let Some(m) = &on_message {
                                m.emit(format!("Format: {e}."));
                            }
                        }
                    }
                }),
            );
        })
    };

    let onkeydown = {
        let popup = popup.clone();
        let on_run = props.on_run.clone();
        let on_run_block = props.on_run_block.clone();
        let format_now = format_now.clone();
        let accept = accept.clone();
        let refresh = refresh.clone();
        let run_edit = run_edit.clone();
        let tab_escape = tab_escape.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
            let key = e.key();
            let command = e.ctrl_key() || e.meta_key();
            let escaped = std::mem::replace(&mut *tab_escape.borrow_mut(), false);
            if let Some(p) = (*popup).clone() {
                let n = p.items.len();
                match key.as_str() {
                    "ArrowDown" | "ArrowUp" => {
                        e.prevent_default();
                        let selected = if key == "ArrowDown" { (p.selected + 1) % n } else { (p.selected + n - 1) % n };
                        popup.set(Some(Popup { selected, navigated: true, ..p }));
                        return;
                    }
                    "Tab" if !command && !e.shift_key() => {
                        e.prevent_default();
                        accept(p.selected);
                        return;
                    }
                    // Enter is a newline unless the learner chose an item (see
                    // `enter_accepts`): completion must not rewrite ordinary typing.
                    "Enter" if !command && !e.shift_key() => {
                        if enter_accepts(&p.typed, &p.items, p.selected, p.navigated, p.explicit) {
                            e.prevent_default();
                            accept(p.selected);
                            return;
                        }
                        popup.set(None);
                    }
                    "Escape" => {
                        e.prevent_default();
                        popup.set(None);
                        return;
                    }
                    "ArrowLeft" | "ArrowRight" | "Home" | "End" | "PageUp" | "PageDown" => popup.set(None),
                    _ => {}
                }
            }
            match key.as_str() {
                "Enter" if command => {
                    e.prevent_default();
                    popup.set(None);
                    on_run.emit(());
                }
                "Enter" if e.shift_key() && !e.alt_key() && on_run_block.is_some() => {
                    e.prevent_default();
                    popup.set(None);
                    let (_, _, cursor) = selection_bytes(&ta);
                    if let Some(cb) = &on_run_block {
                        cb.emit(cursor);
                    }
                }
                // Shift+Alt+F, as in Data Explorer and VS Code (by key position: Alt changes
                // the character on some keyboards).
                _ if e.shift_key() && e.alt_key() && !command && e.code() == "KeyF" => {
                    e.prevent_default();
                    popup.set(None);
                    format_now(&ta);
                }
                "Tab" if !command && !e.alt_key() => {
                    if escaped {
                        return; // let the browser move focus
                    }
                    e.prevent_default();
                    let (text, s, end) = selection_bytes(&ta);
                    let edit = if e.shift_key() { outdent(&text, s..end) } else { indent(&text, s..end) };
                    if edit.text != text || edit.selection != (s..end) {
                        run_edit(&ta, &text, &edit);
                    }
                }
                "Escape" => *tab_escape.borrow_mut() = true,
                " " if e.ctrl_key() => {
                    e.prevent_default();
                    let (text, _, cursor) = selection_bytes(&ta);
                    refresh(&text, cursor, true);
                }
                _ => {}
            }
        })
    };

    let onscroll = {
        let overlay = overlay.clone();
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
            if let Some(o) = overlay.cast::<Element>() {
                o.set_scroll_top(ta.scroll_top());
                o.set_scroll_left(ta.scroll_left());
            }
            if let Some(g) = gutter.cast::<Element>() {
                g.set_scroll_top(ta.scroll_top());
            }
        })
    };

    // Hovering an underlined error shows its message as the text area's tooltip.
    let onmousemove = {
        let overlay = overlay.clone();
        let errors: Rc<Vec<String>> = Rc::new(props.errors.iter().map(|(_, m)| m.clone()).collect());
        Callback::from(move |e: MouseEvent| {
            let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
            if errors.is_empty() {
                if ta.has_attribute("title") {
                    let _ = ta.remove_attribute("title");
                }
                return;
            }
            let (x, y) = (e.client_x() as f64, e.client_y() as f64);
            let hit = overlay.cast::<Element>().and_then(|o| o.query_selector_all(".err").ok()).and_then(|list| {
                (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).find_map(|el| {
                    let widen = if el.class_name().contains("err-empty") { 8.0 } else { 1.0 };
                    let rects = el.get_client_rects();
                    let inside = (0..rects.length())
                        .filter_map(|i| rects.get(i))
                        .any(|r| x >= r.left() - widen && x <= r.right() + widen && y >= r.top() - 2.0 && y <= r.bottom() + 2.0);
                    inside.then(|| el.get_attribute("data-err").and_then(|v| v.parse::<usize>().ok())).flatten()
                })
            });
            match hit.and_then(|i| errors.get(i)) {
                Some(message) => {
                    let _ = ta.set_attribute("title", message);
                }
                None => {
                    let _ = ta.remove_attribute("title");
                }
            }
        })
    };

    let onblur = {
        let popup = popup.clone();
        Callback::from(move |_: FocusEvent| popup.set(None))
    };
    // A click moves the caret away from the word the list was computed for.
    let onmousedown = {
        let popup = popup.clone();
        Callback::from(move |_: MouseEvent| {
            if popup.is_some() {
                popup.set(None);
            }
        })
    };

    // After each render: keep the overlay aligned with the textarea and place the popup.
    {
        let textarea = textarea.clone();
        let overlay = overlay.clone();
        let gutter = gutter.clone();
        let popup_ref = popup_ref.clone();
        let popup_state = (*popup).clone();
        use_effect(move || {
            if let (Some(ta), Some(o)) = (textarea.cast::<Element>(), overlay.cast::<Element>()) {
                o.set_scroll_top(ta.scroll_top());
                o.set_scroll_left(ta.scroll_left());
                if let Some(g) = gutter.cast::<Element>() {
                    g.set_scroll_top(ta.scroll_top());
                }
                if let (Some(p), Some(list)) = (popup_state, popup_ref.cast::<HtmlElement>()) {
                    if let Some(anchor) = o.query_selector(".caret-anchor").ok().flatten().and_then(|a| a.dyn_into::<HtmlElement>().ok()) {
                        let line_h = anchor.offset_height().max(16) as f64;
                        let left = anchor.offset_left() as f64 - o.scroll_left() as f64;
                        let top = anchor.offset_top() as f64 - o.scroll_top() as f64 + line_h + 4.0;
                        let _ = list.style().set_property("left", &format!("{left}px"));
                        let _ = list.style().set_property("top", &format!("{top}px"));
                    }
                    // Keep the selected item visible.
                    if let Some(item) = list.children().item(p.selected as u32).and_then(|i| i.dyn_into::<HtmlElement>().ok()) {
                        let (top, bottom) = (item.offset_top(), item.offset_top() + item.offset_height());
                        if top < list.scroll_top() {
                            list.set_scroll_top(top);
                        } else if bottom > list.scroll_top() + list.client_height() {
                            list.set_scroll_top(bottom - list.client_height());
                        }
                    }
                }
            }
        });
    }

    // Format requests from the parent (the toolbar's Format button).
    {
        let textarea = textarea.clone();
        let seen = seen_format.clone();
        let format_now = format_now.clone();
        use_effect_with(props.format, move |req| {
            if let (Some(id), Some(ta)) = (req, textarea.cast::<HtmlTextAreaElement>()) {
                if *seen.borrow() != Some(*id) {
                    *seen.borrow_mut() = Some(*id);
                    let _ = ta.focus();
                    format_now(&ta);
                }
            }
        });
    }

    // Insert requests from the parent (e.g. a click in the schema pane).
    {
        let textarea = textarea.clone();
        let run_edit = run_edit.clone();
        let seen = seen_insert.clone();
        use_effect_with(props.insert.clone(), move |req| {
            if let (Some(req), Some(ta)) = (req, textarea.cast::<HtmlTextAreaElement>()) {
                if *seen.borrow() != Some(req.id) {
                    *seen.borrow_mut() = Some(req.id);
                    let _ = ta.focus();
                    let (text, s, e) = selection_bytes(&ta);
                    let edit = insert_text(&text, s..e, &req.text);
                    run_edit(&ta, &text, &edit);
                }
            }
        });
    }

    let tokens = props.highlight.as_ref().map(|h| (h.0)(&text)).unwrap_or_default();
    let error_ranges: Vec<Range<usize>> = props.errors.iter().map(|(r, _)| r.clone()).collect();
    let caret = (*popup).as_ref().map(|p| p.cursor);
    // Safe: overlay_html escapes the text; class names come from the highlighter's static strings.
    let painted = Html::from_html_unchecked(AttrValue::from(overlay_html(&text, &tokens, &error_ranges, caret)));
    let lines = line_count(&text);
    let shown_lines = lines.clamp(props.min_lines, props.max_lines.max(props.min_lines));
    let numbers: String = (1..=lines).map(|n| n.to_string()).collect::<Vec<_>>().join("\n");
    let active = (*popup).as_ref().map(|p| format!("{}-item-{}", props.id, p.selected));
    let has_errors = !props.errors.is_empty();
    let index = LineIndex::new(&text);

    let on_item_down = |i: usize| {
        let accept = accept.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default(); // keep the focus in the text area
            accept(i);
        })
    };
    let on_error_click = |range: Range<usize>| {
        let textarea = textarea.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                let text = ta.value();
                let _ = ta.focus();
                let end = if range.is_empty() { range.start } else { range.end };
                set_selection_bytes(&ta, &text, &(range.start.min(text.len())..end.min(text.len())));
            }
        })
    };

    html! {
        <div class={classes!("editor", has_errors.then_some("has-errors"))} style={format!("--lines:{shown_lines}")}>
            <div class="editor-body">
                <pre class="editor-gutter" ref={gutter} aria-hidden="true">{ numbers }</pre>
                <div class="editor-surface">
                    <pre class="editor-overlay" ref={overlay} aria-hidden="true"><code>{ painted }</code></pre>
                    <textarea
                        ref={textarea.clone()}
                        id={props.id.clone()}
                        class="editor-input"
                        aria-label={props.label.clone()}
                        aria-describedby={format!("{hint_id} {errors_id}")}
                        aria-invalid={has_errors.to_string()}
                        aria-autocomplete="list"
                        aria-controls={list_id.clone()}
                        aria-activedescendant={active}
                        spellcheck="false"
                        autocapitalize="off"
                        autocomplete="off"
                        wrap="off"
                        value={props.value.clone()}
                        {oninput}
                        {onkeydown}
                        {onscroll}
                        {onmousemove}
                        {onblur}
                        {onmousedown}
                    />
                    <ul id={list_id} class="completions" role="listbox" aria-label="Completions" ref={popup_ref} hidden={popup.is_none()}>
                        { for (*popup).iter().flat_map(|p| p.items.iter().enumerate().map(move |(i, c)| (i, c, p.selected))).map(|(i, c, sel)| html! {
                            <li id={format!("{}-item-{i}", props.id)} role="option" aria-selected={(i == sel).to_string()}
                                class={classes!("completion", c.kind.css_class(), (i == sel).then_some("selected"))}
                                onmousedown={on_item_down(i)}>
                                <span class="completion-kind" aria-label={c.kind.label()}>{ kind_badge(c.kind) }</span>
                                <span class="completion-label">{ &c.label }</span>
                                <span class="completion-detail">{ &c.detail }</span>
                            </li>
                        }) }
                    </ul>
                </div>
            </div>
            <p id={hint_id} class="visually-hidden">
                { "Ctrl+Enter or Cmd+Enter runs the query; Shift+Enter runs the block of lines around the cursor (blocks are separated by blank lines). Shift+Alt+F formats the query. Tab indents and Shift+Tab outdents; press Escape, then Tab, to move focus out of the editor. Ctrl+Space shows completions; Tab accepts the highlighted one, or choose with the arrow keys and press Enter." }
            </p>
            <ul id={errors_id} class="editor-errors" aria-live="polite">
                { for props.errors.iter().map(|(range, message)| {
                    let (line, col) = index.line_col(range.start);
                    html! {
                        <li class="editor-error">
                            <button type="button" class="error-location" onclick={on_error_click(range.clone())}>
                                { format!("Line {line}, column {col}") }
                            </button>
                            <span class="error-message">{ message }</span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// A one-character badge for the completion kind.
fn kind_badge(kind: CompletionKind) -> &'static str {
    match kind {
        CompletionKind::Table => "T",
        CompletionKind::Column => "C",
        CompletionKind::Operator => "|",
        CompletionKind::Function => "ƒ",
        CompletionKind::Keyword => "K",
        CompletionKind::Type => "τ",
        CompletionKind::Value => "V",
        CompletionKind::Snippet => "S",
    }
}
