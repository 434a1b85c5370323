//! The service account's Pod Identity association at plan, judged by the
//! rule apply follows (`apply/ownership.rs`): an association is this
//! intent's when it carries its ownership tags or is the prior state's, and
//! never when an EKS add-on owns it (`ownerArn`).
//!
//! - Pod Identity, creating: another owner's association is an error on
//!   `service_account` (apply would refuse it and change nothing).
//! - IRSA: an IRSA intent removes the association only when it owns it (one
//!   left from this intent's Pod Identity days). Any other one stays — apply
//!   never deletes what eksrole did not create — and the plan warns on
//!   `mechanism`, since it gives the same pods a second identity.

use crate::aws::eks::ObservedPodIdentityAssociation;
use crate::aws::AwsClients;
use crate::intent::role::import_command;
use crate::intent::tags::owned_by;
use crate::intent::workload_identity::WorkloadIdentityInput;

use super::live::Lookups;
use super::replaced::PriorObjects;
use super::{aws_problem, Problem};

/// The service account's association (from the cluster's shared listing),
/// or the warning a failed look-up is.
async fn find(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    path: &'static str,
) -> Result<Option<ObservedPodIdentityAssociation>, Problem> {
    lookups
        .pod_identity_association(
            c,
            &input.cluster_name,
            &input.namespace,
            &input.service_account,
        )
        .await
        .map_err(|e| Problem {
            warning: true,
            ..aws_problem(
                &[path],
                "Could not look up the service account's Pod Identity association",
                &e,
            )
        })
}

/// Whether `a` is this intent's (see the module comment).
fn owns(
    input: &WorkloadIdentityInput,
    a: &ObservedPodIdentityAssociation,
    prior: Option<&PriorObjects>,
) -> bool {
    a.owner_arn.is_none()
        && (owned_by(&a.tags, &input.owner())
            || prior.and_then(|p| p.association_id.as_deref()) == Some(a.association_id.as_str()))
}

/// The add-on's name in its ARN (`arn:<p>:eks:<region>:<account>:addon/<cluster>/<name>/<id>`).
pub fn addon_name(owner_arn: &str) -> Option<&str> {
    let (_, path) = owner_arn.split_once(":addon/")?;
    let mut parts = path.split('/');
    let (_cluster, name) = (parts.next()?, parts.next()?);
    (!name.is_empty()).then_some(name)
}

/// Where an association points, and who owns it, as a detail says it.
fn described(a: &ObservedPodIdentityAssociation) -> String {
    let owner = match &a.owner_arn {
        Some(addon) => match addon_name(addon) {
            Some(name) => format!("the EKS add-on {name:?} owns it ({addon})"),
            None => format!("the EKS add-on {addon} owns it"),
        },
        None => "it does not carry this intent's ownership tags".to_owned(),
    };
    format!(
        "Cluster {:?} has a Pod Identity association ({}) for service account {}/{} pointing at {}; {owner}",
        a.cluster_name, a.association_id, a.namespace, a.service_account, a.role_arn,
    )
}

/// Pod Identity, when the plan creates the resource: the error for an
/// association of the service account that another owner holds.
pub async fn pod_identity_association_check(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    replaces: Option<&PriorObjects>,
) -> Vec<Problem> {
    let association = match find(lookups, c, input, "service_account").await {
        Ok(Some(a)) if !owns(input, &a, replaces) => a,
        Ok(_) => return vec![],
        Err(problem) => return vec![problem],
    };
    let how = match &association.owner_arn {
        Some(owner) => format!(
            "Only the add-on may change it, and apply never will: remove it from the add-on's configuration (aws eks update-addon --cluster-name {} --addon-name {} --pod-identity-associations ...), or use another service account.",
            input.cluster_name,
            addon_name(owner).unwrap_or("<add-on>"),
        ),
        None => {
            let command = import_command(&input.owner(), &input.effective_role_name());
            format!(
                "Apply would refuse it and change nothing. To manage it with this resource (apply then points it at this \
                 resource's role), import it: {command}. Otherwise use another service account."
            )
        }
    };
    vec![Problem::error(
        &["service_account"],
        "Pod Identity association already exists",
        format!("{}. {how}", described(&association)),
    )]
}

/// IRSA: the warning for an association of the service account that this
/// intent does not own (another tool's, or an EKS add-on's).
pub async fn irsa_association_check(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    prior: Option<&PriorObjects>,
) -> Vec<Problem> {
    let association = match find(lookups, c, input, "mechanism").await {
        Ok(Some(a)) if !owns(input, &a, prior) => a,
        Ok(_) => return vec![],
        Err(problem) => return vec![problem],
    };
    vec![Problem::warning(
        &["mechanism"],
        "Pod Identity association left in place",
        format!(
            "{}, so apply leaves it in place (eksrole never deletes what it did not create). Pods of this service account \
             then get two identities: the Pod Identity agent's credentials for that role and this IRSA role's web identity \
             token. Which one an AWS SDK uses depends on its credential provider chain, so the pods may not run with this \
             role. Remove the association (or let its owner remove it), or use another service account.",
            described(&association),
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::addon_name;

    #[test]
    fn addon_name_from_its_arn() {
        let arn = "arn:aws:eks:us-east-1:123456789012:addon/prod/aws-ebs-csi-driver/1ac9e5b2-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(addon_name(arn), Some("aws-ebs-csi-driver"));
        assert_eq!(addon_name("arn:aws:eks:us-east-1:1:cluster/prod"), None);
        assert_eq!(addon_name("arn:aws:eks:us-east-1:1:addon/prod"), None);
    }
}
