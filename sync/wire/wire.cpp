// JSON encoding of the sync messages. Decoders never throw: nlohmann-json parses without
// exceptions and every field is checked for presence, type and size before it is used.
#include "sync/wire/wire.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>

namespace jf::wire {

using json = nlohmann::json;

namespace {

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<json> parse_object(std::string_view text, std::string* why) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        if (why) *why = "not a JSON object";
        return std::nullopt;
    }
    return j;
}

// Reads fields of one object; the first problem is kept and later reads return defaults.
struct Reader {
    explicit Reader(const json& o) : j(o) {}
    const json& j;
    std::string why;
    bool ok() const { return why.empty(); }
    void fail(const char* k, const char* what) {
        if (why.empty()) why = std::string(k) + ": " + what;
    }
    const json* get(const char* k, bool required) {
        auto it = j.find(k);
        if (it == j.end() || it->is_null()) {
            if (required) fail(k, "missing");
            return nullptr;
        }
        return &*it;
    }
    std::string str(const char* k, bool required = true, size_t max = 4096) {
        auto* v = get(k, required);
        if (!v) return {};
        if (!v->is_string()) return fail(k, "not a string"), std::string();
        const auto& s = v->get_ref<const std::string&>();
        if (s.size() > max) return fail(k, "too long"), std::string();
        return s;
    }
    int64_t i64(const char* k, bool required = true) {
        auto* v = get(k, required);
        if (!v) return 0;
        if (!v->is_number_integer()) return fail(k, "not an integer"), 0;
        return v->get<int64_t>();
    }
    bool boolean(const char* k) {
        auto* v = get(k, false);
        if (!v) return false;
        if (!v->is_boolean()) return fail(k, "not true/false"), false;
        return v->get<bool>();
    }
    Bytes b64(const char* k, bool required = true, size_t max = kMaxBodyBytes) {
        auto s = str(k, required, max * 4 / 3 + 8);
        if (s.empty()) return {};
        auto b = from_base64(s);
        if (!b) return fail(k, "not base64"), Bytes();
        return *b;
    }
    Date date(const char* k) {
        auto s = str(k, false, 16);
        if (s.empty()) return {};
        auto d = Date::parse(s);
        if (!d) return fail(k, "not a date"), Date();
        return *d;
    }
    template <class E> E code_of(const char* k, E fallback) {
        auto s = str(k, false, 64);
        if (s.empty()) return fallback;
        auto v = parse_code<E>(s);
        if (!v) return fail(k, "unknown value"), fallback;
        return *v;
    }
    const json* array(const char* k, bool required = true) {
        auto* v = get(k, required);
        if (v && !v->is_array()) return fail(k, "not a list"), nullptr;
        return v;
    }
};

std::string date_text(const Date& d) {
    return d.valid() ? d.to_iso() : std::string();
}

bool finish(Reader& r, std::string* why) {
    if (!r.ok() && why) *why = r.why;
    return r.ok();
}

// -- Reference records ---------------------------------------------------------
// An issuer key's kind ("hub" when absent) and, for a terminal key, the fair it may vouch for.
void issuer_kind_from(Reader& r, std::string* kind, std::string* fair_id) {
    *kind = r.str("kind", false, 16);
    if (kind->empty()) *kind = "hub";
    *fair_id = r.str("fair_id", false, 128);
    if (!r.ok()) return;
    if (*kind != "hub" && *kind != "terminal")
        r.fail("kind", "unknown issuer key kind");
    else if (*kind == "terminal" && fair_id->empty())
        r.fail("fair_id", "a terminal key needs its fair");
    else if (*kind == "hub")
        fair_id->clear();
}

