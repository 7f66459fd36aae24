// Canonical JSON for signed events: nlohmann's sorted objects dumped compactly, and a strict
// reader that rejects anything encode() would not have produced.
#include "kiosk/domain/event_codec.hpp"

#include <nlohmann/json.hpp>

namespace jf {

using json = nlohmann::json;

namespace {

std::string dump(const json& j) {
    // Invalid UTF-8 never throws here; the store refuses such text before it is encoded, and a
    // replaced character makes decode() reject the bytes as non-canonical.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string date_text(const Date& d) {
    return d.valid() ? d.to_string() : std::string();
}

json strokes_json(const Signature& s) {
    json out = json::array();
    for (auto& stroke : s.strokes) {
        json flat = json::array();
        for (auto& [x, y] : stroke) {
            flat.push_back(x);
            flat.push_back(y);
        }
        out.push_back(std::move(flat));
    }
    return out;
}

void put_header(json& j, const EventHeader& h) {
    j["uuid"] = h.uuid;
    j["terminal_id"] = h.terminal_id;
    j["seq"] = h.seq;
    j["device_time"] = h.device_time;
}

// Strict readers: a missing key or a wrong type fails the whole decode.
struct Reader {
    const json& j;
    bool ok = true;
    std::string str(const char* k) {
        auto it = j.find(k);
        if (it == j.end() || !it->is_string()) {
            ok = false;
            return {};
        }
        return it->get<std::string>();
    }
    int64_t i64(const char* k) {
        auto it = j.find(k);
        if (it == j.end() || !it->is_number_integer()) {
            ok = false;
            return 0;
        }
        return it->get<int64_t>();
    }
    Date date(const char* k) {
        std::string s = str(k);
        if (s.empty()) return {};
        auto d = Date::parse(s);
        if (!d || d->to_string() != s) {
            ok = false;
            return {};
        }
        return *d;
    }
    template <class E> E code_of(const char* k) {
        auto v = parse_code<E>(str(k));
        if (!v) {
            ok = false;
            return E{};
        }
        return *v;
    }
    Signature strokes(const char* k) {
        Signature s;
        auto it = j.find(k);
        if (it == j.end() || !it->is_array()) {
            ok = false;
            return s;
        }
        for (auto& flat : *it) {
            if (!flat.is_array() || flat.size() % 2) {
                ok = false;
                return s;
            }
            std::vector<std::pair<int16_t, int16_t>> stroke;
            for (size_t i = 0; i < flat.size(); i += 2) {
                if (!flat[i].is_number_integer() || !flat[i + 1].is_number_integer()) {
                    ok = false;
                    return s;
                }
                int64_t x = flat[i].get<int64_t>(), y = flat[i + 1].get<int64_t>();
                if (x < INT16_MIN || x > INT16_MAX || y < INT16_MIN || y > INT16_MAX) {
                    ok = false;
                    return s;
                }
                stroke.emplace_back(static_cast<int16_t>(x), static_cast<int16_t>(y));
            }
            s.strokes.push_back(std::move(stroke));
        }
        return s;
    }
    std::vector<std::string> strings(const char* k) {
        std::vector<std::string> out;
        auto it = j.find(k);
        if (it == j.end() || !it->is_array()) {
            ok = false;
            return out;
        }
        for (auto& x : *it) {
            if (!x.is_string()) {
                ok = false;
                return {};
            }
            out.push_back(x.get<std::string>());
        }
        return out;
    }
    EventHeader header() {
        EventHeader h;
        h.uuid = str("uuid");
        h.terminal_id = str("terminal_id");
        h.seq = i64("seq");
        h.device_time = i64("device_time");
        return h;
    }
};

std::optional<json> parse_kind(std::string_view bytes, const char* kind) {
    json j = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto k = j.find("kind");
    auto v = j.find("v");
    if (k == j.end() || *k != kind || v == j.end() || *v != kEventFormatVersion)
        return std::nullopt;
    return j;
}

} // namespace

// -----------------------------------------------------------------------------
// Check-ins
// -----------------------------------------------------------------------------

std::string encode(const CheckIn& c) {
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "checkin";
    put_header(j, c.h);
    j["attendee_id"] = c.attendee_id;
    j["fair_id"] = c.fair_id;
    j["method"] = code(c.method);
    j["verdict"] = code(c.verdict);
    j["credential_id"] = c.credential_id;
    return dump(j);
}

std::optional<CheckIn> decode_check_in(std::string_view bytes) {
    auto j = parse_kind(bytes, "checkin");
    if (!j || j->size() != 11) return std::nullopt;
    Reader r{*j};
    CheckIn c;
    c.h = r.header();
    c.attendee_id = r.str("attendee_id");
    c.fair_id = r.str("fair_id");
    c.method = r.code_of<ScanMethod>("method");
    c.verdict = r.code_of<Verdict>("verdict");
    c.credential_id = r.str("credential_id");
    if (!r.ok || encode(c) != bytes) return std::nullopt;
    return c;
}

// -----------------------------------------------------------------------------
// Placements
// -----------------------------------------------------------------------------

std::string encode(const Placement& p) {
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "placement";
    put_header(j, p.h);
    j["placement_id"] = p.placement_id;
    j["action"] = code(p.action);
    j["corrects"] = p.corrects;
    j["reason"] = p.reason;
    j["attendee_id"] = p.attendee_id;
    j["fair_id"] = p.fair_id;
    j["employer_id"] = p.employer_id;
    j["listing_id"] = p.listing_id;
    j["person_name"] = p.person_name;
    j["id_masked"] = p.id_masked;
    j["phone_masked"] = p.phone_masked;
    j["work_place"] = p.work_place;
    j["employer_name"] = p.employer_name;
    j["prev_year_work_place"] = p.prev_year_work_place;
    j["employment_form"] = code(p.employment_form);
    j["contract_form"] = code(p.contract_form);
    j["participation"] = code(p.participation);
    j["start_date"] = date_text(p.start_date);
    j["signed_date"] = date_text(p.signed_date);
    j["key_groups"] = p.key_groups;
    j["seeker_signature"] = strokes_json(p.seeker_signature);
    j["employer_signature"] = strokes_json(p.employer_signature);
    return dump(j);
}

std::optional<Placement> decode_placement(std::string_view bytes) {
    auto j = parse_kind(bytes, "placement");
    if (!j || j->size() != 28) return std::nullopt;
    Reader r{*j};
    Placement p;
    p.h = r.header();
    p.placement_id = r.str("placement_id");
    p.action = r.code_of<PlacementAction>("action");
    p.corrects = r.str("corrects");
    p.reason = r.str("reason");
    p.attendee_id = r.str("attendee_id");
    p.fair_id = r.str("fair_id");
    p.employer_id = r.str("employer_id");
    p.listing_id = r.str("listing_id");
    p.person_name = r.str("person_name");
    p.id_masked = r.str("id_masked");
    p.phone_masked = r.str("phone_masked");
    p.work_place = r.str("work_place");
    p.employer_name = r.str("employer_name");
    p.prev_year_work_place = r.str("prev_year_work_place");
    p.employment_form = r.code_of<EmploymentForm>("employment_form");
    p.contract_form = r.code_of<ContractForm>("contract_form");
    p.participation = r.code_of<Participation>("participation");
    p.start_date = r.date("start_date");
    p.signed_date = r.date("signed_date");
    int64_t groups = r.i64("key_groups");
    if (groups < 0 || groups > kAllKeyGroups) return std::nullopt;
    p.key_groups = static_cast<uint32_t>(groups);
    p.seeker_signature = r.strokes("seeker_signature");
    p.employer_signature = r.strokes("employer_signature");
    if (!r.ok || encode(p) != bytes) return std::nullopt;
    return p;
}

// -----------------------------------------------------------------------------
// Registrations
// -----------------------------------------------------------------------------

std::string encode(const Registration& r) {
    const Attendee& a = r.attendee;
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "registration";
    put_header(j, r.h);
    j["attendee_id"] = a.id;
    j["name"] = a.name;
    j["gender"] = code(a.gender);
    j["key_groups"] = a.key_groups;
    j["phone_masked"] = a.phone_masked;
    j["id_masked"] = a.id_masked;
    j["phone_hash"] = a.phone_hash;
    j["phone_tail_hash"] = a.phone_tail_hash;
    j["id_tail_hash"] = a.id_tail_hash;
    j["sealed_phone"] = a.sealed_phone;
    j["sealed_id"] = a.sealed_id;
    j["name_initials"] = a.name_initials;
    j["union_unit"] = a.union_unit;
    j["campaign_id"] = a.campaign_id;
    j["fair_id"] = r.fair_id;
    j["credential_id"] = r.credential_id;
    j["consent"] = r.consent ? 1 : 0;
    return dump(j);
}

std::optional<Registration> decode_registration(std::string_view bytes) {
    auto j = parse_kind(bytes, "registration");
    if (!j || j->size() != 23) return std::nullopt;
    Reader rd{*j};
    Registration r;
    Attendee& a = r.attendee;
    r.h = rd.header();
    a.id = rd.str("attendee_id");
    a.name = rd.str("name");
    a.gender = rd.code_of<Gender>("gender");
    int64_t groups = rd.i64("key_groups");
    if (groups < 0 || groups > kAllKeyGroups) return std::nullopt;
    a.key_groups = static_cast<uint32_t>(groups);
    a.phone_masked = rd.str("phone_masked");
    a.id_masked = rd.str("id_masked");
    a.phone_hash = rd.str("phone_hash");
    a.phone_tail_hash = rd.str("phone_tail_hash");
    a.id_tail_hash = rd.str("id_tail_hash");
    a.sealed_phone = rd.str("sealed_phone");
    a.sealed_id = rd.str("sealed_id");
    a.name_initials = rd.str("name_initials");
    a.union_unit = rd.str("union_unit");
    a.campaign_id = rd.str("campaign_id");
    r.fair_id = rd.str("fair_id");
    r.credential_id = rd.str("credential_id");
    int64_t consent = rd.i64("consent");
    if (consent != 0 && consent != 1) return std::nullopt;
    r.consent = consent == 1;
    if (!rd.ok || encode(r) != bytes) return std::nullopt;
    return r;
}

// -----------------------------------------------------------------------------
// The fair day: booth intents, undone check-ins, station services
// -----------------------------------------------------------------------------

std::string encode(const BoothIntent& i) {
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "intent";
    put_header(j, i.h);
    j["attendee_id"] = i.attendee_id;
    j["fair_id"] = i.fair_id;
    j["employer_id"] = i.employer_id;
    j["listing_id"] = i.listing_id;
    j["level"] = code(i.level);
    j["note"] = i.note;
    return dump(j);
}

std::optional<BoothIntent> decode_intent(std::string_view bytes) {
    auto j = parse_kind(bytes, "intent");
    if (!j || j->size() != 12) return std::nullopt;
    Reader r{*j};
    BoothIntent i;
    i.h = r.header();
    i.attendee_id = r.str("attendee_id");
    i.fair_id = r.str("fair_id");
    i.employer_id = r.str("employer_id");
    i.listing_id = r.str("listing_id");
    i.level = r.code_of<IntentLevel>("level");
    i.note = r.str("note");
    if (!r.ok || !intent_note_ok(i.note) || encode(i) != bytes) return std::nullopt;
    return i;
}

std::string encode(const CheckInUndo& u) {
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "checkin_undo";
    put_header(j, u.h);
    j["check_in_uuid"] = u.check_in_uuid;
    j["attendee_id"] = u.attendee_id;
    j["fair_id"] = u.fair_id;
    j["reason"] = u.reason;
    return dump(j);
}

std::optional<CheckInUndo> decode_check_in_undo(std::string_view bytes) {
    auto j = parse_kind(bytes, "checkin_undo");
    if (!j || j->size() != 10) return std::nullopt;
    Reader r{*j};
    CheckInUndo u;
    u.h = r.header();
    u.check_in_uuid = r.str("check_in_uuid");
    u.attendee_id = r.str("attendee_id");
    u.fair_id = r.str("fair_id");
    u.reason = r.str("reason");
    if (!r.ok || !undo_reason_ok(u.reason) || encode(u) != bytes) return std::nullopt;
    return u;
}

std::string encode(const ServiceGiven& s) {
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "service";
    put_header(j, s.h);
    j["attendee_id"] = s.attendee_id;
    j["fair_id"] = s.fair_id;
    j["service"] = code(s.service);
    j["key_groups"] = s.key_groups;
    return dump(j);
}

std::optional<ServiceGiven> decode_service(std::string_view bytes) {
    auto j = parse_kind(bytes, "service");
    if (!j || j->size() != 10) return std::nullopt;
    Reader r{*j};
    ServiceGiven s;
    s.h = r.header();
    s.attendee_id = r.str("attendee_id");
    s.fair_id = r.str("fair_id");
    s.service = r.code_of<ServiceKind>("service");
    int64_t groups = r.i64("key_groups");
    if (groups < 0 || groups > kAllKeyGroups) return std::nullopt;
    s.key_groups = static_cast<uint32_t>(groups);
    if (!r.ok || encode(s) != bytes) return std::nullopt;
    return s;
}

// -----------------------------------------------------------------------------
// The seekers' needs list
// -----------------------------------------------------------------------------

std::string encode(const SeekerNeeds& n) {
    json j = json::object();
    j["v"] = kEventFormatVersion;
    j["kind"] = "needs";
    put_header(j, n.h);
    j["attendee_id"] = n.attendee_id;
    j["fair_id"] = n.fair_id;
    j["industries"] = n.industries;
    j["skill"] = n.skill;
    j["certificates"] = n.certificates;
    j["services"] = n.services;
    return dump(j);
}

std::optional<SeekerNeeds> decode_needs(std::string_view bytes) {
    auto j = parse_kind(bytes, "needs");
    if (!j || j->size() != 12) return std::nullopt;
    Reader r{*j};
    SeekerNeeds n;
    n.h = r.header();
    n.attendee_id = r.str("attendee_id");
    n.fair_id = r.str("fair_id");
    n.industries = r.strings("industries");
    n.skill = r.str("skill");
    n.certificates = r.strings("certificates");
    n.services = r.strings("services");
    if (!r.ok || !needs_ok(n) || encode(n) != bytes) return std::nullopt;
    return n;
}

} // namespace jf
