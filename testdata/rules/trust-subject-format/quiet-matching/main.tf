resource "aws_iam_role" "deploy" {
  name = "jenkins-deploy"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/jenkins.acme.com/oidc" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/team/job/deploy/" }
        StringLike   = { "jenkins.acme.com/oidc:sub" = ["https://jenkins.acme.com/job/team/*", "*/job/deploy/", "https://jenkins.acme.com/job/${var.job}/"] }
      }
    }]
  })
}
