// `jobfair-kiosk print-test`: prints the test page on a receipt printer (the admin screen's
// "打印测试页" does the same), so staff can check a printer, its cable and the paper width before
// the doors open.
#include "kiosk/app/commands.hpp"
#include "kiosk/domain/clock.hpp"

#include "kiosk/desk/receipt.hpp"
#include "kiosk/i18n/i18n.hpp"
#include "platform/print/escpos.hpp"
#include "platform/print/printer.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace jf::app {
namespace {

int run_print_test(const Args& args) {
    Translations tr;
    tr.load(assets_dir() + "/i18n");
    tr.set_lang(option(args, "--lang", "zh") == "en" ? Lang::EnUS : Lang::ZhCN);
    auto say = [&](const std::string& key) {
        std::fprintf(stderr, "jobfair-kiosk print-test: %s\n", tr.tr(key).c_str());
    };

    desk::PrinterConfig config;
    std::string terminal_id;
    // Without --printer, the printer this terminal is set up with (admin screen).
    if (auto dir = option(args, "--data-dir"); !dir.empty()) {
        std::string err;
        auto store = Store::open((std::filesystem::path(dir) / "kiosk.db").string(), &err);
        if (!store) {
            std::fprintf(stderr, "jobfair-kiosk print-test: %s\n", message_text(err).c_str());
            return 1;
        }
        config = desk::printer_config(*store);
        if (auto id = load_identity(*store)) terminal_id = id->terminal_id;
    }
    if (auto p = option(args, "--printer"); !p.empty()) config.destination = p;
    if (auto paper = option(args, "--paper"); !paper.empty()) {
        config.paper_dots = print::paper_dots(paper);
        if (!config.paper_dots) {
            std::fprintf(stderr, "jobfair-kiosk print-test: --paper takes 58, 80 or a width in "
                                 "dots (a multiple of 8)\n");
            return 2;
        }
    }
    if (config.destination.empty()) {
        say("print.err.not_configured");
        return 2;
    }
    std::string key;
    auto dest = print::parse_destination(config.destination, &key);
    if (!dest) {
        say(key);
        return 2;
    }
    TimeMs now = now_ms();
    std::string bytes =
        desk::test_receipt(config.destination, terminal_id, now, tr, config.paper_dots);
    if (bytes.empty()) {
        say("print.err.compose");
        return 1;
    }
    if (!print::send(*dest, bytes, &key)) {
        say(key);
        return 1;
    }
    std::printf("%s\n", tr.format("print.test.sent", {config.destination}).c_str());
    return 0;
}

RegisterCommand print_test_cmd(
    {"print-test", "print a test page on the receipt printer",
     "usage: jobfair-kiosk print-test --printer DEST [--paper 58|80|DOTS] [--lang zh|en]\n"
     "       jobfair-kiosk print-test --data-dir DIR     (the printer set on the admin screen)\n"
     "  DEST is a device (/dev/usb/lp0, /dev/ttyUSB0, /dev/ttyUSB0@9600 for a serial port's\n"
     "  speed), a file to append to, or a network printer's raw port (tcp://192.168.1.50:9100).\n"
     "  --paper: 58 mm (384 dots, default) or 80 mm (576 dots).\n"
     "  Exit status 0 when printed, 1 when the printer failed (the message says why),\n"
     "  2 on a bad option.",
     run_print_test});

} // namespace
} // namespace jf::app
