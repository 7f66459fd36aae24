// Enrolment, upload, download and status for terminals (sync/PROTOCOL.md describes each).
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_reports.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/domain/numbers.hpp"

#include "kiosk/domain/event_codec.hpp"
#include "platform/log/log.hpp"
#include "kiosk/store/store.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <thread>

namespace jf::hub {


Reply error_reply(int status, const std::string& code, const std::string& message) {
    return {status, wire::encode(wire::ErrorReply{code, message})};
}

std::string new_enrol_code() {
    auto raw = base32(random_bytes(10)); // 16 characters
    return raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4) + "-" +
           raw.substr(12, 4);
}

std::string normalise_code(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string code_hash(std::string_view code) {
    return keyed_hash(Bytes(32, 0), "jf.enrol-code.v1", normalise_code(code));
}
std::string enrol_qr_text(const std::string& code, const std::string& url, const std::string& pin) {
    return "JFENROL1|" + code + "|" + url + "|" + pin;
}

std::string token_hash(std::string_view token) {
    return keyed_hash(Bytes(32, 0), "jf.access-token.v1", token);
}

namespace {

bool hex64(const std::string& s) {
    return s.empty() || (s.size() == 64 && s.find_first_not_of("0123456789abcdef") == s.npos);
}

// A sealed box in base64: at least the box overhead, never something a person could read.
bool sealed(const std::string& s) {
    if (s.empty()) return true;
    auto b = from_base64(s);
    return b && b->size() >= 48;
}

bool masked(const std::string& s) {
    return s.empty() || s.find('*') != std::string::npos;
}

} // namespace

std::string registration_problem(const TerminalRow& t, const Registration& r) {
    const Attendee& a = r.attendee;
    if (!r.consent) return "consent_missing";
    // A terminal registers people for the fair it serves, as its issuer key is vouched for.
    if (r.fair_id != t.fair_id) return "fair_mismatch";
    if (a.id.empty() || a.name.empty() || r.credential_id.empty() || a.key_groups > kAllKeyGroups)
        return "registration_invalid";
    // Plain ID or phone numbers must never travel: only masks, keyed hashes and sealed boxes.
    if (!masked(a.phone_masked) || !masked(a.id_masked) || !hex64(a.phone_hash) ||
        !hex64(a.phone_tail_hash) || !hex64(a.id_tail_hash) || !sealed(a.sealed_phone) ||
        !sealed(a.sealed_id))
        return "registration_unsealed";
    return {};
}

IngestItem judge_event(const TerminalRow& t, const wire::WireEvent& e) {
    IngestItem it;
    it.event = e;
    auto& why = it.quarantine_reason;
    if (e.kind != "checkin" && e.kind != "placement" && e.kind != "registration" &&
        e.kind != "intent" && e.kind != "checkin_undo" && e.kind != "service" &&
        e.kind != "needs") {
        why = "unknown_kind";
        return it;
    }
    if (e.signature.size() != kSignatureBytes) {
        why = "signature_malformed";
        return it;
    }
    // The signature covers exactly the bytes received; nothing is re-serialised before checking.
    if (!verify(t.public_key, signature_domain(e.kind), e.body, e.signature)) {
        why = "signature_invalid";
        return it;
    }
    std::string_view text(reinterpret_cast<const char*>(e.body.data()), e.body.size());
    const EventHeader* h = nullptr;
    EventHeader header; // a fair-day event's
    if (e.kind == "checkin") {
        it.check_in = decode_check_in(text);
        if (it.check_in) h = &it.check_in->h;
    } else if (e.kind == "placement") {
        it.placement = decode_placement(text);
        if (it.placement) h = &it.placement->h;
    } else if (e.kind == "registration") {
        it.registration = decode_registration(text);
        if (it.registration) h = &it.registration->h;
    } else if (e.kind == "intent") {
        if (auto i = decode_intent(text)) {
            it.fair_day = {i->fair_id, i->attendee_id};
            header = i->h;
            h = &header;
        }
    } else if (e.kind == "checkin_undo") {
        if (auto u = decode_check_in_undo(text)) {
            it.fair_day = {u->fair_id, u->attendee_id};
            header = u->h;
            h = &header;
        }
    } else if (e.kind == "service") {
        if (auto v = decode_service(text)) {
            it.fair_day = {v->fair_id, v->attendee_id};
            header = v->h;
            h = &header;
        }
    } else if (auto n = decode_needs(text)) {
        it.fair_day = {n->fair_id, n->attendee_id};
        header = n->h;
        h = &header;
    }
    if (!h) {
        why = "body_not_canonical";
    } else if (h->uuid != e.uuid || h->seq != e.seq || h->device_time != e.device_time) {
        why = "envelope_mismatch";
    } else if (h->terminal_id != t.id) {
        why = "terminal_mismatch";
    } else if (it.registration) {
        why = registration_problem(t, *it.registration);
        // A terminal from before schema 5 still sends look-up hashes: the signed event keeps its
        // bytes, but the registry never holds them (with the mask they would be an oracle).
        Attendee& a = it.registration->attendee;
        a.phone_hash.clear();
        a.phone_tail_hash.clear();
        a.id_tail_hash.clear();
    }
    if (!why.empty()) {
        it.check_in.reset();
        it.placement.reset();
        it.registration.reset();
        it.fair_day.reset();
    }
    return it;
}

bool HubFairDay::add(std::string_view kind, const Bytes& body) {
    std::string_view text(reinterpret_cast<const char*>(body.data()), body.size());
    if (kind == "intent") {
        if (auto i = decode_intent(text)) return intents.push_back(std::move(*i)), true;
    } else if (kind == "checkin_undo") {
        if (auto u = decode_check_in_undo(text)) return undos.push_back(std::move(*u)), true;
    } else if (kind == "service") {
        if (auto v = decode_service(text)) return services.push_back(std::move(*v)), true;
    } else if (kind == "needs") {
        if (auto n = decode_needs(text)) return needs.push_back(std::move(*n)), true;
    }
    return false;
}

HubService::HubService(HubStore& store, std::string tls_pin, HubLimits limits)
    : store_(store), pin_(std::move(tls_pin)), limits_(limits) {
    // open_hub_store() has just checked the database; the next check is one interval away.
    next_check_ = now_ms() + limits_.storage_check_interval_ms;
}

bool HubService::storage_ok(TimeMs now) {
    {
        std::lock_guard lock(mu_);
        if (damaged_) return false;
        if (limits_.storage_check_interval_ms <= 0 || now < next_check_ || checking_) return true;
        checking_ = true;
    }
    return check_storage();
}

bool HubService::check_storage() {
    auto problem = store_.integrity_problem();
    std::lock_guard lock(mu_);
    checking_ = false;
    next_check_ = now_ms() + limits_.storage_check_interval_ms;
    if (!problem.empty() && !damaged_) {
        damaged_ = true;
        log::error("hub", "storage_damaged", {{"finding", problem}});
    }
    return !damaged_;
}

bool HubService::enrol_limited(const std::string& hash, TimeMs now, bool failed) {
    std::lock_guard lock(mu_);
    while (!enrol_failures_.empty() &&
           enrol_failures_.front().first <= now - limits_.enrol_window_ms) {
        auto it = failures_by_code_.find(enrol_failures_.front().second);
        if (it != failures_by_code_.end() && --it->second <= 0) failures_by_code_.erase(it);
        enrol_failures_.pop_front();
    }
    if (failed) {
        enrol_failures_.emplace_back(now, hash);
        ++failures_by_code_[hash];
        return false;
    }
    auto it = failures_by_code_.find(hash);
    return enrol_failures_.size() >= static_cast<size_t>(limits_.enrol_failures_global) ||
           (it != failures_by_code_.end() && it->second >= limits_.enrol_failures_per_code);
}

void narrow_attendees(HubStore& store, const TerminalRow& t, std::vector<wire::PullItem>& items) {
    if (t.mode != "entrance" && t.mode != "employer") {
        items.clear(); // a station (or anything else) downloads no people at all
        return;
    }
    auto fair = store.fair(t.fair_id);
    std::string campaign = fair ? fair->campaign_id : std::string();
    std::set<std::string> registered_here;
    for (auto& r : store.registrations(t.fair_id))
        registered_here.insert(r.attendee_id);
    for (auto& c : store.phone_codes(t.fair_id)) // registered for this fair on their own phone
        registered_here.insert(c.attendee_id);
    std::vector<wire::PullItem> kept;
    for (auto& it : items) {
        if (it.deleted) { // a tombstone names only an id, and lets a terminal forget
            kept.push_back(std::move(it));
            continue;
        }
        if (!it.attendee) continue;
        Attendee& a = *it.attendee;
        if (!((!campaign.empty() && a.campaign_id == campaign) || registered_here.count(a.id)))
            continue;
        // Only what the screens show and the terminal's reports count: no sealed numbers (only
        // the hub opens them, and a downloaded person is never sent back) and no hashes.
        a.sealed_phone.clear();
        a.sealed_id.clear();
        a.phone_hash.clear();
        a.phone_tail_hash.clear();
        a.id_tail_hash.clear();
        kept.push_back(std::move(it));
    }
    items = std::move(kept);
}

std::vector<std::string> offered_unions(HubStore& store, const TerminalRow& t) {
    auto fair = store.fair(t.fair_id);
    if (!fair || fair->union_unit.empty()) return {};
    std::map<std::string, std::string> parent;
    for (auto& u : store.unions())
        parent.emplace(u.id, u.parent);
    if (!parent.count(fair->union_unit)) return {};
    std::vector<std::string> out{""};
    for (std::string u = fair->union_unit; !u.empty() && out.size() <= parent.size();) {
        out.push_back(u);
        auto up = parent.find(u);
        u = up == parent.end() ? std::string() : up->second;
    }
    return out;
}

std::optional<TerminalRow> HubService::authorise(std::string_view bearer, Reply* refusal) {
    if (!storage_ok(now_ms())) {
        *refusal =
            error_reply(503, "hub_storage", "the hub's database is damaged; staff must restore it");
        return std::nullopt;
    }
    if (bearer.empty()) {
        *refusal = error_reply(401, "unauthorised", "missing access token");
        return std::nullopt;
    }
    auto t = store_.terminal_by_token(token_hash(bearer));
    if (!t) {
        *refusal = error_reply(401, "unauthorised", "unknown access token");
        return std::nullopt;
    }
    if (t->revoked()) {
        *refusal = error_reply(403, "terminal_revoked", "this terminal was revoked on the hub");
        return std::nullopt;
    }
    return t;
}

Reply HubService::enroll(std::string_view body, std::string_view device_addr) {
    std::string why;
    auto q = wire::decode_enroll_request(body, &why);
    if (!q) return error_reply(400, "bad_request", why);
    if (q->protocol != wire::kProtocolVersion)
        return error_reply(400, "protocol_unsupported", "this hub speaks protocol 1");
    TimeMs now = now_ms();
    if (!storage_ok(now))
        return error_reply(503, "hub_storage",
                           "the hub's database is damaged; staff must restore it");
    std::string hash = code_hash(q->code);
    // Guessing is bounded: past the limits no code is even looked at until the window moves.
    if (enrol_limited(hash, now, false)) {
        log::warn("hub", "enrol_limited", {{"addr", std::string(device_addr)}});
        return error_reply(429, "enrol_limited",
                           "too many failed enrolment attempts; wait a few minutes");
    }
    std::string token = base64(random_bytes(32));
    RedeemError err = RedeemError::None;
    std::string device = q->device.empty() ? std::string(device_addr) : q->device;
    auto t = store_.redeem_enrol_code(hash, q->public_key, device, token_hash(token), now, &err);
    if (!t) {
        static const char* kWhy[] = {"none",         "code_unknown", "code_used",
                                     "code_expired", "hub_storage",  "key_conflict"};
        const char* why_code = kWhy[static_cast<int>(err)];
        if (err == RedeemError::Storage)
            log::error("hub", "storage_failed", {{"op", "enroll"}, {"error", store_.last_error()}});
        else
            log::warn("hub", "enrol_refused",
                      {{"reason", why_code},
                       {"code", hash.substr(0, 8)},
                       {"addr", std::string(device_addr)}});
        if (err != RedeemError::Storage && err != RedeemError::KeyConflict)
            enrol_limited(hash, now, true);
        switch (err) {
        case RedeemError::Used:
            return error_reply(403, "code_used", "this enrolment code was already used");
        case RedeemError::Expired:
            return error_reply(403, "code_expired", "this enrolment code has expired");
        case RedeemError::Storage:
            return error_reply(500, "hub_storage", "the hub could not save");
        case RedeemError::KeyConflict:
            return error_reply(409, "key_conflict",
                               "this key id is taken; make a new key pair and enrol again");
        default:
            return error_reply(403, "code_unknown", "no such enrolment code");
        }
    }
    log::info("hub", "enrolled", {{"terminal", t->id}, {"fair", t->fair_id}, {"mode", t->mode}});
    auto keys = store_.keys();
    wire::EnrollResponse r;
    r.terminal_id = t->id;
    r.access_token = token;
    r.fair_id = t->fair_id;
    r.mode = t->mode;
    r.issuer_keys = store_.issuer_keys();
    r.hub_seal_public_key = keys.seal.public_key;
    r.tls_pin = pin_;
    r.hub_time = now_ms();
    return {200, wire::encode(r)};
}

Reply HubService::upload(std::string_view bearer, std::string_view body) {
    Reply refusal;
    auto t = authorise(bearer, &refusal);
    if (!t) return refusal;
    std::string why;
    auto q = wire::decode_upload_request(body, &why);
    if (!q) return error_reply(400, "bad_request", why);
    if (q->protocol != wire::kProtocolVersion)
        return error_reply(400, "protocol_unsupported", "this hub speaks protocol 1");
    if (q->terminal_id != t->id)
        return error_reply(403, "terminal_mismatch", "the batch names another terminal");
    // Signature checks dominate the cost of a batch: spread them over the cores, outside the
    // store's lock, so several terminals' batches are checked while another one commits.
    std::vector<IngestItem> items(q->events.size());
    size_t workers =
        std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), q->events.size() / 64);
    auto judge_range = [&](size_t from, size_t step) {
        for (size_t i = from; i < items.size(); i += step)
            items[i] = judge_event(*t, q->events[i]);
    };
    if (workers <= 1) {
        judge_range(0, 1);
    } else {
        std::vector<std::thread> pool;
        for (size_t w = 1; w < workers; ++w)
            pool.emplace_back(judge_range, w, workers);
        judge_range(0, workers);
        for (auto& th : pool)
            th.join();
    }
    TimeMs now = now_ms();
    // The quarantine quota: a terminal (or whoever holds its token) cannot fill the disk with
    // refused events. A batch that would go past it is refused whole, nothing written, and the
    // terminal stops until staff have looked (jobfair-hub terminals flags it). Events refused only
    // at ingest (a reused sequence number or uuid) can pass the quota by one batch at most.
    {
        auto quota = store_.quarantine_quota();
        int64_t held = 0, held_bytes = 0, bad = 0, bad_bytes = 0;
        store_.quarantine_use(t->id, &held, &held_bytes);
        for (auto& it : items)
            if (!it.quarantine_reason.empty()) {
                ++bad;
                bad_bytes += static_cast<int64_t>(it.event.body.size() + it.event.signature.size());
            }
        // Once told to stop, it stays stopped until staff release it, good events or not.
        if (t->quota_hit_at != 0 || held >= quota.max_events || held_bytes >= quota.max_bytes ||
            held + bad > quota.max_events || held_bytes + bad_bytes > quota.max_bytes) {
            store_.note_quota_hit(t->id, now);
            log::warn("hub", "quarantine_full",
                      {{"terminal", t->id},
                       {"held", std::to_string(held)},
                       {"held_bytes", std::to_string(held_bytes)},
                       {"batch_refused", std::to_string(bad)}});
            return error_reply(403, "quarantine_full",
                               "the hub holds too many refused records from this terminal; "
                               "it takes no more until staff check it");
        }
    }
    std::optional<int64_t> offset;
    if (q->device_now) offset = q->device_now - now;
    auto sum = store_.ingest(t->id, items, now, offset);
    if (!sum.ok) {
        log::error("hub", "storage_failed",
                   {{"op", "ingest"}, {"terminal", t->id}, {"error", sum.error}});
        return error_reply(503, "hub_storage", "the hub could not save; send again");
    }
    if (sum.quarantined > 0) {
        std::map<std::string, int> reasons;
        for (auto& e : sum.refused)
            ++reasons[e.reason];
        std::string text;
        for (auto& [why, n] : reasons)
            text += (text.empty() ? "" : ",") + why + ":" + std::to_string(n);
        log::warn(
            "hub", "events_quarantined",
            {{"terminal", t->id}, {"count", std::to_string(sum.quarantined)}, {"reasons", text}});
    }
    if (sum.resend_from > 0)
        log::warn("hub", "resend_requested",
                  {{"terminal", t->id}, {"from_seq", std::to_string(sum.resend_from)}});
    wire::UploadResponse r;
    r.acked_seq = sum.acked_seq;
    r.stored = sum.stored;
    r.duplicates = sum.duplicates;
    r.quarantined = sum.quarantined;
    r.refused = std::move(sum.refused);
    r.resend_from = sum.resend_from;
    r.hub_time = now_ms();
    return {200, wire::encode(r)};
}

