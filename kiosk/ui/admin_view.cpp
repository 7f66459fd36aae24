// The admin screen for union staff, behind a PIN (5 wrong tries lock it for 5 minutes, also across
// a restart): sync status, fair, mode, language, volume, large text and contrast, scanner and
// camera test, the receipt printer (printer_panel.cpp), export of reports to a folder, changing
// the PIN, and quitting the application (the only way to close the kiosk).
//
// Index
// - PIN pad          entry, first-time PIN setup, lock-out message
// - Panel            status column and settings column
// - Sub-pages        scanner/camera test, export, change PIN, quit confirmation, receipt printer
#include "ui/pin.hpp"
#include "ui/printer_panel.hpp"
#include "ui/fonts.hpp"
#include "ui/ui.hpp"
#include "ui/views.hpp"

#include "store/store.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace jf::ui {

namespace {

std::string time_text(TimeMs t) {
    return t ? cst_iso(t).substr(0, 16).replace(10, 1, " ") : "—";
}

// Where a report can go: removable media first, then the data directory's own folder.
std::vector<std::string> export_folders(const Context& ctx) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::error_code ec;
    for (const char* root : {"/media", "/run/media", "/mnt"}) {
        for (auto& user : fs::directory_iterator(root, ec)) {
            if (!user.is_directory(ec)) continue;
            if (std::string(root) == "/mnt") {
                out.push_back(user.path().string());
                continue;
            }
            for (auto& vol : fs::directory_iterator(user.path(), ec))
                if (vol.is_directory(ec)) out.push_back(vol.path().string());
        }
    }
    if (!ctx.data_dir.empty()) out.push_back((fs::path(ctx.data_dir) / "reports").string());
    return out;
}

} // namespace

class AdminView : public View {
  public:
    const char* name() const override { return "admin"; }
    // The unlocked panel is a door into the terminal: treat it like personal data (idle → lock).
    bool holds_personal_data() const override { return page_ != Page::Pin; }
    void enter(Context& ctx) override {
        reset(ctx);
        if (ctx.store && !PinGuard(*ctx.store).is_set()) page_ = Page::SetPin;
    }
    void reset(Context&) override {
        page_ = Page::Pin;
        entry_.clear();
        first_.clear();
        message_.clear();
        scanner_text_.clear();
        printer_.reset();
    }
    void describe(std::map<std::string, std::string>* out) const override {
        static const char* names[] = {"pin",    "setpin",    "panel", "test",
                                      "export", "changepin", "quit",  "printer"};
        (*out)["page"] = names[static_cast<int>(page_)];
        if (page_ == Page::Printer) printer_.describe(out);
        (*out)["message"] = message_;
        (*out)["entry_len"] = std::to_string(entry_.size());
    }

    void draw(Context& ctx) override {
        begin_screen(ctx, "admin");
        float top = header_bar(ctx, ctx.t("admin.title"), ctx.t("admin.subtitle"));
        switch (page_) {
        case Page::Pin:
            pin_page(ctx, top, false);
            break;
        case Page::SetPin:
            pin_page(ctx, top, true);
            break;
        case Page::ChangePin:
            pin_page(ctx, top, true);
            break;
        case Page::Panel:
            panel(ctx, top);
            break;
        case Page::Test:
            test_page(ctx, top);
            break;
        case Page::Export:
            export_page(ctx, top);
            break;
        case Page::Quit:
            quit_page(ctx, top);
            break;
        case Page::Printer:
            printer_.draw(ctx, top);
            back_button(ctx);
            break;
        }
        end_screen();
    }

  private:
    enum class Page { Pin, SetPin, Panel, Test, Export, ChangePin, Quit, Printer };

