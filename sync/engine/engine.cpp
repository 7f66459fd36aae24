// The sync worker: enrolment, the upload/download cycle, backoff and the wake-ups.
//
// Index
// - Settings     keys the engine keeps in the store
// - Enrolment    enroll(), parse_enrol_qr()
// - Cycle        upload until empty, then every stream page by page (one transaction per page)
// - Worker       thread, backoff with jitter, network-change watch
#include "sync/engine/engine.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/domain/numbers.hpp"

#include "sync/engine/http.hpp"
#include "platform/log/log.hpp"
#include "sync/wire/wire.hpp"

#include <sqlite3.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace jf::sync {

// -----------------------------------------------------------------------------
// Settings
// -----------------------------------------------------------------------------
namespace key {
constexpr const char* kToken = "sync.token";
constexpr const char* kPin = "sync.pin";
constexpr const char* kCaPem = "sync.ca_pem";
constexpr const char* kRevoked = "sync.revoked";
constexpr const char* kLastSuccess = "sync.last_success";
constexpr const char* kRefused = "sync.refused";            // events the hub quarantined
constexpr const char* kRestoredCopy = "sync.restored_copy"; // "1": seq_reused seen
constexpr const char* kFairTotals = "sync.fair_totals";     // the status answer's `fair`
constexpr const char* kFairTotalsAt = "sync.fair_totals_at"; // its hub time
std::string cursor(wire::Stream s) {
    return std::string("sync.cursor.") + wire::stream_name(s);
}
std::string epoch(wire::Stream s) {
    return std::string("sync.epoch.") + wire::stream_name(s);
}
} // namespace key

namespace {

std::string trim_url(std::string u) {
    while (!u.empty() && u.back() == '/')
        u.pop_back();
    return u;
}

std::string host_name() {
    char buf[256] = {0};
    if (gethostname(buf, sizeof buf - 1) != 0) return "terminal";
    return buf;
}

int64_t to_i64(const std::optional<std::string>& s) {
    return s ? parse_int<int64_t>(*s).value_or(0) : 0;
}

void note_clock(SyncStatus& st, const HttpReply& r) {
    if (!r.hub_date) return;
    // The Date header has one-second resolution: compare with the middle of the request, plus
    // half a second for the truncation.
    TimeMs mid = (r.sent_at + r.received_at) / 2;
    st.clock_offset_ms = mid - (r.hub_date + 500);
    st.clock_known = true;
    st.clock_off =
        st.clock_offset_ms > kClockToleranceMs || st.clock_offset_ms < -kClockToleranceMs;
}

void fail(SyncStatus& st, std::string key, std::string detail) {
    st.last_error = std::move(key);
    st.last_error_detail = std::move(detail);
}

// Personal data on a revoked terminal is wiped (docs/privacy.md): the people it downloaded and
// registered, and the event log (walk-up bodies and placements name people). The upload step of
// the cycle came first, so whatever the hub still took is on the hub; the events it refused are
// destroyed, and how many is logged. Marked revoked only once wiped: a terminal stopped in
// between asks the hub (and wipes) again.
bool wipe_personal_data(Store& store) {
    int64_t destroyed = 0;
    if (!store.wipe_personal_data(&destroyed)) {
        log::error("sync", "wipe_failed", {{"error", store.last_error()}});
        return false;
    }
    log::warn("sync", "personal_data_wiped",
              {{"unacknowledged_events_destroyed", std::to_string(destroyed)}});
    return store.set_setting(key::kRevoked, "1");
}

// What the hub refused so far (settings, so a restart or `sync --status` still shows it).
void load_refusals(const Store& store, SyncStatus& st) {
    st.refused = to_i64(store.setting(key::kRefused));
    st.restored_copy = store.setting(key::kRestoredCopy).value_or("0") == "1";
}

} // namespace

// -----------------------------------------------------------------------------
// Enrolment
// -----------------------------------------------------------------------------
std::optional<EnrolQr> parse_enrol_qr(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    if (text.substr(0, 9) != "JFENROL1|") return std::nullopt;
    text.remove_prefix(9);
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == '|') {
            parts.emplace_back(text.substr(start, i - start));
            start = i + 1;
        }
    if (parts.size() != 3 || parts[0].empty()) return std::nullopt;
    return EnrolQr{parts[0], parts[1], parts[2]};
}

