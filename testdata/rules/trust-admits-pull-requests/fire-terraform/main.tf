resource "aws_iam_openid_connect_provider" "jenkins" {
  url             = "https://jenkins.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.jenkins.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "jenkins.acme.com/oidc:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "jenkins.acme.com/oidc:sub"
      values   = ["https://jenkins.acme.com/job/app/*"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "jenkins-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}

resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://jenkins.acme.com/oidc"
}

resource "vault_jwt_auth_backend_role" "branches" {
  backend           = vault_jwt_auth_backend.jenkins.path
  role_name         = "branches"
  role_type         = "jwt"
  bound_audiences   = ["vault"]
  bound_claims_type = "glob"
  bound_claims = {
    sub = "https://jenkins.acme.com/job/lib/job/main/,https://jenkins.acme.com/job/app/job/*"
  }
  user_claim = "sub"
}

resource "google_iam_workload_identity_pool_provider" "deploy" {
  workload_identity_pool_id          = "jenkins"
  workload_identity_pool_provider_id = "deploy"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = "assertion.sub.startsWith('https://jenkins.acme.com/job/platform/job/infra/')"
  oidc {
    issuer_uri = "https://jenkins.acme.com/oidc"
  }
}
