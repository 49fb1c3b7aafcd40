resource "helm_release" "jenkins" {
  name       = "jenkins"
  repository = "https://charts.jenkins.io"
  chart      = "jenkins"

  values = [
    <<-EOT
      controller:
        jenkinsUrl: https://jenkins.acme.com/
        JCasC:
          configScripts:
            oidc: |
              credentials:
                system:
                  domainCredentials:
                  - credentials:
                    - idToken:
                        id: aws
                        audience: sts.amazonaws.com
              unclassified:
                location:
                  url: "${var.jenkins_url}"
    EOT
    ,
    file("${path.module}/values/jenkins.yaml"),
    yamlencode({ controller = { numExecutors = 0 } }),
  ]
}