EnrollResult enroll(Store& store, const std::string& hub_url_in, const std::string& code,
                    const EnrollOptions& o) {
    EnrollResult res;
    crypto_init();
    std::string hub_url = trim_url(hub_url_in);
    if (hub_url.rfind("https://", 0) != 0) {
        res.error = "sync.err.url_not_https";
        res.detail = hub_url;
        return res;
    }
    if (code.empty()) {
        res.error = "sync.err.code_unknown";
        return res;
    }
    if (auto existing = load_identity(store);
        existing && !existing->hub_url.empty() && !o.replace) {
        res.error = "sync.err.already_enrolled";
        res.detail = existing->terminal_id;
        return res;
    }
    std::string ca_pem;
    if (!o.ca_file.empty()) {
        std::ifstream in(o.ca_file);
        std::stringstream ss;
        ss << in.rdbuf();
        ca_pem = ss.str();
        if (!in || ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
            res.error = "sync.err.ca_unreadable";
            res.detail = o.ca_file;
            return res;
        }
    }
    SigningKey key = SigningKey::generate();
    wire::EnrollRequest q;
    q.code = code;
    q.public_key = key.public_key;
    q.device = o.device.empty() ? host_name() : o.device;

    HttpClient http(o.net);
    http.set_trust(ca_pem, o.pin);
    auto r = http.post(hub_url + "/v1/enroll", wire::encode(q));
    if (!r.transport_ok) {
        res.error = r.error_key;
        res.detail = r.detail;
        return res;
    }
    if (r.status != 200) {
        res.error = http_error_key(r, &res.detail);
        return res;
    }
    std::string why;
    auto s = wire::decode_enroll_response(r.body, &why);
    if (!s) {
        res.error = "sync.err.bad_answer";
        res.detail = why;
        return res;
    }
    if (!o.pin.empty() && s->tls_pin != o.pin) {
        res.error = "sync.err.pin_mismatch";
        res.detail = "the hub reports pin " + s->tls_pin;
        return res;
    }
    TerminalIdentity id;
    id.terminal_id = s->terminal_id;
    id.key = key;
    id.hub_seal_public_key = s->hub_seal_public_key;
    id.fair_id = s->fair_id;
    id.mode = s->mode;
    id.hub_url = hub_url;
    std::string save_error;
    bool ok = store.transaction([&] {
        if (!save_identity(store, id, &save_error)) return false;
        if (!store.set_setting(key::kToken, s->access_token) ||
            !store.set_setting(key::kPin, s->tls_pin) || !store.set_setting(key::kCaPem, ca_pem) ||
            !store.set_setting(key::kRevoked, "0") || !store.set_setting(key::kRefused, "0") ||
            !store.set_setting(key::kRestoredCopy, "0"))
            return false;
        for (auto st : wire::kAllStreams)
            if (!store.set_setting(key::cursor(st), "0") || !store.set_setting(key::epoch(st), ""))
                return false;
        for (auto& k : s->issuer_keys)
            if (!(k.kind == "terminal"
                      ? store.upsert_terminal_key(k.key_id, k.public_key, k.fair_id)
                      : store.upsert_issuer_key(k.key_id, k.public_key)))
                return false;
        return true;
    });
    if (!ok) {
        res.error = "sync.err.store";
        res.detail = save_error.empty() ? store.last_error() : save_error;
        return res;
    }
    res.ok = true;
    res.terminal_id = id.terminal_id;
    res.fair_id = id.fair_id;
    res.mode = id.mode;
    log::info("sync", "enrolled", {{"terminal", id.terminal_id}, {"hub", hub_url}});
    return res;
}