json to_json(const Campaign& c) {
    return {{"id", c.id},
            {"name", c.name},
            {"concentrated_from", date_text(c.concentrated_from)},
            {"concentrated_until", date_text(c.concentrated_until)},
            {"year_from", date_text(c.year_from)},
            {"year_until", date_text(c.year_until)}};
}
Campaign campaign_from(Reader& r) {
    Campaign c;
    c.id = r.str("id");
    c.name = r.str("name", false);
    c.concentrated_from = r.date("concentrated_from");
    c.concentrated_until = r.date("concentrated_until");
    c.year_from = r.date("year_from");
    c.year_until = r.date("year_until");
    return c;
}
json to_json(const Fair& f) {
    return {{"id", f.id},         {"campaign_id", f.campaign_id},
            {"name", f.name},     {"union_unit", f.union_unit},
            {"venue", f.venue},   {"date", date_text(f.date)},
            {"online", f.online}, {"special", f.special}};
}
Fair fair_from(Reader& r) {
    Fair f;
    f.id = r.str("id");
    f.campaign_id = r.str("campaign_id", false);
    f.name = r.str("name", false);
    f.union_unit = r.str("union_unit", false);
    f.venue = r.str("venue", false);
    f.date = r.date("date");
    f.online = r.boolean("online");
    f.special = r.boolean("special");
    return f;
}
json to_json(const StationNotice& n) {
    return {{"id", n.id},
            {"union_unit", n.union_unit},
            {"text", n.text},
            {"starts_at", n.starts_at},
            {"ends_at", n.ends_at},
            {"fair_ids", n.fair_ids},
            {"terminal_ids", n.terminal_ids}};
}
std::vector<std::string> ids_from(Reader& r, const char* k) {
    std::vector<std::string> out;
    const json* a = r.array(k, false);
    if (a && a->size() > kNoticeMaxTargets) r.fail(k, "too many");
    for (size_t i = 0; r.ok() && a && i < a->size(); ++i) {
        auto& v = (*a)[i];
        if (!v.is_string() || !notice_target_ok(v.get_ref<const std::string&>()))
            r.fail(k, "not an id");
        else
            out.push_back(v.get<std::string>());
    }
    return out;
}
// A notice that fails check_notice fails the page: a terminal never stores what the hub would
// not have let staff save.
StationNotice notice_from(Reader& r) {
    StationNotice n;
    n.id = r.str("id", true, 128);
    n.union_unit = r.str("union_unit", false, 256);
    n.text = r.str("text", true, kNoticeMaxBytes);
    n.starts_at = r.i64("starts_at");
    n.ends_at = r.i64("ends_at");
    n.fair_ids = ids_from(r, "fair_ids");
    n.terminal_ids = ids_from(r, "terminal_ids");
    if (r.ok())
        if (auto c = check_notice(n); !c) r.fail(c.field.c_str(), "not a valid notice");
    return n;
}
json to_json(const Employer& e) {
    return {{"id", e.id},
            {"name", e.name},
            {"credit_code", e.credit_code},
            {"union_unit", e.union_unit},
            {"contact_name", e.contact_name},
            {"contact_phone", e.contact_phone}};
}
Employer employer_from(Reader& r) {
    Employer e;
    e.id = r.str("id");
    e.name = r.str("name", false);
    e.credit_code = r.str("credit_code", false);
    e.union_unit = r.str("union_unit", false);
    e.contact_name = r.str("contact_name", false);
    e.contact_phone = r.str("contact_phone", false);
    return e;
}
json to_json(const JobListing& l) {
    json j = {{"id", l.id},
              {"employer_id", l.employer_id},
              {"union_unit", l.union_unit},
              {"employer_name", l.employer_name},
              {"title", l.title},
              {"work_location", l.work_location},
              {"industry", l.industry},
              {"salary", l.salary},
              {"gender_requirement", l.gender_requirement},
              {"education", l.education},
              {"contact_name", l.contact_name},
              {"contact_phone", l.contact_phone},
              {"email", l.email},
              {"description", l.description},
              {"experience", l.experience},
              {"deadline", date_text(l.deadline)},
              {"remarks", l.remarks}};
    if (l.headcount) j["headcount"] = *l.headcount;
    if (l.collected_at > 0) j["collected_at"] = l.collected_at; // an older hub sends none
    return j;
}
JobListing listing_from(Reader& r) {
    JobListing l;
    l.id = r.str("id");
    l.employer_id = r.str("employer_id", false);
    l.union_unit = r.str("union_unit", false);
    l.employer_name = r.str("employer_name", false);
    l.title = r.str("title", false);
    if (r.get("headcount", false)) l.headcount = static_cast<int>(r.i64("headcount"));
    l.work_location = r.str("work_location", false);
    l.industry = r.str("industry", false);
    l.salary = r.str("salary", false);
    l.gender_requirement = r.str("gender_requirement", false);
    l.education = r.str("education", false);
    l.contact_name = r.str("contact_name", false);
    l.contact_phone = r.str("contact_phone", false);
    l.email = r.str("email", false);
    l.description = r.str("description", false, 64 << 10);
    l.experience = r.str("experience", false);
    l.deadline = r.date("deadline");
    l.remarks = r.str("remarks", false);
    l.collected_at = std::max<int64_t>(0, r.i64("collected_at", false));
    return l;
}
json to_json(const Attendee& a) {
    return {{"id", a.id},
            {"name", a.name},
            {"gender", code(a.gender)},
            {"key_groups", a.key_groups},
            {"phone_masked", a.phone_masked},
            {"id_masked", a.id_masked},
            {"sealed_phone", a.sealed_phone},
            {"sealed_id", a.sealed_id},
            {"name_initials", a.name_initials},
            {"union_unit", a.union_unit},
            {"campaign_id", a.campaign_id}};
}
Attendee attendee_from(Reader& r) {
    Attendee a;
    a.id = r.str("id");
    a.name = r.str("name", false);
    a.gender = r.code_of<Gender>("gender", Gender::Unknown);
    a.key_groups = static_cast<uint32_t>(r.i64("key_groups", false)) & kAllKeyGroups;
    a.phone_masked = r.str("phone_masked", false);
    a.id_masked = r.str("id_masked", false);
    // An older hub's look-up hashes ("phone_hash", …) are not read: nothing keeps them.
    a.sealed_phone = r.str("sealed_phone", false);
    a.sealed_id = r.str("sealed_id", false);
    a.name_initials = r.str("name_initials", false);
    a.union_unit = r.str("union_unit", false);
    a.campaign_id = r.str("campaign_id", false);
    return a;
}

} // namespace

