// Development certificates and public-key pins with the OpenSSL 3 API.
#include "sync/hub/hub_tls.hpp"

#include "kiosk/crypto/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

namespace jf::hub {
namespace {

template <class T, void (*F)(T*)> struct Free {
    void operator()(T* p) const { F(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Free<X509, X509_free>>;

void fclose_file(FILE* f) {
    std::fclose(f);
}
using File = std::unique_ptr<FILE, Free<FILE, fclose_file>>;

bool add_ext(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

bool is_ip(const std::string& h) {
    unsigned char buf[16];
    return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

} // namespace

bool make_dev_certificate(const std::string& cert_path, const std::string& key_path,
                          const std::vector<std::string>& hosts, int days, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    PKey key(EVP_EC_gen("P-256"));
    if (!key) return fail("cannot generate a P-256 key");
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    Bytes serial = random_bytes(16);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    std::string cn = hosts.empty() ? "localhost" : hosts.front();
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("jobfair-hub development"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    std::string san = "DNS:localhost,IP:127.0.0.1";
    for (auto& h : hosts)
        if (h != "localhost" && h != "127.0.0.1") san += (is_ip(h) ? ",IP:" : ",DNS:") + h;
    // Self-signed: the certificate is its own trust anchor, so terminals can use it as their CA.
    if (!add_ext(cert.get(), NID_subject_alt_name, san) ||
        !add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
        !add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") ||
        !add_ext(cert.get(), NID_ext_key_usage, "serverAuth") ||
        !add_ext(cert.get(), NID_subject_key_identifier, "hash"))
        return fail("cannot build the certificate extensions");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return fail("cannot sign the certificate");

    int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return fail("cannot write " + key_path);
    File kf(fdopen(fd, "w"));
    if (!kf ||
        PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return fail("cannot write " + key_path);
    File cf(std::fopen(cert_path.c_str(), "w"));
    if (!cf || PEM_write_X509(cf.get(), cert.get()) != 1) return fail("cannot write " + cert_path);
    return true;
}

std::string public_key_pin(const std::string& cert_path, std::string* error) {
    File f(std::fopen(cert_path.c_str(), "r"));
    if (!f) {
        if (error) *error = "cannot read " + cert_path;
        return {};
    }
    Cert cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        if (error) *error = cert_path + " is not a PEM certificate";
        return {};
    }
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(X509_get0_pubkey(cert.get()), &der);
    if (len <= 0) {
        if (error) *error = "cannot read the certificate's public key";
        return {};
    }
    Bytes digest(SHA256_DIGEST_LENGTH);
    SHA256(der, static_cast<size_t>(len), digest.data());
    OPENSSL_free(der);
    return "sha256//" + base64(digest);
}

} // namespace jf::hub
