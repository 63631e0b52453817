use std::sync::Arc;

use leptos::prelude::*;
use outage_lens::api::config::Config;
use outage_lens::api::fetch::{get_text, Host};
use outage_lens::ui::{panic, App};

fn main() {
    panic::install();
    // Leptos sets up its executor in `mount_to_body`; until then use wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async {
        // Out of the task that compiled and started the wasm (30-40 ms on a slow machine).
        outage_lens::api::fetch::next_task().await;
        // The runtime config decides where the APIs are; without it the real hosts are used.
        let (config, problem) = match get_text("/config.json", Host::Other)
            .await
            .and_then(|b| Config::parse(&b))
        {
            Ok(c) => (c, None),
            Err(e) => (
                Config::default(),
                Some(format!("Using the public APIs: {e}")),
            ),
        };
        outage_lens::api::fetch::set_timeout_secs(config.timeout_secs);
        let config = Arc::new(config);
        leptos::mount::mount_to_body(
            move || view! { <App config=config.clone() config_problem=problem.clone() /> },
        );
    });
}