// -----------------------------------------------------------------------------
// Cycle
// -----------------------------------------------------------------------------
namespace {

bool apply_item(Store& store, wire::Stream s, const wire::PullItem& it) {
    using wire::Stream;
    if (it.deleted) {
        switch (s) {
        case Stream::Campaigns:
            return store.delete_campaign(it.id);
        case Stream::Fairs:
            return store.delete_fair(it.id);
        case Stream::Employers:
            return store.delete_employer(it.id);
        case Stream::Listings:
            return store.delete_listing(it.id);
        case Stream::Attendees:
            return store.delete_attendee(it.id);
        case Stream::IssuerKeys:
            return store.delete_issuer_key(it.id);
        case Stream::Revocations:
            return true; // a revocation is never withdrawn
        case Stream::Notices:
            return store.delete_notice(it.id);
        }
        return false;
    }
    switch (s) {
    case Stream::Campaigns:
        return it.campaign && store.upsert_campaign(*it.campaign);
    case Stream::Fairs:
        return it.fair && store.upsert_fair(*it.fair);
    case Stream::Employers:
        return it.employer && store.upsert_employer(*it.employer);
    case Stream::Listings:
        return it.listing && store.upsert_listing(*it.listing);
    case Stream::Attendees:
        return it.attendee && store.upsert_attendee(*it.attendee);
    case Stream::Revocations:
        return store.add_revocation(it.id, it.revocation_reason);
    case Stream::IssuerKeys:
        // A terminal key keeps its limits here: attendee codes of its own fair only.
        if (it.issuer_kind == "terminal")
            return store.upsert_terminal_key(it.id, it.issuer_public_key, it.issuer_fair_id);
        return store.upsert_issuer_key(it.id, it.issuer_public_key);
    case Stream::Notices:
        return it.notice && store.upsert_notice(*it.notice);
    }
    return false;
}

// A snapshot replaces what the terminal holds of a stream: records the hub no longer has (say,
// after the hub was restored from a backup) must not linger. Runs inside the page's transaction.
bool clear_stream(Store& store, wire::Stream s) {
    using wire::Stream;
    switch (s) {
    case Stream::Campaigns:
        for (auto& c : store.campaigns())
            if (!store.delete_campaign(c.id)) return false;
        return true;
    case Stream::Fairs:
        for (auto& f : store.fairs())
            if (!store.delete_fair(f.id)) return false;
        return true;
    case Stream::Employers:
        for (auto& e : store.employers())
            if (!store.delete_employer(e.id)) return false;
        return true;
    case Stream::IssuerKeys:
        for (auto& [id, key] : store.issuer_keys())
            if (!store.delete_issuer_key(id)) return false;
        return true;
    case Stream::Listings:
        for (;;) {
            ListingQuery q;
            q.today = Date{1, 1, 1}; // expired ones too
            q.limit = 1000;
            auto page = store.search_listings(q);
            if (page.empty()) return true;
            for (auto& l : page)
                if (!store.delete_listing(l.id)) return false;
        }
    case Stream::Attendees: {
        // The store has no listing call for people (by design); clear the registry table. People
        // registered here are this terminal's own records and stay, whatever the hub holds.
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(store.handle(),
                               "DELETE FROM attendees WHERE id NOT IN "
                               "(SELECT attendee_id FROM registrations)",
                               -1, &st, nullptr) != SQLITE_OK)
            return false;
        bool ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
        return ok;
    }
    case Stream::Revocations:
        return true; // revocations are kept whatever happens
    case Stream::Notices:
        for (auto& n : store.notices())
            if (!store.delete_notice(n.id)) return false;
        return true;
    }
    return false;
}

// Handles a refusal the terminal must act on; returns false (the cycle stops).
bool refused(Store& store, SyncStatus& st, const HttpReply& r) {
    std::string detail;
    auto k = http_error_key(r, &detail);
    fail(st, k, detail);
    st.retry_after_ms = r.retry_after_ms;
    if (k == "sync.err.terminal_revoked") {
        st.revoked = true;
        wipe_personal_data(store);
        log::warn("sync", "terminal_revoked");
    }
    if (k == "sync.err.quarantine_full") {
        st.quarantine_full = true;
        log::warn("sync", "quarantine_full");
    }
    return false;
}

// The hub acknowledged these events but refused them (quarantine): counted for the screen, and a
// reused sequence number means this terminal runs from a copy of an earlier disk.
bool note_refused(Store& store, SyncStatus& st, const wire::UploadResponse& a) {
    int64_t n = a.refused.empty() ? a.quarantined : static_cast<int64_t>(a.refused.size());
    if (n <= 0) return true;
    bool copy = false;
    std::map<std::string, int> reasons;
    for (auto& e : a.refused) {
        ++reasons[e.reason];
        copy = copy || e.reason == "seq_reused";
    }
    std::string text;
    for (auto& [why, count] : reasons)
        text += (text.empty() ? "" : ",") + why + ":" + std::to_string(count);
    log::warn("sync", "events_refused", {{"count", std::to_string(n)}, {"reasons", text}});
    st.refused = to_i64(store.setting(key::kRefused)) + n;
    st.restored_copy = st.restored_copy || copy;
    return store.set_setting(key::kRefused, std::to_string(st.refused)) &&
           (!copy || store.set_setting(key::kRestoredCopy, "1"));
}

} // namespace