// A page for a terminal of a county hub moved into this database (jobfair-hub migrate): it sends
// the county's epoch and a cursor c in the county's numbering. It holds the county's rows up to
// c (now base+1 … base+c) and none of the rows this database held before the move (versions up to
// base, which it may be offered: the province's and city's listings, other counties' fairs and
// keys). So it first catches up on those, then goes on after base+c; nothing it holds is sent
// again. While it catches up, the page keeps the county's epoch and its cursor carries both
// places, c and the catch-up's last version x: (x+1)·(span+1) + c, above any county cursor.
// The last page of the catch-up hands over the database's epoch and the cursor base+c. False:
// the cursor is not one of these (the terminal starts again from a snapshot).
bool HubService::moved_page(const MovedHub& m, int64_t cursor, size_t n,
                            const std::vector<std::string>& unions, wire::PullPage& page) {
    const int64_t width = m.span + 1;
    int64_t c = cursor, x = 0;
    if (cursor > m.span) {
        x = cursor / width - 1;
        c = cursor % width;
    }
    if (x > m.base || width > INT64_MAX / (m.base + 2)) return false;
    page.reset = false;
    if (x < m.base) {
        bool more = false;
        auto items = store_.changes(page.stream, x, n, &more, unions);
        size_t keep = 0;
        while (keep < items.size() && items[keep].version <= m.base)
            ++keep;
        bool caught_up = keep < items.size() || !more;
        items.resize(keep);
        if (!items.empty()) {
            page.items = std::move(items);
            page.more = true;
            if (caught_up) {
                page.cursor = m.base + c;
            } else {
                page.epoch = m.epoch;
                page.cursor = (page.items.back().version + 1) * width + c;
            }
            return true;
        }
    }
    page.items = store_.changes(page.stream, m.base + c, n, &page.more, unions);
    page.cursor = page.items.empty() ? m.base + c : page.items.back().version;
    return true;
}

