def call(String host) {
    sshagent(credentials: ['deploy_key']) {
        sh "ssh deploy@${host} ./release.sh"
    }
}
