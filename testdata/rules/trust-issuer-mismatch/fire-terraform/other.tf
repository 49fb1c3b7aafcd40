# http instead of https.
resource "google_iam_workload_identity_pool_provider" "jenkins" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "jenkins"
  attribute_mapping                  = { "google.subject" = "assertion.sub" }
  attribute_condition                = "assertion.sub == 'https://jenkins.acme.com/job/deploy/'"
  oidc {
    issuer_uri = "http://jenkins.acme.com/oidc"
  }
}

# The root URL without /oidc.
resource "azuread_application_federated_identity_credential" "deploy" {
  application_id = azuread_application.deploy.id
  display_name   = "jenkins-deploy"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://jenkins.acme.com"
  subject        = "https://jenkins.acme.com/job/deploy/"
}

# The discovery URL is right, bound_issuer has a trailing slash.
resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://jenkins.acme.com/oidc"
  bound_issuer       = "https://jenkins.acme.com/oidc/"
}

resource "vault_jwt_auth_backend_role" "deploy" {
  backend         = vault_jwt_auth_backend.jenkins.path
  role_name       = "deploy"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  bound_subject   = "https://jenkins.acme.com/job/deploy/"
  user_claim      = "sub"
}
