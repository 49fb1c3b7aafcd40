# gcloud iam workload-identity-pools create $POOL --location=global
resource "google_iam_workload_identity_pool" "pool" {
  workload_identity_pool_id = "your-pool-name"
}

# gcloud iam workload-identity-pools providers create-oidc $PROVIDER \
#   --workload-identity-pool=$POOL --issuer-uri=$ISSUER --location=global \
#   --attribute-mapping=google.subject=assertion.sub
resource "google_iam_workload_identity_pool_provider" "static" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.pool.workload_identity_pool_id
  workload_identity_pool_provider_id = "static"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  oidc {
    issuer_uri = "https://jenkins/oidc"
  }
}

# gcloud iam service-accounts add-iam-policy-binding $SA --role=roles/iam.workloadIdentityUser \
#   --member="principalSet://iam.googleapis.com/projects/$PROJECT/locations/global/workloadIdentityPools/$POOL/*"
resource "google_service_account_iam_member" "deploy" {
  service_account_id = "projects/your-project/serviceAccounts/some-sa@your-project.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/12345678/locations/global/workloadIdentityPools/your-pool-name/*"
}