bool save_fair_totals(Store& store, const wire::FairTotals& totals, TimeMs at) {
    return store.transaction([&] {
        return store.set_setting(key::kFairTotals, wire::encode(totals)) &&
               store.set_setting(key::kFairTotalsAt, std::to_string(at));
    });
}

std::optional<FairTotalsSeen> last_fair_totals(const Store& store) {
    auto text = store.setting(key::kFairTotals);
    if (!text || text->empty()) return std::nullopt;
    auto totals = wire::decode_fair_totals(*text);
    if (!totals) return std::nullopt;
    return FairTotalsSeen{*totals, to_i64(store.setting(key::kFairTotalsAt))};
}

SyncStatus local_status(Store& store) {
    SyncStatus s;
    s.events_waiting = store.pending_events();
    s.last_success = to_i64(store.setting(key::kLastSuccess));
    auto id = load_identity(store);
    s.enrolled = id && !id->hub_url.empty();
    s.revoked = store.setting(key::kRevoked).value_or("0") == "1";
    load_refusals(store, s);
    return s;
}

bool sync_once(Store& store, const SyncOptions& opt, SyncStatus& st,
               const std::atomic<bool>* cancel,
               const std::function<void(const SyncStatus&)>& progress) {
    st.last_attempt = now_ms();
    st.retry_after_ms = 0;
    st.events_waiting = store.pending_events();
    st.last_success = std::max(st.last_success, to_i64(store.setting(key::kLastSuccess)));
    st.quarantine_full = false;
    load_refusals(store, st);
    auto id = load_identity(store);
    auto token = store.setting(key::kToken);
    st.enrolled = id && !id->hub_url.empty() && token && !token->empty();
    if (!st.enrolled) {
        fail(st, "sync.err.not_enrolled", "");
        return false;
    }
    if (store.setting(key::kRevoked).value_or("0") == "1") {
        st.revoked = true;
        fail(st, "sync.err.terminal_revoked", "refused earlier; enrol again");
        return false;
    }
    HttpClient http(opt);
    http.set_trust(store.setting(key::kCaPem).value_or(""), store.setting(key::kPin).value_or(""));
    http.set_token(*token);
    const std::string base = trim_url(id->hub_url);

    auto reached = [&](const HttpReply& r) {
        st.online = r.transport_ok;
        if (r.transport_ok)
            note_clock(st, r);
        else
            fail(st, r.error_key, r.detail);
        return r.transport_ok;
    };

    // Upload: batches from the acknowledged sequence on, until nothing waits.
    bool uploaded_any = false;
    int64_t resent_from = 0; // the hub asks for a resend once per point and cycle at most
    auto cancelled = [&] { return cancel && cancel->load(); };
    for (;;) {
        if (cancelled()) return false;
        auto events = store.events_after(store.acknowledged_seq(), opt.batch_events);
        if (events.empty()) break;
        wire::UploadRequest q;
        q.terminal_id = id->terminal_id;
        q.device_now = now_ms();
        for (auto& e : events)
            q.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
        auto r = http.post(base + "/v1/events", wire::encode(q));
        if (!reached(r)) return false;
        if (r.status != 200) return refused(store, st, r);
        std::string why;
        auto a = wire::decode_upload_response(r.body, &why);
        if (!a) return fail(st, "sync.err.bad_answer", why), false;
        // The hub acknowledges what it committed; an answer beyond what was sent is not believed.
        int64_t ack = std::min(a->acked_seq, events.back().seq);
        if (ack < events.back().seq)
            return fail(st, "sync.err.bad_answer", "partial acknowledgement"), false;
        if (!store.mark_acknowledged(ack) || !note_refused(store, st, *a))
            return fail(st, "sync.err.store", store.last_error()), false;
        // The hub was restored from a backup and lacks events it had acknowledged before: they
        // wait again and go in the next batches (what it still holds comes back as duplicates).
        if (a->resend_from > 0 && a->resend_from <= ack && a->resend_from != resent_from) {
            resent_from = a->resend_from;
            log::warn("sync", "resend", {{"from_seq", std::to_string(a->resend_from)}});
            if (!store.resend_after(a->resend_from - 1))
                return fail(st, "sync.err.store", store.last_error()), false;
        }
        st.uploaded += static_cast<int64_t>(events.size());
        st.events_waiting = store.pending_events();
        if (progress) progress(st);
        uploaded_any = true;
    }
    // The status answer: the fair's totals (with what was just uploaded), and after a cycle
    // that uploaded nothing, whether the hub still holds what it acknowledged.
    {
        auto r = http.get(base + "/v1/status");
        if (!reached(r)) return false;
        if (r.status != 200) return refused(store, st, r);
        auto s = wire::decode_status_reply(r.body);
        if (s && s->fair && !save_fair_totals(store, *s->fair, s->hub_time))
            return fail(st, "sync.err.store", store.last_error()), false;
        // A hub restored from a backup holds less than it acknowledged: send the rest again.
        // (A hub holding nothing of this terminal yet, say after enrolling again, asks nothing.)
        int64_t ack = store.acknowledged_seq();
        if (!uploaded_any && s && s->acked_seq > 0 && s->acked_seq < ack) {
            log::warn("sync", "resend", {{"from_seq", std::to_string(s->acked_seq + 1)}});
            if (!store.resend_after(s->acked_seq))
                return fail(st, "sync.err.store", store.last_error()), false;
            return sync_once(store, opt, st, cancel, progress);
        }
    }

    // Download: every stream, page by page; a page and its cursor in one transaction.
    for (auto s : wire::kAllStreams) {
        for (int guard = 0; guard < 100000; ++guard) {
            if (cancelled()) return false;
            int64_t cursor = to_i64(store.setting(key::cursor(s)));
            std::string epoch = store.setting(key::epoch(s)).value_or("");
            auto url = base + "/v1/pull?stream=" + wire::stream_name(s) +
                       "&cursor=" + std::to_string(cursor) +
                       "&limit=" + std::to_string(opt.page_items) +
                       (epoch.empty() ? "" : "&epoch=" + epoch);
            auto r = http.get(url);
            if (!reached(r)) return false;
            // A hub made before the notices stream does not know it: no notices, the rest of
            // the cycle goes on (and the next cycle asks again, after the hub's update).
            if (s == wire::Stream::Notices && r.status == 400 &&
                r.body.find("unknown stream") != std::string::npos)
                break;
            if (r.status != 200) return refused(store, st, r);
            std::string why;
            auto page = wire::decode_pull_page(r.body, &why);
            if (!page || page->stream != s) return fail(st, "sync.err.bad_answer", why), false;
            // A page goes in as several short transactions (kDownloadCommitItems items each), so
            // a check-in or placement at the terminal never waits long for the write lock. The
            // cursor moves only with the page's last items: a page cut short (a crash, a full
            // disk) is fetched and applied again, and applying an item twice changes nothing.
            auto& items = page->items;
            size_t done = 0;
            bool ok = true;
            do {
                size_t end = std::min(items.size(), done + kDownloadCommitItems);
                bool first = done == 0, last = end == items.size();
                ok = store.transaction([&] {
                    if (first && page->reset && !clear_stream(store, s)) return false;
                    for (size_t i = done; i < end;) {
                        // Listings in a row go in as one batch: the store indexes them without
                        // a savepoint each (see Store::upsert_listings).
                        if (s == wire::Stream::Listings && !items[i].deleted && items[i].listing) {
                            std::vector<JobListing> run;
                            while (i < end && !items[i].deleted && items[i].listing)
                                run.push_back(*items[i++].listing);
                            if (!store.upsert_listings(run)) return false;
                            continue;
                        }
                        if (!apply_item(store, s, items[i++])) return false;
                    }
                    return !last ||
                           (store.set_setting(key::cursor(s), std::to_string(page->cursor)) &&
                            store.set_setting(key::epoch(s), page->epoch));
                });
                if (!ok) break;
                st.downloaded += static_cast<int64_t>(end - done);
                if (progress && end > done) progress(st);
                done = end;
            } while (done < items.size());
            if (!ok) return fail(st, "sync.err.store", store.last_error()), false;
            if (!page->more) break;
        }
    }
    st.last_success = now_ms();
    store.set_setting(key::kLastSuccess, std::to_string(st.last_success));
    st.events_waiting = store.pending_events();
    st.last_error.clear();
    st.last_error_detail.clear();
    return true;
}

