package secrets

import "testing"

func TestIsSecretName(t *testing.T) {
	secret := []string{
		"password", "Password", "PASSWORD", "passwd", "pwd", "DB_PASS", "db_password",
		"DBPASSWORD", "dbpassword", "passphrase", "keystorePassword", "trustStorePassword",
		"secret", "clientSecret", "client_secret", "client-secret", "CLIENT_SECRET",
		"escapeHatchSecret", "webhookSecret", "secrets",
		"token", "GITHUB_TOKEN", "githubtoken", "apiToken", "api_token", "authToken",
		"access_token", "accessToken", "refresh_token", "id_token", "JENKINS_API_TOKEN",
		"OKTA_API_TOKEN", "_authToken", "GH_PAT", "pat",
		"apiKey", "api_key", "API-KEY", "x-api-key", "APIKey", "apikey", "privateKey",
		"private_key", "secretKey", "secret_key", "aws_secret_access_key",
		"AWS_SECRET_ACCESS_KEY", "SecretAccessKey", "accessKey", "signingKey",
		"encryptionKey", "sshKey", "masterKey", "credentials", "credential", "creds",
		"auth", "Authorization", "bearer", "env.PASSWORD", "spring.datasource.password",
		"--password", "--token", "--client-secret", "secretId", "secret_id",
		"PASSWORD_PROD", "previous_password", "resetToken", "verifyToken",
		// dotted phrases, judged across segments (benchmark misses)
		"aws.secret.access.key", "db.password", "jwt.signing.key", "app.api.key", "oidc.client.secret",
		// sync, next, page… negate only a token
		"SYNC_PASSWORD", "sync_password", "syncPassword", "BILLING_PASSWORD", "next_secret", "page_password",
	}
	notSecret := []string{
		"", "user", "username", "clientId", "client_id", "issuer", "key", "keyId", "name",
		"credentialsId", "credentialId", "credentials_id", "CREDENTIALS_ID", "jobCredentialsId",
		"passwordVariable", "usernameVariable", "tokenVariable", "keyFileVariable",
		"tokenServerUrl", "token_endpoint", "tokenEndpoint", "token_endpoint_auth_method",
		"token_endpoint_auth_methods_supported", "id_token_signing_alg_values_supported",
		"secretName", "secret_name", "secretKeyRef", "secretRef", "passwordFile", "tokenFile",
		"password.file", "passwordLength", "password_min_length", "passwordPolicy",
		"passwordless", "passwordReset", "tokenExpirationSeconds", "token_ttl",
		"tokenType", "token_type", "publicKey", "public_key", "csrfToken", "xsrf-token",
		"nextPageToken", "maxTokens", "max_tokens", "isSecret", "hasPassword", "usePassword",
		"withCredentials", "privateKeySource", "private_key_id", "authMethod", "authType",
		"author", "authorization_endpoint", "secretary", "tokenizer", "tokens_count",
		"PasswordAuthentication", "passThrough", "keyword", "primaryKey", "monkey",
		"bypass", "compass", "passport", "secretsmanager", "secretStore",
		"code_challenge_methods_supported",
		"aws.access.key.id", "ssh.public.key", "public.key", "token.realm", "secret.key.id", "password.reset.url",
		"syncToken", "sync_token", "SYNC_TOKEN", "cancellationToken", "continuationToken",
		"page_token", "deltaToken", "resumeToken", "x" + string(make([]byte, 90)),
	}
	for _, n := range secret {
		if !IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = false, want true", n)
		}
	}
	for _, n := range notSecret {
		if IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = true, want false", n)
		}
	}
}

// A field that is one secret word holds one secret: whatever is under it (a
// list, a map) is the secret. Structures that contain one are not.
func TestIsSecretWord(t *testing.T) {
	for _, n := range []string{"password", "PASSWORD", "clientSecret", "client_secret", "apiToken", "api-key",
		"privateKey", "secretKey", "secret_key", "passphrase", "token", "spring.datasource.password", "accessKey", "passwd"} {
		if !IsSecretWord(n) {
			t.Errorf("IsSecretWord(%q) = false, want true", n)
		}
	}
	for _, n := range []string{"usernamePassword", "idToken", "basicSSHUserPrivateKey", "credentials", "domainCredentials",
		"imagePullSecrets", "secrets", "tokens", "hookSecretConfigs", "auth", "credentialsId", "secretName", "escapeHatchSecret", ""} {
		if IsSecretWord(n) {
			t.Errorf("IsSecretWord(%q) = true, want false", n)
		}
	}
}
