// The admin screen for union staff, behind a PIN (5 wrong tries lock it for 5 minutes, also across
// a restart): sync status with 立即同步 (sync now), enrolment with a hub, fair, mode, language,
// volume, large text and contrast, scanner and camera test, the receipt printer
// (printer_panel.cpp), export of reports to a folder, changing the PIN, and quitting the
// application (the only way to close the kiosk).
//
// Index
// - PIN pad          entry, first-time PIN setup, lock-out message
// - Panel            status column (with sync now and enrol) and settings column
// - Sub-pages        scanner/camera test, export, change PIN, quit confirmation, receipt printer
// - The fair day     today's numbers (check-ins, intents, placements, services) of this terminal
//                    and, after a sync, of the whole fair; undoing a check-in made by mistake,
//                    with a reason (docs/fair-day.md)
// - Enrolment        the hub's enrolment QR (camera or hand scanner) or hub address and code typed
//                    on the on-screen keyboard; runs on SyncLink's worker, then starts the engine
#include "kiosk/ui/camera_input.hpp"
#include "kiosk/ui/desk_widgets.hpp"
#include "kiosk/ui/printer_panel.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/pin.hpp"
#include "kiosk/ui/sync_link.hpp"
#include "kiosk/ui/ui.hpp"
#include "kiosk/ui/views.hpp"

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/domain/reports.hpp"
#include "kiosk/domain/validate.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>

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

// Certificates a trial hub's terminal may trust (its self-signed hub-cert.pem, brought on a USB
// stick or put in the data folder): *.pem / *.crt files holding a certificate.
std::vector<std::string> certificate_files(const Context& ctx) {
    namespace fs = std::filesystem;
    std::vector<std::string> dirs = export_folders(ctx), out;
    if (!ctx.data_dir.empty()) dirs.back() = ctx.data_dir; // the data folder, not its reports
    std::error_code ec;
    for (auto& d : dirs) {
        std::vector<std::string> here;
        for (auto& e : fs::directory_iterator(d, ec)) {
            auto ext = e.path().extension().string();
            if ((ext != ".pem" && ext != ".crt") || !e.is_regular_file(ec) ||
                e.file_size(ec) > 1 << 20)
                continue;
            std::ifstream in(e.path());
            std::string head(64 * 1024, '\0');
            in.read(head.data(), static_cast<std::streamsize>(head.size()));
            head.resize(static_cast<size_t>(in.gcount()));
            if (head.find("-----BEGIN CERTIFICATE-----") != std::string::npos)
                here.push_back(e.path().string());
        }
        std::sort(here.begin(), here.end());
        out.insert(out.end(), here.begin(), here.end());
    }
    return out;
}

// Cameras for the test: every /dev/video*, and the configured source (an image folder in a demo).
std::vector<std::string> camera_sources(const Context& ctx) {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator("/dev", ec))
        if (e.path().filename().string().rfind("video", 0) == 0) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    std::string configured = CameraInput::configured_source(ctx);
    if (configured != "none" && std::find(out.begin(), out.end(), configured) == out.end())
        out.push_back(configured);
    return out;
}

std::string trimmed(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return s.substr(i);
}

} // namespace

