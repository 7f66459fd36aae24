// The sync messages: round trips, and refusal of malformed input without throwing.
#include <catch2/catch.hpp>

#include "kiosk/i18n/i18n.hpp"
#include "sync/wire/wire.hpp"

using namespace jf;
using namespace jf::wire;

TEST_CASE("upload request round-trips the exact event bytes") {
    UploadRequest q;
    q.terminal_id = "T-1";
    q.device_now = 1708653725000;
    WireEvent e;
    e.seq = 7;
    e.uuid = "0e8f5c1a-0000-4000-8000-000000000001";
    e.kind = "checkin";
    e.body = to_bytes("{\"a\":\"张三\\u0000\"}\xff");
    e.signature = Bytes(64, 0xab);
    e.device_time = 1708653700000;
    q.events.push_back(e);
    auto back = decode_upload_request(encode(q));
    REQUIRE(back);
    REQUIRE(back->events.size() == 1);
    CHECK(back->events[0].body == e.body);
    CHECK(back->events[0].signature == e.signature);
    CHECK(back->events[0].seq == 7);
    CHECK(back->device_now == q.device_now);
}

TEST_CASE("decoders refuse malformed input with a reason") {
    std::string why;
    for (const char* bad : {"", "[]", "{", "{\"protocol\":1}", "null",
                            "{\"protocol\":\"1\",\"terminal_id\":\"T\",\"events\":[]}",
                            "{\"protocol\":1,\"terminal_id\":\"T\",\"events\":[{\"seq\":0,\"uuid\":"
                            "\"u\",\"kind\":\"checkin\",\"body\":\"\"}]}",
                            "{\"protocol\":1,\"terminal_id\":\"T\",\"events\":[{\"seq\":1,\"uuid\":"
                            "\"u\",\"kind\":\"checkin\",\"body\":\"!!\"}]}",
                            "{\"protocol\":1,\"terminal_id\":\"T\",\"events\":{}}"}) {
        INFO(bad);
        CHECK_FALSE(decode_upload_request(bad, &why));
        CHECK_FALSE(decode_upload_response(bad));
        CHECK_FALSE(decode_pull_page(bad));
        CHECK_FALSE(decode_enroll_response(bad));
    }
    CHECK_FALSE(
        decode_enroll_request("{\"protocol\":1,\"code\":\"X\",\"public_key\":\"AAAA\"}", &why));
    CHECK(why.find("public_key") != std::string::npos);
}