    // -------------------------------------------------------------------------
    // PIN pad
    // -------------------------------------------------------------------------
    void pin_page(Context& ctx, float top, bool setting) {
        const Palette& p = palette(ctx);
        PinGuard guard(*ctx.store);
        TimeMs until = 0;
        bool locked = !setting && guard.locked(ctx.wall, &until);
        float cx = ctx.screen.x * 0.5f;
        float key = ctx.px(ctx.portrait() ? 150 : 124), gap = ctx.px(18);
        float pad_w = key * 3 + gap * 2;
        float y = top + ctx.px(40);
        std::string prompt = setting ? ctx.t(first_.empty() ? "admin.pin.new" : "admin.pin.repeat")
                                     : ctx.t("admin.pin.enter");
        ImVec2 ps = text_size(ctx, FontRole::Title, prompt);
        text(ctx, FontRole::Title, ImVec2(std::floor(cx - ps.x * 0.5f), y), p.text, prompt);
        y += ps.y + ctx.px(24);
        // The dots: how many digits are in, never the digits themselves.
        float dot = ctx.px(28), dgap = ctx.px(22);
        int shown = std::max<int>(4, static_cast<int>(entry_.size()));
        float dx = cx - (shown * dot + (shown - 1) * dgap) * 0.5f;
        for (int i = 0; i < shown; ++i) {
            ImVec2 c(dx + i * (dot + dgap) + dot * 0.5f, y + dot * 0.5f);
            if (i < static_cast<int>(entry_.size()))
                ImGui::GetWindowDrawList()->AddCircleFilled(c, dot * 0.5f, p.text);
            else
                ImGui::GetWindowDrawList()->AddCircle(c, dot * 0.5f, p.text_muted, 0, ctx.px(3));
        }
        y += dot + ctx.px(20);
        std::string msg = message_.empty() ? "" : ctx.t(message_);
        if (locked) {
            int secs = static_cast<int>((until - ctx.wall + 999) / 1000);
            msg = ctx.f("admin.pin.locked",
                        {std::to_string(secs / 60) + ":" + (secs % 60 < 10 ? "0" : "") +
                         std::to_string(secs % 60)});
            ctx.wake(ctx.now + 1.0); // the countdown moves
        } else if (message_ == "admin.pin.wrong") {
            msg = ctx.f("admin.pin.wrong", {std::to_string(tries_left_)});
        }
        if (!msg.empty()) {
            ImVec2 ms = text_size(ctx, FontRole::Large, msg);
            text(ctx, FontRole::Large, ImVec2(std::floor(cx - ms.x * 0.5f), y),
                 locked ? p.bad : p.warn, msg);
        }
        y += font(ctx, FontRole::Large)->FontSize + ctx.px(24);
        float x0 = cx - pad_w * 0.5f;
        const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
        for (int i = 0; i < 12; ++i) {
            ImVec2 pos(x0 + (i % 3) * (key + gap), y + (i / 3) * (key + gap));
            std::string k = keys[i];
            std::string label = k == "del"  ? ctx.t("admin.pin.delete")
                                : k == "ok" ? ctx.t("admin.pin.ok")
                                            : k;
            ButtonKind kind = k == "ok"    ? ButtonKind::Primary
                              : k == "del" ? ButtonKind::Quiet
                                           : ButtonKind::Secondary;
            if (!button(ctx, "pin:" + k, label, pos, ImVec2(key, key), kind,
                        k.size() == 1 ? FontRole::Title : FontRole::Large) ||
                locked)
                continue;
            if (k == "del") {
                if (!entry_.empty()) entry_.pop_back();
            } else if (k == "ok") {
                submit(ctx, setting);
            } else if (entry_.size() < 8) {
                entry_ += k;
            }
        }
        float bw = ctx.px(300), bh = ctx.px(96);
        if (button(ctx, "admin.leave", ctx.t("ui.back"),
                   ImVec2(ctx.px(32), ctx.screen.y - bh - ctx.px(32)), ImVec2(bw, bh),
                   ButtonKind::Quiet, FontRole::Large)) {
            if (page_ == Page::ChangePin) {
                page_ = Page::Panel;
                entry_.clear();
                first_.clear();
                message_.clear();
            } else {
                ctx.emit({Intent::Home});
            }
        }
    }

    void submit(Context& ctx, bool setting) {
        PinGuard guard(*ctx.store);
        std::string pin = entry_;
        entry_.clear();
        if (setting) {
            if (!PinGuard::acceptable(pin)) {
                message_ = "admin.pin.rule";
                return;
            }
            if (first_.empty()) {
                first_ = pin;
                message_.clear();
                return;
            }
            if (pin != first_) {
                first_.clear();
                message_ = "admin.pin.mismatch";
                return;
            }
            first_.clear();
            if (!guard.set(pin)) {
                message_ = "admin.error.store";
                return;
            }
            message_ = "admin.pin.saved";
            page_ = Page::Panel;
            return;
        }
        PinCheck r = guard.check(pin, ctx.wall);
        switch (r.result) {
        case PinCheck::Ok:
            message_.clear();
            page_ = Page::Panel;
            break;
        case PinCheck::Wrong:
            tries_left_ = r.tries_left;
            message_ = r.tries_left > 0 ? "admin.pin.wrong" : "";
            if (ctx.play) ctx.play("error");
            break;
        case PinCheck::Locked:
            message_.clear();
            break;
        case PinCheck::NotSet:
            page_ = Page::SetPin;
            break;
        case PinCheck::Error:
            message_ = "admin.error.store";
            break;
        }
    }

