resource "google_iam_workload_identity_pool" "jenkins" {
  workload_identity_pool_id = "jenkins"
}

resource "google_iam_workload_identity_pool_provider" "jenkins" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.jenkins.workload_identity_pool_id
  workload_identity_pool_provider_id = "static"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
    "attribute.job"  = "assertion['job_name']"
  }
  attribute_condition = "assertion.sub.startsWith('https://jenkins.acme.com/job/deploy/') && attribute.job in ['deploy', 'release']"
  oidc {
    issuer_uri = "https://jenkins.acme.com/oidc"
  }
}

resource "google_iam_workload_identity_pool_provider" "open" {
  workload_identity_pool_id          = "jenkins"
  workload_identity_pool_provider_id = "open"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  oidc {
    issuer_uri        = var.jenkins_issuer
    allowed_audiences = ["https://iam.googleapis.com/projects/12345678/locations/global/workloadIdentityPools/jenkins/providers/open"]
  }
}

resource "google_iam_workload_identity_pool_provider" "complex" {
  workload_identity_pool_id          = "jenkins"
  workload_identity_pool_provider_id = "complex"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = <<-CEL
    google.subject == "https://jenkins.acme.com/job/a/" || google.subject == "https://jenkins.acme.com/job/b/"
  CEL
  oidc {
    issuer_uri = "https://jenkins.acme.com/oidc"
  }
}
