// Nothing acknowledged is lost: a child process records check-ins and placements into a real
// SQLite file and is killed with SIGKILL at a random moment, over and over. After every kill the
// file is reopened and must hold every record the child had acknowledged, exactly once, with an
// intact database, a gap-free sequence and valid signatures.
//
// The child acknowledges a record by writing one line to a pipe only after record_* returned ok,
// which is the moment the kiosk would show "签到成功" or hand over the signed placement.
#include <catch2/catch.hpp>

#include "tests/reliability/reliability.hpp"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace jf;
using jf::test::TempDir;

namespace {

// At least 200 kills; JF_CRASH_ROUNDS=5000 runs a longer campaign by hand.
int kill_rounds() {
    const char* env = std::getenv("JF_CRASH_ROUNDS");
    int n = env ? std::atoi(env) : 0;
    return n >= 200 ? n : 200;
}
const char* kFair = "F-CRASH";

// What the child acknowledged, as it told the parent.
struct Acked {
    std::map<std::string, std::string> check_ins;  // uuid → attendee id
    std::map<std::string, std::string> duplicates; // attendee id → uuid of the first check-in
    std::map<std::string, std::string> placements; // uuid → placement id
    int64_t acknowledged_seq = 0;                  // highest mark_acknowledged() that returned ok
    std::string last_attendee;                     // the latest person let in
};

// Sends one line to the parent; a line below PIPE_BUF is written atomically, so a kill never
// leaves half a line.
void tell(int fd, const std::string& line) {
    std::string l = line + "\n";
    if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) ::_exit(3);
}

// The child: records until it is killed. Never returns.
[[noreturn]] void child(const std::string& path, const SigningKey& key, int round, uint32_t seed,
                        int out) {
    auto store = Store::open(path);
    if (!store) ::_exit(2);
    auto signer = jf::test::signer_for(key, "T-CRASH");
    std::mt19937 rng(seed);
    std::string latest_version; // this child's latest placement version, for corrections
    std::vector<std::string> mine;
    for (int n = 0; n < 100000; ++n) {
        int what = static_cast<int>(rng() % 10);
        if (what < 5) {
            CheckIn c;
            c.fair_id = kFair;
            c.method = ScanMethod::Camera;
            c.verdict = Verdict::CheckedIn;
            c.attendee_id = "A-" + std::to_string(round) + "-" + std::to_string(n);
            c.credential_id = "C-" + c.attendee_id;
            auto r = store->record_check_in(c, signer);
            if (!r.ok || r.duplicate) ::_exit(4);
            tell(out, "C " + r.record.h.uuid + " " + c.attendee_id);
            mine.push_back(c.attendee_id);
        } else if (what == 5 && !mine.empty()) {
            // A second scan of someone already in: "already checked in", nothing written.
            CheckIn c;
            c.fair_id = kFair;
            c.verdict = Verdict::CheckedIn;
            c.attendee_id = mine[rng() % mine.size()];
            auto r = store->record_check_in(c, signer);
            if (!r.ok || !r.duplicate) ::_exit(5);
            tell(out, "D " + c.attendee_id + " " + r.record.h.uuid);
        } else if (what == 6) {
            // A failed scan is a fact too: recorded with its verdict.
            CheckIn c;
            c.fair_id = kFair;
            c.verdict = Verdict::Forged;
            c.method = ScanMethod::HandScanner;
            auto r = store->record_check_in(c, signer);
            if (!r.ok) ::_exit(6);
            tell(out, "C " + r.record.h.uuid + " -");
        } else if (what == 7 && !latest_version.empty()) {
            Placement p = jf::test::sample_placement();
            p.fair_id = kFair;
            p.action = PlacementAction::Correction;
            p.corrects = latest_version;
            p.reason = "落实就业日期更正";
            p.start_date = Date{2024, 3, 2};
            auto r = store->record_placement(p, signer);
            if (!r) ::_exit(7);
            latest_version = r->h.uuid;
            tell(out, "P " + r->h.uuid + " " + r->placement_id);
        } else if (what == 8) {
            int64_t up_to = store->last_seq() / 2;
            if (up_to > store->acknowledged_seq()) {
                if (!store->mark_acknowledged(up_to)) ::_exit(8);
                tell(out, "A " + std::to_string(up_to));
            }
        } else {
            Placement p = jf::test::sample_placement();
            p.fair_id = kFair;
            p.attendee_id = "A-P-" + std::to_string(round) + "-" + std::to_string(n);
            auto r = store->record_placement(p, signer);
            if (!r) ::_exit(9);
            latest_version = r->h.uuid;
            tell(out, "P " + r->h.uuid + " " + r->placement_id);
        }
    }
    ::_exit(0);
}

// Reads the child's acknowledgements: blocks until at least `at_least` lines have arrived (or the
// pipe closes), so the kill can be aimed at a child that is busy writing, on a fast or slow
// machine.
struct AckReader {
    int fd;
    std::string pending;
    int lines = 0;

    bool read_until(int at_least, Acked& acked) {
        char buf[4096];
        while (lines < at_least) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) return false;
            pending.append(buf, static_cast<size_t>(n));
            parse(acked);
        }
        return true;
    }
    void read_all(Acked& acked) {
        read_until(INT32_MAX, acked);
        parse(acked);
    }
    void parse(Acked& acked) {
        size_t end;
        while ((end = pending.find('\n')) != std::string::npos) {
            std::istringstream line(pending.substr(0, end));
            pending.erase(0, end + 1);
            ++lines;
            std::string kind, a, b;
            line >> kind >> a >> b;
            if (kind == "A")
                acked.acknowledged_seq = std::max<int64_t>(acked.acknowledged_seq, std::stoll(a));
            if (kind == "C") acked.check_ins[a] = b;
            if (kind == "C" && b != "-") acked.last_attendee = b;
            if (kind == "D") acked.duplicates[a] = b;
            if (kind == "P") acked.placements[a] = b;
        }
    }
};

