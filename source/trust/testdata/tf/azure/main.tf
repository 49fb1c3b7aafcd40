resource "azuread_application_federated_identity_credential" "jenkins" {
  application_id = azuread_application.deploy.id
  display_name   = "jenkins-deploy"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://jenkins.acme.com/oidc"
  subject        = "https://jenkins.acme.com/job/deploy/"
}

resource "azurerm_federated_identity_credential" "jenkins" {
  name                = "jenkins"
  resource_group_name = azurerm_resource_group.ci.name
  parent_id           = azurerm_user_assigned_identity.ci.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://jenkins.acme.com/oidc/"
  subject             = "https://jenkins.acme.com/job/${var.job}/"
}
