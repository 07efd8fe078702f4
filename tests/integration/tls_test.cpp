// TLS on the daemon's own listener: with [http] tls_cert and tls_key it speaks HTTPS only (a
// plain HTTP client gets no answer), a login's cookie is marked Secure, the API works as
// before; a key that is not the certificate's, or a missing file, refuses the start and
// check-config names the file. The certificate is made here (OpenSSL), for 127.0.0.1.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>

#include "common/digits.hpp"
#include "process.hpp"
#include "test_support.hpp"

namespace fulfil::test {
namespace {

// A self-signed certificate for IP 127.0.0.1 and its key, as PEM files.
void make_certificate(const std::filesystem::path& cert, const std::filesystem::path& key) {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, pkey);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(x, pkey, EVP_sha256());
  FILE* f = std::fopen(cert.c_str(), "w");
  PEM_write_X509(f, x);
  std::fclose(f);
  f = std::fopen(key.c_str(), "w");
  PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(x);
  EVP_PKEY_free(pkey);
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct Answer {
  long status = 0;
  std::string body, headers;
};

// A request that trusts only `ca` (empty: plain HTTP).
Answer call(const std::string& url, const std::string& ca, const std::string& post_body = {}) {
  Answer a;
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (!ca.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!post_body.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body.c_str());
  }
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  return a;
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    make_certificate(cert, key);
    write_file(cfg, "[http]\nlisten = \"127.0.0.1:0\"\ntls_cert = \"" + cert.string() +
                        "\"\ntls_key = \"" + key.string() + "\"\n[store]\nurl = \"sqlite:" +
                        (dir / "store.db").string() + "\"\n[printing]\nenabled = false\n");
  }
  TempDir dir;
  std::filesystem::path cert = dir / "cert.pem", key = dir / "key.pem", cfg = dir / "fulfild.toml";
};

TEST_F(Tls, TheDaemonSpeaksHttpsOnlyAndItsLoginCookieIsSecure) {
  write_file(dir / "password", "correct horse battery 电池\n");
  std::filesystem::permissions(
      dir / "password", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto added = run_program(FULFILD_BINARY,
                           {"--config", cfg.string(), "user", "add", "li", "--role", "packer",
                            "--password-file", (dir / "password").string()},
                           dir.path());
  ASSERT_EQ(added.status, 0) << added.err;
  Process d(FULFILD_BINARY,
            {"--config", cfg.string(), "--port-file", (dir / "port").string(), "run"}, dir.path());
  ASSERT_TRUE(eventually([&] {
    return std::filesystem::exists(dir / "port") && !read_file(dir / "port").empty();
  })) << d.stderr_text();
  std::string text = read_file(dir / "port");
  text.erase(text.find_last_not_of(" \n") + 1);
  const auto number = parse_digits(text);
  ASSERT_TRUE(number && *number > 0 && *number < 65536) << "port file: " << text;
  const std::string port = std::to_string(*number);
  const std::string https = "https://127.0.0.1:" + port;
  ASSERT_TRUE(eventually([&] { return call(https + "/readyz", cert.string()).status == 200; }))
      << d.stderr_text();
  EXPECT_EQ(call("http://127.0.0.1:" + port + "/readyz", "").status, 0)
      << "plain HTTP gets no answer";
  EXPECT_EQ(call(https + "/readyz", (dir / "nothing.pem").string()).status, 0)
      << "a client that does not trust the certificate does not talk";

  auto login = call(https + "/api/v1/session", cert.string(),
                    R"({"user":"li","password":"correct horse battery 电池"})");
  EXPECT_EQ(login.status, 200) << login.body;
  EXPECT_NE(login.headers.find("HttpOnly; SameSite=Strict"), std::string::npos) << login.headers;
  EXPECT_NE(login.headers.find("; Secure"), std::string::npos) << login.headers;
  EXPECT_EQ(call(https + "/api/v1/parcels", cert.string()).status, 401);
  EXPECT_EQ(d.stderr_text().find("without TLS"), std::string::npos) << "no warning: it has TLS";
}

TEST_F(Tls, AKeyThatIsNotTheCertificatesOrAMissingFileRefusesTheStart) {
  const auto other_cert = dir / "other.pem", other_key = dir / "other-key.pem";
  make_certificate(other_cert, other_key);
  write_file(cfg, "[http]\nlisten = \"127.0.0.1:0\"\ntls_cert = \"" + cert.string() +
                      "\"\ntls_key = \"" + other_key.string() + "\"\n[store]\nurl = \"sqlite:" +
                      (dir / "store.db").string() + "\"\n[printing]\nenabled = false\n");
  auto checked =
      run_program(FULFILD_BINARY, {"--config", cfg.string(), "check-config"}, dir.path());
  EXPECT_NE(checked.status, 0);
  EXPECT_NE(checked.err.find("is not the key of the certificate"), std::string::npos)
      << checked.err;
  auto run = run_program(FULFILD_BINARY, {"--config", cfg.string(), "run"}, dir.path(), {},
                         std::chrono::seconds(30));
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("is not the key of the certificate"), std::string::npos) << run.err;

  write_file(cfg, "[http]\ntls_cert = \"" + (dir / "missing.pem").string() + "\"\ntls_key = \"" +
                      key.string() + "\"\n[printing]\nenabled = false\n");
  checked = run_program(FULFILD_BINARY, {"--config", cfg.string(), "check-config"}, dir.path());
  EXPECT_NE(checked.err.find("http.tls_cert: cannot use " + (dir / "missing.pem").string()),
            std::string::npos)
      << checked.err;
  write_file(cfg, "[http]\ntls_cert = \"" + cert.string() + "\"\n");
  checked = run_program(FULFILD_BINARY, {"--config", cfg.string(), "check-config"}, dir.path());
  EXPECT_NE(checked.err.find("TLS needs both tls_cert and tls_key"), std::string::npos)
      << checked.err;
}

}  // namespace
}  // namespace fulfil::test
