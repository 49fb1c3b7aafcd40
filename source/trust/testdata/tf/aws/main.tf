# The oidc-provider plugin's README example, as Terraform.
resource "aws_iam_openid_connect_provider" "jenkins" {
  url             = "https://jenkins.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_iam_role" "readme" {
  name               = "jenkins-my-job"
  assume_role_policy = <<EOF
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::1234567890:oidc-provider/jenkins.acme.com/oidc"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "jenkins.acme.com/oidc:aud": "sts.amazonaws.com",
                    "jenkins.acme.com/oidc:sub": "https://jenkins.acme.com/job/my-job/"
                }
            }
        }
    ]
}
EOF
}

resource "aws_iam_role" "flush" {
  name = "jenkins-flush"
  assume_role_policy = <<-POLICY
    {
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "${aws_iam_openid_connect_provider.jenkins.arn}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringLike": {"jenkins.acme.com/oidc:sub": "https://jenkins.acme.com/job/${var.team}/*"}}
      }]
    }
  POLICY
}

resource "aws_iam_role" "encoded" {
  name = "jenkins-encoded"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com"
          "${local.host}:sub"         = "https://jenkins.acme.com/job/app/job/main/"
        }
      }
    }]
  })
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.jenkins.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(aws_iam_openid_connect_provider.jenkins.url, "https://", "")}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "jenkins.acme.com/oidc:sub"
      values   = ["https://jenkins.acme.com/job/app/*"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "jenkins-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}
