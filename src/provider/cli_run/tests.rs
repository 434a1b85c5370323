//! Which command lines count as a destroy.

use super::{is_destroy, is_planning};

fn check(line: &str, env: &[(&str, &str)]) -> bool {
    let args: Vec<String> = line.split(' ').map(str::to_owned).collect();
    is_destroy(&args, |name| {
        env.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    })
}

#[test]
fn destroy_commands() {
    for line in [
        "terraform destroy",
        "/usr/bin/tofu destroy -auto-approve -input=false",
        "terraform -chdir=infra destroy",
        "terraform apply -destroy -auto-approve",
        "terraform plan --destroy",
        "tofu apply -input=false -destroy=true",
    ] {
        assert!(check(line, &[]), "{line}");
    }
}

#[test]
fn other_commands() {
    for line in [
        "terraform",
        "terraform plan",
        "terraform apply -auto-approve",
        "terraform apply destroy.tfplan",
        "terraform plan -destroy=false",
        "terraform -chdir=destroy plan",
        "terraform import eksrole_team_access.x c/destroy",
    ] {
        assert!(!check(line, &[]), "{line}");
    }
}

#[test]
fn cli_args_from_the_environment() {
    assert!(check(
        "terraform apply",
        &[("TF_CLI_ARGS_apply", "-destroy")]
    ));
    assert!(check(
        "terraform plan",
        &[("TF_CLI_ARGS", "-no-color -destroy")]
    ));
    assert!(!check(
        "terraform plan",
        &[("TF_CLI_ARGS_apply", "-destroy")]
    ));
}

#[test]
fn planning_commands() {
    let args = |line: &str| line.split(' ').map(str::to_owned).collect::<Vec<_>>();
    for line in [
        "terraform plan",
        "/usr/bin/tofu apply -auto-approve",
        "terraform -chdir=infra destroy",
        "terraform plan -destroy -out=p",
    ] {
        assert!(is_planning(&args(line)), "{line}");
    }
    for line in [
        "terraform validate",
        "terraform import eksrole_team_access.a prod/dev",
        "terraform refresh",
        "terraform",
        "tofu -chdir=plan validate",
    ] {
        assert!(!is_planning(&args(line)), "{line}");
    }
}
