// The walk-up slip and the printer test page as ESC/POS; see receipt.hpp.
#include "kiosk/desk/receipt.hpp"

#include "kiosk/domain/validate.hpp"
#include "platform/print/escpos.hpp"

namespace jf::desk {

namespace {

// "姓名 / Name": both languages, since the slip goes home with the person whatever the screen
// showed.
std::string both(const Translations& tr, const std::string& key) {
    const std::string& zh = tr.tr(key, Lang::ZhCN);
    const std::string& en = tr.tr(key, Lang::EnUS);
    return zh == en ? zh : zh + " / " + en;
}

std::string stamp(TimeMs now) {
    return cst_iso(now).substr(0, 16).replace(10, 1, " ");
}

// The QR as large as the paper allows, leaving a margin on each side.
int qr_side(int dots) {
    return dots * 3 / 4;
}

} // namespace

PrinterConfig printer_config(const Store& store) {
    PrinterConfig c;
    c.destination = store.setting("printer.dest").value_or("");
    if (int dots = print::paper_dots(store.setting("printer.paper").value_or("")))
        c.paper_dots = dots;
    return c;
}

bool save_printer_config(Store& store, const PrinterConfig& config) {
    return store.transaction([&] {
        return store.set_setting("printer.dest", config.destination) &&
               store.set_setting("printer.paper", std::to_string(config.paper_dots));
    });
}

std::string walk_up_receipt(const WalkUpResult& r, const std::string& fair_name,
                            const std::string& terminal_id, TimeMs now, const Translations& tr,
                            int paper_dots) {
    print::Bitmap qr = print::qr_bitmap(r.credential_text, paper_dots, qr_side(paper_dots));
    if (qr.width == 0) return {};
    print::Receipt p(paper_dots);
    p.align(print::Align::Center).bold(true).size(2, 2);
    p.line(fair_name);
    p.size(1, 1).line(both(tr, "print.receipt.title"));
    p.bold(false).rule().align(print::Align::Left);
    p.line(both(tr, "print.receipt.name") + ": " + mask_name(r.attendee.name));
    p.line(both(tr, "print.receipt.valid") + ":");
    p.line("  " + r.valid_from.to_iso() + " ~ " + r.valid_until.to_iso());
    p.rule().align(print::Align::Center);
    p.image(qr);
    p.bold(true).line(both(tr, "print.receipt.hint"));
    p.bold(false).line(tr.tr("print.receipt.show", Lang::ZhCN));
    p.line(tr.tr("print.receipt.show", Lang::EnUS));
    p.line(terminal_id + "  " + stamp(now));
    p.feed(3).cut();
    return p.bytes();
}

std::string test_code(const std::string& terminal_id, TimeMs now) {
    return "JF-PRINT-TEST|" + terminal_id + "|" + std::to_string(now);
}

std::string test_receipt(const std::string& destination, const std::string& terminal_id, TimeMs now,
                         const Translations& tr, int paper_dots) {
    print::Bitmap qr =
        print::qr_bitmap(test_code(terminal_id, now), paper_dots, qr_side(paper_dots));
    if (qr.width == 0) return {};
    print::Receipt p(paper_dots);
    p.align(print::Align::Center).bold(true).size(2, 2);
    p.line(tr.tr("print.test.title", Lang::ZhCN));
    p.size(1, 1).line(tr.tr("print.test.title", Lang::EnUS));
    p.bold(false).rule().align(print::Align::Left);
    p.line(both(tr, "print.test.printer") + ":");
    p.line("  " + destination);
    p.line(both(tr, "print.test.paper") + ": " + std::to_string(paper_dots) + " dots");
    if (!terminal_id.empty()) p.line(both(tr, "print.test.terminal") + ": " + terminal_id);
    p.line(stamp(now));
    // Chinese as names need it: GB18030 covers rare given-name characters too.
    p.line(tr.tr("print.test.chinese", Lang::ZhCN));
    p.rule();
    // The full width, so a wrong paper setting shows as a cut-off or short line.
    p.line(std::string(static_cast<size_t>(paper_dots / 12), '#'));
    p.align(print::Align::Center);
    p.image(qr);
    p.line(both(tr, "print.test.scan"));
    p.feed(3).cut();
    return p.bytes();
}

} // namespace jf::desk