    // -------------------------------------------------------------------------
    // Panel
    // -------------------------------------------------------------------------
    void row_label(Context& ctx, float x, float* y, const std::string& label) {
        ImVec2 s = text(ctx, FontRole::Body, ImVec2(x, *y), palette(ctx).text_muted, label);
        *y += s.y + ctx.px(8);
    }
    void fact(Context& ctx, float x, float* y, float w, const std::string& label,
              const std::string& value, ImU32 color = 0) {
        const Palette& p = palette(ctx);
        float lw = ctx.px(ctx.settings.lang == Lang::ZhCN ? 200 : 260);
        text(ctx, FontRole::Body, ImVec2(x, *y + ctx.px(4)), p.text_muted, label);
        ImVec2 s =
            text(ctx, FontRole::Large, ImVec2(x + lw, *y), color ? color : p.text, value, w - lw);
        *y += s.y + ctx.px(14);
    }
    bool choice(Context& ctx, const std::string& id, const std::string& label, bool selected,
                float* x, float y, float h) {
        float w = std::max(ctx.px(180), text_size(ctx, FontRole::Large, label).x + ctx.px(56));
        bool r = button(ctx, id, label, ImVec2(*x, y), ImVec2(w, h),
                        selected ? ButtonKind::Selected : ButtonKind::Secondary, FontRole::Large);
        *x += w + ctx.px(14);
        return r;
    }