Reply HubService::pull(std::string_view bearer, std::string_view stream, std::string_view cursor,
                       std::string_view epoch, std::string_view limit) {
    Reply refusal;
    auto t = authorise(bearer, &refusal);
    if (!t) return refusal;
    auto s = wire::parse_stream(stream);
    if (!s) return error_reply(400, "bad_request", "unknown stream");
    auto number = [](std::string_view v, int64_t fallback) -> std::optional<int64_t> {
        if (v.empty()) return fallback;
        int64_t n = 0;
        for (char c : v) {
            if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) return std::nullopt;
            n = n * 10 + (c - '0');
        }
        return n;
    };
    auto after = number(cursor, 0);
    auto lim = number(limit, 500);
    if (!after || !lim) return error_reply(400, "bad_request", "cursor and limit are numbers");
    wire::PullPage page;
    page.stream = *s;
    page.epoch = store_.keys().epoch;
    size_t n = static_cast<size_t>(std::clamp<int64_t>(*lim, 1, wire::kMaxPageItems));
    // A county's terminal downloads its county's listings and notices and those of the unions
    // above it, not the province's: its first download stays small however large the province.
    std::vector<std::string> unions;
    if (*s == wire::Stream::Listings || *s == wire::Stream::Notices)
        unions = offered_unions(store_, *t);
    if (!epoch.empty() && epoch != page.epoch) {
        // A terminal of a county hub moved into this database keeps its place.
        if (auto moved = store_.moved_hub(std::string(epoch));
            moved && moved->into_epoch == page.epoch &&
            moved_page(*moved, *after, n, unions, page)) {
            if (*s == wire::Stream::Attendees) narrow_attendees(store_, *t, page.items);
            store_.touch_terminal(t->id, now_ms(), std::nullopt);
            return {200, wire::encode(page)};
        }
        // A stale epoch means the terminal's copy may miss deletions: start again from a snapshot.
        page.reset = true;
        *after = 0;
    }
    page.items = store_.changes(*s, *after, n, &page.more, unions);
    page.cursor = page.items.empty() ? *after : page.items.back().version;
    if (*s == wire::Stream::Attendees) narrow_attendees(store_, *t, page.items);
    store_.touch_terminal(t->id, now_ms(), std::nullopt);
    return {200, wire::encode(page)};
}

Reply HubService::status(std::string_view bearer, std::string_view device_now) {
    Reply refusal;
    auto t = authorise(bearer, &refusal);
    if (!t) return refusal;
    TimeMs now = now_ms();
    std::optional<int64_t> offset;
    if (auto device = parse_int<int64_t>(device_now)) offset = *device - now;
    store_.touch_terminal(t->id, now, offset);
    wire::StatusReply reply{t->id, now, t->acked_seq, std::nullopt};
    // The terminal's fair as a whole, for its admin screen (docs/fair-day.md).
    if (!t->fair_id.empty()) {
        auto n = fair_totals(store_, t->fair_id);
        reply.fair = wire::FairTotals{t->fair_id, n.people_in,  n.with_intent, n.check_ins,
                                      n.intents,  n.placements, n.services};
    }
    return {200, wire::encode(reply)};
}

} // namespace jf::hub
