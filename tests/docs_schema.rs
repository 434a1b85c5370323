//! The `## Schema` sections of the registry docs are generated from the
//! provider's schemas, and this test fails when one is stale.
//!
//! `docs/index.md` (provider block), `docs/resources/<name>.md` and
//! `docs/data-sources/<name>.md` each have one `## Schema` section, from its
//! heading to the next `## ` heading. Everything else in the file (front
//! matter, prose, examples, the import section) is written by hand and left
//! alone. The section is rendered in the Terraform Registry's tfplugindocs
//! layout: Required / Optional / Read-Only groups, names sorted, each item
//! `- \`name\` (Type, Sensitive) description`, nested blocks linked to a
//! `### Nested Schema for \`block\`` part below.
//!
//! `UPDATE_DOCS=1 cargo test --test docs_schema` (or `scripts/gen-docs`)
//! rewrites the sections; review the diff and commit it. The rendering reads
//! only the public fields of `tfplugin::schema`, so a schema change is one
//! regeneration away from its docs.
//!
//! The docs also embed their example files verbatim; that is checked here too.

use std::fs;
use std::path::{Path, PathBuf};

use eksrole::provider::{config, data_sources, resources};
use eksrole::tfplugin::schema::{Attribute, Block, NestedBlock, Nesting};
use eksrole::tfplugin::Type;

const REGENERATE: &str =
    "run `scripts/gen-docs` (or `UPDATE_DOCS=1 cargo test --test docs_schema`) and review the diff";

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    let path = repo_path(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn updating() -> bool {
    std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1")
}

// ---------------------------------------------------------------------------
// Rendering

/// The tfplugindocs name of a type: `String`, `Set of String`, `Map of Number`.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Bool => "Boolean".to_owned(),
        Type::Number => "Number".to_owned(),
        Type::String => "String".to_owned(),
        Type::Dynamic => "Dynamic".to_owned(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Object(_) => "Object".to_owned(),
        Type::Tuple(_) => "Tuple".to_owned(),
    }
}

/// `Block List, Min: 1, Max: 1` and the like.
fn block_kind(nb: &NestedBlock) -> String {
    let mut kind = match nb.nesting {
        Nesting::Single => "Block".to_owned(),
        Nesting::List => "Block List".to_owned(),
        Nesting::Set => "Block Set".to_owned(),
    };
    if nb.min_items > 0 {
        kind.push_str(&format!(", Min: {}", nb.min_items));
    }
    if nb.max_items > 0 {
        kind.push_str(&format!(", Max: {}", nb.max_items));
    }
    kind
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    const ALL: [Group; 3] = [Group::Required, Group::Optional, Group::ReadOnly];

    fn title(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }

    fn of_attribute(a: &Attribute) -> Group {
        if a.required {
            Group::Required
        } else if a.optional {
            Group::Optional
        } else {
            Group::ReadOnly
        }
    }

    fn of_block(nb: &NestedBlock) -> Group {
        if nb.min_items > 0 {
            Group::Required
        } else {
            Group::Optional
        }
    }
}

/// One list item, with its sort key.
struct Item {
    name: &'static str,
    line: String,
}

fn with_description(head: String, description: &str) -> String {
    let description = description.trim();
    if description.is_empty() {
        head
    } else {
        format!("{head} {description}")
    }
}

fn attribute_item(a: &Attribute) -> Item {
    let mut kind = type_name(&a.ty);
    if a.sensitive {
        kind.push_str(", Sensitive");
    }
    Item {
        name: a.name,
        line: with_description(format!("- `{}` ({kind})", a.name), a.description),
    }
}

fn block_item(nb: &NestedBlock, anchor: &str) -> Item {
    let head = format!("- `{}` ({})", nb.type_name, block_kind(nb));
    let line = with_description(head, nb.block.description);
    Item {
        name: nb.type_name,
        line: format!("{line} (see [below for nested schema](#nestedblock--{anchor}))"),
    }
}

/// Renders the groups of one block; nested blocks are queued in `pending`
/// with their anchor (`parent--child`) and dotted path (`parent.child`).
fn render_groups<'a>(
    block: &'a Block,
    anchor_prefix: &str,
    path_prefix: &str,
    top_level: bool,
    out: &mut String,
    pending: &mut Vec<(String, String, &'a NestedBlock)>,
) {
    for group in Group::ALL {
        let mut items: Vec<Item> = block
            .attributes
            .iter()
            .filter(|a| Group::of_attribute(a) == group)
            .map(attribute_item)
            .collect();
        for nb in block
            .blocks
            .iter()
            .filter(|nb| Group::of_block(nb) == group)
        {
            let anchor = format!("{anchor_prefix}{}", nb.type_name);
            let path = format!("{path_prefix}{}", nb.type_name);
            items.push(block_item(nb, &anchor));
            pending.push((anchor, path, nb));
        }
        if items.is_empty() {
            continue;
        }
        items.sort_by_key(|item| item.name);
        if top_level {
            out.push_str(&format!("\n### {}\n\n", group.title()));
        } else {
            out.push_str(&format!("\n{}:\n\n", group.title()));
        }
        for item in items {
            out.push_str(&item.line);
            out.push('\n');
        }
    }
}

