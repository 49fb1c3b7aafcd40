resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://ci.example.com/oidc"
  bound_issuer       = "https://ci.example.com/oidc"
}

# A build parameter and a branch name: any job can set or have them.
resource "vault_jwt_auth_backend_role" "prod" {
  backend         = vault_jwt_auth_backend.jenkins.path
  role_name       = "prod-deploy"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  bound_claims = {
    deploy_env = "production"
    branch     = "main"
  }
  user_claim     = "sub"
  token_policies = ["prod-secrets"]
}

# Only an audience.
resource "vault_jwt_auth_backend_role" "any" {
  backend         = "jenkins"
  role_name       = "ci"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  user_claim      = "sub"
}