// -----------------------------------------------------------------------------
// Errors
// -----------------------------------------------------------------------------
std::string encode(const ErrorReply& e) {
    return dump({{"error", e.error}, {"message", e.message}});
}

std::optional<ErrorReply> decode_error(std::string_view text) {
    auto j = parse_object(text, nullptr);
    if (!j) return std::nullopt;
    Reader r{*j};
    ErrorReply e{r.str("error", true, 64), r.str("message", false)};
    if (!r.ok()) return std::nullopt;
    return e;
}

// -----------------------------------------------------------------------------
// Enrolment
// -----------------------------------------------------------------------------
std::string encode(const EnrollRequest& q) {
    return dump({{"protocol", q.protocol},
                 {"code", q.code},
                 {"public_key", base64(q.public_key)},
                 {"device", q.device}});
}

std::optional<EnrollRequest> decode_enroll_request(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    Reader r{*j};
    EnrollRequest q;
    q.protocol = static_cast<int>(r.i64("protocol"));
    q.code = r.str("code", true, 64);
    q.public_key = r.b64("public_key", true, 64);
    q.device = r.str("device", false, 200);
    if (r.ok() && q.public_key.size() != kPublicKeyBytes) r.fail("public_key", "not 32 bytes");
    if (!finish(r, why)) return std::nullopt;
    return q;
}

std::string encode(const EnrollResponse& s) {
    json keys = json::array();
    for (auto& k : s.issuer_keys) {
        json kj = {{"key_id", k.key_id}, {"public_key", base64(k.public_key)}, {"kind", k.kind}};
        if (k.kind == "terminal") kj["fair_id"] = k.fair_id;
        keys.push_back(std::move(kj));
    }
    return dump({{"protocol", s.protocol},
                 {"terminal_id", s.terminal_id},
                 {"access_token", s.access_token},
                 {"fair_id", s.fair_id},
                 {"mode", s.mode},
                 {"issuer_keys", keys},
                 {"hub_seal_public_key", base64(s.hub_seal_public_key)},
                 {"tls_pin", s.tls_pin},
                 {"hub_time", s.hub_time}});
}

