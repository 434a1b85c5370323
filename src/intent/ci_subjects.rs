//! What a CI OIDC trust's `sub` patterns admit: the OIDC issuers shared by
//! many tenants (organisations, workspaces) and how each one's subject names
//! the tenant, so a wildcard subject that reaches past its own tenant is
//! refused; and whether a pattern admits GitHub `pull_request` workflows.
//!
//! The subject formats come from each CI service's documentation
//! (`docs/design/trust-policy-rules.md`, "Subjects of shared CI issuers").
//! IAM's `StringLike` matches `*` (any run of characters, none included) and
//! `?` (one character); [`patterns_overlap`] decides whether two such
//! patterns match a common subject. Pure: no I/O.

use std::collections::BTreeSet;

/// An OIDC issuer that signs tokens for every customer of a CI service, and
/// where its subject names the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedIssuer {
    /// The issuer's host, as the IAM OIDC provider ARN names it.
    pub host: &'static str,
    /// The CI service, as messages name it.
    pub service: &'static str,
    /// What the service calls a tenant.
    pub tenant: &'static str,
    /// What a subject starts with before the tenant; `None` when the
    /// subject's layout can be customised (GitHub's subject templates), and
    /// the tenant is then whatever comes before the first `end`.
    pub start: Option<&'static str>,
    /// The character that ends the tenant in the subject.
    pub end: char,
    /// A subject with the tenant written out.
    pub example: &'static str,
}

/// The shared issuers eksrole knows. CircleCI and Bitbucket issue per
/// organisation or workspace (their issuer URL names it), so a wildcard there
/// reaches every project of that tenant: the rule asks for the tenant's part of
/// the subject all the same, so the pattern says whose tokens it admits.
pub const SHARED_CI_ISSUERS: [SharedIssuer; 6] = [
    SharedIssuer {
        host: "token.actions.githubusercontent.com",
        service: "GitHub Actions",
        tenant: "organisation",
        start: None,
        end: '/',
        example: "repo:my-org/my-app:*",
    },
    SharedIssuer {
        host: "gitlab.com",
        service: "GitLab.com",
        tenant: "group",
        start: Some("project_path:"),
        end: '/',
        example: "project_path:my-group/my-app:ref_type:branch:ref:main",
    },
    SharedIssuer {
        host: "app.terraform.io",
        service: "HCP Terraform (Terraform Cloud)",
        tenant: "organization",
        start: Some("organization:"),
        end: ':',
        example: "organization:my-org:project:my-project:workspace:*:run_phase:apply",
    },
    SharedIssuer {
        host: "agent.buildkite.com",
        service: "Buildkite",
        tenant: "organization",
        start: Some("organization:"),
        end: ':',
        example: "organization:my-org:pipeline:my-pipeline:ref:refs/heads/main:commit:*:step:*",
    },
    SharedIssuer {
        host: "oidc.circleci.com",
        service: "CircleCI",
        tenant: "organization",
        start: Some("org/"),
        end: '/',
        example: "org/ORGANIZATION_ID/project/PROJECT_ID/user/*",
    },
    SharedIssuer {
        host: "api.bitbucket.org",
        service: "Bitbucket Pipelines",
        tenant: "repository",
        start: Some("{"),
        end: '}',
        example: "{REPOSITORY_UUID}:*",
    },
];

/// The GitHub Actions issuer, whose `pull_request` subjects draw a warning.
pub const GITHUB_ISSUER_HOST: &str = "token.actions.githubusercontent.com";
/// The subjects of GitHub workflows run for a pull request,
/// `repo:<owner>/<repo>:pull_request`; the owner and repository hold neither
/// `/` nor `:` ([`NAME_SEPARATORS`]).
pub const GITHUB_PULL_REQUEST_SUBJECTS: &str = "repo:*/*:pull_request";
/// What a `*` of [`GITHUB_PULL_REQUEST_SUBJECTS`] never matches (a git ref
/// cannot hold `:` either, so `…:ref:refs/heads/*` admits no pull request).
pub const NAME_SEPARATORS: [char; 2] = ['/', ':'];

/// The shared issuer of an OIDC provider (`host[/path]` after
/// `oidc-provider/`), matched by host.
pub fn shared_issuer(issuer_host_path: &str) -> Option<&'static SharedIssuer> {
    let host = issuer_host_path
        .split_once('/')
        .map_or(issuer_host_path, |(host, _)| host);
    SHARED_CI_ISSUERS
        .iter()
        .find(|i| i.host.eq_ignore_ascii_case(host))
}

impl SharedIssuer {
    /// True when `subject`'s literal part (before its first `*` or `?`)
    /// holds the whole tenant: the start, at least one character, the end.
    pub fn pins_tenant(&self, subject: &str) -> bool {
        let literal = subject
            .find(['*', '?'])
            .map_or(subject, |at| &subject[..at]);
        let rest = match self.start {
            Some(start) => match literal.strip_prefix(start) {
                Some(rest) => rest,
                None => return false,
            },
            None => literal,
        };
        rest.find(self.end).is_some_and(|at| at > 0)
    }
}

/// True when `subject` (a `StringLike` pattern or an exact value) admits the
/// token of a GitHub workflow run for a pull request.
pub fn admits_github_pull_requests(issuer_host_path: &str, subject: &str) -> bool {
    shared_issuer(issuer_host_path).is_some_and(|i| i.host == GITHUB_ISSUER_HOST)
        && overlap(subject, GITHUB_PULL_REQUEST_SUBJECTS, &NAME_SEPARATORS)
}

/// True when some string matches both `StringLike` patterns (`*`: any run of
/// characters, `?`: one character, anything else itself). Walks the pairs of
/// positions both patterns can reach on a common prefix.
pub fn patterns_overlap(a: &str, b: &str) -> bool {
    overlap(a, b, &[])
}

/// [`patterns_overlap`] where a `*` of `b` matches no character of `b_star_excludes`.
fn overlap(a: &str, b: &str, b_star_excludes: &[char]) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut seen = BTreeSet::new();
    let mut todo = vec![(0usize, 0usize)];
    while let Some((i, j)) = todo.pop() {
        if !seen.insert((i, j)) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        // A star may match nothing.
        if x == Some('*') {
            todo.push((i + 1, j));
        }
        if y == Some('*') {
            todo.push((i, j + 1));
        }
        // Both consume one common character.
        if let (Some(x), Some(y)) = (x, y) {
            let wild = |c: char| c == '*' || c == '?';
            let excluded = y == '*' && !wild(x) && b_star_excludes.contains(&x);
            if !excluded && (wild(x) || wild(y) || x == y) {
                let next = |k: usize, c: char| if c == '*' { k } else { k + 1 };
                todo.push((next(i, x), next(j, y)));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests;
