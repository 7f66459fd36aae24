// The hub's API probed the way an attacker or a broken client would, against a real
// `jobfair-hub serve` process over TLS on loopback (libcurl and raw sockets, no mocks): no token,
// malformed tokens, one terminal's token used for another terminal's events, a revoked terminal,
// plain HTTP on the TLS port, bodies over the limit, oversized URLs and headers, unknown paths,
// wrong methods and malformed JSON. Each is refused with the status and error key that
// sync/PROTOCOL.md documents, and the hub's database is unchanged afterwards (every row of every
// table compared), except the quarantine where the protocol says forged events go.
//
// Index
// - Client      one HTTPS request with libcurl; one raw TCP exchange
// - Hub state   a digest of every row of the hub's database
// - Probes      one section per kind of bad request
#include <catch2/catch.hpp>

#include "tests/reliability/sqlite_read.hpp"
#include "tests/sync/sync_trial.hpp"
#include "sync/wire/wire.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fstream>
#include <map>

using namespace jf;
using namespace jf::test;

namespace {

// -----------------------------------------------------------------------------
// Client
// -----------------------------------------------------------------------------

struct Answer {
    CURLcode rc = CURLE_OK;
    long status = 0;
    std::string body;
    std::string headers;
    // The error key of a JSON error answer ("" when the body is not one).
    std::string error() const {
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (!j.is_object() || !j.contains("error") || !j["error"].is_string()) return {};
        return j["error"].get<std::string>();
    }
};

size_t collect(char* p, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(p, size * n);
    return size * n;
}

struct Request {
    std::string method, path;
    std::vector<std::string> headers;
    std::string body;
    bool chunked = false;
    Request(std::string m, std::string p, std::vector<std::string> h = {}, std::string b = {})
        : method(std::move(m)), path(std::move(p)), headers(std::move(h)), body(std::move(b)) {}
};

Answer call(const std::string& base, const std::string& ca, const Request& r) {
    Answer a;
    CURL* c = curl_easy_init();
    std::string url = base + r.path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_slist* hs = nullptr;
    for (auto& h : r.headers)
        hs = curl_slist_append(hs, h.c_str());
    if (r.method == "POST" || r.method == "PUT") {
        hs = curl_slist_append(hs, "Content-Type: application/json");
        if (r.chunked) {
            hs = curl_slist_append(hs, "Transfer-Encoding: chunked");
            curl_easy_setopt(c, CURLOPT_POST, 1L);
        }
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.headers);
    a.rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    curl_slist_free_all(hs);
    curl_easy_cleanup(c);
    return a;
}

// Sends `bytes` on a plain TCP connection and returns everything that comes back until the peer
// closes (or 5 s pass).
std::string raw_exchange(int port, const std::string& bytes) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return "(no connection)";
    }
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    std::string got;
    char buf[4096];
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return got;
}

// -----------------------------------------------------------------------------
// Hub state
// -----------------------------------------------------------------------------

// Every row of every table of the hub's file, table by table in a stable order (read by a second
// connection while the hub runs, as staff commands do).
std::map<std::string, std::string> hub_tables(const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(db, 5000);
    std::vector<std::string> names;
    {
        Stmt q(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
        while (sqlite3_step(q.s) == SQLITE_ROW)
            names.push_back(column_text(q.s, 0));
    }
    std::map<std::string, std::string> tables;
    for (auto& t : names) {
        // Table names come from the schema itself, never from input.
        std::string sql = "SELECT * FROM \"" + t + "\" ORDER BY 1";
        Stmt q(db, sql.c_str());
        std::string& out = tables[t];
        while (sqlite3_step(q.s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(q.s); ++c) {
                auto p = static_cast<const char*>(sqlite3_column_blob(q.s, c));
                out.append(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(q.s, c)));
                out += '\x1f';
            }
            out += '\n';
        }
    }
    sqlite3_close(db);
    return tables;
}

std::string upload_body(const std::string& terminal_id, const std::vector<OutboxEvent>& events) {
    wire::UploadRequest r;
    r.terminal_id = terminal_id;
    r.device_now = 1708653725000;
    for (auto& e : events)
        r.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
    return wire::encode(r);
}

