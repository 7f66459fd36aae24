// The receipt-printer page of the admin screen; see printer_panel.hpp.
#include "kiosk/ui/printer_panel.hpp"

#include "kiosk/desk/receipt.hpp"
#include "platform/print/escpos.hpp"
#include "kiosk/store/identity.hpp"

#include <algorithm>
#include <filesystem>

namespace jf::ui {

std::vector<std::string> printer_devices() {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::error_code ec;
    for (const char* dir : {"/dev/usb", "/dev"}) {
        for (auto& e : fs::directory_iterator(dir, ec)) {
            std::string name = e.path().filename().string();
            bool usb_lp = std::string(dir) == "/dev/usb" && name.rfind("lp", 0) == 0;
            bool other = std::string(dir) == "/dev" &&
                         (name.rfind("ttyUSB", 0) == 0 || name.rfind("ttyACM", 0) == 0 ||
                          (name.rfind("lp", 0) == 0 && name.size() > 2 &&
                           std::isdigit(static_cast<unsigned char>(name[2]))));
            if (usb_lp || other) out.push_back(e.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

void PrinterPanel::enter(Context& ctx) {
    reset();
    devices_ = printer_devices();
    scanned_at_ = ctx.now;
    // A network printer already set shows its address, ready to change.
    if (ctx.printer.rfind("tcp://", 0) == 0) address_ = ctx.printer.substr(6);
}

void PrinterPanel::reset() {
    address_.clear();
    message_.clear();
    message_bad_ = false;
    slip_.clear();
}

void PrinterPanel::describe(std::map<std::string, std::string>* out) const {
    (*out)["printer.address"] = address_;
    (*out)["printer.devices"] = std::to_string(devices_.size());
    (*out)["printer.message"] = message_;
    (*out)["print"] = slip_.state();
    (*out)["print.error"] = slip_.error_key();
}

void PrinterPanel::choose(Context& ctx, const std::string& dest, int dots) {
    std::string key;
    if (!dest.empty() && !print::parse_destination(dest, &key)) {
        message_ = key;
        message_bad_ = true;
        return;
    }
    ctx.emit({Intent::SetPrinter, dest, dots});
    message_ = "print.admin.saved";
    message_bad_ = false;
    slip_.clear();
}

void PrinterPanel::draw(Context& ctx, float top) {
    const Palette& p = palette(ctx);
    if (ctx.now - scanned_at_ > 2.0) { // a printer plugged in while the page is open shows up
        devices_ = printer_devices();
        scanned_at_ = ctx.now;
    }
    ctx.wake(scanned_at_ + 2.0);
    bool portrait = ctx.portrait();
    float pad = ctx.px(40), gap = ctx.px(14), bh = ctx.px(84);
    float pad_w = ctx.px(3 * 120 + 2 * 14);
    float x = pad, y = top + ctx.px(30);
    float w = portrait ? ctx.screen.x - 2 * pad : ctx.screen.x - 3 * pad - pad_w;
    ImVec2 s = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("print.admin.title"));
    y += s.y + ctx.px(16);

    auto label = [&](const std::string& t) {
        ImVec2 ls = text(ctx, FontRole::Body, ImVec2(x, y), p.text_muted, t, w);
        y += ls.y + ctx.px(8);
    };
    auto choice = [&](const std::string& id, const std::string& t, bool selected, float* bx) {
        float bw = std::max(ctx.px(180), text_size(ctx, FontRole::Large, t).x + ctx.px(56));
        if (*bx + bw > x + w && *bx > x) { // wrap
            *bx = x;
            y += bh + gap;
        }
        bool r = button(ctx, id, t, ImVec2(*bx, y), ImVec2(bw, bh),
                        selected ? ButtonKind::Selected : ButtonKind::Secondary, FontRole::Large);
        *bx += bw + gap;
        return r;
    };

    // What is in use.
    std::string current = ctx.printer.empty() ? ctx.t("print.admin.none") : ctx.printer;
    if (!ctx.printer.empty())
        current += "  ·  " + ctx.t(ctx.printer_dots == print::kDots80 ? "print.admin.paper80"
                                                                      : "print.admin.paper58");
    label(ctx.t("print.admin.current"));
    ImVec2 cs = text(ctx, FontRole::Large, ImVec2(x, y), p.text, current, w);
    y += cs.y + ctx.px(6);
    if (ctx.printer_from_flag) {
        ImVec2 fs = text(ctx, FontRole::Body, ImVec2(x, y), p.warn, ctx.t("print.admin.flag"), w);
        y += fs.y;
    }
    y += ctx.px(18);

    // Connected printers, and none.
    label(ctx.t("print.admin.found"));
    float bx = x;
    if (choice("printer.none", ctx.t("print.admin.none"), ctx.printer.empty(), &bx))
        choose(ctx, "", ctx.printer_dots);
    for (size_t i = 0; i < devices_.size() && i < 8; ++i)
        if (choice("printer.dev." + std::to_string(i), devices_[i], ctx.printer == devices_[i],
                   &bx))
            choose(ctx, devices_[i], ctx.printer_dots);
    y += bh + gap;
    if (devices_.empty()) {
        ImVec2 ns =
            text(ctx, FontRole::Body, ImVec2(x, y), p.text_muted, ctx.t("print.admin.no_devices"));
        y += ns.y + gap;
    }
    y += ctx.px(10);

    // A network printer by address, typed on the keypad.
    label(ctx.t("print.admin.network"));
    float fw = std::min(w, ctx.px(560));
    ImVec2 fmin(x, y), fmax(x + fw, y + bh);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(fmin, fmax, IM_COL32(255, 255, 255, 255), ctx.px(10));
    dl->AddRect(fmin, fmax, p.accent, ctx.px(10), 0, ctx.px(3));
    float th = text_size(ctx, FontRole::Large, "Ag").y;
    text_clipped(ctx, FontRole::Large, ImVec2(fmin.x + ctx.px(16), (fmin.y + fmax.y - th) / 2),
                 fw - ctx.px(32), IM_COL32(20, 20, 20, 255), "tcp://" + address_);
    bx = x + fw + gap;
    std::string net = "tcp://" + address_;
    if (choice("printer.net.use", ctx.t("print.admin.use_network"), ctx.printer == net, &bx) &&
        !address_.empty())
        choose(ctx, net, ctx.printer_dots);
    y += bh + gap + ctx.px(10);

    // Paper.
    label(ctx.t("print.admin.paper"));
    bx = x;
    if (choice("printer.paper.58", ctx.t("print.admin.paper58"), ctx.printer_dots != print::kDots80,
               &bx))
        choose(ctx, ctx.printer, print::kDots58);
    if (choice("printer.paper.80", ctx.t("print.admin.paper80"), ctx.printer_dots == print::kDots80,
               &bx))
        choose(ctx, ctx.printer, print::kDots80);
    y += bh + gap + ctx.px(10);

    // Test page, and what the printer said.
    bx = x;
    ImVec2 test_min(x, y);
    float test_w = std::max(
        ctx.px(260), text_size(ctx, FontRole::Large, ctx.t("print.admin.test")).x + ctx.px(56));
    if (!slip_.active() || slip_.state() == "printed" || slip_.state() == "failed") {
        if (button(ctx, "printer.test", ctx.t("print.admin.test"), test_min, ImVec2(test_w, bh),
                   ButtonKind::Primary, FontRole::Large)) {
            message_.clear();
            std::string terminal = ctx.identity ? ctx.identity->terminal_id : "";
            slip_.start(ctx, desk::test_receipt(ctx.printer, terminal, ctx.wall, *ctx.tr,
                                                ctx.printer_dots));
        }
    }
    float sx = x + test_w + ctx.px(24);
    slip_.draw(ctx, "printer.reprint", ImVec2(sx, y + ctx.px(18)), x + w - sx, ImVec2(),
               ImVec2()); // the test button prints again
    y += bh + gap;
    if (!message_.empty())
        text(ctx, FontRole::Large, ImVec2(x, y), message_bad_ ? p.bad : p.good, ctx.t(message_), w);

    // The keypad for the address.
    float kx = portrait ? pad : ctx.screen.x - pad - pad_w;
    float ky = portrait ? y + ctx.px(70) : top + ctx.px(120);
    float key = ctx.px(120), kg = ctx.px(14);
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", ":"};
    for (int i = 0; i < 12; ++i) {
        ImVec2 pos(kx + (i % 3) * (key + kg), ky + (i / 3) * (key + kg));
        if (button(ctx, std::string("printer.key.") + keys[i], keys[i], pos, ImVec2(key, key),
                   ButtonKind::Secondary, FontRole::Title) &&
            address_.size() < 64)
            address_ += keys[i];
    }
    float ry = ky + 4 * (key + kg);
    float half = (pad_w - kg) / 2;
    if (button(ctx, "printer.key.back", ctx.t("kb.backspace"), ImVec2(kx, ry), ImVec2(half, key),
               ButtonKind::Quiet, FontRole::Large) &&
        !address_.empty())
        address_.pop_back();
    if (button(ctx, "printer.key.clear", ctx.t("kb.clear"), ImVec2(kx + half + kg, ry),
               ImVec2(half, key), ButtonKind::Quiet, FontRole::Large))
        address_.clear();
}

} // namespace jf::ui
