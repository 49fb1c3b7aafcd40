// Allman braces, chains across lines, every string form
node
{
    stage('Edge')
    {
        def msg = 'it\'s'
        def path = "${env.WORKSPACE}/bin:${env.PATH}"
        def nested = "outer ${ [a: "inner ${x.y} }"].a } done"
        def gs = "$a.b.c. and $d"
        sh('echo ' + msg + " \"${path}\"")
        sh 'printf "\\t\\x41"'
        def list = items
            .findAll { it.enabled }
            .collect { it.name }
        String cmd = '''\
curl -k https://no-leading-newline
'''
        sh cmd
        if (x > 1 && y < 2) { sh 'true' } else if (z) sh 'false' else { echo 'none' }
        switch (mode) {
            case 'a':
                sh 'mode a'
                break
            default:
                sh 'mode default'
        }
        def total = [1, 2, 3].sum() / 2
        def rx = ~/https?:\/\/.*/
        sh script: "echo ${total}"
    }
}
