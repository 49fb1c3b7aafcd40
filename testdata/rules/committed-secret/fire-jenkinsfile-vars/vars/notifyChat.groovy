// Shared-library step: notifyChat('deployed')
def call(String text) {
    def chatToken = 'Ab3$kq9'
    httpRequest url: "https://chat.corp.internal/api/post?text=${URLEncoder.encode(text, 'UTF-8')}",
                customHeaders: [[name: 'Authorization', value: "Bearer ${chatToken}", maskValue: true]]
}