std::optional<EnrollResponse> decode_enroll_response(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    Reader r{*j};
    EnrollResponse s;
    s.protocol = static_cast<int>(r.i64("protocol"));
    s.terminal_id = r.str("terminal_id", true, 128);
    s.access_token = r.str("access_token", true, 256);
    s.fair_id = r.str("fair_id", false, 128);
    s.mode = r.str("mode", true, 32);
    if (auto* keys = r.array("issuer_keys")) {
        for (auto& k : *keys) {
            if (!k.is_object()) {
                r.fail("issuer_keys", "not an object");
                break;
            }
            Reader kr{k};
            IssuerKey ik{kr.str("key_id", true, 64), kr.b64("public_key", true, 64), "hub", ""};
            if (kr.ok() && ik.public_key.size() != kPublicKeyBytes)
                kr.fail("public_key", "not 32 bytes");
            issuer_kind_from(kr, &ik.kind, &ik.fair_id);
            if (!kr.ok()) {
                r.fail("issuer_keys", "bad key");
                break;
            }
            s.issuer_keys.push_back(std::move(ik));
        }
    }
    s.hub_seal_public_key = r.b64("hub_seal_public_key", true, 64);
    // An older hub also sends "lookup_key": it is not read (a terminal keeps no look-up key).
    s.tls_pin = r.str("tls_pin", false, 128);
    s.hub_time = r.i64("hub_time", false);
    if (r.ok() && s.hub_seal_public_key.size() != 32) r.fail("hub_seal_public_key", "not 32 bytes");
    if (r.ok() && s.mode != "entrance" && s.mode != "employer" && s.mode != "station")
        r.fail("mode", "unknown mode");
    if (!finish(r, why)) return std::nullopt;
    return s;
}

// -----------------------------------------------------------------------------
// Upload
// -----------------------------------------------------------------------------
std::string encode(const UploadRequest& q) {
    json events = json::array();
    for (auto& e : q.events)
        events.push_back({{"seq", e.seq},
                          {"uuid", e.uuid},
                          {"kind", e.kind},
                          {"body", base64(e.body)},
                          {"signature", base64(e.signature)},
                          {"device_time", e.device_time}});
    return dump({{"protocol", q.protocol},
                 {"terminal_id", q.terminal_id},
                 {"device_now", q.device_now},
                 {"events", events}});
}

std::optional<UploadRequest> decode_upload_request(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    Reader r{*j};
    UploadRequest q;
    q.protocol = static_cast<int>(r.i64("protocol"));
    q.terminal_id = r.str("terminal_id", true, 128);
    q.device_now = r.i64("device_now", false);
    if (auto* events = r.array("events")) {
        if (events->size() > kMaxBatchEvents) r.fail("events", "too many in one batch");
        for (size_t i = 0; r.ok() && i < events->size(); ++i) {
            auto& ev = (*events)[i];
            if (!ev.is_object()) {
                r.fail("events", "not an object");
                break;
            }
            Reader er{ev};
            WireEvent w;
            w.seq = er.i64("seq");
            w.uuid = er.str("uuid", true, 64);
            w.kind = er.str("kind", true, 32);
            w.body = er.b64("body");
            // A signature that is not 64 bytes is kept as sent: the hub quarantines the event
            // with the reason rather than refusing the whole batch.
            w.signature = er.b64("signature", false, 256);
            w.device_time = er.i64("device_time", false);
            if (er.ok() && w.seq <= 0) er.fail("seq", "must be positive");
            if (!er.ok()) {
                r.why = "events[" + std::to_string(i) + "]." + er.why;
                break;
            }
            q.events.push_back(std::move(w));
        }
    }
    if (!finish(r, why)) return std::nullopt;
    return q;
}

std::string encode(const UploadResponse& s) {
    json j = {{"acked_seq", s.acked_seq},
              {"stored", s.stored},
              {"duplicates", s.duplicates},
              {"quarantined", s.quarantined},
              {"hub_time", s.hub_time}};
    if (!s.refused.empty()) {
        json list = json::array();
        for (auto& e : s.refused)
            list.push_back({{"seq", e.seq}, {"reason", e.reason}});
        j["refused"] = std::move(list);
    }
    if (s.resend_from > 0) j["resend_from"] = s.resend_from;
    return dump(j);
}

