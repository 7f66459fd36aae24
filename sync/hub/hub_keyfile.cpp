// The hub's sealing key file (see hub_keyfile.hpp).
#include "sync/hub/hub_keyfile.hpp"

#include "platform/log/private_files.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace jf::hub {

namespace {
constexpr const char* kMagic = "JFSEAL1";
// Argon2id cost for the passphrase: 3 passes over 64 MiB (about a quarter second here).
constexpr unsigned long long kOps = 3;
constexpr size_t kMem = 64u << 20;

bool derive(const std::string& pass, const Bytes& salt, unsigned long long ops, size_t mem,
            Bytes& key) {
    key.assign(crypto_secretbox_KEYBYTES, 0);
    return crypto_pwhash(key.data(), key.size(), pass.data(), pass.size(), salt.data(), ops, mem,
                         crypto_pwhash_ALG_ARGON2ID13) == 0;
}
} // namespace

std::string seal_key_path(const std::string& data_dir) {
    return (std::filesystem::path(data_dir) / "hub-seal.key").string();
}

std::optional<std::string> key_passphrase(std::string* error) {
    if (const char* p = std::getenv("JF_HUB_KEY_PASSPHRASE"); p && *p) return std::string(p);
    if (const char* f = std::getenv("JF_HUB_KEY_PASSPHRASE_FILE"); f && *f) {
        std::ifstream in(f);
        std::string line;
        if (!in || !std::getline(in, line) || line.empty()) {
            if (error) *error = std::string(f) + ": cannot read the key passphrase";
            return std::string(); // configured but unusable: callers refuse
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    return std::nullopt;
}

bool write_seal_key(const std::string& path, const BoxKeyPair& k,
                    const std::optional<std::string>& pass, std::string* error) {
    if (!crypto_init() || k.public_key.size() != 32 || k.secret_key.size() != 32) {
        if (error) *error = "the sealing key is malformed";
        return false;
    }
    std::string line;
    if (pass) {
        if (pass->empty()) {
            if (error) *error = "the key passphrase is empty";
            return false;
        }
        Bytes salt = random_bytes(crypto_pwhash_SALTBYTES);
        Bytes nonce = random_bytes(crypto_secretbox_NONCEBYTES);
        Bytes key;
        if (!derive(*pass, salt, kOps, kMem, key)) {
            if (error) *error = "not enough memory to protect the key";
            return false;
        }
        Bytes box(k.secret_key.size() + crypto_secretbox_MACBYTES);
        crypto_secretbox_easy(box.data(), k.secret_key.data(), k.secret_key.size(), nonce.data(),
                              key.data());
        sodium_memzero(key.data(), key.size());
        line = std::string(kMagic) + " argon2id " + std::to_string(kOps) + " " +
               std::to_string(kMem) + " " + hex(salt) + " " + hex(nonce) + " " + hex(k.public_key) +
               " " + hex(box);
    } else {
        line = std::string(kMagic) + " plain " + hex(k.public_key) + " " + hex(k.secret_key);
    }
    std::string tmp = path + ".new";
    std::string why;
    if (!files::create_private(tmp, &why)) {
        if (error) *error = why;
        return false;
    }
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << line << "\n";
        out.flush();
        if (!out) {
            if (error) *error = tmp + ": cannot write";
            std::remove(tmp.c_str());
            return false;
        }
    }
    sodium_memzero(line.data(), line.size());
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        if (error) *error = path + ": cannot write";
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

std::optional<BoxKeyPair>
read_seal_key(const std::string& path, const std::optional<std::string>& pass, std::string* error) {
    auto refuse = [&](const std::string& why) -> std::optional<BoxKeyPair> {
        if (error) *error = path + ": " + why;
        return std::nullopt;
    };
    std::ifstream in(path);
    if (!in) return refuse("cannot read the sealing key file");
    std::string magic, form;
    in >> magic >> form;
    if (magic != kMagic) return refuse("not a sealing key file");
    BoxKeyPair k;
    auto hex_field = [&](size_t want) -> Bytes {
        std::string h;
        in >> h;
        auto b = from_hex(h);
        return b && b->size() == want ? *b : Bytes();
    };
    if (form == "plain") {
        k.public_key = hex_field(32);
        k.secret_key = hex_field(32);
    } else if (form == "argon2id") {
        unsigned long long ops = 0;
        size_t mem = 0;
        in >> ops >> mem;
        Bytes salt = hex_field(crypto_pwhash_SALTBYTES);
        Bytes nonce = hex_field(crypto_secretbox_NONCEBYTES);
        k.public_key = hex_field(32);
        Bytes box = hex_field(32 + crypto_secretbox_MACBYTES);
        if (salt.empty() || nonce.empty() || box.empty() || ops == 0 || mem == 0 ||
            mem > (1ull << 32))
            return refuse("the sealing key file is damaged");
        if (!pass || pass->empty())
            return refuse("the sealing key is protected: set JF_HUB_KEY_PASSPHRASE or "
                          "JF_HUB_KEY_PASSPHRASE_FILE");
        Bytes key;
        if (!derive(*pass, salt, ops, mem, key)) return refuse("not enough memory to open the key");
        k.secret_key.assign(32, 0);
        bool ok = crypto_secretbox_open_easy(k.secret_key.data(), box.data(), box.size(),
                                             nonce.data(), key.data()) == 0;
        sodium_memzero(key.data(), key.size());
        if (!ok) return refuse("wrong passphrase for the sealing key");
    } else {
        return refuse("not a sealing key file");
    }
    if (k.public_key.size() != 32 || k.secret_key.size() != 32)
        return refuse("the sealing key file is damaged");
    // The pair must belong together: a mixed-up file would seal to a key nobody holds.
    Bytes derived(32);
    crypto_scalarmult_base(derived.data(), k.secret_key.data());
    if (derived != k.public_key) return refuse("the sealing key file is damaged");
    return k;
}

std::string moved_keys_dir(const std::string& data_dir) {
    return (std::filesystem::path(data_dir) / "moved-keys").string();
}

std::vector<BoxKeyPair> read_moved_seal_keys(const std::string& data_dir) {
    std::vector<BoxKeyPair> out;
    std::error_code ec;
    auto pass = key_passphrase();
    for (auto& e : std::filesystem::directory_iterator(moved_keys_dir(data_dir), ec))
        if (e.path().extension() == ".key")
            if (auto k = read_seal_key(e.path().string(), pass, nullptr)) out.push_back(*k);
    return out;
}

} // namespace jf::hub
