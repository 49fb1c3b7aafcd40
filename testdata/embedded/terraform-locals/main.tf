# The controller's JCasC is written in locals and handed to the chart
# elsewhere (yamlencode, a ConfigMap): each string that is a JCasC document
# is checked at this file's lines and columns, and a fix writes Terraform's
# escape ($${VAR}) where JCasC reads a variable.
locals {
  oidc_client_id = "jenkins"

  jcasc_security = <<-EOT
    jenkins:
      securityRealm:
        oic:
          clientId: "${local.oidc_client_id}"
          clientSecret: "fake-4KfPq9ZmW2xTr7LbN3vY"
          serverConfiguration:
            wellKnown:
              wellKnownOpenIDConfigurationUrl: "https://sso.acme.io/realms/ci/.well-known/openid-configuration"
          disableSslVerification: true
    EOT

  casc = {
    agents = "jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      clientSecret: \"fake-8HsWq2LnX5cVb9RtK4mZ\"\n"
    banner = <<-EOT
      %{ if true }
      jenkins:
        systemMessage: "managed by Terraform"
      %{ endif }
    EOT
  }
}

variable "casc_defaults" {
  type    = string
  default = <<EOT
unclassified:
  location:
    url: "https://jenkins.acme.io/"
jenkins:
  authorizationStrategy:
    globalMatrix:
      entries:
        - group:
            name: "anonymous"
            permissions: ["Overall/Administer"]
EOT
}

resource "helm_release" "jenkins" {
  name   = "jenkins"
  chart  = "jenkins"
  values = [yamlencode({ controller = { JCasC = { configScripts = local.casc } } })]
}
