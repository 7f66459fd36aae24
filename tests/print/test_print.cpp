// Receipt printing with real parts: the walk-up slip and the test page composed as ESC/POS, written
// to a real file and to a real TCP listener on 127.0.0.1, read back as a printer would (GB18030
// text, GS v 0 raster) and the QR decoded by ZXing-C++; every kind of printer fault gives its
// translation key; the jobfair-kiosk print-test command run as a person runs it.
#include <catch2/catch.hpp>

#include "tests/desk/desk_fixture.hpp"
#include "kiosk/desk/receipt.hpp"
#include "kiosk/desk/registration.hpp"
#include "tests/print/escpos_reader.hpp"
#include "tests/print/raw_port.hpp"
#include "platform/print/escpos.hpp"
#include "platform/print/printer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace jf;
using jf::testing::closed_port;
using jf::testing::DeskFixture;
using jf::testing::Listener;
using jf::testing::read_escpos;
using jf::testing::zxing_text;
namespace fs = std::filesystem;

namespace {

const char* kPhone = "13855385678";
const char* kId = "11010519491231002X";

Translations load_tr() {
    Translations tr;
    REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
    return tr;
}

desk::WalkUpResult register_someone(DeskFixture& f) {
    desk::WalkUpForm form;
    form.name = "王小燚";
    form.phone = kPhone;
    form.resident_id = kId;
    form.consent = true;
    std::string err;
    auto r = desk::register_walk_up(*f.store, f.identity, form, f.noon(), &err);
    INFO(err);
    REQUIRE(r);
    return *r;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool contains(const std::vector<std::string>& lines, const std::string& s) {
    return std::find(lines.begin(), lines.end(), s) != lines.end();
}

std::string send_key(const std::string& dest_text, const std::string& bytes, int timeout = 3000) {
    std::string key;
    auto dest = print::parse_destination(dest_text, &key);
    if (!dest) return key;
    return print::send(*dest, bytes, &key, timeout) ? "ok" : key;
}

// Every byte sequence a phone or ID number could take in the stream: ASCII (the same in UTF-8
// and GB18030), full-width digits in UTF-8 and in GB18030.
std::vector<std::string> forbidden_forms(const std::string& digits) {
    std::string full;
    for (char c : digits)
        full += c == 'X' ? std::string("Ｘ")
                         : std::string("０").replace(2, 1, 1, char(0x90 + (c - '0')));
    auto gb = print::to_gb18030(full);
    REQUIRE(gb);
    return {digits, digits.substr(digits.size() - 8), full, *gb};
}

} // namespace

TEST_CASE("paper widths and destinations as staff write them") {
    CHECK(print::paper_dots("58") == 384);
    CHECK(print::paper_dots("80mm") == 576);
    CHECK(print::paper_dots("512") == 512);
    CHECK(print::paper_dots("81") == 0);
    CHECK(print::paper_dots("abc") == 0);

    auto d = print::parse_destination("tcp://192.168.1.50");
    REQUIRE(d);
    CHECK(d->kind == print::Destination::Kind::Tcp);
    CHECK(d->host == "192.168.1.50");
    CHECK(d->port == 9100);
    d = print::parse_destination("tcp://[::1]:9101");
    REQUIRE(d);
    CHECK(d->host == "::1");
    CHECK(d->port == 9101);
    d = print::parse_destination("/dev/ttyUSB0@9600");
    REQUIRE(d);
    CHECK(d->path == "/dev/ttyUSB0");
    CHECK(d->baud == 9600);
    d = print::parse_destination("/dev/pts/3@9600");
    REQUIRE(d);
    CHECK(d->path == "/dev/pts/3");
    d = print::parse_destination("/dev/usb/lp0");
    REQUIRE(d);
    CHECK(d->path == "/dev/usb/lp0");
    for (const char* bad : {"", "tcp://", "tcp://:9100", "tcp://host:0", "tcp://host:99999",
                            "tcp://host:", "tcp://a:b:9100", "http://printer/", "/dev/ttyUSB0@123",
                            "/tmp/dir/", "/dev/usb/lp0\n"}) {
        INFO(bad);
        std::string key;
        CHECK_FALSE(print::parse_destination(bad, &key));
        CHECK(key == "print.err.destination");
    }
}

TEST_CASE("GB18030 text round-trips, rare name characters included") {
    for (const char* s : {"请保存此二维码 / Keep this code", "鑫昊琦瑾梓燚", "㐀 𠀀 ASCII 123"}) {
        auto gb = print::to_gb18030(s);
        REQUIRE(gb);
        CHECK(*gb != s);
        CHECK(print::from_gb18030(*gb) == std::string(s));
    }
    CHECK_FALSE(print::to_gb18030("\xff\xfe bad"));
}

TEST_CASE("a walk-up slip: Chinese text, the credential as a raster QR, no phone or ID") {
    DeskFixture f("print-slip");
    Translations tr = load_tr();
    auto r = register_someone(f);
    for (int dots : {print::kDots58, print::kDots80}) {
        INFO(dots);
        std::string bytes =
            desk::walk_up_receipt(r, f.fair.name, f.identity.terminal_id, f.noon(), tr, dots);
        REQUIRE(!bytes.empty());
        auto p = read_escpos(bytes);
        INFO(p.problem);
        REQUIRE(p.problem.empty());
        CHECK(bytes.rfind("\x1b@\x1c&", 0) == 0); // initialise, then Chinese mode
        CHECK(p.inits == 1);
        CHECK(p.chinese_mode == 1);
        CHECK(p.cuts == 1);
        CHECK(bytes.substr(bytes.size() - 4) == std::string("\x1dV\x42\x00", 4)); // partial cut
        CHECK(contains(p.lines, f.fair.name));
        CHECK(contains(p.lines, "入场凭证 / Entry pass"));
        CHECK(contains(p.lines, "姓名 / Name: 王*燚"));
        CHECK(contains(p.lines, "有效期 / Valid:"));
        CHECK(contains(p.lines, "  2024-02-23 ~ 2024-12-31"));
        CHECK(contains(p.lines, "请保存此二维码 / Keep this code"));
        CHECK(p.max_raster_width_dots == dots);
        CHECK(p.raster_commands >= 2); // the code goes in bands a small printer buffers
        REQUIRE(p.images.size() == 1);
        CHECK(zxing_text(p.images[0]) == r.credential_text);
        // The whole name never appears, nor any form of the numbers.
        for (const auto& line : p.lines)
            CHECK(line.find("王小燚") == std::string::npos);
        for (const char* n : {kPhone, kId})
            for (const auto& form : forbidden_forms(n)) {
                INFO(form);
                CHECK(bytes.find(form) == std::string::npos);
            }
        for (const auto& line : p.lines)
            CHECK(line.find("5678") == std::string::npos);
    }
}

TEST_CASE("printed to a file and to a network printer's raw port on 127.0.0.1") {
    DeskFixture f("print-dest");
    Translations tr = load_tr();
    auto r = register_someone(f);
    std::string slip =
        desk::walk_up_receipt(r, f.fair.name, f.identity.terminal_id, f.noon(), tr, 384);
    std::string test = desk::test_receipt("/tmp/x", "T-1", f.noon(), tr, 576);

    fs::path file = f.dir / "receipts.bin";
    CHECK(send_key(file.string(), slip) == "ok");
    CHECK(send_key(file.string(), test) == "ok"); // a file collects one slip after another
    auto parts = jf::testing::split_receipts(slurp(file));
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == slip);
    auto p1 = read_escpos(parts[1]);
    REQUIRE(p1.images.size() == 1);
    CHECK(zxing_text(p1.images[0]) == desk::test_code("T-1", f.noon()));
    CHECK(contains(p1.lines, "打印测试页"));
    CHECK(contains(p1.lines, "中文：工会送岗位 乐业在江淮 鑫昊琦瑾梓"));

