resource "azuread_application_federated_identity_credential" "jenkins" {
  application_id = azuread_application.deploy.id
  display_name   = "jenkins"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://ci.example.com/oidc"
  subject        = "jenkins-ci"
}