std::optional<UploadResponse> decode_upload_response(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    Reader r{*j};
    UploadResponse s;
    s.acked_seq = r.i64("acked_seq");
    s.stored = static_cast<int>(r.i64("stored", false));
    s.duplicates = static_cast<int>(r.i64("duplicates", false));
    s.quarantined = static_cast<int>(r.i64("quarantined", false));
    s.hub_time = r.i64("hub_time", false);
    s.resend_from = r.i64("resend_from", false);
    if (auto* list = r.array("refused", false)) {
        if (list->size() > kMaxBatchEvents) r.fail("refused", "too many");
        for (size_t i = 0; r.ok() && i < list->size(); ++i) {
            const auto& item = (*list)[i];
            if (!item.is_object()) {
                r.fail("refused", "not an object");
                break;
            }
            Reader er{item};
            RefusedEvent e;
            e.seq = er.i64("seq");
            e.reason = er.str("reason", true, 64);
            if (!er.ok()) r.fail("refused", er.why.c_str());
            s.refused.push_back(std::move(e));
        }
    }
    if (r.ok() && s.acked_seq < 0) r.fail("acked_seq", "negative");
    if (r.ok() && s.resend_from < 0) r.fail("resend_from", "negative");
    if (!finish(r, why)) return std::nullopt;
    return s;
}

namespace {
json fair_totals_json(const FairTotals& f) {
    return {{"id", f.fair_id},          {"people_in", f.people_in}, {"with_intent", f.with_intent},
            {"check_ins", f.check_ins}, {"intents", f.intents},     {"placements", f.placements},
            {"services", f.services}};
}

std::optional<FairTotals> fair_totals_from(const json& j, std::string* why) {
    if (!j.is_object()) {
        if (why) *why = "not an object";
        return std::nullopt;
    }
    Reader r{j};
    FairTotals f;
    f.fair_id = r.str("id", true, 128);
    int64_t* counts[] = {&f.people_in, &f.with_intent, &f.check_ins,
                         &f.intents,   &f.placements,  &f.services};
    const char* names[] = {"people_in", "with_intent", "check_ins",
                           "intents",   "placements",  "services"};
    for (int i = 0; i < 6 && r.ok(); ++i) {
        *counts[i] = r.i64(names[i]);
        if (r.ok() && *counts[i] < 0) r.fail(names[i], "negative");
    }
    if (!finish(r, why)) return std::nullopt;
    return f;
}
} // namespace

std::string encode(const FairTotals& f) {
    return dump(fair_totals_json(f));
}

std::optional<FairTotals> decode_fair_totals(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    return fair_totals_from(*j, why);
}

std::string encode(const StatusReply& s) {
    json j = {{"terminal_id", s.terminal_id}, {"hub_time", s.hub_time}, {"acked_seq", s.acked_seq}};
    if (s.fair) j["fair"] = fair_totals_json(*s.fair);
    return dump(j);
}

std::optional<StatusReply> decode_status_reply(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    Reader r{*j};
    StatusReply s;
    s.terminal_id = r.str("terminal_id", true, 128);
    s.hub_time = r.i64("hub_time", false);
    s.acked_seq = r.i64("acked_seq");
    if (r.ok() && s.acked_seq < 0) r.fail("acked_seq", "negative");
    if (auto* f = r.get("fair", false); f && r.ok()) {
        std::string fwhy;
        s.fair = fair_totals_from(*f, &fwhy);
        if (!s.fair) r.why = "fair." + fwhy;
    }
    if (!finish(r, why)) return std::nullopt;
    return s;
}

// -----------------------------------------------------------------------------
// Download
// -----------------------------------------------------------------------------
namespace {
constexpr const char* kStreamNames[] = {"campaigns", "fairs",       "employers",   "listings",
                                        "attendees", "revocations", "issuer_keys", "notices"};
constexpr int kStreams = static_cast<int>(std::size(kStreamNames));
}

const char* stream_name(Stream s) {
    return kStreamNames[static_cast<int>(s)];
}

std::optional<Stream> parse_stream(std::string_view name) {
    for (int i = 0; i < kStreams; ++i)
        if (name == kStreamNames[i]) return static_cast<Stream>(i);
    return std::nullopt;
}

