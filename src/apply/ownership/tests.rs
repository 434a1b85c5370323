//! Tests of what apply may touch: ownership by tags or by the prior state,
//! add-on associations, and the import hint of a refusal.

use std::collections::BTreeMap;

use super::*;
use crate::intent::role::default_role_name;

fn owner() -> Owner<'static> {
    Owner::TeamAccess {
        cluster: "prod",
        name: "devs",
    }
}

fn claim(role_id: Option<&'static str>) -> Claim<'static> {
    Claim {
        owner: owner(),
        role_id,
        association_id: Some("a-1"),
        access_entry_arn: None,
        creating: false,
        completion: Completion::AccessEntry,
    }
}

fn role(name: &str, role_id: &str, tags: BTreeMap<String, String>) -> ObservedRole {
    ObservedRole {
        name: name.to_owned(),
        path: "/".to_owned(),
        arn: format!("arn:aws:iam::111122223333:role/{name}"),
        role_id: role_id.to_owned(),
        description: None,
        trust_policy: "{}".to_owned(),
        max_session_duration: 3600,
        permissions_boundary: None,
        tags,
        create_date_epoch: None,
    }
}

fn association(
    id: &str,
    tags: BTreeMap<String, String>,
    owner_arn: Option<&str>,
) -> ObservedPodIdentityAssociation {
    ObservedPodIdentityAssociation {
        association_id: id.to_owned(),
        association_arn: format!(
            "arn:aws:eks:us-east-1:111122223333:podidentityassociation/prod/{id}"
        ),
        cluster_name: "prod".to_owned(),
        namespace: "ns".to_owned(),
        service_account: "sa".to_owned(),
        role_arn: "arn:aws:iam::111122223333:role/other".to_owned(),
        target_role_arn: None,
        disable_session_tags: false,
        external_id: None,
        policy: None,
        tags,
        owner_arn: owner_arn.map(str::to_owned),
        created_at_epoch: Some(1_700_000_100),
    }
}

#[test]
fn a_role_is_ours_by_its_tags_or_the_prior_state() {
    let tagged = role("r", "AROA1", owner().ownership_tags());
    let untagged = role("r", "AROA1", BTreeMap::new());
    assert!(claim(None).owns_role(&tagged));
    assert!(!claim(None).owns_role(&untagged));
    assert!(claim(Some("AROA1")).owns_role(&untagged));
    assert!(!claim(Some("AROA2")).owns_role(&untagged));
    let other = Owner::TeamAccess {
        cluster: "prod",
        name: "ops",
    };
    assert!(!claim(None).owns_role(&role("r", "AROA1", other.ownership_tags())));
}

#[test]
fn an_add_on_association_is_never_ours() {
    let c = claim(None);
    assert!(c.owns_association(&association("a-9", owner().ownership_tags(), None)));
    assert!(c.owns_association(&association("a-1", BTreeMap::new(), None)));
    assert!(!c.owns_association(&association("a-9", BTreeMap::new(), None)));
    let addon = "arn:aws:eks:us-east-1:111122223333:addon/prod/x/1";
    assert!(!c.owns_association(&association("a-1", owner().ownership_tags(), Some(addon))));
    let refusal = c.association_refusal(&association("a-9", BTreeMap::new(), Some(addon)), "r");
    assert_eq!(refusal.attribute, "service_account");
    assert!(refusal.detail.contains(addon), "{}", refusal.detail);
}

#[test]
fn the_import_hint_names_a_custom_role() {
    let c = claim(None);
    let default = default_role_name(&owner());
    assert_eq!(
        c.import_command(&default),
        "terraform import eksrole_team_access.<name> prod/devs"
    );
    assert_eq!(
        c.import_command("admin"),
        "terraform import eksrole_team_access.<name> prod/devs/admin"
    );
    let refusal = c.role_refusal(&role("admin", "AROA1", BTreeMap::new()));
    assert_eq!(refusal.attribute, "role_name");
    assert!(refusal.detail.contains("prod/devs/admin"));
    assert!(!refusal.detail.contains("delete"), "{}", refusal.detail);
}

#[test]
fn a_complete_intent_is_refused_with_the_import_command() {
    let c = Claim {
        creating: true,
        ..claim(None)
    };
    let refusal = c.complete_refusal(
        &role("admin", "AROA1", owner().ownership_tags()),
        "role_name",
        "arn:aws:eks:us-east-1:111122223333:access-entry/prod/role/111122223333/admin/x",
    );
    assert_eq!(refusal.attribute, "role_name");
    assert_eq!(
        refusal.summary,
        "Already managed by another Terraform state"
    );
    for expected in [
        "terraform import eksrole_team_access.<name> prod/devs/admin",
        "access entry",
        "adopts",
        "create_before_destroy",
    ] {
        assert!(
            refusal.detail.contains(expected),
            "{expected}: {}",
            refusal.detail
        );
    }
    assert!(!refusal.detail.contains("delete"), "{}", refusal.detail);
}
