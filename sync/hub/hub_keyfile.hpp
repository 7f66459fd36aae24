// The hub's sealing secret key in its own file, apart from hub.db (docs/privacy.md): a copy or
// backup of the database alone opens no ID or phone number.
//
// <data dir>/hub-seal.key, 0600, one line of text:
//   JFSEAL1 plain <public hex> <secret hex>
//   JFSEAL1 argon2id <opslimit> <memlimit> <salt hex> <nonce hex> <public hex> <box hex>
// The second form is written when a passphrase is given: JF_HUB_KEY_PASSPHRASE (the text itself)
// or JF_HUB_KEY_PASSPHRASE_FILE (a file holding it, first line). The secret is then sealed with
// XSalsa20-Poly1305 under a key stretched from the passphrase by Argon2id (libsodium).
//
// Index
// - seal_key_path()        where the file lives
// - key_passphrase()       the passphrase from the environment, if any
// - write_seal_key()       writes the file (0600, atomically: a temporary file renamed)
// - read_seal_key()        reads it back; a wrong or missing passphrase is told, never guessed
#pragma once

#include "kiosk/crypto/crypto.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jf::hub {

std::string seal_key_path(const std::string& data_dir);
// nullopt: no passphrase configured. A passphrase file that cannot be read gives `error`.
std::optional<std::string> key_passphrase(std::string* error = nullptr);
bool write_seal_key(const std::string& path, const BoxKeyPair& keys,
                    const std::optional<std::string>& passphrase, std::string* error);
std::optional<BoxKeyPair> read_seal_key(const std::string& path,
                                        const std::optional<std::string>& passphrase,
                                        std::string* error);

// The sealing keys of county hubs moved into this hub's database (jobfair-hub migrate), one file
// each in <data dir>/moved-keys/, in the same format: the counties' terminals seal to them, and
// reports open those people's numbers with them. Files that do not open are skipped.
std::string moved_keys_dir(const std::string& data_dir);
std::vector<BoxKeyPair> read_moved_seal_keys(const std::string& data_dir);

} // namespace jf::hub