    Listener printer;
    CHECK(send_key(printer.url(), slip) == "ok");
    auto got = printer.got.get();
    REQUIRE(got.size() == 1);
    CHECK(got[0] == slip);
    auto p = read_escpos(got[0]);
    REQUIRE(p.images.size() == 1);
    CHECK(zxing_text(p.images[0]) == r.credential_text);
}

TEST_CASE("printed to a serial port (a pseudo-terminal): raw bytes, no newline translation") {
    DeskFixture f("print-serial");
    Translations tr = load_tr();
    std::string bytes = desk::test_receipt("serial", "T-1", f.noon(), tr, 384);
    int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    std::string port = ::ptsname(master);
    // The printer's end reads what arrives until the whole slip is there.
    auto got = std::async(std::launch::async, [master, n = bytes.size()] {
        std::string data;
        char buf[4096];
        while (data.size() < n) {
            ssize_t k = ::read(master, buf, sizeof buf);
            if (k <= 0) break;
            data.append(buf, size_t(k));
        }
        return data;
    });
    CHECK(send_key(port + "@115200", bytes) == "ok");
    std::string data = got.get();
    ::close(master);
    CHECK(data == bytes); // a tty left cooked would have turned each LF into CR LF
    auto p = read_escpos(data);
    REQUIRE(p.images.size() == 1);
    CHECK(zxing_text(p.images[0]) == desk::test_code("T-1", f.noon()));
}

