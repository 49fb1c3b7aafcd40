def call(String role) {
    withCredentials([string(credentialsId: 'vault-jwt', variable: 'VAULT_JWT')]) {
        sh """
            set -o xtrace
            vault write -field=token auth/jwt/login role=${role} jwt="\$VAULT_JWT" > .vault-token
        """
        echo "jwt: ${VAULT_JWT}"
    }
}
