resource "aws_iam_openid_connect_provider" "jenkins" {
  url             = "https://jenkins.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_iam_role" "deploy" {
  name = "jenkins-deploy"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "jenkins.acme.com/oidc:aud" = "sts.amazonaws.com"
          "jenkins.acme.com/oidc:sub" = "https://jenkins.acme.com/job/site/"
        }
      }
    }]
  })
}
