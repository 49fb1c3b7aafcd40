# A branch job, release branches only, and every job (trust-policy-unpinned's).
resource "aws_iam_role" "deploy" {
  name = "jenkins-deploy"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/jenkins.acme.com/oidc" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com"
          "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/app/job/main/"
        }
      }
    }, {
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/jenkins.acme.com/oidc" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike = { "jenkins.acme.com/oidc:sub" = ["https://jenkins.acme.com/job/app/job/release-*/", "https://jenkins.acme.com/*"] }
      }
    }]
  })
}