/// The whole `## Schema` section of a block, ending in one newline.
fn render_schema_section(block: &Block) -> String {
    let mut out = String::from("## Schema\n");
    let mut pending = Vec::new();
    render_groups(block, "", "", true, &mut out, &mut pending);
    let mut next = 0;
    while next < pending.len() {
        let (anchor, path, nb) = pending[next].clone();
        next += 1;
        out.push_str(&format!(
            "\n<a id=\"nestedblock--{anchor}\"></a>\n### Nested Schema for `{path}`\n"
        ));
        render_groups(
            &nb.block,
            &format!("{anchor}--"),
            &format!("{path}."),
            false,
            &mut out,
            &mut pending,
        );
    }
    out
}

// ---------------------------------------------------------------------------
// Splicing the section into a document

/// Byte range of the `## Schema` section: from its heading line to the next
/// level-2 heading (or the end). Lines inside fenced code blocks are not
/// headings.
fn schema_section(doc: &str) -> Result<(usize, usize), String> {
    let mut start = None;
    let mut in_fence = false;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        if text.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && text.starts_with("## ") {
            match start {
                None if text == "## Schema" => start = Some(offset),
                Some(s) => return Ok((s, offset)),
                None => {}
            }
        }
        offset += line.len();
    }
    start
        .map(|s| (s, doc.len()))
        .ok_or_else(|| "no `## Schema` heading".to_owned())
}

/// `doc` with its Schema section replaced by `section`; a blank line separates
/// it from the heading that follows.
fn splice_schema(doc: &str, section: &str) -> Result<String, String> {
    let (start, end) = schema_section(doc)?;
    let mut out = String::with_capacity(doc.len() + section.len());
    out.push_str(&doc[..start]);
    out.push_str(section);
    if end < doc.len() {
        out.push('\n');
        out.push_str(&doc[end..]);
    }
    Ok(out)
}

/// The first line where two texts differ, for a short failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut exp = expected.lines();
    let mut act = actual.lines();
    for n in 1.. {
        match (exp.next(), act.next()) {
            (None, None) => break,
            (e, a) if e == a => continue,
            (e, a) => {
                return format!(
                "first difference at line {n} of the section:\n  generated: {}\n  in doc:    {}",
                e.unwrap_or("(end)"),
                a.unwrap_or("(end)")
            )
            }
        }
    }
    "no difference".to_owned()
}

