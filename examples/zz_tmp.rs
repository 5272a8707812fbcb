fn main() {
    let doc = std::fs::read_to_string("/tmp/doc.json").unwrap();
    let which = std::env::args().nth(1).unwrap();
    for _ in 0..5000 {
        if which == "ours" {
            std::hint::black_box(genesys_billing::json::parse(std::hint::black_box(&doc)).unwrap());
        } else {
            std::hint::black_box(
                serde_json::from_str::<serde_json::Value>(std::hint::black_box(&doc)).unwrap(),
            );
        }
    }
}
