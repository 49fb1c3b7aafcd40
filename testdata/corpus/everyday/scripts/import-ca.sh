#!/bin/sh
# Imports the corporate root CA into the JDK's trust store and builds the
# controller's HTTPS keystore. The JDK ships cacerts with the well-known
# password "changeit"; the HTTPS keystore's password comes from a secret.
set -eu

# export KEYSTORE_PASSWORD=changeme   # for local runs only
# export JENKINS_API_TOKEN=<your token>
# export GITHUB_TOKEN=$(gh auth token)
: "${KEYSTORE_PASSWORD:?set KEYSTORE_PASSWORD}"

CACERTS="$JAVA_HOME/lib/security/cacerts"
keytool -importcert -noprompt -trustcacerts -alias corp-root-ca \
  -file corp-root-ca.crt -keystore "$CACERTS" -storepass changeit
keytool -list -keystore "$CACERTS" -storepass changeit -alias corp-root-ca

keytool -genkeypair -alias jenkins -keyalg RSA -keysize 3072 -validity 365 \
  -dname "CN=jenkins.corp.internal" -keystore jenkins.jks \
  -storepass "$KEYSTORE_PASSWORD" -keypass "$KEYSTORE_PASSWORD"
keytool -importkeystore -srckeystore jenkins.jks -srcstorepass:env KEYSTORE_PASSWORD \
  -destkeystore jenkins.p12 -deststoretype PKCS12 -deststorepass:env KEYSTORE_PASSWORD

sha256sum jenkins.p12 > jenkins.p12.sha256