// -----------------------------------------------------------------------------
// Worker
// -----------------------------------------------------------------------------
namespace {
// The addresses of the host's up, non-loopback interfaces: a change means the network came back
// (or moved), which is worth an immediate attempt instead of waiting out the backoff.
std::string network_fingerprint() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return {};
    std::set<std::string> seen;
    for (auto* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || !(a->ifa_flags & IFF_UP) || (a->ifa_flags & IFF_LOOPBACK)) continue;
        if (a->ifa_addr->sa_family == AF_INET) {
            auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
            seen.insert(std::string(a->ifa_name) + ":" + std::to_string(in->sin_addr.s_addr));
        } else if (a->ifa_addr->sa_family == AF_INET6) {
            seen.insert(std::string(a->ifa_name) + ":6");
        }
    }
    freeifaddrs(list);
    std::string out;
    for (auto& s : seen)
        out += s + ";";
    return out;
}
} // namespace

SyncEngine::SyncEngine(std::string store_path, SyncOptions options)
    : path_(std::move(store_path)), opt_(options) {}

SyncEngine::~SyncEngine() {
    stop();
}

bool SyncEngine::start() {
    if (thread_.joinable()) return true;
    {
        std::string err;
        auto probe = Store::open(path_, &err);
        if (!probe) {
            std::lock_guard lock(mu_);
            status_.last_error = "sync.err.store";
            status_.last_error_detail = err;
            return false;
        }
        std::lock_guard lock(mu_);
        status_.events_waiting = probe->pending_events();
        status_.last_success = to_i64(probe->setting(key::kLastSuccess));
        auto id = load_identity(*probe);
        status_.enrolled = id && !id->hub_url.empty();
        status_.revoked = probe->setting(key::kRevoked).value_or("0") == "1";
        load_refusals(*probe, status_);
    }
    stop_ = false;
    cancel_ = false;
    thread_ = std::thread([this] { run(); });
    return true;
}

