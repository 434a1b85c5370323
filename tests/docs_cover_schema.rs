//! The registry docs must describe every schema attribute and block, and embed
//! the examples they show: a test fails when the schema and the docs drift.

use std::path::Path;

use eksrole::provider::{config, data_sources, resources};
use eksrole::tfplugin::schema::Block;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every attribute and nested block appears in the doc as a `- \`name\`` item
/// (blocks as a `### name` heading).
fn assert_documented(doc_path: &str, block: &Block) {
    let doc = read(doc_path);
    for attr in &block.attributes {
        assert!(
            doc.contains(&format!("- `{}` (", attr.name)),
            "{doc_path} does not document `{}`",
            attr.name
        );
    }
    for nested in &block.blocks {
        assert!(
            doc.contains(&format!("### {}", nested.type_name)),
            "{doc_path} has no section for block `{}`",
            nested.type_name
        );
        assert_documented(doc_path, &nested.block);
    }
}

/// The doc's example is the example file, verbatim.
fn assert_embeds_example(doc_path: &str, example_path: &str) {
    let doc = read(doc_path);
    let example = read(example_path);
    assert!(
        doc.contains(example.trim()),
        "{doc_path} must embed {example_path} verbatim"
    );
}

#[test]
fn provider_doc_covers_the_provider_schema() {
    assert_documented("docs/index.md", &config::schema().block);
    assert_embeds_example("docs/index.md", "examples/provider/provider.tf");
}

#[test]
fn every_data_source_has_a_doc_and_an_example() {
    for ds in data_sources::all() {
        let short = ds.type_name().trim_start_matches("eksrole_");
        let doc = format!("docs/data-sources/{short}.md");
        assert_documented(&doc, &ds.schema().block);
        assert_embeds_example(
            &doc,
            &format!("examples/data-sources/{}/data-source.tf", ds.type_name()),
        );
    }
}

#[test]
fn every_resource_has_a_doc_an_example_and_an_import_example() {
    for r in resources::all() {
        let short = r.type_name().trim_start_matches("eksrole_");
        let doc = format!("docs/resources/{short}.md");
        assert_documented(&doc, &r.schema().block);
        assert_embeds_example(
            &doc,
            &format!("examples/resources/{}/resource.tf", r.type_name()),
        );
        assert_embeds_example(
            &doc,
            &format!("examples/resources/{}/import.sh", r.type_name()),
        );
    }
}
