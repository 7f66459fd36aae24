// libcurl transport for the sync engine.
#include "sync/engine/http.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/domain/numbers.hpp"

#include "sync/wire/wire.hpp"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <mutex>

namespace jf::sync {

namespace {
constexpr size_t kMaxReplyBytes = 64u << 20;

size_t on_body(char* p, size_t size, size_t n, void* user) {
    auto* s = static_cast<std::string*>(user);
    if (s->size() + size * n > kMaxReplyBytes) return 0; // refuse absurd answers
    s->append(p, size * n);
    return size * n;
}
bool header_is(std::string_view h, std::string_view name) {
    if (h.size() <= name.size() || h[name.size()] != ':') return false;
    for (size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(h[i])) != name[i]) return false;
    return true;
}

size_t on_header(char* p, size_t size, size_t n, void* user) {
    std::string_view h(p, size * n);
    auto* r = static_cast<HttpReply*>(user);
    auto value = [&](size_t skip) {
        std::string v(h.substr(skip));
        while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
            v.pop_back();
        while (!v.empty() && v.front() == ' ')
            v.erase(0, 1);
        return v;
    };
    if (header_is(h, "date")) {
        time_t t = curl_getdate(value(5).c_str(), nullptr);
        if (t > 0) r->hub_date = static_cast<TimeMs>(t) * 1000;
    } else if (header_is(h, "retry-after")) {
        // Seconds (what the hub sends); an HTTP date is accepted too. Capped at an hour.
        auto v = value(12);
        int64_t s = -1;
        if (auto secs = parse_int<int64_t>(v); secs && *secs >= 0) s = *secs;
        else if (time_t t = curl_getdate(v.c_str(), nullptr); t > 0)
            s = std::max<int64_t>(0, (static_cast<TimeMs>(t) * 1000 - now_ms()) / 1000);
        if (s >= 0) r->retry_after_ms = std::min<int64_t>(s, 3600) * 1000;
    }
    return size * n;
}

std::string transport_key(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return "sync.err.offline";
    case CURLE_OPERATION_TIMEDOUT:
        return "sync.err.timeout";
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return "sync.err.pin_mismatch";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
        return "sync.err.tls";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return "sync.err.connection_lost";
    default:
        return "sync.err.network";
    }
}

std::once_flag g_curl_once;
} // namespace

HttpClient::HttpClient(const SyncOptions& options) : opt_(options) {
    std::call_once(g_curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void HttpClient::set_trust(std::string ca_pem, std::string pin) {
    ca_pem_ = std::move(ca_pem);
    pin_ = std::move(pin);
}

HttpReply HttpClient::post(const std::string& url, const std::string& json) {
    return perform(url, &json);
}
HttpReply HttpClient::get(const std::string& url) {
    return perform(url, nullptr);
}

HttpReply HttpClient::perform(const std::string& url, const std::string* body) {
    HttpReply r;
    CURL* c = static_cast<CURL*>(curl_);
    if (!c) {
        r.error_key = "sync.err.network";
        r.detail = "libcurl could not start";
        return r;
    }
    // Options are set again each time on the same handle: its connection cache is what is reused.
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, opt_.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, opt_.low_speed_time_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, opt_.request_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    // Verification is never switched off; the pin is checked on top of it.
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_blob blob{};
    if (!ca_pem_.empty()) {
        blob.data = ca_pem_.data();
        blob.len = ca_pem_.size();
        blob.flags = CURL_BLOB_COPY;
        curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (!pin_.empty()) curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin_.c_str());

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:"); // no 100-continue round trip
    std::string auth = "Authorization: Bearer " + token_;
    if (!token_.empty()) headers = curl_slist_append(headers, auth.c_str());
    r.sent_at = now_ms();
    std::string device_time = "X-Device-Time: " + std::to_string(r.sent_at);
    headers = curl_slist_append(headers, device_time.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

    CURLcode rc = curl_easy_perform(c);
    r.received_at = now_ms();
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        r.error_key = transport_key(rc);
        r.detail =
            std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
        r.body.clear();
        return r;
    }
    r.transport_ok = true;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
}

std::string http_error_key(const HttpReply& r, std::string* detail) {
    auto e = wire::decode_error(r.body);
    if (detail)
        *detail =
            "HTTP " + std::to_string(r.status) + (e ? " " + e->error + ": " + e->message : "");
    static const char* known[] = {"bad_request",      "protocol_unsupported", "unauthorised",
                                  "terminal_revoked", "terminal_mismatch",    "code_unknown",
                                  "code_used",        "code_expired",         "too_large",
                                  "key_conflict",     "quarantine_full",      "enrol_limited",
                                  "rate_limited"};
    if (e)
        for (auto* k : known)
            if (e->error == k) return std::string("sync.err.") + k;
    if (r.status >= 500) return "sync.err.hub_error";
    return "sync.err.bad_answer";
}

} // namespace jf::sync