/// Compares the doc's Schema section with the rendering of `block`, or
/// rewrites it with `UPDATE_DOCS=1`. Returns a problem description.
fn check_doc(rel: &str, block: &Block) -> Option<String> {
    let doc = read(rel);
    let section = render_schema_section(block);
    let updated = match splice_schema(&doc, &section) {
        Ok(updated) => updated,
        Err(e) => return Some(format!("{rel}: {e}; add a `## Schema` heading where the generated section belongs, then {REGENERATE}")),
    };
    if updated == doc {
        return None;
    }
    if updating() {
        let path = repo_path(rel);
        fs::write(&path, updated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return None;
    }
    let (start, end) = schema_section(&doc).unwrap_or((0, doc.len()));
    Some(format!(
        "{rel}: the `## Schema` section is stale; {REGENERATE}.\n{}",
        first_difference(&section, doc[start..end].trim_end())
    ))
}

/// The doc embeds the example file verbatim.
fn check_embeds_example(doc_rel: &str, example_rel: &str) -> Option<String> {
    let doc = read(doc_rel);
    let example = read(example_rel);
    (!doc.contains(example.trim())).then(|| {
        format!(
            "{doc_rel} must embed {example_rel} verbatim (copy the file into the example block)"
        )
    })
}

fn assert_no_problems(problems: Vec<String>) {
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n\n"));
}

/// The `.md` files in a docs directory, by short name.
fn doc_names(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(repo_path(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".md").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------
// The docs

#[test]
fn provider_doc_schema_is_generated() {
    let problems = [
        check_doc("docs/index.md", &config::schema().block),
        check_embeds_example("docs/index.md", "examples/provider/provider.tf"),
    ];
    assert_no_problems(problems.into_iter().flatten().collect());
}

#[test]
fn data_source_docs_schema_is_generated() {
    let mut problems = Vec::new();
    let mut expected = Vec::new();
    for ds in data_sources::all() {
        let short = ds.type_name().trim_start_matches("eksrole_").to_owned();
        let doc = format!("docs/data-sources/{short}.md");
        problems.extend(check_doc(&doc, &ds.schema().block));
        problems.extend(check_embeds_example(
            &doc,
            &format!("examples/data-sources/{}/data-source.tf", ds.type_name()),
        ));
        expected.push(short);
    }
    expected.sort();
    let found = doc_names("docs/data-sources");
    if found != expected {
        problems.push(format!(
            "docs/data-sources/ has docs for {found:?}; the provider has data sources {expected:?}"
        ));
    }
    assert_no_problems(problems);
}

#[test]
fn resource_docs_schema_is_generated() {
    let mut problems = Vec::new();
    let mut expected = Vec::new();
    for r in resources::all() {
        let short = r.type_name().trim_start_matches("eksrole_").to_owned();
        let doc = format!("docs/resources/{short}.md");
        problems.extend(check_doc(&doc, &r.schema().block));
        for example in ["resource.tf", "import.sh"] {
            problems.extend(check_embeds_example(
                &doc,
                &format!("examples/resources/{}/{example}", r.type_name()),
            ));
        }
        expected.push(short);
    }
    expected.sort();
    let found = doc_names("docs/resources");
    if found != expected {
        problems.push(format!(
            "docs/resources/ has docs for {found:?}; the provider has resources {expected:?}"
        ));
    }
    assert_no_problems(problems);
}

// ---------------------------------------------------------------------------
// Self-tests of the renderer and the splice, so the checks above fail for the
// right reason.

fn sample_block() -> Block {
    let s = Type::String;
    Block {
        description: "",
        attributes: vec![
            Attribute::required("name", s.clone(), "The name."),
            Attribute::optional("secret", s.clone(), "A secret.").sensitive(),
            Attribute::optional_computed("count", Type::Number, "How many. Default 1."),
            Attribute::optional("labels", Type::set(s.clone()), ""),
            Attribute::computed("id", s.clone(), "The ID."),
        ],
        blocks: vec![NestedBlock {
            type_name: "ci",
            nesting: Nesting::List,
            min_items: 0,
            max_items: 1,
            block: Block {
                description: "A pipeline.",
                attributes: vec![
                    Attribute::required("subjects", Type::list(s.clone()), "Subjects."),
                    Attribute::optional("audience", s, "Audience."),
                ],
                ..Block::default()
            },
        }],
    }
}

#[test]
fn renders_tfplugindocs_layout() {
    let want = "\
## Schema

### Required

- `name` (String) The name.

### Optional

- `ci` (Block List, Max: 1) A pipeline. (see [below for nested schema](#nestedblock--ci))
- `count` (Number) How many. Default 1.
- `labels` (Set of String)
- `secret` (String, Sensitive) A secret.

### Read-Only

- `id` (String) The ID.

<a id=\"nestedblock--ci\"></a>
### Nested Schema for `ci`

Required:

- `subjects` (List of String) Subjects.

Optional:

- `audience` (String) Audience.
";
    assert_eq!(render_schema_section(&sample_block()), want);
}

#[test]
fn splice_replaces_only_the_schema_section() {
    let doc = "\
---
page_title: x
---

# x

Prose that stays.

```shell
## Schema inside a fence is not a heading
```

## Schema

- `old` (String) Old.

## Import

More prose that stays.
";
    let spliced = splice_schema(doc, "## Schema\n\n- `new` (String) New.\n").unwrap();
    let want = "\
---
page_title: x
---

# x

Prose that stays.

```shell
## Schema inside a fence is not a heading
```

## Schema

- `new` (String) New.

## Import

More prose that stays.
";
    assert_eq!(spliced, want);
    // Splicing is idempotent.
    assert_eq!(
        splice_schema(&spliced, "## Schema\n\n- `new` (String) New.\n").unwrap(),
        want
    );
}

#[test]
fn splice_at_the_end_of_a_doc_and_without_a_section() {
    let doc = "# x\n\nProse.\n\n## Schema\n\n- `old` (String)\n";
    assert_eq!(
        splice_schema(doc, "## Schema\n\n- `new` (String)\n").unwrap(),
        "# x\n\nProse.\n\n## Schema\n\n- `new` (String)\n"
    );
    assert!(splice_schema("# x\n\n## Arguments\n", "## Schema\n").is_err());
}

#[test]
fn stale_message_points_at_the_first_difference() {
    let msg = first_difference(
        "## Schema\n\n- `a` (String) A.\n",
        "## Schema\n\n- `a` (String) B.",
    );
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("A.") && msg.contains("B."), "{msg}");
}