// The event log and its projections, read once per round.
struct Tables {
    std::map<std::string, int> events;                        // uuid → rows
    std::set<std::string> check_ins;                          // uuids
    std::map<std::string, std::vector<std::string>> accepted; // attendee → accepted uuids
    std::map<std::string, std::string> placements;            // uuid → placement id
};

Tables read_tables(sqlite3* db) {
    using jf::test::column_text;
    Tables t;
    {
        jf::test::Stmt q(db, "SELECT uuid FROM events");
        while (sqlite3_step(q.s) == SQLITE_ROW)
            ++t.events[column_text(q.s, 0)];
    }
    {
        jf::test::Stmt q(db, "SELECT uuid, attendee_id, verdict FROM check_ins");
        while (sqlite3_step(q.s) == SQLITE_ROW) {
            t.check_ins.insert(column_text(q.s, 0));
            if (column_text(q.s, 2) == "checked_in")
                t.accepted[column_text(q.s, 1)].push_back(column_text(q.s, 0));
        }
    }
    {
        jf::test::Stmt q(db, "SELECT uuid, placement_id FROM placements");
        while (sqlite3_step(q.s) == SQLITE_ROW)
            t.placements[column_text(q.s, 0)] = column_text(q.s, 1);
    }
    return t;
}

} // namespace

TEST_CASE("records acknowledged before a SIGKILL are all there after restart, exactly once") {
    TempDir dir;
    std::string path = dir.file("kiosk.db");
    SigningKey key = SigningKey::generate();
    const int kKills = kill_rounds();
    std::mt19937 rng(Catch::rngSeed() ? Catch::rngSeed() : 20240223);
    Acked acked;
    int64_t verified_seq = 0; // events up to here had their signatures checked already
    int acknowledgements = 0;

    for (int round = 0; round < kKills; ++round) {
        INFO("round " << round);
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(fds[0]);
            child(path, key, round, static_cast<uint32_t>(rng()), fds[1]);
        }
        ::close(fds[1]);
        AckReader reader{fds[0], {}, 0};
        // Every tenth child dies at once (during open and migration); the others after a random
        // number of acknowledged records plus a random fraction of the next write.
        int wait_for = round % 10 == 0 ? 0 : 1 + static_cast<int>(rng() % 5);
        reader.read_until(wait_for, acked);
        ::usleep(static_cast<useconds_t>(rng() % (round % 10 == 0 ? 500 : 4000)));
        ::kill(pid, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        // The child only ever stops by the kill; any other exit is a failed record_* call.
        INFO("child exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGKILL);
        reader.read_all(acked);
        acknowledgements += reader.lines;
        ::close(fds[0]);

        auto store = Store::open(path);
        REQUIRE(store);
        sqlite3* db = store->handle();
        REQUIRE(store->schema_version() == Store::kSchemaVersion);
        REQUIRE(jf::test::integrity_check(db) == "ok");

        // A gap-free sequence starting at 1: nothing half-written, nothing skipped.
        auto [lo, hi, n] = jf::test::seq_span(db);
        if (n > 0) {
            REQUIRE(lo == 1);
            REQUIRE(hi == n);
        }
        REQUIRE(store->last_seq() == n);
        REQUIRE(store->acknowledged_seq() >= acked.acknowledged_seq);
        REQUIRE(store->acknowledged_seq() <= store->last_seq());

        // One pass over everything acknowledged so far, against the tables read once; problems
        // are listed, not asserted one by one, so a failure names every lost or doubled record.
        Tables t = read_tables(db);
        std::vector<std::string> problems;
        auto expect = [&](bool ok, const std::string& what) {
            if (!ok) problems.push_back(what);
        };
        for (auto& [uuid, attendee] : acked.check_ins) {
            expect(t.events[uuid] == 1, "check-in event " + uuid);
            expect(t.check_ins.count(uuid) == 1, "check-in row " + uuid);
            if (attendee != "-")
                expect(t.accepted[attendee] == std::vector<std::string>{uuid},
                       "accepted check-in of " + attendee);
        }
        for (auto& [attendee, uuid] : acked.duplicates) {
            expect(t.accepted[attendee].size() == 1, "second scan wrote a row for " + attendee);
            expect(acked.check_ins.count(uuid) == 1, "second scan named another check-in " + uuid);
        }
        for (auto& [uuid, placement_id] : acked.placements) {
            expect(t.events[uuid] == 1, "placement event " + uuid);
            expect(t.placements[uuid] == placement_id, "placement row " + uuid);
        }
        // And through the store's own API, for the latest person the child let in.
        if (!acked.last_attendee.empty()) {
            auto first = store->accepted_check_in(acked.last_attendee, kFair);
            expect(first && acked.check_ins[first->h.uuid] == acked.last_attendee,
                   "accepted_check_in of " + acked.last_attendee);
        }
        CAPTURE(problems);
        REQUIRE(problems.empty());
        // Every event written since the last round (acknowledged or not) is whole and signed.
        for (auto& e : store->events_after(verified_seq, 1000000)) {
            INFO("event seq " << e.seq);
            REQUIRE(verify(key.public_key, signature_domain(e.kind), e.body, e.signature));
            verified_seq = e.seq;
        }
    }
    // Nine kills in ten landed on a child that had acknowledged work and was writing more.
    CHECK(acknowledgements >= kKills * 9 / 10);
    CHECK(!acked.placements.empty());
    CHECK(!acked.duplicates.empty());
}
