resource "aws_iam_openid_connect_provider" "jenkins" {
  url             = "https://jenkins.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

data "aws_iam_policy_document" "app" {
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

resource "aws_iam_role" "app" {
  name               = "jenkins-app"
  assume_role_policy = data.aws_iam_policy_document.app.json
}

resource "aws_iam_role" "release" {
  name = "jenkins-release"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com"
          "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/app/job/main/"
        }
        StringNotLike = { "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/*/job/PR-*/" }
      }
    }]
  })
}

resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://jenkins.acme.com/oidc"
  bound_issuer       = "https://jenkins.acme.com/oidc"
}

# role_type is not set: Vault takes oidc.
resource "vault_jwt_auth_backend_role" "app" {
  backend           = vault_jwt_auth_backend.jenkins.path
  role_name         = "app"
  bound_audiences   = ["vault"]
  bound_claims_type = "glob"
  bound_claims = {
    sub          = "https://jenkins.acme.com/job/app/*"
    build_number = "*"
  }
  user_claim = "sub"
}

resource "google_iam_workload_identity_pool_provider" "team" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "team"
  attribute_mapping                  = { "google.subject" = "assertion.sub" }
  attribute_condition                = "assertion.sub.startsWith('https://jenkins.acme.com/job/team/')"
  oidc {
    issuer_uri = "https://jenkins.acme.com/oidc/job/team"
  }
}

resource "google_iam_workload_identity_pool_provider" "other" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "other"
  oidc {
    issuer_uri = var.issuer
  }
}

resource "azuread_application_federated_identity_credential" "app" {
  application_id = azuread_application.app.id
  display_name   = "jenkins-app"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://jenkins.acme.com/oidc"
  subject        = "https://jenkins.acme.com/job/app/job/main/"
}

# A branch the tool cannot know: undecided for app's jobs, not for others.
resource "aws_iam_role" "branch" {
  name = "jenkins-branch"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com"
          "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/app/job/${var.branch}/"
        }
      }
    }]
  })
}
