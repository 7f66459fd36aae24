// The hub server's guards and counters, independent of HTTP so tests can drive them directly.
//
// Index
// - RateLimiter        token buckets per key (client address, terminal id) → wait in seconds
// - ConnectionCounter  open connections per client address, with a cap
// - LogThrottle        at most one log line per refusal class and second, with the count skipped
// - HubMetrics         counters and latency histograms, rendered in Prometheus text format
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace jf::hub {

using SteadyTime = std::chrono::steady_clock::time_point;

class RateLimiter {
  public:
    // `rate` requests per second sustained, `burst` at once; rate <= 0 turns the limiter off.
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst < 1 ? 1 : burst) {}
    // 0 when the request may pass (it is counted); otherwise the whole seconds (>= 1) until the
    // next one will (the Retry-After the hub answers with).
    int take(const std::string& key, SteadyTime now);

  private:
    struct Bucket {
        double tokens;
        SteadyTime at;
    };
    double rate_, burst_;
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

class ConnectionCounter {
  public:
    explicit ConnectionCounter(int per_address) : max_(per_address) {}
    bool open(const std::string& address); // false: this address is at its cap (nothing counted)
    void close(const std::string& address);
    int total() const { return total_.load(); }

  private:
    int max_;
    std::atomic<int> total_{0};
    std::mutex mu_;
    std::unordered_map<std::string, int> open_;
};

class LogThrottle {
  public:
    // True when a line for `cls` may be written now; `skipped` is how many were held back since.
    bool allow(const std::string& cls, SteadyTime now, uint64_t* skipped);

  private:
    struct Entry {
        SteadyTime last{};
        uint64_t skipped = 0;
        bool logged = false;
    };
    std::mutex mu_;
    std::map<std::string, Entry> classes_;
};

class HubMetrics {
  public:
    // `endpoint`: enroll, events, pull, status, healthz or other; `seconds` from complete header to
    // the answer written.
    void request(const std::string& endpoint, int status, double seconds);
    void refused(const std::string& reason);     // by class (header_too_large, unauthorised, ...)
    void rate_limited(const std::string& scope); // address or terminal
    void ingested(int64_t stored, int64_t duplicates, int64_t quarantined);
    void connection_accepted() { ++accepted_; }

    struct Gauges {
        int connections_open = 0;
        int64_t terminals_seen_5m = 0, terminals_enrolled = 0;
        int64_t database_bytes = 0;
    };
    std::string render(const Gauges& g) const;

    static const double kBuckets[12]; // latency bucket bounds in seconds

  private:
    struct Histogram {
        uint64_t counts[12] = {};
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::pair<std::string, int>, uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::map<std::string, uint64_t> refused_, rate_limited_;
    int64_t stored_ = 0, duplicates_ = 0, quarantined_ = 0;
    std::atomic<uint64_t> accepted_{0};
};

} // namespace jf::hub
