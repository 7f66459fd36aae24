// Hostile text through every text field of the store's public API: SQL injection, format strings,
// FTS query syntax, Unicode oddities, NUL bytes, invalid UTF-8 and 10 KB strings.
//
// For each field and payload the store either accepts the value and gives back exactly the same
// bytes, or refuses it with a message key and changes nothing. Ordinary text (well-formed UTF-8,
// no NUL, a normal length) must be accepted wherever the field is free text, so a store that
// refused everything would fail here. After all of it the schema is unchanged and intact.
//
// Index
// - Payloads
// - Field table       one writer and one reader per text field (reference data, settings,
//                     revocations, check-ins, placements, the signer's terminal id)
// - Tests             round trip or clean refusal; searches and look-ups with payloads;
//                     deletes that remove only their own row; log lines with payloads
#include <catch2/catch.hpp>

#include "platform/log/log.hpp"
#include "tests/reliability/reliability.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

using namespace jf;
using jf::test::TempDir;

namespace {

// -----------------------------------------------------------------------------
// Payloads
// -----------------------------------------------------------------------------

std::string repeat(std::string_view s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

std::vector<std::string> payloads() {
    using namespace std::string_literals;
    return {
        "'; DROP TABLE events;--",
        "x'); DROP TABLE attendees; --",
        "' OR '1'='1",
        "\" OR \"\"=\"",
        "1; ATTACH DATABASE 'pwned.db' AS p; --",
        "'||(SELECT group_concat(sql) FROM sqlite_schema)||'",
        "Robert'); DELETE FROM listings WHERE ('1'='1",
        "%s%s%s%n%n%x%p%99999999d",
        "{} {0} {:>99999999} {:s} {{",
        "\\'; \\\"; \\\\",
        "listings_fts MATCH '*' NEAR(a b) title:x AND OR NOT \"",
        "%_% LIKE '%'",
        "\xE2\x80\xAE"
        "evil"
        "\xE2\x80\xAC", // right-to-left override
        "Z\xCD\x91\xCD\xA3\xCC\x87"
        "algo",                                                // combining marks
        "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 family", // emoji with a zero-width joiner
        "\xEF\xBB\xBF"
        "bom", // byte order mark
        "\xE2\x80\xA8line\xE2\x80\xA9separators",
        "工会送岗位；——‘’“”《》【】",
        "tab\tcr\rlf\n esc\x1b[31m bell\x07 del\x7f",
        "  leading and trailing spaces  ",
        repeat("A", 10 * 1024),
        repeat("字'", 10 * 1024 / 4),
        // Never stored as given: embedded NUL, malformed UTF-8 (overlong, surrogate, stray bytes).
        "ab\0; DROP TABLE events;--"s,
        "\xC0\xAF overlong",
        "\xED\xA0\x80 surrogate",
        "stray \xFF\xFE",
        "cut \xE5\xB7",
    };
}

bool well_formed(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == 0) return false;
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        uint32_t cp = n == 1 ? c : c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
        for (size_t k = 1; k < n; ++k) {
            auto d = static_cast<unsigned char>(s[i + k]);
            if ((d >> 6) != 2) return false;
            cp = (cp << 6) | (d & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n;
    }
    return true;
}

// -----------------------------------------------------------------------------
// Field table
// -----------------------------------------------------------------------------

struct World {
    Store& store;
    EventSigner signer;
};

// One text field: how to write a record with `value` in it, and how to read the value back.
struct Field {
    std::string name;
    size_t must_accept_up_to; // ordinary text up to this size must be accepted (0: a format is
                              // checked)
    std::function<bool(World&, const std::string&)> write;
    std::function<std::optional<std::string>(World&, const std::string&)> read;
    std::function<void(World&, const std::string&)> prepare = {}; // runs before the snapshot
};

Campaign base_campaign() {
    return Campaign{"CA-1",           "2024 工会送岗位", Date{2024, 2, 1}, Date{2024, 3, 31},
                    Date{2024, 1, 1}, Date{2024, 12, 31}};
}
Fair base_fair() {
    Fair f;
    f.id = "F-1";
    f.campaign_id = "CA-1";
    f.name = "2024年无为市工会送岗位招聘会";
    f.union_unit = "无为市";
    f.venue = "无为市人民广场";
    f.date = Date{2024, 2, 23};
    return f;
}
Employer base_employer() {
    Employer e;
    e.id = "E-1";
    e.name = "无为市江淮电缆有限公司";
    e.union_unit = "无为市";
    e.contact_name = "王女士";
    return e;
}
Attendee base_attendee() {
    Attendee a;
    a.id = "A-1";
    a.name = "李娟";
    a.phone_masked = "138****5678";
    a.name_initials = "lj";
    a.union_unit = "无为市";
    a.campaign_id = "CA-1";
    return a;
}
// Each field and payload gets its own record id where the id itself is not the field under test,
// so accepted values never overwrite each other and a refused one never finds an older record.
std::string g_field; // the field under test
std::string key_of(const std::string& v) {
    return "K-" + std::to_string(std::hash<std::string>{}(g_field + '\x1f' + v));
}

template <class Rec, class Get>
std::optional<std::string> read_field(const std::optional<Rec>& r, Get get) {
    if (!r) return std::nullopt;
    return get(*r);
}

std::vector<Field> fields() {
    std::vector<Field> out;
    const size_t kFree = 256; // every free-text field takes at least this much

    // Settings: key and value.
    out.push_back({"setting.key", kFree,
                   [](World& w, const std::string& v) { return w.store.set_setting(v, "x"); },
                   [](World& w, const std::string& v) -> std::optional<std::string> {
                       return w.store.setting(v) ? std::optional(v) : std::nullopt;
                   }});
    out.push_back({"setting.value", 10 * 1024 + 8,
                   [](World& w, const std::string& v) { return w.store.set_setting(key_of(v), v); },
                   [](World& w, const std::string& v) { return w.store.setting(key_of(v)); }});

    // Campaigns, fairs, employers: every text member, the id included.
    auto campaign_field = [&](std::string name, std::string Campaign::*m) {
        out.push_back({"campaign." + name, kFree,
                       [m](World& w, const std::string& v) {
                           Campaign c = base_campaign();
                           c.id = key_of(v);
                           c.*m = v;
                           return w.store.upsert_campaign(c);
                       },
                       [m](World& w, const std::string& v) {
                           return read_field(w.store.campaign(m == &Campaign::id ? v : key_of(v)),
                                             [m](const Campaign& c) { return c.*m; });
                       }});
    };
    campaign_field("id", &Campaign::id);
    campaign_field("name", &Campaign::name);

    auto fair_field = [&](std::string name, std::string Fair::*m) {
        out.push_back({"fair." + name, kFree,
                       [m](World& w, const std::string& v) {
                           Fair f = base_fair();
                           f.id = key_of(v);
                           f.*m = v;
                           return w.store.upsert_fair(f);
                       },
                       [m](World& w, const std::string& v) {
                           return read_field(w.store.fair(m == &Fair::id ? v : key_of(v)),
                                             [m](const Fair& f) { return f.*m; });
                       }});
    };
    for (auto [n, m] : {std::pair{"id", &Fair::id},
                        {"campaign_id", &Fair::campaign_id},
                        {"name", &Fair::name},
                        {"union_unit", &Fair::union_unit},
                        {"venue", &Fair::venue}})
        fair_field(n, m);

    auto employer_field = [&](std::string name, std::string Employer::*m, size_t accept) {
        out.push_back({"employer." + name, accept,
                       [m](World& w, const std::string& v) {
                           Employer e = base_employer();
                           e.id = key_of(v);
                           e.*m = v;
                           return w.store.upsert_employer(e);
                       },
                       [m](World& w, const std::string& v) {
                           return read_field(w.store.employer(m == &Employer::id ? v : key_of(v)),
                                             [m](const Employer& e) { return e.*m; });
                       }});
    };
    employer_field("id", &Employer::id, kFree);
    employer_field("name", &Employer::name, kFree);
    employer_field("union_unit", &Employer::union_unit, kFree);
    employer_field("contact_name", &Employer::contact_name, kFree);
    employer_field("credit_code", &Employer::credit_code, 0);     // GB 32100 checked
    employer_field("contact_phone", &Employer::contact_phone, 0); // a phone number checked

    // Job listings (附件4): all sixteen text columns.
    auto listing_field = [&](std::string name, std::string JobListing::*m, size_t accept) {
        out.push_back({"listing." + name, accept,
                       [m](World& w, const std::string& v) {
                           JobListing l = jf::test::sample_listing(key_of(v));
                           l.*m = v;
                           return w.store.upsert_listing(l);
                       },
                       [m](World& w, const std::string& v) {
                           return read_field(w.store.listing(m == &JobListing::id ? v : key_of(v)),
                                             [m](const JobListing& l) { return l.*m; });
                       }});
    };
    listing_field("id", &JobListing::id, kFree);
    for (auto [n, m] : {std::pair{"employer_id", &JobListing::employer_id},
                        {"union_unit", &JobListing::union_unit},
                        {"employer_name", &JobListing::employer_name},
                        {"title", &JobListing::title},
                        {"work_location", &JobListing::work_location},
                        {"industry", &JobListing::industry},
                        {"salary", &JobListing::salary},
                        {"gender_requirement", &JobListing::gender_requirement},
                        {"education", &JobListing::education},
                        {"contact_name", &JobListing::contact_name},
                        {"experience", &JobListing::experience}})
        listing_field(n, m, kFree);
    listing_field("email", &JobListing::email, 0);
    listing_field("contact_phone", &JobListing::contact_phone, 0);
    listing_field("description", &JobListing::description, 10 * 1024 + 8);
    listing_field("remarks", &JobListing::remarks, 10 * 1024 + 8);

    // Attendees: free text, and the formatted columns (masks, hashes, sealed copies, initials)
    // that must refuse anything else.
    auto attendee_field = [&](std::string name, std::string Attendee::*m, size_t accept) {
        out.push_back({"attendee." + name, accept,
                       [m](World& w, const std::string& v) {
                           Attendee a = base_attendee();
                           a.id = key_of(v);
                           a.*m = v;
                           return w.store.upsert_attendee(a);
                       },
                       [m](World& w, const std::string& v) {
                           return read_field(w.store.attendee(m == &Attendee::id ? v : key_of(v)),
                                             [m](const Attendee& a) { return a.*m; });
                       }});
    };
    attendee_field("id", &Attendee::id, kFree);
    attendee_field("name", &Attendee::name, kFree);
    attendee_field("union_unit", &Attendee::union_unit, kFree);
    attendee_field("campaign_id", &Attendee::campaign_id, kFree);
    for (auto [n, m] : {std::pair{"phone_masked", &Attendee::phone_masked},
                        {"id_masked", &Attendee::id_masked},
                        {"phone_hash", &Attendee::phone_hash},
                        {"phone_tail_hash", &Attendee::phone_tail_hash},
                        {"id_tail_hash", &Attendee::id_tail_hash},
                        {"sealed_phone", &Attendee::sealed_phone},
                        {"sealed_id", &Attendee::sealed_id},
                        {"name_initials", &Attendee::name_initials}})
        attendee_field(n, m, 0);

    // Revocations.
    out.push_back({"revocation.credential_id", kFree,
                   [](World& w, const std::string& v) { return w.store.add_revocation(v, "lost"); },
                   [](World& w, const std::string& v) -> std::optional<std::string> {
                       return w.store.is_revoked(v) ? std::optional(v) : std::nullopt;
                   }});

    // Check-ins: attendee, fair, credential, and the terminal id of the signer.
    auto check_in_field = [&](std::string name, std::string CheckIn::*m) {
        out.push_back({"checkin." + name, kFree,
                       [m](World& w, const std::string& v) {
                           CheckIn c;
                           c.fair_id = "F-1";
                           c.attendee_id = key_of(v);
                           c.credential_id = "C-1";
                           c.*m = v;
                           return w.store.record_check_in(c, w.signer).ok;
                       },
                       [m](World& w, const std::string& v) {
                           std::string attendee = m == &CheckIn::attendee_id ? v : key_of(v);
                           std::string fair = m == &CheckIn::fair_id ? v : "F-1";
                           return read_field(w.store.accepted_check_in(attendee, fair),
                                             [m](const CheckIn& c) { return c.*m; });
                       }});
    };
    check_in_field("attendee_id", &CheckIn::attendee_id);
    check_in_field("fair_id", &CheckIn::fair_id);
    check_in_field("credential_id", &CheckIn::credential_id);
    out.push_back({"signer.terminal_id", kFree,
                   [](World& w, const std::string& v) {
                       CheckIn c;
                       c.fair_id = "F-1";
                       c.attendee_id = key_of(v) + "-T";
                       EventSigner s = w.signer;
                       s.terminal_id = v;
                       return w.store.record_check_in(c, s).ok;
                   },
                   [](World& w, const std::string& v) {
                       return read_field(w.store.accepted_check_in(key_of(v) + "-T", "F-1"),
                                         [](const CheckIn& c) { return c.h.terminal_id; });
                   }});

    // Placements (附件6): every text member of an original, and the reason of a correction.
    auto placement_field = [&](std::string name, std::string Placement::*m) {
        out.push_back({"placement." + name, kFree,
                       [m](World& w, const std::string& v) {
                           Placement p = jf::test::sample_placement();
                           p.attendee_id = key_of(v);
                           p.*m = v;
                           auto r = w.store.record_placement(p, w.signer);
                           if (r) w.store.set_setting("placement-of-" + key_of(v), r->h.uuid);
                           return r.has_value();
                       },
                       [m](World& w, const std::string& v) -> std::optional<std::string> {
                           auto uuid = w.store.setting("placement-of-" + key_of(v));
                           if (!uuid) return std::nullopt;
                           auto versions = w.store.placement_versions(*uuid);
                           if (versions.size() != 1) return std::nullopt;
                           return versions[0].*m;
                       }});
    };
    for (auto [n, m] : {std::pair{"attendee_id", &Placement::attendee_id},
                        {"fair_id", &Placement::fair_id},
                        {"employer_id", &Placement::employer_id},
                        {"listing_id", &Placement::listing_id},
                        {"person_name", &Placement::person_name},
                        {"work_place", &Placement::work_place},
                        {"employer_name", &Placement::employer_name},
                        {"prev_year_work_place", &Placement::prev_year_work_place}})
        placement_field(n, m);
    // A correction's reason: the original it corrects is recorded first, outside the comparison.
    out.push_back({"placement.reason", kFree,
                   [](World& w, const std::string& v) {
                       Placement c = jf::test::sample_placement();
                       c.action = PlacementAction::Correction;
                       c.corrects = *w.store.setting("original-for-" + key_of(v));
                       c.reason = v;
                       auto r = w.store.record_placement(c, w.signer);
                       if (r) w.store.set_setting("correction-of-" + key_of(v), r->h.uuid);
                       return r.has_value();
                   },
                   [](World& w, const std::string& v) -> std::optional<std::string> {
                       auto uuid = w.store.setting("correction-of-" + key_of(v));
                       if (!uuid) return std::nullopt;
                       for (auto& p : w.store.placement_versions())
                           if (p.h.uuid == *uuid) return p.reason;
                       return std::nullopt;
                   },
                   [](World& w, const std::string& v) {
                       auto original =
                           w.store.record_placement(jf::test::sample_placement(), w.signer);
                       REQUIRE(original);
                       REQUIRE(w.store.set_setting("original-for-" + key_of(v), original->h.uuid));
                   }});
    return out;
}

// The event log must refuse changes, so a refused record_* leaves it as it was; other rows are
// compared through db_digest.
std::string everything(Store& s) {
    return jf::test::db_digest(s.handle());
}

} // namespace

// -----------------------------------------------------------------------------
// Tests
// -----------------------------------------------------------------------------

TEST_CASE("every text field stores hostile text exactly, or refuses it and changes nothing") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    SigningKey key = SigningKey::generate();
    World w{*store, jf::test::signer_for(key)};
    // What is tested is the SQL, not durability (test_crash_store does that): no fsync per write.
    REQUIRE(sqlite3_exec(store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    REQUIRE(store->upsert_campaign(base_campaign()));
    REQUIRE(store->upsert_fair(base_fair()));
    const std::string schema = jf::test::schema_text(store->handle());

    int accepted = 0, refused = 0;
    for (const Field& f : fields()) {
        g_field = f.name;
        for (const std::string& v : payloads()) {
            INFO("field " << f.name << ", payload of " << v.size() << " bytes: "
                          << nlohmann::json(v)
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                                 .substr(0, 120));
            if (f.prepare) f.prepare(w, v);
            std::string before = everything(*store);
            bool ok = f.write(w, v);
            if (ok) {
                ++accepted;
                auto back = f.read(w, v);
                REQUIRE(back);
                REQUIRE(*back == v); // byte for byte, nothing trimmed, escaped or cut
            } else {
                ++refused;
                CHECK(store->last_error().rfind("err.", 0) == 0);
                REQUIRE(everything(*store) == before);
                REQUIRE(!f.read(w, v));
            }
            bool ordinary = well_formed(v) && v.size() <= f.must_accept_up_to &&
                            v.find_first_not_of(' ') != std::string::npos;
            if (ordinary) REQUIRE(ok);
            if (!well_formed(v)) REQUIRE(!ok); // a NUL or broken UTF-8 is never stored
        }
    }
    CHECK(accepted > 500);
    CHECK(refused > 100);
    CHECK(jf::test::schema_text(store->handle()) == schema);
    CHECK(jf::test::integrity_check(store->handle()) == "ok");
    // The event log is whole: contiguous and every signature verifies.
    auto [lo, hi, n] = jf::test::seq_span(store->handle());
    CHECK(lo == 1);
    CHECK(hi == n);
    for (auto& e : store->events_after(0, 100000))
        CHECK(verify(key.public_key, signature_domain(e.kind), e.body, e.signature));
}

TEST_CASE("searches and look-ups treat hostile text as text") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    REQUIRE(sqlite3_exec(store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    // One listing whose title is each payload, plus an ordinary one that must never match them.
    JobListing plain = jf::test::sample_listing("L-PLAIN");
    REQUIRE(store->upsert_listing(plain));
    g_field = "search";
    std::vector<std::string> stored;
    for (const std::string& v : payloads()) {
        JobListing l = jf::test::sample_listing(key_of(v));
        l.title = v;
        l.description = "岗位";
        l.employer_name = "单位";
        if (store->upsert_listing(l)) stored.push_back(v);
    }
    REQUIRE(stored.size() > 15);
    const std::string before = everything(*store);
    const std::string schema = jf::test::schema_text(store->handle());

    for (const std::string& v : payloads()) {
        INFO("payload of " << v.size() << " bytes");
        ListingQuery q;
        q.text = v;
        q.today = Date{2024, 1, 1};
        q.limit = 1000;
        auto found = store->search_listings(q);
        CHECK(store->count_listings(q) == static_cast<int64_t>(found.size()));
        // Never the unrelated listing: wildcards and operators are not interpreted.
        for (auto& l : found)
            CHECK(l.id != "L-PLAIN");
        // Short enough to be searched in full: the listing carrying it is found.
        bool stored_v = std::find(stored.begin(), stored.end(), v) != stored.end();
        if (stored_v && v.size() <= 200 && v.find_first_of(" \t\r\n") == std::string::npos) {
            bool hit = false;
            for (auto& l : found)
                hit = hit || l.title == v;
            CHECK(hit);
        }
        for (auto member :
             {&ListingQuery::industry, &ListingQuery::location, &ListingQuery::employer_id}) {
            ListingQuery f;
            f.*member = v;
            f.today = Date{2024, 1, 1};
            CHECK(store->search_listings(f).empty());
        }
        CHECK(store->find_attendees(PersonQuery{v, v, v, v}).empty());
        CHECK(!store->attendee(v));
        CHECK(!store->accepted_check_in(v, v));
        CHECK(store->check_ins(v).empty());
        CHECK(store->placement_versions(v).empty());
        CHECK(store->current_placements(v).empty());
        CHECK(!store->setting(v));
        CHECK(!store->is_revoked(v));
    }
    // Reading never writes.
    CHECK(everything(*store) == before);
    CHECK(jf::test::schema_text(store->handle()) == schema);

    // A delete with a hostile id removes that row and nothing else.
    for (const std::string& v : stored) {
        if (v.size() > 200) continue; // longer than any id may be
        REQUIRE(store->delete_listing(v + "-absent"));
        REQUIRE(store->delete_attendee(v));
        REQUIRE(store->delete_employer(v));
        REQUIRE(store->delete_fair(v));
        REQUIRE(store->delete_campaign(v));
    }
    CHECK(everything(*store) == before);
    for (const std::string& v : stored)
        REQUIRE(store->delete_listing(key_of(v)));
    REQUIRE(store->listing("L-PLAIN"));
    ListingQuery all;
    all.today = Date{2024, 1, 1};
    CHECK(store->count_listings(all) == 1);
    CHECK(jf::test::integrity_check(store->handle()) == "ok");
}

TEST_CASE("log lines carry hostile text as data") {
    namespace fs = std::filesystem;
    TempDir dir;
    REQUIRE(jf::log::open(dir.path.string(), "kiosk"));
    auto list = payloads();
    for (const std::string& v : list)
        jf::log::warn("injection", v, {{"value", v}, {v, "key"}});
    jf::log::flush();
    std::ifstream in(dir.path / "kiosk.log");
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
        REQUIRE(n < list.size());
        auto j = nlohmann::json::parse(line); // one well-formed JSON object per call
        const std::string& v = list[n];
        if (well_formed(v)) {
            CHECK(j["event"] == jf::log::scrub(v));
            CHECK(j["value"] == jf::log::scrub(v));
            CHECK(j[jf::log::scrub(v)] == "key");
        }
        ++n;
    }
    CHECK(n == list.size());
}