void SyncEngine::stop() {
    cancel_ = true;
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SyncEngine::wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

SyncStatus SyncEngine::status() const {
    std::lock_guard lock(mu_);
    return status_;
}

void SyncEngine::run() {
    std::string err;
    auto store = Store::open(path_, &err); // the worker's own connection on the same file
    if (!store) {
        std::lock_guard lock(mu_);
        status_.last_error = "sync.err.store";
        status_.last_error_detail = err;
        return;
    }
    std::mt19937_64 rng(std::random_device{}());
    int backoff = opt_.backoff_min_ms;
    std::string net = network_fingerprint();
    for (;;) {
        SyncStatus local;
        {
            std::lock_guard lock(mu_);
            if (stop_) return;
            woken_ = false;
            status_.syncing = true;
            local = status_;
        }
        bool ok = sync_once(*store, opt_, local, &cancel_, [this](const SyncStatus& s) {
            std::lock_guard lock(mu_);
            status_ = s;
            status_.syncing = true;
        });
        int wait_ms;
        if (ok) {
            backoff = opt_.backoff_min_ms;
            wait_ms = opt_.poll_interval_ms;
        } else if (local.revoked || local.quarantine_full ||
                   local.last_error == "sync.err.not_enrolled") {
            wait_ms = opt_.backoff_max_ms; // nothing to gain from trying soon; wake() still works
        } else {
            // Exponential backoff with ±20 % jitter, so terminals of a venue do not retry in step.
            std::uniform_real_distribution<double> jitter(0.8, 1.2);
            wait_ms = static_cast<int>(backoff * jitter(rng));
            backoff = std::min(opt_.backoff_max_ms, backoff * 2);
            // A hub that is rate-limiting says when to come back: never sooner than that.
            if (local.retry_after_ms > wait_ms)
                wait_ms = static_cast<int>(local.retry_after_ms * jitter(rng) / 0.8);
        }
        local.syncing = false;
        local.next_attempt = now_ms() + wait_ms;
        {
            std::lock_guard lock(mu_);
            status_ = local;
        }
        // Wait, but wake early on wake(), on stop(), on a network change, and (when the hub was
        // reachable) as soon as something new waits in the outbox.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
        std::unique_lock lock(mu_);
        while (!stop_ && !woken_ && std::chrono::steady_clock::now() < deadline) {
            cv_.wait_for(lock, std::chrono::milliseconds(250));
            lock.unlock();
            auto now_net = network_fingerprint();
            bool net_changed = now_net != net;
            net = now_net;
            int64_t waiting = store->pending_events();
            lock.lock();
            status_.events_waiting = waiting;
            if (net_changed) {
                backoff = opt_.backoff_min_ms;
                break;
            }
            if (ok && waiting > 0) break;
        }
    }
}

} // namespace jf::sync
