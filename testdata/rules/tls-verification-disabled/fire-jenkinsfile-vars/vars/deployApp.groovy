// Shared-library step: deployApp(cluster: 'https://k8s.internal.example')
def call(Map config = [:]) {
    withEnv(["KUBE_API=${config.cluster}"]) {
        sh """
            kubectl --server=\$KUBE_API \\
                    --insecure-skip-tls-verify=true \\
                    apply -f ${config.manifests ?: 'k8s/'}
        """
    }
    env.NODE_TLS_REJECT_UNAUTHORIZED = 0
}
