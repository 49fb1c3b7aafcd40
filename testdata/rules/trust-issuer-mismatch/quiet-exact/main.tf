# A folder's issuer: its credentials may be defined in the UI.
resource "vault_jwt_auth_backend" "team" {
  path               = "team"
  oidc_discovery_url = "https://jenkins.acme.com/oidc/job/team"
}

resource "vault_jwt_auth_backend_role" "team" {
  backend         = "team"
  role_name       = "team"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  bound_subject   = "https://jenkins.acme.com/job/team/job/deploy/"
  user_claim      = "sub"
}

# The credential's issuer override.
resource "azuread_application_federated_identity_credential" "external" {
  application_id = azuread_application.deploy.id
  display_name   = "jenkins-external"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://issuer.acme.com/jenkins"
  subject        = "https://jenkins.acme.com/job/deploy/"
}

# A variable, and another issuer.
resource "google_iam_workload_identity_pool_provider" "jenkins" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "jenkins"
  attribute_condition                = "assertion.sub == 'https://jenkins.acme.com/job/deploy/'"
  oidc {
    issuer_uri = "${var.jenkins_url}/oidc"
  }
}

resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "github"
  attribute_condition                = "assertion.repository == 'acme/app'"
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
