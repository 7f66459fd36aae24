// Receipt printing figures: how long composing a walk-up slip takes (QR encoding, raster, GB18030)
// and how big it is on 58 and 80 mm paper, and how long a slip takes to reach a raw-port printer
// on 127.0.0.1 (every byte acknowledged) and a file (appended and synced). One JSON line each.
#include "kiosk/desk/receipt.hpp"
#include "platform/print/escpos.hpp"
#include "platform/print/printer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

using namespace jf;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

desk::WalkUpResult sample(int i) {
    desk::WalkUpResult r;
    r.attendee.id = "A-" + std::to_string(100000 + i);
    r.attendee.name = "王小燚";
    // A credential-sized text (the real format is ~150 characters of QR alphanumerics).
    r.credential_text = "JF1:" + std::string(140, 'A');
    for (size_t k = 4; k < r.credential_text.size(); ++k)
        r.credential_text[k] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(k * 7 + size_t(i)) % 36];
    r.valid_from = {2024, 2, 23};
    r.valid_until = {2024, 12, 31};
    return r;
}

} // namespace

int main(int argc, char** argv) {
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    int n = quick ? 5 : 100;
    Translations tr;
    tr.load(JF_ASSETS_DIR "/i18n");

    for (int dots : {print::kDots58, print::kDots80}) {
        std::vector<double> t;
        size_t bytes = 0;
        for (int i = 0; i < n; ++i) {
            auto t0 = Clock::now();
            std::string s = desk::walk_up_receipt(sample(i), "2024年无为市工会送岗位招聘会",
                                                  "T-BENCH", 0, tr, dots);
            t.push_back(ms_since(t0));
            bytes = s.size();
        }
        std::printf(
            "{\"bench\":\"print_%d\",\"paper_dots\":%d,\"compose_ms\":%.3f,\"slip_bytes\":%zu}\n",
            dots == print::kDots58 ? 58 : 80, dots, median(t), bytes);
    }

    std::string slip =
        desk::walk_up_receipt(sample(0), "2024年无为市工会送岗位招聘会", "T-BENCH", 0, tr, 384);
    // A raw-port printer on loopback that reads everything.
    int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &len);
    ::listen(lfd, 8);
    std::thread printer([lfd, n] {
        char buf[8192];
        for (int k = 0; k < n; ++k) {
            int c = ::accept(lfd, nullptr, nullptr);
            if (c < 0) return;
            while (::read(c, buf, sizeof buf) > 0) {
            }
            ::close(c);
        }
    });
    auto tcp = print::parse_destination("tcp://127.0.0.1:" + std::to_string(ntohs(a.sin_port)));
    std::vector<double> tt;
    int failed = 0;
    for (int i = 0; i < n; ++i) {
        std::string key;
        auto t0 = Clock::now();
        failed += !print::send(*tcp, slip, &key);
        tt.push_back(ms_since(t0));
    }
    printer.join();
    ::close(lfd);

    auto file = std::filesystem::temp_directory_path() /
                ("jf-bench-print-" + std::to_string(::getpid()) + ".bin");
    auto fdest = print::parse_destination(file.string());
    std::vector<double> tf;
    for (int i = 0; i < n; ++i) {
        std::string key;
        auto t0 = Clock::now();
        failed += !print::send(*fdest, slip, &key);
        tf.push_back(ms_since(t0));
    }
    std::filesystem::remove(file);
    std::printf("{\"bench\":\"print_send\",\"slips\":%d,\"tcp_ms\":%.3f,\"file_ms\":%.3f,"
                "\"failed\":%d}\n",
                n, median(tt), median(tf), failed);
    return failed ? 1 : 0;
}
