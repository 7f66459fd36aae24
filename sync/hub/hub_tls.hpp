// TLS material for the hub: a self-signed development certificate and the public-key pin
// terminals check (curl's CURLOPT_PINNEDPUBLICKEY form, "sha256//<base64>").
#pragma once

#include <string>
#include <vector>

namespace jf::hub {

// Writes an ECDSA P-256 key and a self-signed certificate valid for `hosts` (DNS names or IP
// addresses; localhost and 127.0.0.1 are always included). The key file is created mode 0600.
bool make_dev_certificate(const std::string& cert_path, const std::string& key_path,
                          const std::vector<std::string>& hosts, int days, std::string* error);

// The pin of the certificate's public key (first certificate in the PEM file); empty on failure.
std::string public_key_pin(const std::string& cert_path, std::string* error = nullptr);

} // namespace jf::hub
