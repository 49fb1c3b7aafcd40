resource "aws_iam_role" "readme" {
  name               = "jenkins-my-job"
  assume_role_policy = <<EOF
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::1234567890:oidc-provider/jenkins.acme.com/oidc"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "jenkins.acme.com/oidc:aud": "sts.amazonaws.com",
                    "jenkins.acme.com/oidc:sub": "https://jenkins.acme.com/job/my-job/"
                }
            }
        }
    ]
}
EOF
}

# vault auth enable jwt
# vault write auth/jwt/config oidc_discovery_url="<Issuer URI>" bound_issuer="<Issuer URI>" default_role=my-role
resource "vault_jwt_auth_backend" "jwt" {
  path               = "jwt"
  oidc_discovery_url = "https://jenkins.acme.com/oidc/job/oidc-folder"
  bound_issuer       = "https://jenkins.acme.com/oidc/job/oidc-folder"
  default_role       = "my-role"
}

# vault write auth/jwt/role/my-role name=my-role role_type=jwt policies=my-policy \
#     bound_subject="https://jenkins/job/oidc-folder/job/oidc-job/" user_claim=sub
resource "vault_jwt_auth_backend_role" "my_role" {
  backend        = vault_jwt_auth_backend.jwt.path
  role_name      = "my-role"
  role_type      = "jwt"
  token_policies = ["my-policy"]
  bound_subject  = "https://jenkins.acme.com/job/oidc-folder/job/oidc-job/"
  user_claim     = "sub"
}

resource "azurerm_federated_identity_credential" "deploy" {
  name                = "jenkins-deploy"
  resource_group_name = "ci"
  parent_id           = azurerm_user_assigned_identity.deploy.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://jenkins.acme.com/oidc"
  subject             = "https://jenkins.acme.com/job/deploy/"
}

resource "google_iam_workload_identity_pool_provider" "deploy" {
  workload_identity_pool_id          = "jenkins"
  workload_identity_pool_provider_id = "deploy"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = "assertion.sub == 'https://jenkins.acme.com/job/deploy/'"
  oidc {
    issuer_uri = "https://jenkins.acme.com/oidc"
  }
}
