use super::*;

#[test]
fn patterns_overlap_like_string_like() {
    for (a, b) in [
        ("repo:o/r:pull_request", "*:pull_request"),
        ("repo:o/r:*", "*:pull_request"),
        ("repo:o/*", "*:pull_request"),
        ("repo:o/r:pull_reques?", "*:pull_request"),
        ("*", "anything"),
        ("a*c", "ab*"),
        ("", ""),
        ("?", "x"),
    ] {
        assert!(patterns_overlap(a, b), "{a} ~ {b}");
        assert!(patterns_overlap(b, a), "{b} ~ {a}");
    }
    for (a, b) in [
        ("repo:o/r:ref:refs/heads/main", "*:pull_request"),
        ("repo:o/r:environment:prod", "*:pull_request"),
        ("a?", "a"),
        ("abc", "abd"),
        ("x*", "y*"),
    ] {
        assert!(!patterns_overlap(a, b), "{a} !~ {b}");
        assert!(!patterns_overlap(b, a), "{b} !~ {a}");
    }
}

#[test]
fn shared_issuers_are_found_by_host() {
    assert_eq!(
        shared_issuer("app.terraform.io").map(|i| i.service),
        Some("HCP Terraform (Terraform Cloud)")
    );
    assert_eq!(
        shared_issuer("oidc.circleci.com/org/0f1e2d3c-aaaa-bbbb-cccc-000000000000").map(|i| i.host),
        Some("oidc.circleci.com")
    );
    assert_eq!(
        shared_issuer("api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc")
            .map(|i| i.host),
        Some("api.bitbucket.org")
    );
    assert!(shared_issuer("oidc.eks.eu-west-1.amazonaws.com/id/ABC").is_none());
    assert!(shared_issuer("gitlab.example.com").is_none());
}

#[test]
fn a_subject_must_write_its_tenant_out() {
    let cases = [
        ("token.actions.githubusercontent.com", "repo:my-org/*", true),
        ("token.actions.githubusercontent.com", "repo:*", false),
        (
            "token.actions.githubusercontent.com",
            "repo:my-org*/x",
            false,
        ),
        ("gitlab.com", "project_path:grp/*", true),
        ("gitlab.com", "project_path:*", false),
        ("gitlab.com", "*/app:*", false),
        ("app.terraform.io", "organization:acme:project:*", true),
        ("app.terraform.io", "organization:*", false),
        ("app.terraform.io", "organization:ac*:project:x", false),
        (
            "app.terraform.io",
            "*:workspace:prod:run_phase:apply",
            false,
        ),
        ("agent.buildkite.com", "organization:acme:pipeline:*", true),
        ("agent.buildkite.com", "*", false),
        ("oidc.circleci.com/org/1", "org/1/project/*", true),
        ("oidc.circleci.com/org/1", "*/project/2/user/*", false),
        (
            "api.bitbucket.org/2.0/workspaces/w/pipelines-config/identity/oidc",
            "{abc}:*",
            true,
        ),
        (
            "api.bitbucket.org/2.0/workspaces/w/pipelines-config/identity/oidc",
            "*:{step}",
            false,
        ),
        (
            "api.bitbucket.org/2.0/workspaces/w/pipelines-config/identity/oidc",
            "{ab*",
            false,
        ),
    ];
    for (issuer, subject, pinned) in cases {
        let Some(shared) = shared_issuer(issuer) else {
            panic!("{issuer} is shared");
        };
        assert_eq!(shared.pins_tenant(subject), pinned, "{issuer} {subject}");
    }
}

#[test]
fn every_example_pins_its_tenant() {
    for issuer in SHARED_CI_ISSUERS {
        assert!(issuer.pins_tenant(issuer.example), "{}", issuer.example);
    }
}

#[test]
fn github_pull_request_subjects() {
    let gh = "token.actions.githubusercontent.com";
    assert!(admits_github_pull_requests(gh, "repo:o/r:pull_request"));
    assert!(admits_github_pull_requests(gh, "repo:o/r:*"));
    assert!(admits_github_pull_requests(gh, "repo:o/*"));
    assert!(admits_github_pull_requests(gh, "*"));
    assert!(!admits_github_pull_requests(
        gh,
        "repo:o/r:ref:refs/heads/main"
    ));
    assert!(!admits_github_pull_requests(
        gh,
        "repo:o/r:ref:refs/heads/*"
    ));
    assert!(!admits_github_pull_requests(gh, "repo:o/r:environment:*"));
    assert!(!admits_github_pull_requests(
        "gitlab.com",
        "project_path:g/p:*"
    ));
}
