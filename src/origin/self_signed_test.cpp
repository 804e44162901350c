#include "src/origin/self_signed.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace condspec {
namespace {

TEST(SelfSignedIdentity, ACertificateForLocalhostAnd127001ThatSignsItself) {
  auto identity = make_self_signed_identity();
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_TRUE(identity->certificate_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
  EXPECT_TRUE(identity->key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));

  BIO* bio = BIO_new_mem_buf(identity->certificate_pem.data(),
                             static_cast<int>(identity->certificate_pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_host(cert, "example.com", 0, 0, nullptr), 0);
  EVP_PKEY* key = X509_get0_pubkey(cert);
  EXPECT_EQ(X509_verify(cert, key), 1);  // its own issuer
  X509_free(cert);
  EXPECT_NE(make_self_signed_identity()->key_pem, identity->key_pem);  // a new key each time
}

}  // namespace
}  // namespace condspec
