resource "aws_iam_openid_connect_provider" "jenkins" {
  url             = "https://jenkins.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_iam_role" "deploy" {
  name = "jenkins-deploy"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com"
          "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/deploy/"
        }
      }
    }]
  })
}

resource "google_iam_workload_identity_pool_provider" "jenkins" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "jenkins"
  attribute_mapping                  = { "google.subject" = "assertion.sub" }
  attribute_condition                = "assertion.sub == 'https://jenkins.acme.com/job/deploy/'"
  oidc {
    issuer_uri = "https://jenkins.acme.com/oidc"
  }
}

resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://jenkins.acme.com/oidc"
}

# No bound_audiences: Vault refuses tokens that carry an aud.
resource "vault_jwt_auth_backend_role" "deploy" {
  backend       = vault_jwt_auth_backend.jenkins.path
  role_name     = "deploy"
  role_type     = "jwt"
  bound_subject = "https://jenkins.acme.com/job/deploy/"
  user_claim    = "sub"
}

resource "azurerm_federated_identity_credential" "deploy" {
  name                = "jenkins-deploy"
  resource_group_name = "ci"
  parent_id           = azurerm_user_assigned_identity.deploy.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://jenkins.acme.com/oidc"
  subject             = "https://jenkins.acme.com/job/deploy/"
}
