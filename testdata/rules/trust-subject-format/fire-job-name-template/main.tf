# The templates make sub "jenkins:<job>", this pins a job URL.
data "aws_iam_policy_document" "deploy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/jenkins.acme.com/oidc"]
    }
    condition {
      test     = "StringEquals"
      variable = "jenkins.acme.com/oidc:sub"
      values   = ["https://jenkins.acme.com/job/deploy/", "jenkins:deploy"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "jenkins-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}