TEST_CASE("upload answers name refused events and ask for a resend: the PROTOCOL.md vectors") {
    UploadResponse a;
    a.acked_seq = 42;
    a.stored = 25;
    a.quarantined = 2;
    a.hub_time = 1708653725120;
    a.refused = {{41, "seq_reused"}, {42, "signature_invalid"}};
    const std::string v1 =
        R"({"acked_seq":42,"duplicates":0,"hub_time":1708653725120,"quarantined":2,)"
        R"("refused":[{"reason":"seq_reused","seq":41},{"reason":"signature_invalid","seq":42}],)"
        R"("stored":25})";
    CHECK(encode(a) == v1);
    auto back = decode_upload_response(v1);
    REQUIRE(back);
    REQUIRE(back->refused.size() == 2);
    CHECK(back->refused[0].seq == 41);
    CHECK(back->refused[0].reason == "seq_reused");
    CHECK(back->refused[1].reason == "signature_invalid");
    CHECK(back->resend_from == 0);

    UploadResponse b;
    b.acked_seq = 3000;
    b.stored = 1000;
    b.hub_time = 1708653725120;
    b.resend_from = 2001;
    const std::string v2 = R"({"acked_seq":3000,"duplicates":0,"hub_time":1708653725120,)"
                           R"("quarantined":0,"resend_from":2001,"stored":1000})";
    CHECK(encode(b) == v2);
    auto b2 = decode_upload_response(v2);
    REQUIRE(b2);
    CHECK(b2->resend_from == 2001);
    CHECK(b2->refused.empty());

    // An answer from a hub before these fields still reads; malformed ones are refused.
    CHECK(decode_upload_response(R"({"acked_seq":1,"stored":1})"));
    for (const char* bad :
         {R"({"acked_seq":1,"refused":{}})", R"({"acked_seq":1,"refused":[1]})",
          R"({"acked_seq":1,"refused":[{"seq":1}]})", R"({"acked_seq":1,"resend_from":-4})"}) {
        INFO(bad);
        CHECK_FALSE(decode_upload_response(bad));
    }

    StatusReply s{"T-1a2b3c4d", 1708653725120, 7, std::nullopt};
    const std::string v3 = R"({"acked_seq":7,"hub_time":1708653725120,"terminal_id":"T-1a2b3c4d"})";
    CHECK(encode(s) == v3);
    auto s2 = decode_status_reply(v3);
    REQUIRE(s2);
    CHECK(s2->acked_seq == 7);
    CHECK(s2->terminal_id == "T-1a2b3c4d");
    CHECK_FALSE(decode_status_reply(R"({"terminal_id":"T","acked_seq":-1})"));
    CHECK_FALSE(s2->fair); // a hub made before the fair's totals sends none

    // The fair's totals ride on the status answer (sync/PROTOCOL.md, GET /v1/status).
    s.fair = FairTotals{"wuwei-20240223", 118, 27, 120, 31, 9, 14};
    const std::string v4 =
        R"({"acked_seq":7,"fair":{"check_ins":120,"id":"wuwei-20240223","intents":31,)"
        R"("people_in":118,"placements":9,"services":14,"with_intent":27},)"
        R"("hub_time":1708653725120,"terminal_id":"T-1a2b3c4d"})";
    CHECK(encode(s) == v4);
    auto s4 = decode_status_reply(v4);
    REQUIRE(s4);
    REQUIRE(s4->fair);
    CHECK(*s4->fair == *s.fair);
    auto alone = decode_fair_totals(encode(*s.fair));
    REQUIRE(alone);
    CHECK(*alone == *s.fair);
    for (const char* bad :
         {R"({"acked_seq":7,"fair":[]})", R"({"acked_seq":7,"fair":{"id":"F"}})",
          R"({"acked_seq":7,"fair":{"check_ins":-1,"id":"F","intents":0,"people_in":0,)"
          R"("placements":0,"services":0,"with_intent":0}})",
          R"({"acked_seq":7,"fair":{"check_ins":"1","id":"F","intents":0,"people_in":0,)"
          R"("placements":0,"services":0,"with_intent":0}})"}) {
        INFO(bad);
        CHECK_FALSE(decode_status_reply(bad));
    }
}

TEST_CASE("a batch larger than the limit is refused") {
    UploadRequest q;
    q.terminal_id = "T";
    for (size_t i = 0; i <= kMaxBatchEvents; ++i)
        q.events.push_back(
            {static_cast<int64_t>(i + 1), "u", "checkin", to_bytes("{}"), Bytes(64), 1});
    std::string why;
    CHECK_FALSE(decode_upload_request(encode(q), &why));
    CHECK(why.find("too many") != std::string::npos);
}

TEST_CASE("pull pages carry records and tombstones") {
    PullPage p;
    p.stream = Stream::Listings;
    p.epoch = "e1";
    p.cursor = 12;
    p.more = true;
    JobListing l;
    l.id = "L1";
    l.employer_name = "奇瑞汽车股份有限公司";
    l.title = "产品经理";
    l.headcount = 3;
    l.work_location = "芜湖";
    l.contact_phone = "13855380000";
    l.deadline = {2024, 4, 10};
    p.items.push_back({11, "L1", false, {}, {}, {}, l, {}, {}, {}, "hub", {}, {}});
    wire::PullItem gone;
    gone.version = 12;
    gone.id = "L0";
    gone.deleted = true;
    p.items.push_back(gone);
    auto back = decode_pull_page(encode(p));
    REQUIRE(back);
    CHECK(back->stream == Stream::Listings);
    CHECK(back->more);
    CHECK(back->cursor == 12);
    REQUIRE(back->items.size() == 2);
    REQUIRE(back->items[0].listing);
    CHECK(back->items[0].listing->title == "产品经理");
    CHECK(back->items[0].listing->headcount == 3);
    CHECK(back->items[0].listing->deadline == Date{2024, 4, 10});
    CHECK(back->items[1].deleted);
    CHECK_FALSE(back->items[1].listing);
}

