def call(String role) {
    withCredentials([string(credentialsId: 'vault-token', variable: 'VAULT_JWT')]) {
        sh "vault write -field=token auth/jwt/login role=${role} jwt=\"\$VAULT_JWT\" > .vault-token"
    }
}
