// `jobfair-hub serve`: the HTTPS front of HubService, an event-driven server (Boost.Beast/Asio with
// OpenSSL) built to stay up under hostile clients. docs/hub-server.md explains the design.
//
// Index
// - ServeConfig   every limit and deadline, with its default (config file keys in load_config)
// - HubServer     start (lock the data directory, open the store, bind), run, stop
//
// Web paths (sync/hub/web/web.hpp) take the same steps up to the route; then the web rate per
// address, the route's body limit, and the WebApp on a worker, whose answer carries its headers.
//
// Recipe: a request goes TLS handshake → header (size, count, request line and deadline checked)
// → route and method → per-address rate → token (HubService::authorise, before any body byte) →
// per-terminal rate → declared length → body (its own deadline) → HubService → answer. Every
// refusal is a JSON error answer, a structured log line and a metrics counter.
#pragma once

#include <memory>
#include <string>

namespace jf::hub {

struct ServeConfig {
    std::string listen = "127.0.0.1";
    int port = 8443; // 0: any free port (see HubServer::port())
    std::string cert, key, data_dir = "hub-data";
    // postgresql://… : the store is that database (several hub processes may share it); empty:
    // <data_dir>/hub.db. The sealing key file is in data_dir either way.
    std::string database;
    int workers = 8;    // threads running HubService calls (database, signature checks)
    int io_threads = 0; // threads running TLS and HTTP parsing; 0: one per core, at least 4
    // Sizes.
    size_t max_payload = 16u << 20;     // largest upload body (POST /v1/events)
    size_t max_enrol_body = 256u << 10; // largest enrolment body (sent before any token exists)
    size_t max_header_bytes = 8u << 10; // request line and every header together
    size_t max_header_count = 64;       // header lines
    size_t max_target = 4u << 10;       // request target (path and query)
    // Deadlines, each for a whole phase (a slow client cannot stretch one by trickling bytes).
    int handshake_timeout_s = 10;  // TCP accept to completed TLS handshake
    int header_timeout_s = 10;     // handshake to complete request header (first request)
    int keep_alive_timeout_s = 15; // previous answer to the next complete request header
    int read_timeout_s = 60;       // complete header to complete body
    int write_timeout_s = 15;      // the whole answer
    int keep_alive_max = 1000;     // requests per connection
    // Connections and rates.
    int max_connections = 8192;            // open at once (capped by the descriptor limit)
    int max_connections_per_address = 256; // from one client address (a venue behind NAT is one)
    double rate_per_address = 500;         // requests per second from one address (sustained)
    double burst_per_address = 2000;       // ... and at once
    double connect_rate_per_address = 10;  // new connections per second from one address
    double connect_burst_per_address = 300; // ... and at once (a venue reconnecting together)
    double rate_per_terminal = 50;         // requests per second with one terminal's token
    double burst_per_terminal = 300;       // ... and at once
    // Metrics: plain HTTP GET /metrics (Prometheus text), loopback by default. Port -1: none; 0:
    // any free port. When the default port is taken the hub serves without metrics and says so.
    std::string metrics_listen = "127.0.0.1";
    int metrics_port = 9464;
    bool metrics_port_set = false; // chosen by the operator: failing to bind it is an error
    // Web pages (docs/web.md): every path outside /v1/ and /healthz that a web module serves.
    // Their own per-address rate, on top of the one above (phones share no terminal token).
    bool web = true;                     // false: the hub serves the terminal API only
    double web_rate_per_address = 20;    // page requests per second from one address
    double web_burst_per_address = 120;  // ... and at once
    std::string public_url;              // how people reach the hub from outside ("" if none)
    std::string issuer_key; // phone codes: issuer private key ("": <data>/phone-issuer.key)
    std::string sms_sender = "log";      // one-time codes: "log" (development) or a provider
    int phone_challenge_per_minute = 30; // phone registrations a minute before a challenge
    int phone_challenge_bits = 16;       // its difficulty (leading zero bits of a SHA-256)
    int phone_sms_per_number = 3;        // one-time codes to one number at once (then 1 per 10 min)
    int phone_sms_per_address = 20;      // ... from one client address (then 1 a minute)
};

// Reads `key = value` lines (# comments) into `cfg`; unknown keys are an error.
bool load_config(const std::string& path, ServeConfig& cfg, std::string* error);

class HubServer {
  public:
    HubServer();
    ~HubServer();
    // Locks the data directory (one hub per directory), opens the store, loads the certificate
    // and binds both listeners; false and `error` on any failure.
    bool start(const ServeConfig& cfg, std::string* error);
    int port() const;
    int metrics_port() const; // -1 when metrics are not served
    const std::string& pin() const;
    void run();  // serves until stop() or SIGINT/SIGTERM
    void stop(); // safe from another thread

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace jf::hub