TEST_CASE("a listing travels with the instant it was collected; an older hub's has none") {
    // The vector in sync/PROTOCOL.md ("Listings").
    const std::string vector =
        R"({"cursor":12,"epoch":"e1","items":[{"data":{"collected_at":1708300800000,)"
        R"("contact_name":"","contact_phone":"13855380000","deadline":"2024-04-10",)"
        R"("description":"","education":"","email":"","employer_id":"",)"
        R"("employer_name":"奇瑞汽车股份有限公司","experience":"","gender_requirement":"",)"
        R"("headcount":3,"id":"L1","industry":"","remarks":"","salary":"","title":"产品经理",)"
        R"("union_unit":"","work_location":"芜湖"},"id":"L1","v":11}],"more":false,)"
        R"("reset":false,"stream":"listings"})";
    PullPage p;
    p.stream = Stream::Listings;
    p.epoch = "e1";
    p.cursor = 12;
    JobListing l;
    l.id = "L1";
    l.employer_name = "奇瑞汽车股份有限公司";
    l.title = "产品经理";
    l.headcount = 3;
    l.work_location = "芜湖";
    l.contact_phone = "13855380000";
    l.deadline = {2024, 4, 10};
    l.collected_at = 1708300800000; // 2024-02-19 08:00 CST
    wire::PullItem item;
    item.version = 11;
    item.id = "L1";
    item.listing = l;
    p.items.push_back(item);
    CHECK(encode(p) == vector);
    auto back = decode_pull_page(vector);
    REQUIRE(back);
    REQUIRE(back->items.at(0).listing);
    CHECK(back->items[0].listing->collected_at == 1708300800000);

    // An older hub sends no time: 0, and the terminal stamps the listing when it first stores it.
    std::string old = vector;
    old.erase(old.find(R"("collected_at":1708300800000,)"),
              std::string(R"("collected_at":1708300800000,)").size());
    back = decode_pull_page(old);
    REQUIRE(back);
    CHECK(back->items.at(0).listing->collected_at == 0);
    // Neither encoded: a listing whose time is unknown.
    l.collected_at = 0;
    p.items[0].listing = l;
    CHECK(encode(p) == old);
    // Not a number: the page is refused, as for any malformed field.
    std::string bad = vector;
    bad.replace(bad.find("1708300800000"), 13, R"("yesterday")");
    CHECK_FALSE(decode_pull_page(bad));
}

TEST_CASE("station notices travel with their times and targets, ended ones as tombstones") {
    // The vector in sync/PROTOCOL.md ("Notices").
    const std::string vector =
        R"({"cursor":7,"epoch":"e1","items":[{"data":{"ends_at":1708905600000,)"
        R"("fair_ids":["wuwei-20240223"],"id":"N-1","starts_at":1708646400000,)"
        R"("terminal_ids":[],"text":"下一场：3月1日 南陵县体育馆","union_unit":"无为市"},)"
        R"("id":"N-1","v":6},{"deleted":true,"id":"N-0","v":7}],"more":false,"reset":false,)"
        R"("stream":"notices"})";
    PullPage p;
    p.stream = Stream::Notices;
    p.epoch = "e1";
    p.cursor = 7;
    StationNotice n;
    n.id = "N-1";
    n.union_unit = "无为市";
    n.text = "下一场：3月1日 南陵县体育馆";
    n.starts_at = 1708646400000; // 2024-02-23 08:00 CST
    n.ends_at = 1708905600000;   // 2024-02-26 08:00 CST
    n.fair_ids = {"wuwei-20240223"};
    wire::PullItem item;
    item.version = 6;
    item.id = "N-1";
    item.notice = n;
    p.items.push_back(item);
    wire::PullItem gone;
    gone.version = 7;
    gone.id = "N-0";
    gone.deleted = true;
    p.items.push_back(gone);
    CHECK(encode(p) == vector);
    auto back = decode_pull_page(vector);
    REQUIRE(back);
    CHECK(back->stream == Stream::Notices);
    REQUIRE(back->items.size() == 2);
    REQUIRE(back->items[0].notice);
    CHECK(back->items[0].notice->text == n.text);
    CHECK(back->items[0].notice->starts_at == n.starts_at);
    CHECK(back->items[0].notice->ends_at == n.ends_at);
    CHECK(back->items[0].notice->fair_ids == n.fair_ids);
    CHECK(back->items[0].notice->terminal_ids.empty());
    CHECK(back->items[1].deleted);
    CHECK_FALSE(back->items[1].notice);
    CHECK(parse_stream("notices") == Stream::Notices);
    CHECK(std::string(stream_name(Stream::Notices)) == "notices");
    // A notice the hub would not have saved fails the page: ending before it starts, no text,
    // an id with a comma, a time that is not a number.
    auto bad = [&](const std::string& from, const std::string& to) {
        std::string v = vector;
        v.replace(v.find(from), from.size(), to);
        return decode_pull_page(v);
    };
    CHECK_FALSE(bad("1708905600000", "1708646400000"));
    CHECK_FALSE(bad("下一场：3月1日 南陵县体育馆", " "));
    CHECK_FALSE(bad(R"(["wuwei-20240223"])", R"(["a,b"])"));
    CHECK_FALSE(bad("1708646400000", R"("today")"));
    CHECK_FALSE(bad(R"("text":"下一场)", R"("text":")" + std::string(1001, 'x') + "下一场"));
}

