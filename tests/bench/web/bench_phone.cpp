// Phone registrations the hub sustains: each one is the registration page's POST (checks,
// sealing, the one-time code) and the verify POST (the signed code, one SQLite transaction, the
// QR image), through WebApp::handle on a real hub store, from two client threads (the machine
// has two cores). With the challenge on, each client also solves it first (16 bits, as served);
// the hub's rate counts the hub's time only, and the clients' solving time is reported apart.
// --quick runs small sizes (ctest).
#include "sync/hub/hub_phone.hpp"
#include "tests/sync/sync_test_util.hpp"
#include "sync/hub/web/phone.hpp"
#include "sync/hub/web/web.hpp"

#include <openssl/sha.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

using namespace jf;
using namespace jf::hub;
using Clock = std::chrono::steady_clock;

namespace {

struct Outbox : SmsSender {
    std::mutex mu;
    std::map<std::string, std::string> last; // number → code
    bool send(const std::string& phone, const std::string& text) override {
        auto at = text.find("验证码 ");
        std::lock_guard lock(mu);
        last[phone] = text.substr(at + std::strlen("验证码 "), 6);
        return true;
    }
    std::string code(const std::string& phone) {
        std::lock_guard lock(mu);
        return last[phone];
    }
};

// Each client starts at its own answer (as the page's script starts at a random one).
std::string solve(const std::string& seed, int bits, uint64_t from) {
    for (uint64_t n = from;; ++n) {
        std::string line = seed + ":" + std::to_string(n);
        unsigned char d[32];
        SHA256(reinterpret_cast<const unsigned char*>(line.data()), line.size(), d);
        int z = 0;
        for (unsigned char c : d) {
            if (c == 0) {
                z += 8;
                continue;
            }
            for (unsigned m = 0x80; m && !(c & m); m >>= 1)
                ++z;
            break;
        }
        if (z >= bits) return std::to_string(n);
    }
}

int run(bool challenge, int people, const std::string& dir) {
    auto store = open_hub_store(dir);
    if (!store) return 1;
    Fair f;
    f.id = "F1";
    f.name = "招聘会";
    f.union_unit = "无为市";
    f.date = cst_date(now_ms());
    store->upsert_fair(f);
    auto outbox = std::make_unique<Outbox>();
    Outbox* sms = outbox.get();
    PhoneSettings s;
    s.challenge_per_minute = challenge ? 0 : 1 << 30; // 0: always on
    s.sms_burst_per_address = 1 << 30;
    PhoneSignup signup(*store, SigningKey::generate(), std::move(outbox), s);
    web::WebApp app(assets_dir());
    web::install_phone_pages(app, *store, signup);
    std::string why;
    if (!app.load(&why)) {
        std::fprintf(stderr, "bench_phone: %s\n", why.c_str());
        return 1;
    }
    std::atomic<int> next{0}, errors{0};
    std::atomic<int64_t> hub_ns{0}, solve_ns{0};
    const std::regex ticket_re("name=\"ticket\" value=\"([A-Z0-9]+)\"");
    auto client = [&](int t) {
        for (int i; (i = next++) < people;) {
            char phone[16];
            std::snprintf(phone, sizeof phone, "139%08d", i);
            std::string body = "name=%E5%BC%A0%E4%BC%9F&phone=" + std::string(phone) +
                               "&fair=F1&consent=yes&group=1";
            if (challenge) {
                auto t0 = Clock::now();
                auto c = signup.challenge(now_ms());
                body += "&challenge=" + c.seed +
                        "&pow=" + solve(c.seed, c.bits, static_cast<uint64_t>(i) << 32);
                solve_ns += (Clock::now() - t0).count();
            }
            auto t0 = Clock::now();
            web::Request r;
            r.method = "POST";
            r.path = "/m/register";
            r.body = body;
            r.address = "10.0.0." + std::to_string(t);
            auto res = app.handle(r);
            std::smatch m;
            if (res.status != 200 || !std::regex_search(res.body, m, ticket_re)) {
                ++errors;
                continue;
            }
            signup.flush_sent(); // the one-time code leaves on its own thread, after the answer
            web::Request v;
            v.method = "POST";
            v.path = "/m/verify";
            v.body = "ticket=" + m[1].str() + "&otp=" + sms->code(phone);
            v.address = r.address;
            auto done = app.handle(v);
            hub_ns += (Clock::now() - t0).count();
            if (done.status != 200 || done.body.find("id=\"qr\"") == std::string::npos) ++errors;
        }
    };
    auto t0 = Clock::now();
    std::thread a(client, 1), b(client, 2);
    a.join();
    b.join();
    double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    // Two clients in parallel: the hub's own rate is people over its busy time per thread.
    double hub_s = static_cast<double>(hub_ns.load()) / 1e9 / 2;
    std::printf("{\"bench\":\"phone_register_challenge_%s\",\"people\":%d,"
                "\"clients\":2,\"seconds\":%.3f,\"registrations_per_s\":%.1f,"
                "\"wall_registrations_per_s\":%.1f,\"client_solve_ms_avg\":%.1f,\"errors\":%d}\n",
                challenge ? "on" : "off", people, hub_s, people / hub_s, people / wall,
                challenge ? static_cast<double>(solve_ns.load()) / 1e6 / people : 0.0,
                errors.load());
    std::fflush(stdout);
    return errors.load() ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    bool quick = argc > 1 && !std::strcmp(argv[1], "--quick");
    crypto_init();
    jf::test::TempDir dir;
    int n = quick ? 40 : 400;
    int rc = run(false, n, dir.str("off"));
    rc |= run(true, n, dir.str("on"));
    return rc;
}
