# The issuer is a variable: the tool does not guess which controller it names.
resource "google_iam_workload_identity_pool_provider" "jenkins" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "jenkins"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  oidc {
    issuer_uri = var.jenkins_issuer
  }
}

# Another issuer (GitHub Actions): not this tool's to judge.
data "aws_iam_policy_document" "github" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

# A subject built from a variable may pin a job.
resource "aws_iam_role" "team" {
  name = "jenkins-team"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/jenkins.acme.com/oidc" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike = { "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/${var.team}/*" }
      }
    }]
  })
}
