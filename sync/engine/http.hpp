// A small HTTPS client on one libcurl easy handle (so keep-alive reuses the connection), with
// TLS verification always on and the hub's public key pinned. Internal to the sync engine.
#pragma once

#include "sync/engine/engine.hpp"

#include <string>

namespace jf::sync {

struct HttpReply {
    bool transport_ok = false; // false: no HTTP answer (error_key says why)
    long status = 0;
    std::string body;
    TimeMs hub_date = 0;        // the Date header, 0 if absent
    int64_t retry_after_ms = 0; // the Retry-After header (429: the hub's rate limit), 0 if absent
    TimeMs sent_at = 0, received_at = 0;
    std::string error_key; // sync.err.* for transport failures
    std::string detail;
};

class HttpClient {
  public:
    HttpClient(const SyncOptions& options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Trust: the PEM text to use as CA (empty: system CAs) and the pin (empty: none yet).
    void set_trust(std::string ca_pem, std::string pin);
    void set_token(std::string token) { token_ = std::move(token); }

    HttpReply post(const std::string& url, const std::string& json);
    HttpReply get(const std::string& url);

  private:
    HttpReply perform(const std::string& url, const std::string* body);
    void* curl_;
    SyncOptions opt_;
    std::string ca_pem_, pin_, token_;
};

// The translation key for an HTTP error answer (uses the hub's error code when it is known).
std::string http_error_key(const HttpReply& r, std::string* detail);

} // namespace jf::sync