class AdminView : public View {
  public:
    const char* name() const override { return "admin"; }
    // The unlocked panel is a door into the terminal: treat it like personal data (idle → lock).
    bool holds_personal_data() const override { return page_ != Page::Pin; }
    bool staff_screen() const override { return true; }
    void enter(Context& ctx) override {
        reset(ctx);
        if (ctx.store && !PinGuard(*ctx.store).is_set()) page_ = Page::SetPin;
    }
    void reset(Context& ctx) override {
        page_ = Page::Pin;
        entry_.clear();
        first_.clear();
        message_.clear();
        scanner_text_.clear();
        leave_subpage(ctx);
        enrol_url_.clear();
        enrol_code_.clear();
        enrol_pin_.clear();
        enrol_result_ = {};
        printer_.reset();
    }
    bool animating() const override { return camera_.running(); }
    void describe(std::map<std::string, std::string>* out) const override {
        static const char* names[] = {"pin",  "setpin",  "panel", "test",    "export", "changepin",
                                      "quit", "printer", "enrol", "fairday", "service"};
        (*out)["page"] = names[static_cast<int>(page_)];
        if (page_ == Page::Printer) printer_.describe(out);
        (*out)["message"] = message_;
        if (page_ == Page::Service) {
            (*out)["groups"] = std::to_string(service_groups_);
            (*out)["person"] = service_person_;
            (*out)["scan_message"] = scan_message_;
        }
        if (page_ == Page::FairDay) {
            (*out)["check_ins"] = std::to_string(numbers_[0]);
            (*out)["intents"] = std::to_string(numbers_[1]);
            (*out)["placements"] = std::to_string(numbers_[2]);
            (*out)["services"] = std::to_string(numbers_[3]);
            // The whole fair's, from the hub at the last sync ("" before any).
            const auto* t = fair_totals_ ? &fair_totals_->totals : nullptr;
            auto whole = [&](int64_t v) { return t ? std::to_string(v) : std::string(); };
            (*out)["fair_people_in"] = whole(t ? t->people_in : 0);
            (*out)["fair_with_intent"] = whole(t ? t->with_intent : 0);
            (*out)["fair_check_ins"] = whole(t ? t->check_ins : 0);
            (*out)["fair_intents"] = whole(t ? t->intents : 0);
            (*out)["fair_placements"] = whole(t ? t->placements : 0);
            (*out)["fair_services"] = whole(t ? t->services : 0);
        }
        (*out)["default_lang"] = default_lang_;
        (*out)["entry_len"] = std::to_string(entry_.size());
        (*out)["camera"] = camera_.running() ? camera_.source() : "";
        (*out)["camera_error"] = camera_.error();
        (*out)["camera_text"] = camera_text_;
        (*out)["cameras"] = std::to_string(cameras_.size());
        (*out)["scanner_text"] = scanner_text_;
        (*out)["enrol_url"] = enrol_url_;
        (*out)["enrol_code"] = enrol_code_;
        (*out)["enrol_running"] = enrol_running_ ? "1" : "0";
        (*out)["enrol_error"] = enrol_result_.error;
        (*out)["enrolled_terminal"] = enrol_result_.ok ? enrol_result_.terminal_id : "";
        (*out)["ca"] = ca_index_ >= 0 && ca_index_ < static_cast<int>(ca_files_.size())
                           ? ca_files_[static_cast<size_t>(ca_index_)]
                           : "";
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
        case Page::Enrol:
            enrol_page(ctx, top);
            break;
        case Page::FairDay:
            fair_day_page(ctx, top);
            break;
        case Page::Service:
            service_page(ctx, top);
            break;
        }
        end_screen();
    }

  private:
    enum class Page {
        Pin,
        SetPin,
        Panel,
        Test,
        Export,
        ChangePin,
        Quit,
        Printer,
        Enrol,
        FairDay,
        Service
    };
    enum class Field { None, Url, Code };

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
        // Four rows of keys fit under the prompt (the mode for older eyes makes everything
        // larger; the keys then take the height there is).
        key = std::min(key, (ctx.screen.y - y - ctx.px(24) - gap * 3) / 4);
        pad_w = key * 3 + gap * 2;
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
        float box_bottom = portrait ? y + ctx.px(760) : ctx.screen.y - pad - ctx.px(110);
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + col_w, box_bottom), p.surface, ctx.px(16));
        float ix = x + ctx.px(28), iy = y + ctx.px(24), iw = col_w - ctx.px(56);
        ImVec2 hs = text(ctx, FontRole::Large, ImVec2(ix, iy), p.text, ctx.t("admin.status"));
        iy += hs.y + ctx.px(16);
        const SyncStatus& s = ctx.sync;
        std::string conn = !s.engine   ? ctx.t("ui.status.standalone")
                           : s.syncing ? ctx.t("sync.status.syncing")
                           : s.online  ? ctx.t("ui.status.online")
                                       : ctx.t("ui.status.offline");
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.state"), conn,
             !s.engine  ? 0
             : s.online ? p.good
                        : p.warn);
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.last"),
             s.last_success ? time_text(s.last_success) : ctx.t("admin.sync.never"));
        fact(ctx, ix, &iy, iw, ctx.t("admin.sync.waiting"), std::to_string(s.waiting),
             s.waiting ? p.warn : 0);
        if (s.refused > 0)
            fact(ctx, ix, &iy, iw, ctx.t("admin.sync.refused"),
                 ctx.f("admin.sync.refused.count", {std::to_string(s.refused)}), p.bad);
        if (s.restored_copy) {
            float fy = iy;
            fact(ctx, ix, &iy, iw, ctx.t("admin.sync.restored"), ctx.t("admin.sync.restored.what"),
                 p.bad);
            ctx.record_hit("admin.sync.restored", ImVec2(ix, fy), ImVec2(ix + iw, iy));
        }
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
        bool enrolled = ctx.identity && !ctx.identity->hub_url.empty();
        fact(ctx, ix, &iy, iw, ctx.t("admin.terminal"),
             enrolled ? ctx.identity->terminal_id + "  " + ctx.identity->hub_url
                      : ctx.t("admin.terminal.none"),
             enrolled ? 0 : p.warn);
        fact(ctx, ix, &iy, iw, ctx.t("admin.data_dir"), ctx.data_dir);
        fact(ctx, ix, &iy, iw, ctx.t("admin.version"), JF_VERSION);
        // 立即同步 once enrolled (the status above follows the cycle); enrolment either way.
        float sx = ix, sy = std::max(iy + ctx.px(8), box_bottom - bh - ctx.px(24));
        if (s.engine && choice(ctx, "admin.syncnow", ctx.t("admin.sync.now"), false, &sx, sy, bh) &&
            ctx.hub) {
            ctx.hub->sync_now();
            message_ = "admin.sync.requested";
        }
        if (choice(ctx, "admin.enrol", ctx.t("admin.enrol"), false, &sx, sy, bh)) open_enrol(ctx);

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
        // The terminal's stored language (each idle reset returns to it), not the one a visitor
        // switched to for now.
        bool default_en = ctx.store && ctx.store->setting("ui.lang").value_or("zh") == "en";
        default_lang_ = default_en ? "en" : "zh";
        if (choice(ctx, "deflang:zh", ctx.tr->tr("ui.lang.name", Lang::ZhCN), !default_en, &bx, y,
                   bh))
            ctx.emit({Intent::SetLang, "zh", 1});
        if (choice(ctx, "deflang:en", ctx.tr->tr("ui.lang.name", Lang::EnUS), default_en, &bx, y,
                   bh))
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
        // The mode for older eyes as the terminal's default (stored; each idle reset returns to
        // it), not a visitor's tap in the header.
        bool elder_default = ctx.store && ctx.store->setting("ui.elder").value_or("0") == "1";
        if (choice(ctx, "opt:elder", ctx.t("admin.elder"), elder_default, &bx, y, bh))
            ctx.emit({Intent::ToggleElder, elder_default ? "0" : "1", 1});
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
        if (choice(ctx, "admin.test", ctx.t("admin.test"), false, &bx, y, bh)) open_test(ctx);
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
        if (choice(ctx, "admin.fairday", ctx.t("admin.fairday"), false, &bx, y, bh)) {
            page_ = Page::FairDay;
            message_.clear();
        }
        if (choice(ctx, "admin.service", ctx.t("admin.service"), false, &bx, y, bh)) {
            page_ = Page::Service;
            service_groups_ = 0;
            service_person_.clear();
            service_person_label_.clear();
            wedge_.clear();
            message_.clear();
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
            leave_subpage(ctx);
            page_ = Page::Panel;
            message_.clear();
        }
    }

    // -------------------------------------------------------------------------
    // The fair day: today's numbers and undoing a check-in
    // -------------------------------------------------------------------------
    // What this terminal recorded at its fair, counted as the reports count it.
    static std::string fair_of(const Context& ctx) {
        return !ctx.fair_id.empty() ? ctx.fair_id : ctx.identity ? ctx.identity->fair_id : "";
    }
    FairDayCounts terminal_day(Context& ctx, const std::string& fair,
                               std::vector<CheckIn>* undoable) {
        ReportInput in;
        in.check_ins = ctx.store->check_ins(fair);
        in.undos = ctx.store->check_in_undos(fair);
        in.intents = ctx.store->intents(fair);
        in.placements = ctx.store->current_placements(fair);
        in.services = ctx.store->services(fair);
        auto undone = undone_check_ins(in.undos);
        for (auto it = in.check_ins.rbegin(); it != in.check_ins.rend(); ++it)
            if (it->verdict == Verdict::CheckedIn && !undone.count(it->h.uuid))
                undoable->push_back(*it); // newest first
        return count_fair_day(in, fair);
    }

    void fair_day_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        float pad = ctx.px(32), bh = ctx.px(84);
        float x = pad, y = top + pad, w = ctx.screen.x - 2 * pad;
        std::string fair = fair_of(ctx);
        if (!ctx.store || fair.empty()) {
            text(ctx, FontRole::Large, ImVec2(x, y), p.warn, ctx.t("admin.fairday.no_fair"));
            back_button(ctx);
            return;
        }
        std::vector<CheckIn> undoable;
        FairDayCounts n = terminal_day(ctx, fair, &undoable);
        numbers_ = {n.check_ins, n.intents, n.placements, n.services};
        // The whole fair, as the hub counted it at this terminal's last sync (of this fair only).
        fair_totals_ = sync::last_fair_totals(*ctx.store);
        if (fair_totals_ && fair_totals_->totals.fair_id != fair) fair_totals_.reset();
        ImVec2 hs = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.fairday.today"));
        std::string synced = fair_totals_
                                 ? ctx.f("admin.fairday.fair_synced", {time_text(fair_totals_->at)})
                                 : ctx.t("admin.fairday.fair_unknown");
        ImVec2 ss = text_size(ctx, FontRole::Body, synced);
        text(ctx, FontRole::Body, ImVec2(x + w - ss.x, y + hs.y - ss.y), p.text_muted, synced);
        y += hs.y + ctx.px(16);
        const char* keys[] = {"admin.fairday.check_ins", "admin.fairday.intents",
                              "admin.fairday.placements", "admin.fairday.services"};
        int64_t values[] = {n.check_ins, n.intents, n.placements, n.services};
        float cw = (w - 3 * ctx.px(20)) / 4, ch = ctx.px(fair_totals_ ? 200 : 150);
        for (int i = 0; i < 4; ++i) {
            float cx = x + i * (cw + ctx.px(20));
            auto* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(ImVec2(cx, y), ImVec2(cx + cw, y + ch), p.surface, ctx.px(14));
            text(ctx, FontRole::Body, ImVec2(cx + ctx.px(20), y + ctx.px(14)), p.text_muted,
                 ctx.t(keys[i]));
            text(ctx, FontRole::Huge, ImVec2(cx + ctx.px(20), y + ctx.px(50)), p.text,
                 std::to_string(values[i]));
            if (fair_totals_) {
                const auto& t = fair_totals_->totals;
                int64_t whole[] = {t.check_ins, t.intents, t.placements, t.services};
                text(ctx, FontRole::Large, ImVec2(cx + ctx.px(20), y + ctx.px(146)), p.text,
                     ctx.f("admin.fairday.fair_n", {std::to_string(whole[i])}), cw - ctx.px(40));
            }
            ctx.record_hit(std::string("fairday.n.") + (keys[i] + 14), ImVec2(cx, y),
                           ImVec2(cx + cw, y + ch));
        }
        y += ch + ctx.px(20);
        ImVec2 ps = text(ctx, FontRole::Large, ImVec2(x, y), p.text_muted,
                         ctx.f("admin.fairday.people",
                               {std::to_string(n.people_in), std::to_string(n.with_intent),
                                std::to_string(n.placed)}),
                         w);
        y += ps.y + ctx.px(8);
        if (fair_totals_) {
            const auto& t = fair_totals_->totals;
            ImVec2 fs = text(ctx, FontRole::Large, ImVec2(x, y), p.text_muted,
                             ctx.f("admin.fairday.fair_people",
                                   {std::to_string(t.people_in), std::to_string(t.with_intent)}),
                             w);
            y += fs.y + ctx.px(8);
        }
        y += ctx.px(20);
        // Undo at the door: the latest accepted check-ins, a reason chosen with one tap.
        ImVec2 us = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.undo.title"));
        y += us.y + ctx.px(12);
        float bottom = ctx.screen.y - ctx.px(96) - 2 * pad;
        if (undoable.empty())
            text(ctx, FontRole::Large, ImVec2(x, y), p.text_muted, ctx.t("admin.undo.none"));
        for (size_t i = 0; i < undoable.size() && y + bh <= bottom; ++i) {
            const CheckIn& c = undoable[i];
            std::string who = c.attendee_id;
            if (auto a = ctx.store->attendee(c.attendee_id))
                who = mask_name(a->name) + "  " + a->phone_masked;
            text(ctx, FontRole::Large, ImVec2(x, y + ctx.px(18)), p.text,
                 cst_hhmm(c.h.device_time) + "  " + who, w * 0.4f);
            float bx = x + w * 0.42f;
            for (const char* reason : kUndoReasons) {
                if (choice(ctx, "undo." + std::to_string(i) + "." + reason,
                           ctx.t(std::string("admin.undo.reason.") + reason), false, &bx, y, bh)) {
                    CheckInUndo u;
                    u.check_in_uuid = c.h.uuid;
                    u.reason = reason;
                    u.h.device_time = ctx.wall;
                    bool ok =
                        ctx.identity && ctx.store->record_check_in_undo(u, ctx.identity->signer());
                    message_ = ok ? "admin.undo.done" : ctx.store->last_error();
                    if (ctx.play) ctx.play(ok ? "ok" : "error");
                }
            }
            y += bh + ctx.px(14);
        }
        if (!message_.empty())
            text(ctx, FontRole::Large, ImVec2(pad + ctx.px(330), ctx.screen.y - pad - ctx.px(70)),
                 message_ == "admin.undo.done" ? p.good : p.bad, ctx.t(message_));
        back_button(ctx);
    }

    // Staff mode at a station: a service given to a person with their code (scanned with the
    // hand scanner, verified offline as at a booth) or, without one, anonymously with the key
    // groups they say they belong to; one tap on the service records it.
    void on_service_scan(Context& ctx, const std::string& code, const std::string& fair) {
        message_.clear();
        scan_message_.clear();
        scan_args_.clear();
        if (!ctx.identity) {
            message_ = "admin.service.no_identity";
            return;
        }
        CheckInDesk desk(*ctx.store, *ctx.identity, fair);
        DeskResult r = desk.present_seeker_at_booth(code, ctx.wall);
        if (r.verdict != Verdict::CheckedIn) {
            scan_message_ = r.message_key;
            scan_args_ = r.message_args;
            service_person_.clear();
            service_person_label_.clear();
            if (ctx.play) ctx.play("error");
            return;
        }
        service_person_ = r.holder_id;
        // A station holds no people (docs/privacy.md): the masked name when this terminal knows
        // the person, else the code's holder id, which names nobody.
        service_person_label_ = r.display_name.empty() ? r.holder_id : r.display_name;
        if (r.attendee) service_groups_ = r.attendee->key_groups;
        if (ctx.play) ctx.play("ok");
    }

    void service_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        float pad = ctx.px(32), bh = ctx.px(96);
        float x = pad, y = top + pad, w = ctx.screen.x - 2 * pad;
        std::string fair = fair_of(ctx);
        if (!ctx.store || fair.empty()) {
            text(ctx, FontRole::Large, ImVec2(x, y), p.warn, ctx.t("admin.fairday.no_fair"));
            back_button(ctx);
            return;
        }
        if (auto code = wedge_.poll(ctx)) on_service_scan(ctx, *code, fair);
        ImVec2 ts = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.service"));
        y += ts.y + ctx.px(12);
        ImVec2 hs =
            text(ctx, FontRole::Body, ImVec2(x, y), p.text_muted, ctx.t("admin.service.hint"), w);
        y += hs.y + ctx.px(20);
        // Who: the person whose code was scanned, or nobody (anonymous).
        {
            auto* dl = ImGui::GetWindowDrawList();
            float boxh = bh + ctx.px(24);
            bool known = !service_person_.empty();
            dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + boxh), p.surface, ctx.px(14));
            std::string who = known ? ctx.f("admin.service.person", {service_person_label_})
                              : !scan_message_.empty() ? ctx.f(scan_message_, scan_args_)
                                                       : ctx.t("admin.service.scan");
            float clear_w = known ? ctx.px(360) : 0;
            ImU32 colour = known ? p.good : scan_message_.empty() ? p.text_muted : p.bad;
            text(ctx, FontRole::Large, ImVec2(x + ctx.px(24), y + ctx.px(30)), colour, who,
                 w - clear_w - ctx.px(60));
            ctx.record_hit("mark:service.person", ImVec2(x, y), ImVec2(x + w, y + boxh));
            if (known && button(ctx, "service.person.clear", ctx.t("admin.service.anonymous"),
                                ImVec2(x + w - clear_w - ctx.px(12), y + ctx.px(12)),
                                ImVec2(clear_w, bh), ButtonKind::Secondary, FontRole::Large)) {
                service_person_.clear();
                service_person_label_.clear();
                service_groups_ = 0;
            }
            y += boxh + ctx.px(24);
        }
        row_label(ctx, x, &y, ctx.t("admin.service.groups"));
        static const std::pair<KeyGroup, const char*> groups[] = {
            {kMigrantWorker, "migrant"},   {kNewFormWorker, "new_form"},
            {kHardshipFamily, "hardship"}, {kCollegeGraduate, "graduate"},
            {kDisabled, "disabled"},       {kRuralLabourer, "rural"}};
        float bx = x;
        for (auto& [bit, name] : groups) {
            if (bx > ctx.screen.x - pad - ctx.px(320)) {
                bx = x;
                y += bh + ctx.px(14);
            }
            if (choice(ctx, std::string("service.group.") + name,
                       ctx.t(std::string("entrance.group.") + name), service_groups_ & bit, &bx, y,
                       bh))
                service_groups_ ^= bit;
        }
        y += bh + ctx.px(34);
        row_label(ctx, x, &y, ctx.t("admin.service.record"));
        bx = x;
        for (ServiceKind k : {ServiceKind::LegalAid, ServiceKind::Training,
                              ServiceKind::Entrepreneurship, ServiceKind::JobService}) {
            std::string id = std::string("service.") + code(k);
            if (choice(ctx, id, ctx.t("admin." + id), false, &bx, y, bh)) {
                ServiceGiven sv;
                sv.fair_id = fair;
                sv.service = k;
                sv.attendee_id = service_person_;
                sv.key_groups = service_groups_;
                sv.h.device_time = ctx.wall;
                bool ok = ctx.identity && ctx.store->record_service(sv, ctx.identity->signer());
                message_ = ok ? "admin.service.done" : ctx.store->last_error();
                if (ok) {
                    service_groups_ = 0;
                    service_person_.clear();
                    service_person_label_.clear();
                    scan_message_.clear();
                }
                if (ctx.play) ctx.play(ok ? "ok" : "error");
            }
        }
        if (!message_.empty())
            text(ctx, FontRole::Large, ImVec2(pad + ctx.px(330), ctx.screen.y - pad - ctx.px(70)),
                 message_ == "admin.service.done" ? p.good : p.bad, ctx.t(message_));
        back_button(ctx);
    }

    // The camera and the scanner belong to the page that shows them.
    void leave_subpage(Context& ctx) {
        camera_.stop(ctx);
        camera_text_.clear();
        wedge_.clear();
        field_ = Field::None;
        if (ctx.hub) ctx.hub->clear_enrol_result();
    }

    void open_test(Context& ctx) {
        page_ = Page::Test;
        scanner_text_.clear();
        camera_text_.clear();
        message_.clear();
        cameras_ = camera_sources(ctx);
        // The first camera starts at once; the others are a tap away.
        if (!cameras_.empty()) camera_.start_source(ctx, cameras_.front());
    }

    void test_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        auto* dl = ImGui::GetWindowDrawList();
        float pad = ctx.px(40), gap = ctx.px(32);
        float x = pad, y = top + ctx.px(30), w = ctx.screen.x - pad * 2;
        ImVec2 s = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.test"));
        y += s.y + ctx.px(20);
        float bottom = ctx.screen.y - ctx.px(160);
        bool portrait = ctx.portrait();
        // Scanner on the left (top in portrait), camera on the right (below).
        float sw = portrait ? w : (w - gap) * 0.4f;
        float sh = portrait ? ctx.px(360) : bottom - y;
        // A hand scanner is a keyboard: what it types shows here.
        for (ImWchar c : ImGui::GetIO().InputQueueCharacters) {
            if (scanner_text_.size() < 400) append_utf8(&scanner_text_, c);
        }
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) scanner_text_ += "⏎";
        ImVec2 ls =
            text(ctx, FontRole::Large, ImVec2(x, y), p.text, ctx.t("admin.test.scanner"), sw);
        float fy = y + ls.y + ctx.px(12);
        dl->AddRectFilled(ImVec2(x, fy), ImVec2(x + sw, y + sh), p.surface, ctx.px(12));
        text(ctx, FontRole::Large, ImVec2(x + ctx.px(20), fy + ctx.px(16)),
             scanner_text_.empty() ? p.text_muted : p.text,
             scanner_text_.empty() ? ctx.t("admin.test.scanner.waiting") : scanner_text_,
             sw - ctx.px(40));

        float cx = portrait ? x : x + sw + gap, cy = portrait ? y + sh + gap : y;
        float cw = portrait ? w : w - sw - gap;
        ImVec2 cs = text(ctx, FontRole::Large, ImVec2(cx, cy), p.text, ctx.t("admin.test.camera"));
        cy += cs.y + ctx.px(12);
        if (cameras_.empty()) {
            text(ctx, FontRole::Large, ImVec2(cx, cy), p.warn, ctx.t("admin.test.camera.none"), cw);
            back_button(ctx);
            return;
        }
        // One button per camera: the chosen one previews and decodes.
        float bh = ctx.px(76), bx = cx;
        for (size_t i = 0; i < cameras_.size(); ++i) {
            const std::string& src = cameras_[i];
            std::string label = std::filesystem::path(src).filename().string();
            if (label.empty()) label = src;
            float bw = std::min(
                cw, std::max(ctx.px(180), text_size(ctx, FontRole::Body, label).x + ctx.px(48)));
            if (bx + bw > cx + cw && bx > cx) {
                bx = cx;
                cy += bh + ctx.px(12);
            }
            bool chosen = camera_.source() == src;
            if (button(ctx, "cam:" + std::to_string(i), label, ImVec2(bx, cy), ImVec2(bw, bh),
                       chosen ? ButtonKind::Selected : ButtonKind::Secondary, FontRole::Body) &&
                !chosen) {
                camera_text_.clear();
                message_.clear();
                camera_.start_source(ctx, src);
            }
            bx += bw + ctx.px(12);
        }
        cy += bh + ctx.px(16);
        if (auto e = camera_.poll()) camera_text_ = e->text;
        if (camera_.running()) ctx.wake(ctx.now + 0.1); // codes come from the camera's thread
        // The preview, then what the decoder read last.
        float line = font(ctx, FontRole::Large)->FontSize;
        float ph = std::max(ctx.px(120), bottom - cy - line * 2 - ctx.px(120));
        ImVec2 pmin(cx, cy), pmax(cx + cw, cy + ph);
        dl->AddRectFilled(pmin, pmax, p.surface_alt, ctx.px(12));
        if (!camera_.draw_preview(ctx, pmin, pmax)) {
            std::string why = camera_.running() ? ctx.t("admin.test.camera.starting")
                                                : ctx.f("admin.test.camera.failed",
                                                        {camera_.source(), camera_.error()});
            text_centered(ctx, FontRole::Large, pmin, pmax,
                          camera_.running() ? p.text_muted : p.bad, why);
        }
        cy += ph + ctx.px(14);
        text_clipped(ctx, FontRole::Large, ImVec2(cx, cy), cw,
                     camera_text_.empty() ? p.text_muted : p.good,
                     camera_text_.empty() ? ctx.t("admin.test.camera.waiting")
                                          : ctx.f("admin.test.camera.read", {camera_text_}));
        cy += line + ctx.px(18);
        // The entrance screen uses the configured camera; this makes the tested one that camera.
        bool in_use = CameraInput::configured_source(ctx) == camera_.source();
        float uw = std::max(ctx.px(260),
                            text_size(ctx, FontRole::Large, ctx.t("admin.test.camera.use")).x +
                                ctx.px(56));
        if (!camera_.source().empty() &&
            button(ctx, "cam.use", ctx.t("admin.test.camera.use"), ImVec2(cx, cy), ImVec2(uw, bh),
                   in_use ? ButtonKind::Selected : ButtonKind::Secondary, FontRole::Large) &&
            ctx.store) {
            message_ = ctx.store->set_setting("camera.source", camera_.source())
                           ? "admin.test.camera.saved"
                           : "admin.error.store";
        }
        if (!message_.empty())
            text(ctx, FontRole::Body, ImVec2(cx + uw + ctx.px(20), cy + ctx.px(20)), p.good,
                 ctx.t(message_), cw - uw - ctx.px(20));
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
        // "Keep running" must not look like "quit" (both were red): the safe choice is dark.
        if (button(ctx, "quit.no", ctx.t("admin.quit.no"), ImVec2(cx + gap * 0.5f, y),
                   ImVec2(bw, bh), ButtonKind::Selected, FontRole::Large))
            page_ = Page::Panel;
    }

    // -------------------------------------------------------------------------
    // Enrolment
    // -------------------------------------------------------------------------
    void open_enrol(Context& ctx) {
        page_ = Page::Enrol;
        message_.clear();
        enrol_result_ = {};
        field_ = Field::None;
        wedge_.clear();
        ca_files_ = certificate_files(ctx);
        ca_index_ = ca_files_.empty() ? -1 : 0;
        kb_.configure(unsigned(KeyLayout::Latin), false, 160);
        camera_.start(ctx); // the entrance camera reads the enrolment QR too
    }

    // Text from the camera or the hand scanner: the hub's enrolment QR enrols at once.
    void on_enrol_scan(Context& ctx, const std::string& text) {
        auto qr = sync::parse_enrol_qr(text);
        enrol_result_ = {};
        if (!qr) {
            message_ = "admin.enrol.not_enrol_code";
            if (ctx.play) ctx.play("error");
            return;
        }
        enrol_code_ = qr->code;
        if (!qr->hub_url.empty()) enrol_url_ = qr->hub_url;
        enrol_pin_ = qr->pin;
        field_ = Field::None;
        start_enrol(ctx);
    }

    void start_enrol(Context& ctx) {
        message_.clear();
        enrol_result_ = {};
        std::string url = trimmed(enrol_url_), code = trimmed(enrol_code_);
        if (url.empty()) {
            message_ = "admin.enrol.need_url";
            field_ = Field::Url;
            return;
        }
        if (code.empty()) {
            message_ = "admin.enrol.need_code";
            field_ = Field::Code;
            return;
        }
        // Staff type the address without a scheme; anything but https is refused by enroll().
        if (url.find("://") == std::string::npos) url = "https://" + url;
        enrol_url_ = url;
        if (!ctx.hub) {
            message_ = "admin.enrol.unavailable";
            return;
        }
        sync::EnrollOptions o;
        if (ca_index_ >= 0 && ca_index_ < static_cast<int>(ca_files_.size()))
            o.ca_file = ca_files_[static_cast<size_t>(ca_index_)];
        o.pin = enrol_pin_;
        field_ = Field::None;
        if (ctx.hub->begin_enrol(url, code, o)) enrol_running_ = true;
    }

    static std::string mode_name(const Context& ctx, const std::string& code) {
        Mode m;
        return parse_mode(code, &m) ? ctx.t(std::string("admin.mode.") + code) : code;
    }

    // The worker's outcome: shown, and on success the engine starts (SyncLink).
    void poll_enrolment(Context& ctx) {
        if (!ctx.hub) return;
        EnrolProgress pr = ctx.hub->enrol_progress();
        if (pr.state == EnrolProgress::Running) {
            enrol_running_ = true;
            ctx.wake(ctx.now + 0.1); // the answer shows as soon as it comes
            return;
        }
        if (!enrol_running_) return;
        enrol_running_ = false;
        if (pr.state == EnrolProgress::Succeeded) {
            ctx.hub->adopt_enrolment(ctx);
            enrol_result_ = pr.result;
            camera_.stop(ctx);
            if (ctx.play) ctx.play("ok");
        } else if (pr.state == EnrolProgress::Failed) {
            enrol_result_ = pr.result;
            if (ctx.play) ctx.play("error");
        }
        ctx.hub->clear_enrol_result();
    }

    // A text field that opens the keyboard when tapped.
    void enrol_field(Context& ctx, const char* id, const std::string& label,
                     const std::string& value, const std::string& placeholder, Field f, float x,
                     float* y, float w) {
        const Palette& p = palette(ctx);
        row_label(ctx, x, y, label);
        float h = ctx.px(92);
        bool focused = field_ == f;
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(x, *y), ImVec2(x + w, *y + h), p.surface, ctx.px(12));
        dl->AddRect(ImVec2(x, *y), ImVec2(x + w, *y + h), focused ? p.accent : p.border, ctx.px(12),
                    0, ctx.px(focused ? 4 : 2));
        std::string shown = value.empty() ? placeholder : value;
        if (focused) shown = value + "|";
        text_clipped(ctx, FontRole::Large, ImVec2(x + ctx.px(20), *y + ctx.px(22)), w - ctx.px(40),
                     value.empty() && !focused ? p.text_muted : p.text, shown);
        if (tap_area(ctx, id, ImVec2(x, *y), ImVec2(x + w, *y + h)) && !enrol_running_) {
            field_ = f;
            enrol_pin_.clear(); // typed by hand: the certificate is checked against the file
            message_.clear();
        }
        *y += h + ctx.px(18);
    }

    void enrol_page(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        poll_enrolment(ctx);
        if (!enrol_running_) {
            if (auto code = wedge_.poll(ctx)) on_enrol_scan(ctx, *code);
            if (auto e = camera_.poll()) on_enrol_scan(ctx, e->text);
        } else {
            wedge_.poll(ctx); // a second scan while the first runs is ignored
        }
        if (camera_.running()) ctx.wake(ctx.now + 0.1);

        float pad = ctx.px(40);
        ImVec2 min(pad, top + ctx.px(24)), max(ctx.screen.x - pad, ctx.screen.y - ctx.px(150));
        FormSplit sp = split_for_keyboard(ctx, min, max, 0.5f);
        float x = sp.form_min.x, y = sp.form_min.y, w = sp.form_max.x - sp.form_min.x;
        ImVec2 ts = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("admin.enrol.title"));
        y += ts.y + ctx.px(12);
        ImVec2 hs =
            text(ctx, FontRole::Body, ImVec2(x, y), p.text_muted, ctx.t("admin.enrol.hint"), w);
        y += hs.y + ctx.px(18);
        if (ctx.identity && !ctx.identity->hub_url.empty() && !enrol_result_.ok) {
            ImVec2 es = text(
                ctx, FontRole::Body, ImVec2(x, y), p.warn,
                ctx.f("admin.enrol.current", {ctx.identity->terminal_id, ctx.identity->hub_url}),
                w);
            y += es.y + ctx.px(14);
        }
        enrol_field(ctx, "enrol.field.url", ctx.t("admin.enrol.url"), enrol_url_,
                    "https://hub.example.org:8443", Field::Url, x, &y, w);
        enrol_field(ctx, "enrol.field.code", ctx.t("admin.enrol.code"), enrol_code_,
                    "XXXX-XXXX-XXXX-XXXX", Field::Code, x, &y, w);
        // The certificate to trust: system CAs, or a trial hub's own file.
        row_label(ctx, x, &y, ctx.t("admin.enrol.ca"));
        std::string ca =
            ca_index_ >= 0 ? std::filesystem::path(ca_files_[size_t(ca_index_)]).filename().string()
                           : ctx.t("admin.enrol.ca.system");
        float bh = ctx.px(84);
        if (button(ctx, "enrol.ca", ca, ImVec2(x, y), ImVec2(w, bh), ButtonKind::Secondary,
                   FontRole::Large) &&
            !enrol_running_) {
            // Cycle: each file found, then the system's certificates.
            ca_index_ = ca_index_ + 1 >= static_cast<int>(ca_files_.size()) ? -1 : ca_index_ + 1;
        }
        y += bh + ctx.px(10);
        if (!enrol_pin_.empty()) {
            text_clipped(ctx, FontRole::Body, ImVec2(x, y), w, p.text_muted,
                         ctx.f("admin.enrol.pin", {enrol_pin_}));
            y += font(ctx, FontRole::Body)->FontSize + ctx.px(10);
        }
        y += ctx.px(10);
        float gw = std::max(
            ctx.px(300), text_size(ctx, FontRole::Large, ctx.t("admin.enrol.go")).x + ctx.px(64));
        if (button(ctx, "enrol.go", ctx.t("admin.enrol.go"), ImVec2(x, y), ImVec2(gw, bh),
                   enrol_running_ ? ButtonKind::Quiet : ButtonKind::Primary, FontRole::Large) &&
            !enrol_running_)
            start_enrol(ctx);
        y += bh + ctx.px(18);

        // Progress and outcome, in the screen's language.
        if (enrol_running_) {
            text(ctx, FontRole::Large, ImVec2(x, y), p.accent,
                 ctx.f("admin.enrol.running", {enrol_url_}), w);
        } else if (enrol_result_.ok) {
            ImVec2 r =
                text(ctx, FontRole::Large, ImVec2(x, y), p.good,
                     ctx.f("sync.enrolled", {enrol_result_.terminal_id, enrol_result_.fair_id,
                                             mode_name(ctx, enrol_result_.mode)}),
                     w);
            text(ctx, FontRole::Body, ImVec2(x, y + r.y + ctx.px(8)), p.text,
                 ctx.t("admin.enrol.started"), w);
        } else if (!enrol_result_.error.empty()) {
            ImVec2 r =
                text(ctx, FontRole::Large, ImVec2(x, y), p.bad, ctx.t(enrol_result_.error), w);
            float ry = y + r.y + ctx.px(8);
            if (enrol_result_.error == "sync.err.tls") {
                ImVec2 h2 = text(ctx, FontRole::Body, ImVec2(x, ry), p.text,
                                 ctx.t("admin.enrol.tls_hint"), w);
                ry += h2.y + ctx.px(6);
            }
            if (!enrol_result_.detail.empty())
                text(ctx, FontRole::Body, ImVec2(x, ry), p.text_muted, enrol_result_.detail, w);
        } else if (!message_.empty()) {
            text(ctx, FontRole::Large, ImVec2(x, y), p.warn, ctx.t(message_), w);
        }

        // The keyboard while a field is being typed; otherwise the camera looking for the QR.
        ImVec2 kmin = sp.kb_min, kmax = sp.kb_max;
        if (field_ != Field::None) {
            std::string* target = field_ == Field::Url ? &enrol_url_ : &enrol_code_;
            // Characters of addresses and codes the letter keyboard lacks.
            static const char* symbols[] = {"https://", ":", "/", ".", "-"};
            float sh = ctx.px(kMinTouch) * 1.2f, sgap = ctx.px(12);
            float sw = (kmax.x - kmin.x - sgap * 4) / 5;
            for (int i = 0; i < 5; ++i) {
                if (button(ctx, "enrol.sym." + std::to_string(i), symbols[i],
                           ImVec2(kmin.x + i * (sw + sgap), kmin.y), ImVec2(sw, sh),
                           ButtonKind::Secondary, FontRole::Large))
                    *target += symbols[i];
            }
            kmin.y += sh + sgap;
            if (kb_.draw(ctx, target, kmin, kmax)) field_ = Field::None;
            if (target == &enrol_code_)
                for (char& c : enrol_code_)
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        } else {
            auto* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(kmin, kmax, p.surface, ctx.px(16));
            float inset = ctx.px(24);
            ImVec2 cap =
                text(ctx, FontRole::Large, ImVec2(kmin.x + inset, kmin.y + inset), p.text,
                     ctx.t(camera_.running() ? "admin.enrol.camera" : "admin.enrol.no_camera"),
                     kmax.x - kmin.x - inset * 2);
            ImVec2 pmin(kmin.x + inset, kmin.y + inset * 2 + cap.y),
                pmax(kmax.x - inset, kmax.y - inset);
            if (camera_.running() && !camera_.draw_preview(ctx, pmin, pmax))
                text_centered(ctx, FontRole::Large, pmin, pmax, p.text_muted,
                              ctx.t("admin.test.camera.starting"));
        }
        back_button(ctx);
    }

    std::string default_lang_; // as the panel last showed it
    Page page_ = Page::Pin;
    uint32_t service_groups_ = 0; // the service page's key groups, chosen
    // The service page's person: the scanned code's holder ("" = anonymous), how the page names
    // them, and why the last scan was refused (a scan message key and its arguments).
    std::string service_person_, service_person_label_, scan_message_;
    std::vector<std::string> scan_args_;
    std::array<int64_t, 4>
        numbers_{}; // the fair day page's check-ins, intents, placements, services
    std::optional<sync::FairTotalsSeen> fair_totals_; // the whole fair's, as the page last showed
    PrinterPanel printer_;
    std::string entry_, first_, message_, scanner_text_;
    int tries_left_ = 0;
    bool export_ok_ = false;
    // Camera test and enrolment.
    CameraInput camera_;
    std::vector<std::string> cameras_;
    std::string camera_text_;
    WedgeReader wedge_;
    Keyboard kb_;
    Field field_ = Field::None;
    std::string enrol_url_, enrol_code_, enrol_pin_;
    std::vector<std::string> ca_files_;
    int ca_index_ = -1;
    bool enrol_running_ = false;
    sync::EnrollResult enrol_result_;
};

std::unique_ptr<View> make_admin_view() {
    return std::make_unique<AdminView>();
}

} // namespace jf::ui
