// Token buckets, connection caps, log throttling and the Prometheus text rendering.
#include "sync/hub/hub_guard.hpp"

#include <cmath>
#include <cstdio>

namespace jf::hub {

namespace {
// Buckets idle long enough to be full again say nothing: they are dropped when the table grows.
constexpr size_t kPruneAt = 65536;
} // namespace

int RateLimiter::take(const std::string& key, SteadyTime now) {
    if (rate_ <= 0) return 0;
    std::lock_guard lock(mu_);
    if (buckets_.size() >= kPruneAt) {
        for (auto it = buckets_.begin(); it != buckets_.end();) {
            double idle = std::chrono::duration<double>(now - it->second.at).count();
            if (it->second.tokens + idle * rate_ >= burst_)
                it = buckets_.erase(it);
            else
                ++it;
        }
    }
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
        double idle = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min(burst_, b.tokens + std::max(0.0, idle) * rate_);
        b.at = now;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

bool ConnectionCounter::open(const std::string& address) {
    std::lock_guard lock(mu_);
    int& n = open_[address];
    if (max_ > 0 && n >= max_) {
        if (n == 0) open_.erase(address);
        return false;
    }
    ++n;
    ++total_;
    return true;
}

void ConnectionCounter::close(const std::string& address) {
    std::lock_guard lock(mu_);
    auto it = open_.find(address);
    if (it == open_.end()) return;
    --total_;
    if (--it->second <= 0) open_.erase(it);
}

bool LogThrottle::allow(const std::string& cls, SteadyTime now, uint64_t* skipped) {
    std::lock_guard lock(mu_);
    Entry& e = classes_[cls];
    if (e.logged && now - e.last < std::chrono::seconds(1)) {
        ++e.skipped;
        return false;
    }
    if (skipped) *skipped = e.skipped;
    e.skipped = 0;
    e.last = now;
    e.logged = true;
    return true;
}

const double HubMetrics::kBuckets[12] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                         0.5,   1,    2.5,   5,    10,  30};

void HubMetrics::request(const std::string& endpoint, int status, double seconds) {
    std::lock_guard lock(mu_);
    ++requests_[{endpoint, status}];
    Histogram& h = latency_[endpoint];
    for (size_t i = 0; i < 12; ++i)
        if (seconds <= kBuckets[i]) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

void HubMetrics::refused(const std::string& reason) {
    std::lock_guard lock(mu_);
    ++refused_[reason];
}

void HubMetrics::rate_limited(const std::string& scope) {
    std::lock_guard lock(mu_);
    ++rate_limited_[scope];
}

void HubMetrics::ingested(int64_t stored, int64_t duplicates, int64_t quarantined) {
    std::lock_guard lock(mu_);
    stored_ += stored;
    duplicates_ += duplicates;
    quarantined_ += quarantined;
}

std::string HubMetrics::render(const Gauges& g) const {
    std::string out;
    auto line = [&](const std::string& s) { out += s + "\n"; };
    auto num = [](double v) {
        char b[64];
        std::snprintf(b, sizeof b, "%.9g", v);
        return std::string(b);
    };
    auto head = [&](const char* name, const char* type, const char* help) {
        line(std::string("# HELP ") + name + " " + help);
        line(std::string("# TYPE ") + name + " " + type);
    };
    std::lock_guard lock(mu_);
    head("jobfair_hub_requests_total", "counter",
         "HTTP requests answered, by endpoint and status.");
    for (auto& [k, n] : requests_)
        line("jobfair_hub_requests_total{endpoint=\"" + k.first + "\",status=\"" +
             std::to_string(k.second) + "\"} " + std::to_string(n));
    head("jobfair_hub_request_duration_seconds", "histogram",
         "Time from complete request header to answer written, by endpoint.");
    for (auto& [ep, h] : latency_) {
        std::string p = "jobfair_hub_request_duration_seconds";
        for (size_t i = 0; i < 12; ++i)
            line(p + "_bucket{endpoint=\"" + ep + "\",le=\"" + num(kBuckets[i]) + "\"} " +
                 std::to_string(h.counts[i]));
        line(p + "_bucket{endpoint=\"" + ep + "\",le=\"+Inf\"} " + std::to_string(h.count));
        line(p + "_sum{endpoint=\"" + ep + "\"} " + num(h.sum));
        line(p + "_count{endpoint=\"" + ep + "\"} " + std::to_string(h.count));
    }
    head("jobfair_hub_refused_total", "counter",
         "Requests and connections refused before reaching the service, by class.");
    for (auto& [r, n] : refused_)
        line("jobfair_hub_refused_total{reason=\"" + r + "\"} " + std::to_string(n));
    head("jobfair_hub_rate_limited_total", "counter",
         "Requests answered 429, by scope (address or terminal).");
    for (auto& [s, n] : rate_limited_)
        line("jobfair_hub_rate_limited_total{scope=\"" + s + "\"} " + std::to_string(n));
    head("jobfair_hub_events_ingested_total", "counter", "Uploaded events stored (new).");
    line("jobfair_hub_events_ingested_total " + std::to_string(stored_));
    head("jobfair_hub_events_duplicate_total", "counter", "Uploaded events already stored.");
    line("jobfair_hub_events_duplicate_total " + std::to_string(duplicates_));
    head("jobfair_hub_events_quarantined_total", "counter", "Uploaded events put in quarantine.");
    line("jobfair_hub_events_quarantined_total " + std::to_string(quarantined_));
    head("jobfair_hub_connections_accepted_total", "counter", "TCP connections accepted.");
    line("jobfair_hub_connections_accepted_total " + std::to_string(accepted_.load()));
    head("jobfair_hub_connections_open", "gauge", "TLS connections open now.");
    line("jobfair_hub_connections_open " + std::to_string(g.connections_open));
    head("jobfair_hub_terminals_seen", "gauge",
         "Terminals that reached the hub in the last 5 minutes.");
    line("jobfair_hub_terminals_seen{window=\"5m\"} " + std::to_string(g.terminals_seen_5m));
    head("jobfair_hub_terminals_enrolled", "gauge", "Enrolled terminals not revoked.");
    line("jobfair_hub_terminals_enrolled " + std::to_string(g.terminals_enrolled));
    head("jobfair_hub_database_bytes", "gauge", "Size of hub.db with its write-ahead log.");
    line("jobfair_hub_database_bytes " + std::to_string(g.database_bytes));
    return out;
}

} // namespace jf::hub