std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token;
}

} // namespace

TEST_CASE("the hub refuses bad and unauthenticated requests and changes nothing") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    Trial t;
    const std::string db = t.data + "/hub.db";
    auto a = t.terminal("forger");
    auto b = t.terminal("victim");
    auto c = t.terminal("revoked");
    REQUIRE(record_events(*a, identity_of(*a), 5) == 5);
    REQUIRE(record_events(*b, identity_of(*b), 5) == 5);
    REQUIRE(record_events(*c, identity_of(*c), 3) == 3);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*b, fast_options(), st)); // the victim's events are on the hub
    REQUIRE(run_hub({"revoke-terminal", "--terminal", identity_of(*c).terminal_id, "--data-dir",
                     t.data}) == 0);
    const auto id_a = identity_of(*a), id_b = identity_of(*b), id_c = identity_of(*c);
    const std::string tok_a = *a->setting("sync.token"), tok_c = *c->setting("sync.token");
    const auto events_a = a->events_after(0, 100), events_b = b->events_after(0, 100);
    const std::string batch_a = upload_body(id_a.terminal_id, events_a);
    const std::string base = t.hub.url();
    auto ask = [&](Request r) { return call(base, t.cert, r); };

    const auto before = hub_tables(db);
    REQUIRE(before.at("events").find(events_b[0].uuid) != std::string::npos); // it sees rows
    auto unchanged = [&] { return hub_tables(db) == before; };

    SECTION("no token, or a malformed one: 401 unauthorised") {
        std::vector<std::vector<std::string>> variants = {
            {},
            {"Authorization: Bearer"},
            {"Authorization: Bearer "},
            {"Authorization: Basic " + tok_a},
            {"Authorization: " + tok_a},
            {"Authorization: Bearer x"},
            {bearer(tok_a + "x")},
            {bearer(tok_a.substr(0, tok_a.size() - 1))},
            {bearer(tok_a + " " + tok_a)},
            {bearer(std::string(4000, 'A'))},
            {bearer("' OR 1=1 --")},
            {bearer("%s%s%s%n")},
        };
        for (auto& h : variants) {
            INFO((h.empty() ? std::string("(no Authorization)") : h[0].substr(0, 60)));
            auto up = ask({"POST", "/v1/events", h, batch_a});
            CHECK(up.rc == CURLE_OK);
            CHECK(up.status == 401);
            CHECK(up.error() == "unauthorised");
            auto pull = ask({"GET", "/v1/pull?stream=fairs", h});
            CHECK(pull.status == 401);
            CHECK(pull.error() == "unauthorised");
            auto status = ask({"GET", "/v1/status", h});
            CHECK(status.status == 401);
            CHECK(status.error() == "unauthorised");
        }
        CHECK(unchanged());
    }

    SECTION("A's token for a batch that names terminal B: 403 terminal_mismatch") {
        auto r =
            ask({"POST", "/v1/events", {bearer(tok_a)}, upload_body(id_b.terminal_id, events_b)});
        CHECK(r.status == 403);
        CHECK(r.error() == "terminal_mismatch");
        CHECK(unchanged());
    }

    SECTION("A's token for B's events: quarantined with the reason, never stored") {
        // B's genuine events (signed by B) sent as A's, and B's bodies signed again with A's key.
        // Re-signed bodies keep their sequence numbers (the body names them); A has sent none yet.
        auto resigned = events_b;
        for (auto& e : resigned)
            e.signature = id_a.key.sign(signature_domain(e.kind), e.body);
        auto stolen = events_b;
        for (auto& e : stolen)
            e.seq += 100; // past A's sequence so far: the signature alone decides
        for (auto* batch : {&resigned, &stolen}) {
            auto r =
                ask({"POST", "/v1/events", {bearer(tok_a)}, upload_body(id_a.terminal_id, *batch)});
            CHECK(r.status == 200);
            auto j = nlohmann::json::parse(r.body, nullptr, false);
            CHECK(j.value("stored", -1) == 0);
            CHECK(j.value("quarantined", -1) == static_cast<int>(batch->size()));
        }
        auto hub = t.hub_view();
        CHECK(hub->event_count(id_a.terminal_id) == 0);
        CHECK(hub->events(id_b.terminal_id).size() == events_b.size());
        std::map<std::string, int> reasons;
        for (auto& q : hub->quarantine()) {
            CHECK(q.terminal_id == id_a.terminal_id);
            ++reasons[q.reason];
        }
        CHECK(reasons["signature_invalid"] == 5); // B's key, checked against A's
        CHECK(reasons["terminal_mismatch"] == 5); // A's key, but the body says B
        // Nothing else moved: events, check-ins and placements as before.
        auto after = hub_tables(db);
        for (const char* table : {"events", "check_ins", "placements"}) {
            INFO(table);
            CHECK(after.at(table) == before.at(table));
        }
    }

    SECTION("a revoked terminal's token: 403 terminal_revoked everywhere") {
        auto up = ask({"POST",
                       "/v1/events",
                       {bearer(tok_c)},
                       upload_body(id_c.terminal_id, c->events_after(0, 100))});
        CHECK(up.status == 403);
        CHECK(up.error() == "terminal_revoked");
        CHECK(ask({"GET", "/v1/pull?stream=attendees", {bearer(tok_c)}}).error() ==
              "terminal_revoked");
        CHECK(ask({"GET", "/v1/status", {bearer(tok_c)}}).error() == "terminal_revoked");
        CHECK(unchanged());
    }

    SECTION("plain HTTP on the TLS port gets no HTTP answer and stores nothing") {
        std::string req = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" + bearer(tok_a) +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(batch_a.size()) + "\r\n\r\n" + batch_a;
        auto got = raw_exchange(t.hub.port(), req);
        CHECK(got.rfind("HTTP/", 0) != 0);
        CHECK(got.find("acked_seq") == std::string::npos);
        auto plain =
            call("http://127.0.0.1:" + std::to_string(t.hub.port()), t.cert, {"GET", "/healthz"});
        CHECK(plain.rc != CURLE_OK);
        CHECK(plain.status == 0);
        CHECK(unchanged());
    }

    SECTION("bodies over the limit: 413 too_large; chunked bodies: 411; nothing stored") {
        // A valid batch padded past the hub's 16 MiB limit, with and without a length.
        std::string big = batch_a;
        big.insert(big.size() - 1, ",\"pad\":\"" + std::string((16u << 20) + 10, 'x') + "\"");
        auto declared = ask({"POST", "/v1/events", {bearer(tok_a)}, big});
        CHECK(declared.status == 413);
        CHECK(declared.error() == "too_large");
        // Without a declared length the limit could not be applied before reading: refused
        // before the body is read, whatever its size (PROTOCOL.md: 411 length_required).
        for (const std::string* body : {static_cast<const std::string*>(&big), &batch_a}) {
            Request r{"POST", "/v1/events", {bearer(tok_a)}, *body};
            r.chunked = true;
            auto ans = ask(r);
            CHECK(ans.status == 411);
            CHECK(ans.error() == "length_required");
        }
        // More events than a batch may hold (wire::kMaxBatchEvents), well under the byte limit.
        std::vector<OutboxEvent> many(wire::kMaxBatchEvents + 1, events_a[0]);
        for (size_t i = 0; i < many.size(); ++i)
            many[i].seq = static_cast<int64_t>(i + 1);
        auto r = ask({"POST", "/v1/events", {bearer(tok_a)}, upload_body(id_a.terminal_id, many)});
        CHECK(r.status == 400);
        CHECK(r.error() == "bad_request");
        CHECK(unchanged());
    }

    SECTION("oversized URLs and headers are refused; the hub keeps serving") {
        auto url = ask({"GET",
                        "/v1/pull?stream=fairs&cursor=0&x=" + std::string(20000, 'a'),
                        {bearer(tok_a)}});
        CHECK(url.rc == CURLE_OK);
        CHECK(url.status == 414);
        CHECK(!url.error().empty());
        auto header = ask(
            {"POST", "/v1/events", {bearer(tok_a), "X-Pad: " + std::string(20000, 'p')}, batch_a});
        CHECK(header.rc == CURLE_OK);
        CHECK(header.status == 400);
        CHECK(!header.error().empty());
        auto token = ask({"GET", "/v1/status", {bearer(std::string(20000, 'A'))}});
        CHECK(token.status == 400);
        CHECK(unchanged());
        CHECK(ask({"GET", "/healthz"}).status == 200);
    }

    SECTION("unknown paths: 404 not_found; known paths with another method: 405") {
        for (auto [method, path] :
             std::vector<std::pair<std::string, std::string>>{{"GET", "/"},
                                                              {"GET", "/v1/"},
                                                              {"POST", "/v2/events"},
                                                              {"GET", "/v1/pull/extra"},
                                                              {"GET", "/admin"}}) {
            INFO(method << " " << path);
            auto r = ask({method, path, {bearer(tok_a)}, "{}"});
            CHECK(r.status == 404);
            CHECK(r.error() == "not_found");
        }
        for (auto [method, path, allow] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"GET", "/v1/events", "POST"},
                 {"PUT", "/v1/events", "POST"},
                 {"DELETE", "/v1/events", "POST"},
                 {"GET", "/v1/enroll", "POST"},
                 {"POST", "/v1/pull", "GET"},
                 {"POST", "/v1/status", "GET"},
                 {"DELETE", "/v1/status", "GET"}}) {
            INFO(method << " " << path);
            auto r = ask({method, path, {bearer(tok_a)}, batch_a});
            CHECK(r.status == 405);
            CHECK(r.error() == "method_not_allowed");
            CHECK(r.headers.find("Allow: " + allow) != std::string::npos);
        }
        CHECK(unchanged());
    }

    SECTION("malformed JSON and fields: 400 with an error key, nothing stored") {
        std::vector<std::string> bodies = {
            "",
            "{",
            "[]",
            "null",
            "not json",
            "{\"protocol\":1}",
            "\xff\xfe{}",
            std::string(100000, '[') + std::string(100000, ']'),
            "{\"protocol\":1,\"terminal_id\":\"" + id_a.terminal_id + "\",\"events\":{}}",
            "{\"protocol\":1,\"terminal_id\":\"" + id_a.terminal_id +
                "\",\"events\":[{\"seq\":\"1\"}]}",
            "{\"protocol\":1,\"terminal_id\":\"" + id_a.terminal_id +
                "\",\"events\":[{\"seq\":1,\"uuid\":\"u\",\"kind\":\"checkin\",\"body\":\"!!!\","
                "\"signature\":\"\",\"device_time\":1}]}",
        };
        for (auto& body : bodies) {
            INFO(body.substr(0, 80));
            auto up = ask({"POST", "/v1/events", {bearer(tok_a)}, body});
            CHECK(up.status == 400);
            CHECK(up.error() == "bad_request");
            auto enrol = ask({"POST", "/v1/enroll", {}, body});
            CHECK(enrol.status == 400);
            CHECK(enrol.error() == "bad_request");
        }
        auto other = nlohmann::json::parse(batch_a);
        other["protocol"] = 2;
        auto r = ask({"POST", "/v1/events", {bearer(tok_a)}, other.dump()});
        CHECK(r.status == 400);
        CHECK(r.error() == "protocol_unsupported");
        CHECK(ask({"GET", "/v1/pull?stream=nothing", {bearer(tok_a)}}).error() == "bad_request");
        CHECK(ask({"GET", "/v1/pull?stream=fairs&cursor=-1", {bearer(tok_a)}}).error() ==
              "bad_request");
        CHECK(unchanged());
    }

    // Whatever was thrown at it, the hub still runs and still takes a genuine terminal's events.
    CHECK(ask({"GET", "/healthz"}).status == 200);
    REQUIRE(record_events(*b, id_b, 4, 100) == 4);
    REQUIRE(sync::sync_once(*b, fast_options(), st));
    require_all_on_hub(*t.hub_view(), *b);
}