std::string encode(const PullPage& p) {
    json items = json::array();
    for (auto& it : p.items) {
        json j = {{"v", it.version}, {"id", it.id}};
        if (it.deleted) {
            j["deleted"] = true;
        } else {
            switch (p.stream) {
            case Stream::Campaigns:
                if (it.campaign) j["data"] = to_json(*it.campaign);
                break;
            case Stream::Fairs:
                if (it.fair) j["data"] = to_json(*it.fair);
                break;
            case Stream::Employers:
                if (it.employer) j["data"] = to_json(*it.employer);
                break;
            case Stream::Listings:
                if (it.listing) j["data"] = to_json(*it.listing);
                break;
            case Stream::Attendees:
                if (it.attendee) j["data"] = to_json(*it.attendee);
                break;
            case Stream::Revocations:
                j["data"] = {{"reason", it.revocation_reason}};
                break;
            case Stream::IssuerKeys:
                j["data"] = {{"public_key", base64(it.issuer_public_key)},
                             {"kind", it.issuer_kind}};
                if (it.issuer_kind == "terminal") j["data"]["fair_id"] = it.issuer_fair_id;
                break;
            case Stream::Notices:
                if (it.notice) j["data"] = to_json(*it.notice);
                break;
            }
        }
        items.push_back(std::move(j));
    }
    return dump({{"stream", stream_name(p.stream)},
                 {"epoch", p.epoch},
                 {"reset", p.reset},
                 {"cursor", p.cursor},
                 {"more", p.more},
                 {"items", items}});
}

std::optional<PullPage> decode_pull_page(std::string_view text, std::string* why) {
    auto j = parse_object(text, why);
    if (!j) return std::nullopt;
    Reader r{*j};
    PullPage p;
    auto stream = parse_stream(r.str("stream", true, 32));
    if (r.ok() && !stream) r.fail("stream", "unknown stream");
    if (stream) p.stream = *stream;
    p.epoch = r.str("epoch", true, 64);
    p.reset = r.boolean("reset");
    p.cursor = r.i64("cursor");
    p.more = r.boolean("more");
    const json* items = r.array("items");
    if (items && items->size() > kMaxPageItems) r.fail("items", "too many in one page");
    for (size_t i = 0; r.ok() && items && i < items->size(); ++i) {
        auto& ij = (*items)[i];
        if (!ij.is_object()) {
            r.fail("items", "not an object");
            break;
        }
        Reader ir{ij};
        PullItem it;
        it.version = ir.i64("v");
        it.id = ir.str("id", true, 256);
        it.deleted = ir.boolean("deleted");
        if (ir.ok() && !it.deleted) {
            auto* data = ir.get("data", true);
            if (data && !data->is_object()) ir.fail("data", "not an object");
            if (ir.ok()) {
                Reader dr{*data};
                switch (p.stream) {
                case Stream::Campaigns:
                    it.campaign = campaign_from(dr);
                    break;
                case Stream::Fairs:
                    it.fair = fair_from(dr);
                    break;
                case Stream::Employers:
                    it.employer = employer_from(dr);
                    break;
                case Stream::Listings:
                    it.listing = listing_from(dr);
                    break;
                case Stream::Attendees:
                    it.attendee = attendee_from(dr);
                    break;
                case Stream::Revocations:
                    it.revocation_reason = dr.str("reason", false, 256);
                    break;
                case Stream::IssuerKeys:
                    it.issuer_public_key = dr.b64("public_key", true, 64);
                    if (dr.ok() && it.issuer_public_key.size() != kPublicKeyBytes)
                        dr.fail("public_key", "not 32 bytes");
                    issuer_kind_from(dr, &it.issuer_kind, &it.issuer_fair_id);
                    break;
                case Stream::Notices:
                    it.notice = notice_from(dr);
                    break;
                }
                if (!dr.ok()) ir.fail("data", dr.why.c_str());
            }
        }
        if (!ir.ok()) {
            r.why = "items[" + std::to_string(i) + "]." + ir.why;
            break;
        }
        p.items.push_back(std::move(it));
    }
    if (!finish(r, why)) return std::nullopt;
    return p;
}

std::string to_json_text(const JobListing& l) {
    return dump(to_json(l));
}

std::optional<JobListing> listing_from_json_text(std::string_view text) {
    auto j = parse_object(text, nullptr);
    if (!j) return std::nullopt;
    Reader r{*j};
    auto l = listing_from(r);
    if (!r.ok()) return std::nullopt;
    return l;
}

} // namespace jf::wire
