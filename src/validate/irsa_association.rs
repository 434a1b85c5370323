//! IRSA beside a Pod Identity association: an IRSA intent removes the
//! service account's association only when it owns it (one left from this
//! intent's Pod Identity days, carrying its ownership tags). Any other one
//! stays — apply never deletes what eksrole did not create — and the plan
//! says so on `mechanism`, since it gives the same pods a second identity.

use crate::aws::eks;
use crate::aws::AwsClients;
use crate::intent::tags::owned_by;
use crate::intent::workload_identity::WorkloadIdentityInput;

use super::{aws_problem, Problem};

/// The warning for an association of the service account that this intent
/// does not own (another tool's, or an EKS add-on's); none when there is no
/// association or it carries this intent's tags.
pub async fn irsa_association_check(c: &AwsClients, input: &WorkloadIdentityInput) -> Vec<Problem> {
    let found = eks::find_pod_identity_association(
        c,
        &input.cluster_name,
        &input.namespace,
        &input.service_account,
        None,
    )
    .await;
    let association = match found {
        Ok(Some(a)) => a,
        Ok(None) => return vec![],
        Err(e) => {
            let problem = aws_problem(
                &["mechanism"],
                "Could not look up the service account's Pod Identity association",
                &e,
            );
            return vec![Problem {
                warning: true,
                ..problem
            }];
        }
    };
    if association.owner_arn.is_none() && owned_by(&association.tags, &input.owner()) {
        return vec![];
    }
    let owner = match &association.owner_arn {
        Some(addon) => format!("the EKS add-on {addon} owns it"),
        None => "it does not carry this intent's ownership tags".to_owned(),
    };
    vec![Problem::warning(
        &["mechanism"],
        "Pod Identity association left in place",
        format!(
            "Cluster {:?} has a Pod Identity association ({}) for service account {}/{} pointing at {}; {owner}, so apply leaves it \
             in place (eksrole never deletes what it did not create). Pods of this service account then get two identities: the \
             Pod Identity agent's credentials for that role and this IRSA role's web identity token. Which one an AWS SDK uses \
             depends on its credential provider chain, so the pods may not run with this role. Remove the association (or let its \
             owner remove it), or use another service account.",
            association.cluster_name,
            association.association_id,
            association.namespace,
            association.service_account,
            association.role_arn,
        ),
    )]
}
