//! Prints an export of the full LUCS set: `cargo run --example export -- az-cli`.
use lucs_registrar::{catalog, export, plan};

fn main() {
    let format = std::env::args().nth(1).unwrap_or_else(|| "manifest-json".to_string());
    let request = serde_json::json!({ "components": [
        { "code": "AC" }, { "code": "CI", "instances": ["1", "2"] }, { "code": "CIC" },
        { "code": "CR", "instances": ["1", "2"] }, { "code": "FE" }, { "code": "GalReader" },
        { "code": "TeamsAA" }, { "code": "WebConfigurator" }
    ]});
    let result = plan::PlanRequest::from_json(request)
        .and_then(|r| plan::plan(&r, &catalog::builtin()))
        .and_then(|p| export::Format::parse(&format).map(|f| export::export(&p, f, None)));
    match result {
        Ok(text) => print!("{text}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
