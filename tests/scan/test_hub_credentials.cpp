// jobfair-hub keygen / issue / badges as a person runs them: real process, real files, and the
// QR images read back with ZXing-C++.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "sync/protocol/credential.hpp"
#include "platform/scan/image.hpp"

#include <ReadBarcode.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace jf;
namespace fs = std::filesystem;

namespace {

struct Run {
    int status;
    std::string out;
};

Run hub(const std::string& args) {
    std::string cmd =
        std::string(JF_TEST_BUILD_DIR) + "/sync/hub/jobfair-hub " + args + " 2>/dev/null";
    Run r{-1, {}};
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[512];
    while (size_t n = fread(buf, 1, sizeof buf, p))
        r.out.append(buf, n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string read_line(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
}

std::string zxing_text(const scan::GrayImage& img) {
    ZXing::ImageView view(img.pixels.data(), img.width, img.height, ZXing::ImageFormat::Lum);
    auto r =
        ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
    return r.isValid() ? r.text() : std::string();
}

} // namespace

TEST_CASE("keygen, issue and badges produce codes a terminal accepts") {
    REQUIRE(crypto_init());
    jf::test::TempDir tmp_dir("jf-hub-cred");
    const fs::path dir = tmp_dir.path;
    std::string key = (dir / "issuer.key").string();

    REQUIRE(hub("keygen --out " + key).status == 0);
    struct stat st {};
    REQUIRE(::stat(key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto pub = from_hex(read_line(key + ".pub"));
    REQUIRE(pub);
    CHECK(pub->size() == 32);
    CHECK(hub("keygen --out " + key).status != 0); // never overwrites a key
    auto again = from_hex(read_line(key + ".pub"));
    CHECK(again == pub);

    std::string png = (dir / "a.png").string();
    Run issued =
        hub("issue --key " + key +
            " --id A0001 --fair wuwei-20240223 --from 20240201 --until 20240229 --png " + png);
    REQUIRE(issued.status == 0);
    std::string text = issued.out.substr(0, issued.out.find('\n'));
    VerifyContext ctx;
    ctx.fair_id = "wuwei-20240223";
    ctx.today = Date{2024, 2, 23};
    ctx.trusted_keys[key_id_of(*pub)] = *pub;
    CHECK(verify(text, ctx).verdict == Verdict::CheckedIn);
    auto img = scan::load_gray(png);
    REQUIRE(img);
    CHECK(zxing_text(*img) == text);

    CHECK(hub("issue --key " + key + " --id A1 --fair F --campaign C").status == 2);
    CHECK(hub("issue --key " + key + " --id A1 --fair F --from 20240230").status == 2);
    CHECK(hub("issue --key " + (dir / "missing.key").string() + " --id A1 --fair F").status == 1);

    // The attendee list as import-attendees reads it (编号, 姓名, more columns ignored).
    std::ofstream(dir / "att.csv")
        << "\xEF\xBB\xBF编号,姓名,手机号码\nA0001,张伟,13812345678\n,无编号,\n"
           "A0002,\"李, 小红\",\n";
    std::string pdf = (dir / "sheet.pdf").string();
    Run sheet = hub("badges --key " + key + " --csv " + (dir / "att.csv").string() +
                    " --fair wuwei-20240223 --from 20240201 --until 20240229 --out " + pdf);
    CHECK(sheet.status == 1); // the row without an id is reported, the others are printed
    REQUIRE(::stat(pdf.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600); // it names people
    std::string out;
    REQUIRE(jf::test::run_shell("pdfinfo " + pdf, &out) == 0);
    CHECK(out.find("Pages:           1\n") != std::string::npos);
    CHECK(out.find("(A4)") != std::string::npos);
    REQUIRE(jf::test::run_shell("pdftotext " + pdf + " -", &out) == 0);
    CHECK(out.find("张伟") != std::string::npos); // the names are text, laid out by Pango
    CHECK(out.find("李, 小红") != std::string::npos);
    CHECK(out.find("无编号") == std::string::npos);
    // The page printed at 300 dpi: each badge's QR, cut out, is a credential for its attendee.
    REQUIRE(jf::test::run_shell("pdftoppm -r 300 -gray -png " + pdf + " " + (dir / "page").string(),
                                &out) == 0);
    auto page = scan::load_gray((dir / "page-1.png").string());
    REQUIRE(page);
    CHECK(page->width >= 2480); // A4 at 300 dpi: 2480.3 pixels wide
    CHECK(page->width <= 2481);
    int found = 0;
    for (int slot = 0; slot < 2; ++slot) {
        scan::GrayImage cell(1170, 673);
        for (int y = 0; y < cell.height; ++y)
            for (int x = 0; x < cell.width; ++x)
                cell.at(x, y) = page->at(70 + slot * 1170 + x, 70 + y);
        auto r = verify(zxing_text(cell), ctx);
        CHECK(r.verdict == Verdict::CheckedIn);
        if (r.credential) found += r.credential->credential.holder_id == (slot ? "A0002" : "A0001");
    }
    CHECK(found == 2);
}

TEST_CASE("jobfair-kiosk decode prints text and time per file, fails on a file that is no image") {
    REQUIRE(crypto_init());
    jf::test::TempDir tmp_dir("jf-kiosk-decode");
    const fs::path dir = tmp_dir.path;
    SigningKey k = SigningKey::generate();
    Credential c;
    c.holder_id = "A0001";
    c.scope_id = "wuwei-20240223";
    c.valid_from = Date{2024, 2, 1};
    c.valid_until = Date{2024, 2, 29};
    std::string text = encode(*issue(c, k));
    REQUIRE(scan::write_png((dir / "code.png").string(), scan::render_qr(text, 6)));
    REQUIRE(scan::write_png((dir / "blank.png").string(), scan::GrayImage(200, 200, 230)));
    std::ofstream(dir / "notes.txt") << "not a picture";
    auto kiosk = [&](const std::string& args) {
        std::string cmd = std::string(JF_TEST_BUILD_DIR) + "/kiosk/app/jobfair-kiosk decode " +
                          args + " 2>/dev/null";
        Run r{-1, {}};
        FILE* p = popen(cmd.c_str(), "r");
        char buf[512];
        while (size_t n = fread(buf, 1, sizeof buf, p))
            r.out.append(buf, n);
        int st = pclose(p);
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        return r;
    };
    std::string code = (dir / "code.png").string(), blank = (dir / "blank.png").string();
    Run ok = kiosk(code + " " + blank);
    CHECK(ok.status == 0);
    CHECK(ok.out.find(code + "\t" + text + "\t") != std::string::npos);
    CHECK(ok.out.find(" ms\tdirect") != std::string::npos);
    CHECK(ok.out.find(blank + "\tno code\t") != std::string::npos);
    Run bad =
        kiosk(code + " " + (dir / "notes.txt").string() + " " + (dir / "missing.png").string());
    CHECK(bad.status == 1);
    CHECK(bad.out.find("notes.txt\tnot an image") != std::string::npos);
    CHECK(bad.out.find("missing.png\tnot an image") != std::string::npos);
    CHECK(bad.out.find(text) != std::string::npos); // the good file is still decoded
    CHECK(kiosk("").status == 2);
    CHECK(kiosk("--bare " + code).out.find(text) != std::string::npos);

    // The live pipeline on a folder replayed as frames: the code held for two frames, then
    // nothing, is one event; a missing camera is a clear failure.
    fs::create_directories(dir / "frames");
    fs::copy_file(dir / "code.png", dir / "frames" / "1.png");
    fs::copy_file(dir / "code.png", dir / "frames" / "2.png");
    fs::copy_file(dir / "blank.png", dir / "frames" / "3.png");
    Run live = kiosk("--source " + (dir / "frames").string() + " --once");
    CHECK(live.status == 0);
    CHECK(live.out.rfind(text + "\t", 0) == 0);
    CHECK(std::count(live.out.begin(), live.out.end(), '\n') == 1);
    CHECK(kiosk("--source /dev/video-none --seconds 1").status == 1);
}
