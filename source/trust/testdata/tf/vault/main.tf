resource "vault_jwt_auth_backend" "jenkins" {
  path               = "jenkins"
  oidc_discovery_url = "https://jenkins.acme.com/oidc/job/oidc-folder"
  bound_issuer       = "https://jenkins.acme.com/oidc/job/oidc-folder"
}

resource "vault_jwt_auth_backend_role" "my_role" {
  backend        = vault_jwt_auth_backend.jenkins.path
  role_name      = "my-role"
  role_type      = "jwt"
  token_policies = ["my-policy"]
  bound_subject  = "https://jenkins.acme.com/job/oidc-folder/job/oidc-job/"
  user_claim     = "sub"
}

resource "vault_jwt_auth_backend_role" "branches" {
  backend           = "jenkins"
  role_name         = "branches"
  bound_audiences   = ["vault"]
  bound_claims_type = "glob"
  bound_claims = {
    sub          = "https://jenkins.acme.com/job/app/job/*,https://jenkins.acme.com/job/lib/*"
    build_number = "*"
  }
  user_claim = "sub"
}
