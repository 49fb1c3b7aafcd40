resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://jenkins.acme.com/oidc"
}

# No trailing slash.
resource "vault_jwt_auth_backend_role" "deploy" {
  backend         = vault_jwt_auth_backend.jenkins.path
  role_name       = "deploy"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  bound_subject   = "https://jenkins.acme.com/job/deploy"
  user_claim      = "sub"
}

# The folder's name without /job/, and another host.
resource "vault_jwt_auth_backend_role" "team" {
  backend           = vault_jwt_auth_backend.jenkins.path
  role_name         = "team"
  role_type         = "jwt"
  bound_audiences   = ["vault"]
  bound_claims_type = "glob"
  bound_claims = {
    sub = "https://jenkins.acme.com/job/team/app/*,https://ci.acme.com/job/team/*"
  }
  user_claim = "sub"
}

resource "azuread_application_federated_identity_credential" "deploy" {
  application_id = azuread_application.deploy.id
  display_name   = "jenkins-deploy"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://jenkins.acme.com/oidc"
  subject        = "https://Jenkins.acme.com/job/deploy/"
}
