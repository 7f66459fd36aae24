// `jobfair-hub serve`: the HTTPS front of HubService (cpp-httplib with OpenSSL).
#pragma once

#include <memory>
#include <string>

namespace jf::hub {

struct ServeConfig {
    std::string listen = "127.0.0.1";
    int port = 8443; // 0: any free port (see HubServer::port())
    std::string cert, key, data_dir = "hub-data";
    int workers = 64;               // connections served at once (keep-alive holds a worker)
    size_t max_payload = 16u << 20; // largest request body accepted
    int keep_alive_max = 1000;      // requests per connection
    int keep_alive_timeout_s = 15;  // idle keep-alive connection closed after this
    int read_timeout_s = 15, write_timeout_s = 15;
};

// Reads `key = value` lines (# comments) into `cfg`; unknown keys are an error.
bool load_config(const std::string& path, ServeConfig& cfg, std::string* error);

class HubServer {
  public:
    HubServer();
    ~HubServer();
    // Opens the store, loads the certificate and binds; false and `error` on any failure.
    bool start(const ServeConfig& cfg, std::string* error);
    int port() const;
    const std::string& pin() const;
    void run();  // serves until stop()
    void stop(); // safe from another thread

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace jf::hub
