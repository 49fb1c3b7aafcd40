resource "aws_iam_openid_connect_provider" "jenkins" {
  url             = "https://jenkins.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

# Every job on the controller.
data "aws_iam_policy_document" "all_jobs" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.jenkins.arn]
    }
    condition {
      test     = "StringLike"
      variable = "jenkins.acme.com/oidc:sub"
      values   = ["https://jenkins.acme.com/*"]
    }
  }
}

resource "aws_iam_role" "all_jobs" {
  name               = "jenkins-all-jobs"
  assume_role_policy = data.aws_iam_policy_document.all_jobs.json
}

# A leading wildcard: a job named deploy in any folder.
resource "aws_iam_role" "any_deploy" {
  name = "jenkins-any-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com" }
        StringLike   = { "jenkins.acme.com/oidc:sub" = "*/job/deploy/" }
      }
    }]
  })
}

# Only excludes pull requests.
resource "aws_iam_role" "not_prs" {
  name               = "jenkins-not-prs"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/jenkins.acme.com/oidc"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
      "StringEquals": {"jenkins.acme.com/oidc:aud": "sts.amazonaws.com"},
      "StringNotLike": {"jenkins.acme.com/oidc:sub": "https://jenkins.acme.com/job/*/job/PR-*/"}
    }
  }]
}
EOF
}
