resource "vault_jwt_auth_backend" "jwt" {
  path               = "jwt"
  oidc_discovery_url = "https://jenkins.acme.com/oidc"
  bound_issuer       = "https://jenkins.acme.com/oidc"
}

resource "vault_jwt_auth_backend_role" "my_role" {
  backend         = vault_jwt_auth_backend.jwt.path
  role_name       = "my-role"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  bound_subject   = "https://jenkins.acme.com/job/oidc-folder/job/oidc-job/"
  user_claim      = "sub"
}