TEST_CASE("enrolment answer round-trips and checks key sizes") {
    EnrollResponse r;
    r.terminal_id = "T-1";
    r.access_token = "tok";
    r.fair_id = "F";
    r.mode = "employer";
    r.issuer_keys.push_back({"40bca4ea", Bytes(32, 1), "hub", ""});
    r.issuer_keys.push_back({"1a2b3c4d", Bytes(32, 4), "terminal", "F"});
    r.hub_seal_public_key = Bytes(32, 2);
    r.tls_pin = "sha256//abc=";
    auto back = decode_enroll_response(encode(r));
    REQUIRE(back);
    CHECK(back->issuer_keys.at(0).public_key == Bytes(32, 1));
    CHECK(back->issuer_keys.at(0).kind == "hub");
    CHECK(back->issuer_keys.at(1).kind == "terminal");
    CHECK(back->issuer_keys.at(1).fair_id == "F");
    CHECK(back->tls_pin == r.tls_pin);
    // A terminal key without its fair, or a kind nobody knows, is refused.
    r.issuer_keys[1].fair_id.clear();
    CHECK_FALSE(decode_enroll_response(encode(r)));
    r.issuer_keys[1].fair_id = "F";
    r.issuer_keys[1].kind = "root";
    CHECK_FALSE(decode_enroll_response(encode(r)));
    r.issuer_keys.pop_back();
    r.hub_seal_public_key = Bytes(31, 2);
    CHECK_FALSE(decode_enroll_response(encode(r)));
    r.hub_seal_public_key = Bytes(32, 2);
    // A terminal keeps no look-up key: the answer carries none.
    CHECK(encode(r).find("lookup_key") == std::string::npos);
    r.mode = "admin";
    CHECK_FALSE(decode_enroll_response(encode(r)));
}

TEST_CASE("every sync message the terminal can show is translated in both languages") {
    Translations t;
    REQUIRE(t.load(JF_ASSETS_DIR "/i18n"));
    for (const char* k : {"sync.err.offline",
                          "sync.err.timeout",
                          "sync.err.connection_lost",
                          "sync.err.network",
                          "sync.err.tls",
                          "sync.err.pin_mismatch",
                          "sync.err.hub_error",
                          "sync.err.bad_answer",
                          "sync.err.bad_request",
                          "sync.err.protocol_unsupported",
                          "sync.err.unauthorised",
                          "sync.err.terminal_revoked",
                          "sync.err.terminal_mismatch",
                          "sync.err.code_unknown",
                          "sync.err.code_used",
                          "sync.err.code_expired",
                          "sync.err.too_large",
                          "sync.err.key_conflict",
                          "sync.err.quarantine_full",
                          "sync.err.enrol_limited",
                          "sync.status.refused",
                          "sync.status.restored_copy",
                          "sync.err.not_enrolled",
                          "sync.err.already_enrolled",
                          "sync.err.url_not_https",
                          "sync.err.ca_unreadable",
                          "sync.err.store",
                          "sync.status.online",
                          "sync.status.offline",
                          "sync.status.syncing",
                          "sync.status.waiting",
                          "sync.status.all_sent",
                          "sync.status.last_success",
                          "sync.status.never",
                          "sync.status.clock_off",
                          "sync.enrolled"}) {
        INFO(k);
        CHECK(t.tr(k, Lang::ZhCN) != k);
        CHECK(t.tr(k, Lang::EnUS) != k);
    }
}
