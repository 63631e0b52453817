//! A panic in WASM stops the app for good: log it, and say so on the page instead of freezing.

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(el) = doc.and_then(|d| d.get_element_by_id("fatal")) {
            el.set_text_content(Some(
                "Outage Lens hit an internal error and stopped. Reload the page; if it happens again, \
                 please report the link you opened.",
            ));
            let _ = el.remove_attribute("hidden");
        }
    }));
}
