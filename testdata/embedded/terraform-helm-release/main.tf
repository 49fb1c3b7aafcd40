# The controller is deployed with the official chart by Terraform; its
# JCasC lives in the release's values heredoc.
resource "helm_release" "jenkins" {
  name       = "jenkins"
  repository = "https://charts.jenkins.io"
  chart      = "jenkins"
  version    = "5.9.53"

  values = [
    <<-EOT
      controller:
        installPlugins:
          - oic-auth:4.668.v2c5ff8ec1a_43
        JCasC:
          configScripts:
            security: |
              jenkins:
                securityRealm:
                  oic:
                    clientId: jenkins
                    clientSecret: "${var.oidc_client_secret}"
                    serverConfiguration:
                      wellKnown:
                        wellKnownOpenIDConfigurationUrl: "http://sso.acme.io/.well-known/openid-configuration"
                    disableSslVerification: true
    EOT
  ]
}

resource "aws_iam_openid_connect_provider" "jenkins" {
  url            = "https://jenkins.acme.io/oidc"
  client_id_list = ["sts.amazonaws.com"]
}
