# The chart's values built by yamlencode(): Terraform evaluates them, the
# tool does not, so the release is named in a note instead of passing
# unchecked in silence.
resource "helm_release" "jenkins" {
  name       = "jenkins"
  repository = "https://charts.jenkins.io"
  chart      = "jenkins"

  values = [yamlencode({
    controller = {
      JCasC = {
        configScripts = {
          security = file("${path.module}/casc/security.yaml")
        }
      }
    }
  })]
}