    void panel(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        auto* dl = ImGui::GetWindowDrawList();
        float pad = ctx.px(32), gap = ctx.px(28);
        bool portrait = ctx.portrait();
        float col_w = portrait ? ctx.screen.x - pad * 2 : (ctx.screen.x - pad * 2 - gap) * 0.45f;
        float bh = ctx.px(84);
        // Status column.
        float x = pad, y = top + pad;
        float box_bottom = portrait ? y + ctx.px(560) : ctx.screen.y - pad - ctx.px(110);
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + col_w, box_bottom), p.surface, ctx.px(16));
        float ix = x + ctx.px(28), iy = y + ctx.px(24), iw = col_w - ctx.px(56);
        ImVec2 hs = text(ctx, FontRole::Large, ImVec2(ix, iy), p.text, ctx.t("admin.status"));
        iy += hs.y + ctx.px(16);
        const SyncStatus& s = ctx.sync;
        std::string conn = !s.engine  ? ctx.t("ui.status.standalone")
                           : s.online ? ctx.t("ui.status.online")
                                      : ctx.t("ui.status.offline");
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.state"), conn,
             !s.engine  ? 0
             : s.online ? p.good
                        : p.warn);
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.last"),
             s.last_success ? time_text(s.last_success) : ctx.t("admin.sync.never"));
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.waiting"), std::to_string(s.waiting),
             s.waiting ? p.warn : 0);
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.error"),
             s.last_error.empty() ? ctx.t("admin.none") : ctx.t(s.last_error),
             s.last_error.empty() ? 0 : p.bad);
        if (std::llabs(s.clock_offset_ms) > 120'000)
            fact(ctx, ix, &iy, iw, ctx.t("admin.clock"),
                 ctx.f("admin.clock.off", {std::to_string(s.clock_offset_ms / 60000)}), p.bad);
        std::string fair = ctx.t("admin.none");
        if (ctx.store && !ctx.fair_id.empty())
            if (auto f = ctx.store->fair(ctx.fair_id))
                fair = f->name + " (" + f->date.to_iso() + ")";
        fact(ctx, ix, &iy, iw, ctx.t("admin.fair"), fair);
        fact(ctx, ix, &iy, iw, ctx.t("admin.data_dir"), ctx.data_dir);
        fact(ctx, ix, &iy, iw, ctx.t("admin.version"), JF_VERSION);

        // Settings column.
        x = portrait ? pad : pad + col_w + gap;
        y = portrait ? box_bottom + gap : top + pad;
        float w = portrait ? col_w : ctx.screen.x - pad - x;
        row_label(ctx, x, &y, ctx.t("admin.mode"));
        float bx = x;
        for (Mode m : {Mode::Entrance, Mode::Employer, Mode::Station})
            if (choice(ctx, std::string("mode:") + mode_code(m),
                       ctx.t(std::string("admin.mode.") + mode_code(m)), ctx.settings.mode == m,
                       &bx, y, bh))
                ctx.emit({Intent::SetMode, mode_code(m)});
        y += bh + ctx.px(22);
        row_label(ctx, x, &y, ctx.t("admin.language"));
        bx = x;
        if (choice(ctx, "deflang:zh", ctx.tr->tr("ui.lang.name", Lang::ZhCN),
                   ctx.settings.lang == Lang::ZhCN, &bx, y, bh))
            ctx.emit({Intent::SetLang, "zh", 1});
        if (choice(ctx, "deflang:en", ctx.tr->tr("ui.lang.name", Lang::EnUS),
                   ctx.settings.lang == Lang::EnUS, &bx, y, bh))
            ctx.emit({Intent::SetLang, "en", 1});
        y += bh + ctx.px(22);
        row_label(ctx, x, &y, ctx.t("admin.display"));
        bx = x;
        if (choice(ctx, "opt:large", ctx.t("admin.large_text"), ctx.settings.large_text, &bx, y,
                   bh))
            ctx.emit({Intent::ToggleLargeText});
        if (choice(ctx, "opt:contrast", ctx.t("admin.high_contrast"), ctx.settings.high_contrast,
                   &bx, y, bh))
            ctx.emit({Intent::ToggleContrast});
        y += bh + ctx.px(22);
        row_label(ctx, x, &y, ctx.t("admin.volume"));
        bx = x;
        if (choice(ctx, "vol:down", "−", false, &bx, y, bh))
            ctx.emit({Intent::SetVolume, "", ctx.settings.volume - 10});
        std::string vol = std::to_string(ctx.settings.volume) + "%";
        float vw = ctx.px(130);
        text_centered(ctx, FontRole::Large, ImVec2(bx, y), ImVec2(bx + vw, y + bh), p.text, vol);
        bx += vw + ctx.px(14);
        if (choice(ctx, "vol:up", "+", false, &bx, y, bh))
            ctx.emit({Intent::SetVolume, "", ctx.settings.volume + 10});
        if (choice(ctx, "vol:test", ctx.t("admin.volume.test"), false, &bx, y, bh) && ctx.play)
            ctx.play("ok");
        y += bh + ctx.px(34);
        bx = x;
        if (choice(ctx, "admin.test", ctx.t("admin.test"), false, &bx, y, bh)) {
            page_ = Page::Test;
            scanner_text_.clear();
        }
        if (choice(ctx, "admin.export", ctx.t("admin.export"), false, &bx, y, bh)) {
            page_ = Page::Export;
            message_.clear();
        }
        if (choice(ctx, "admin.changepin", ctx.t("admin.pin.change"), false, &bx, y, bh)) {
            page_ = Page::ChangePin;
            entry_.clear();
            first_.clear();
            message_.clear();
        }
        y += bh + ctx.px(22);
        bx = x;
        if (choice(ctx, "admin.printer", ctx.t("print.admin.title"), false, &bx, y, bh)) {
            page_ = Page::Printer;
            printer_.enter(ctx);
        }
        (void)w;
        // Bottom row: leave, quit.
        float by = ctx.screen.y - bh - pad, qw = ctx.px(300);
        if (button(ctx, "admin.leave", ctx.t("admin.leave"), ImVec2(pad, by), ImVec2(qw, bh),
                   ButtonKind::Primary, FontRole::Large))
            ctx.emit({Intent::Home});
        if (button(ctx, "admin.quit", ctx.t("admin.quit"), ImVec2(ctx.screen.x - pad - qw, by),
                   ImVec2(qw, bh), ButtonKind::Danger, FontRole::Large))
            page_ = Page::Quit;
        if (!message_.empty())
            text(ctx, FontRole::Large, ImVec2(pad + qw + ctx.px(30), by + ctx.px(18)), p.good,
                 ctx.t(message_));
    }

    // -------------------------------------------------------------------------
    // Sub-pages
    // -------------------------------------------------------------------------
    void back_button(Context& ctx) {
        float bh = ctx.px(96), bw = ctx.px(300);
        if (button(ctx, "admin.back", ctx.t("ui.back"),
                   ImVec2(ctx.px(32), ctx.screen.y - bh - ctx.px(32)), ImVec2(bw, bh),
                   ButtonKind::Primary, FontRole::Large)) {
            page_ = Page::Panel;
            message_.clear();
        }
    }

    void test_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        float x = ctx.px(40), y = top + ctx.px(40), w = ctx.screen.x - ctx.px(80);
        ImVec2 s = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.test"));
        y += s.y + ctx.px(20);
        // A hand scanner is a keyboard: what it types shows here.
        for (ImWchar c : ImGui::GetIO().InputQueueCharacters) {
            if (scanner_text_.size() < 400) append_utf8(&scanner_text_, c);
        }
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) scanner_text_ += "⏎";
        text(ctx, FontRole::Large, ImVec2(x, y), p.text, ctx.t("admin.test.scanner"), w);
        y += font(ctx, FontRole::Large)->FontSize + ctx.px(12);
        float fh = ctx.px(200);
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + fh), p.surface,
                                                  ctx.px(12));
        text(ctx, FontRole::Large, ImVec2(x + ctx.px(20), y + ctx.px(16)),
             scanner_text_.empty() ? p.text_muted : p.text,
             scanner_text_.empty() ? ctx.t("admin.test.scanner.waiting") : scanner_text_,
             w - ctx.px(40));
        y += fh + ctx.px(30);
        text(ctx, FontRole::Large, ImVec2(x, y), p.text, ctx.t("admin.test.camera"));
        y += font(ctx, FontRole::Large)->FontSize + ctx.px(12);
        std::string cams;
        std::error_code ec;
        for (auto& e : std::filesystem::directory_iterator("/dev", ec))
            if (e.path().filename().string().rfind("video", 0) == 0)
                cams += (cams.empty() ? "" : ", ") + e.path().string();
        text(ctx, FontRole::Large, ImVec2(x, y), cams.empty() ? p.warn : p.good,
             cams.empty() ? ctx.t("admin.test.camera.none")
                          : ctx.f("admin.test.camera.found", {cams}),
             w);
        back_button(ctx);
    }

    void export_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        float x = ctx.px(40), y = top + ctx.px(40), w = ctx.screen.x - ctx.px(80);
        ImVec2 s = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.export"));
        y += s.y + ctx.px(20);
        if (!ctx.export_reports) {
            text(ctx, FontRole::Large, ImVec2(x, y), p.warn, ctx.t("admin.export.unavailable"), w);
            back_button(ctx);
            return;
        }
        text(ctx, FontRole::Large, ImVec2(x, y), p.text, ctx.t("admin.export.choose"), w);
        y += font(ctx, FontRole::Large)->FontSize + ctx.px(20);
        float bh = ctx.px(96);
        auto folders = export_folders(ctx);
        for (size_t i = 0; i < folders.size() && y + bh < ctx.screen.y - ctx.px(260); ++i) {
            if (button(ctx, "export:" + std::to_string(i), folders[i], ImVec2(x, y), ImVec2(w, bh),
                       ButtonKind::Secondary, FontRole::Large)) {
                std::error_code ec;
                std::filesystem::create_directories(folders[i], ec);
                std::string key;
                bool ok = ctx.export_reports(folders[i], &key);
                message_ = key.empty() ? (ok ? "admin.export.done" : "admin.export.failed") : key;
                export_ok_ = ok;
            }
            y += bh + ctx.px(14);
        }
        if (!message_.empty())
            text(ctx, FontRole::Large, ImVec2(x, y + ctx.px(10)), export_ok_ ? p.good : p.bad,
                 ctx.t(message_), w);
        back_button(ctx);
    }

    void quit_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        ImVec2 min(0, top), max(ctx.screen.x, ctx.screen.y);
        text_centered(ctx, FontRole::Title, ImVec2(min.x, min.y + ctx.px(120)),
                      ImVec2(max.x, min.y + ctx.px(220)), p.text, ctx.t("admin.quit.confirm"));
        text_centered(ctx, FontRole::Large, ImVec2(min.x, min.y + ctx.px(230)),
                      ImVec2(max.x, min.y + ctx.px(300)), p.text_muted, ctx.t("admin.quit.note"));
        float bw = ctx.px(360), bh = ctx.px(110), gap = ctx.px(40);
        float y = min.y + ctx.px(380), cx = ctx.screen.x * 0.5f;
        if (button(ctx, "quit.yes", ctx.t("admin.quit.yes"), ImVec2(cx - bw - gap * 0.5f, y),
                   ImVec2(bw, bh), ButtonKind::Danger, FontRole::Large))
            ctx.emit({Intent::Quit});
        if (button(ctx, "quit.no", ctx.t("admin.quit.no"), ImVec2(cx + gap * 0.5f, y),
                   ImVec2(bw, bh), ButtonKind::Primary, FontRole::Large))
            page_ = Page::Panel;
    }

    Page page_ = Page::Pin;
    PrinterPanel printer_;
    std::string entry_, first_, message_, scanner_text_;
    int tries_left_ = 0;
    bool export_ok_ = false;
};

std::unique_ptr<View> make_admin_view() {
    return std::make_unique<AdminView>();
}

} // namespace jf::ui