TEST_CASE("printer faults become messages in both languages") {
    DeskFixture f("print-faults");
    Translations tr = load_tr();
    std::string bytes = desk::test_receipt("x", "T-1", f.noon(), tr, 384);
    std::vector<std::string> keys;
    auto expect = [&](const std::string& dest, const std::string& key, int timeout = 3000) {
        INFO(dest);
        std::string got = send_key(dest, bytes, timeout);
        CHECK(got == key);
        keys.push_back(got);
    };
    expect("http://printer/", "print.err.destination");
    expect("/dev/usb/jf-no-such-lp9", "print.err.no_device");
    expect("/dev/jf-no-such-printer", "print.err.no_device");
    CHECK_FALSE(fs::exists("/dev/jf-no-such-printer")); // never created under /dev
    expect(f.dir.string(), "print.err.destination");    // a folder
    expect("tcp://127.0.0.1:" + std::to_string(closed_port()), "print.err.refused");
    expect("tcp://no-such-printer.invalid:9100", "print.err.host");

    // A device that is there but has no one reading (a FIFO without a reader): ENXIO.
    fs::path fifo = f.dir / "lp-fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    expect(fifo.string(), "print.err.no_device");
    // One that stops taking bytes (its buffer full, as a printer out of step): a timeout.
    int rd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
    REQUIRE(rd >= 0);
    std::string fill(4096, 'x');
    while (::write(rd, fill.data(), fill.size()) > 0) {
    }
    expect(fifo.string(), "print.err.timeout", 300);
    ::close(rd);

    // No permission: a device file only its owner may write, tried as another user.
    fs::path locked = f.dir / "locked-lp";
    { std::ofstream(locked) << ""; }
    ::chmod(locked.c_str(), 0600);
    if (::geteuid() == 0) {
        int pipefd[2];
        REQUIRE(::pipe(pipefd) == 0);
        pid_t pid = ::fork();
        if (pid == 0) {
            ::close(pipefd[0]);
            std::string k = "setuid failed";
            if (::setgid(65534) == 0 && ::setuid(65534) == 0) k = send_key(locked.string(), bytes);
            (void)!::write(pipefd[1], k.data(), k.size());
            ::_exit(0);
        }
        ::close(pipefd[1]);
        std::string k;
        char buf[128];
        ssize_t n;
        while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0)
            k.append(buf, size_t(n));
        ::close(pipefd[0]);
        ::waitpid(pid, nullptr, 0);
        CHECK(k == "print.err.permission");
        keys.push_back(k);
    } else {
        ::chmod(locked.c_str(), 0400);
        expect(locked.string(), "print.err.permission");
    }

    for (const auto& k : keys) {
        INFO(k);
        CHECK(tr.tr(k, Lang::ZhCN) != k);
        CHECK(tr.tr(k, Lang::EnUS) != k);
        CHECK(tr.tr(k, Lang::ZhCN) != tr.tr(k, Lang::EnUS));
    }
}

TEST_CASE("the print queue prints in order on its own thread and reports each job") {
    DeskFixture f("print-queue");
    Translations tr = load_tr();
    fs::path file = f.dir / "queue.bin";
    std::string a = desk::test_receipt("a", "T-A", f.noon(), tr, 384);
    std::string b = desk::test_receipt("b", "T-B", f.noon(), tr, 384);
    std::shared_ptr<const print::JobStatus> ja, jbad, jb;
    {
        print::PrintQueue q(2000);
        ja = q.submit(*print::parse_destination(file.string()), a);
        jbad = q.submit(
            *print::parse_destination("tcp://127.0.0.1:" + std::to_string(closed_port())), a);
        jb = q.submit(*print::parse_destination(file.string()), b);
        while (!jb->finished())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(ja->state() == print::JobState::Printed);
    CHECK(jbad->state() == print::JobState::Failed);
    CHECK(jbad->error_key() == "print.err.refused");
    CHECK(jb->state() == print::JobState::Printed);
    CHECK(slurp(file) == a + b);
}

TEST_CASE("jobfair-kiosk print-test prints a test page, or says why not") {
    fs::path dir = fs::path(JF_TEST_BUILD_DIR) / "tests" / "print" / "cli";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string exe = std::string(JF_TEST_BUILD_DIR) + "/kiosk/app/jobfair-kiosk";
    auto run = [&](const std::string& args, std::string* out) {
        std::string cmd = exe + " print-test " + args + " 2>&1";
        FILE* p = ::popen(cmd.c_str(), "r");
        char buf[512];
        out->clear();
        while (size_t n = std::fread(buf, 1, sizeof buf, p))
            out->append(buf, n);
        int st = ::pclose(p);
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    };
    std::string out;
    fs::path file = dir / "paper.bin";
    CHECK(run("--printer " + file.string() + " --paper 80", &out) == 0);
    CHECK(out.find("测试页已打印") != std::string::npos);
    auto p = read_escpos(slurp(file));
    CHECK(p.problem.empty());
    CHECK(p.max_raster_width_dots == 576);
    REQUIRE(p.images.size() == 1);
    CHECK(zxing_text(p.images[0]).rfind("JF-PRINT-TEST|", 0) == 0);

    Listener printer;
    CHECK(run("--printer " + printer.url(), &out) == 0);
    auto got = printer.got.get();
    REQUIRE(got.size() == 1);
    auto pt = read_escpos(got[0]);
    REQUIRE(pt.images.size() == 1);
    CHECK(zxing_text(pt.images[0]).rfind("JF-PRINT-TEST|", 0) == 0);

    CHECK(run("--printer tcp://127.0.0.1:" + std::to_string(closed_port()) + " --lang en", &out) ==
          1);
    CHECK(out.find("refused the connection") != std::string::npos);
    CHECK(run("--printer ftp://x", &out) == 2);
    CHECK(out.find("打印机地址无效") != std::string::npos);
    CHECK(run("", &out) == 2);
    CHECK(out.find("未设置小票打印机") != std::string::npos);
    CHECK(run("--printer " + file.string() + " --paper 33", &out) == 2);
}
