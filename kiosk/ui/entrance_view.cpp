// The entrance (入场签到): "请出示二维码" with the camera preview when there is one; a verdict that
// fills the screen (green 签到成功 with the masked name, amber "已于 10:02 签到", red with the
// reason), its own sound, back to the prompt after a few seconds or a tap. For people without a
// code: operator-assisted look-up (phone, tails, pinyin initials) and walk-up registration that
// shows a terminal-signed code as a QR to photograph and, with a receipt printer set up, prints it
// (on the print queue's thread; the slip's status and a Reprint button under the code).
//
// Index
// - Prompt        scanner input, the two buttons for people without a code
// - Verdict       full-screen result, sound, timeout
// - Look-up       keyboard, result rows
// - Registration  fields, key groups, consent, the issued code
// - Needs list    the seekers' needs list (skippable): after a registration or a check-in
#include "kiosk/ui/camera_input.hpp"
#include "kiosk/ui/desk_widgets.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/printing.hpp"
#include "kiosk/ui/qr.hpp"
#include "kiosk/ui/ui.hpp"
#include "kiosk/ui/views.hpp"

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/desk/needs_flow.hpp"
#include "kiosk/desk/receipt.hpp"
#include "kiosk/desk/registration.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <bit>
#include <cmath>
#include <set>
#include <memory>
#include <optional>
#include <utility>

namespace jf::ui {

namespace {
constexpr double kVerdictSeconds = 5.0;

const uint32_t kGroupBits[] = {kMigrantWorker,   kNewFormWorker, kHardshipFamily,
                               kCollegeGraduate, kDisabled,      kRuralLabourer};
const char* kGroupKeys[] = {"entrance.group.migrant",  "entrance.group.new_form",
                            "entrance.group.hardship", "entrance.group.graduate",
                            "entrance.group.disabled", "entrance.group.rural"};
} // namespace

class EntranceView : public View {
  public:
    const char* name() const override { return "entrance"; }
    bool holds_personal_data() const override { return page_ != Page::Prompt; }
    bool animating() const override { return form_scroll_.moving() || needs_scroll_.moving(); }
    void enter(Context& ctx) override {
        reset(ctx);
        camera_.start(ctx);
    }
    void leave(Context& ctx) override {
        // Standing in for an idle entrance, the listings still admit: the camera keeps watching
        // and a code brings this screen back (wants_focus).
        if (!ctx.idle_fallback) camera_.stop(ctx);
        reset(ctx);
    }
    bool wants_focus(Context& ctx) override {
        if (!ctx.store || !ctx.identity) return false;
        if (!pending_camera_) pending_camera_ = camera_.poll();
        return pending_camera_ || !ImGui::GetIO().InputQueueCharacters.empty();
    }
    void reset(Context&) override {
        page_ = Page::Prompt;
        result_ = {};
        typed_.clear();
        found_.clear();
        form_.forget();
        issued_.reset();
        slip_.clear();
        field_ = Field::Name;
        field_errors_.clear();
        message_.clear();
        message_key_.clear();
        form_scroll_.set_offset(0);
        keyboard_.reset();
        wedge_.clear();
        needs_ = {};
        needs_back_ = Page::Prompt;
        needs_saved_.clear();
        needs_skipped_ = false;
    }
    void describe(std::map<std::string, std::string>* out) const override {
        static const char* pages[] = {"prompt", "verdict", "lookup", "register", "issued", "needs"};
        (*out)["page"] = pages[int(page_)];
        if (page_ == Page::Verdict) {
            (*out)["verdict"] = code(result_.verdict);
            (*out)["message"] = short_key_;
            (*out)["detail"] = result_.message_key;
            (*out)["name"] = tone() == Tone::Bad ? "" : result_.display_name;
            (*out)["time"] = result_.first_check_in_hhmm;
            (*out)["big"] = big_;
        }
        (*out)["found"] = std::to_string(found_.size());
        (*out)["fair"] = fair_name_;
        (*out)["camera"] = camera_.running() ? camera_.source() : "";
        if (page_ == Page::Register) { // what the fields hold, as on screen
            (*out)["reg.name"] = form_.name;
            (*out)["reg.phone"] = form_.phone;
            std::string errors;
            for (const auto& f : field_errors_)
                errors += (errors.empty() ? "" : ",") + f;
            (*out)["reg.errors"] = errors;
        }
        (*out)["error"] = message_key_;
        if (issued_) (*out)["credential"] = issued_->credential_text;
        if (issued_) (*out)["attendee"] = issued_->attendee.id;
        if (issued_) (*out)["print"] = slip_.state();
        if (issued_) (*out)["print.error"] = slip_.error_key();
        if (page_ == Page::Needs) {
            (*out)["needs.person"] = needs_.attendee_id;
            (*out)["needs.offered"] = std::to_string(needs_.offered.size());
            (*out)["needs.skill"] = kSkillLevels[needs_.skill];
        }
        (*out)["needs.saved"] = needs_saved_;
    }

    void draw(Context& ctx) override {
        begin_screen(ctx, "entrance");
        // The fair's own name under the title (the generic one only when no fair is chosen).
        std::string fair =
            ctx.fair_id.empty() && ctx.identity ? ctx.identity->fair_id : ctx.fair_id;
        if (fair != fair_id_ && ctx.store) {
            fair_id_ = fair;
            auto f = ctx.store->fair(fair);
            fair_name_ = f ? f->name : "";
        }
        float top = header_bar(ctx, ctx.t("entrance.title"),
                               fair_name_.empty() ? ctx.t("entrance.subtitle") : fair_name_,
                               page_ == Page::Prompt);
        ImVec2 min(0, top), max(ctx.screen.x, ctx.screen.y);
        if (!ctx.store || !ctx.identity) {
            text(ctx, FontRole::Title, ImVec2(ctx.px(40), top + ctx.px(40)), palette(ctx).bad,
                 ctx.t("desk.not_ready"));
        } else {
            switch (page_) {
            case Page::Prompt:
                draw_prompt(ctx, min, max);
                break;
            case Page::Verdict:
                draw_verdict(ctx, min, max);
                break;
            case Page::Lookup:
                draw_lookup(ctx, min, max);
                break;
            case Page::Register:
                draw_register(ctx, min, max);
                break;
            case Page::Issued:
                draw_issued(ctx, min, max);
                break;
            case Page::Needs:
                draw_needs(ctx, min, max);
                break;
            }
        }
        end_screen();
    }

  private:
    enum class Page { Prompt, Verdict, Lookup, Register, Issued, Needs };
    enum class Field { Name, Phone, Id };

    // The terminal's fair: the one chosen in admin, else the one it was enrolled for.
    std::string fair(const Context& ctx) const {
        return ctx.fair_id.empty() ? ctx.identity->fair_id : ctx.fair_id;
    }
    CheckInDesk& desk(Context& ctx) {
        if (!desk_ || desk_->fair_id() != fair(ctx))
            desk_ = std::make_unique<CheckInDesk>(*ctx.store, *ctx.identity, fair(ctx));
        return *desk_;
    }
    // Admitted only when the check-in is durable; anything else is red.
    Tone tone() const {
        if (!result_.admitted()) return Tone::Bad;
        return result_.verdict == Verdict::CheckedIn ? Tone::Good : Tone::Warn;
    }

    // The next code from the camera: one that brought this screen back first.
    std::optional<scan::ScanEvent> next_camera_code() {
        if (pending_camera_) return std::exchange(pending_camera_, std::nullopt);
        return camera_.poll();
    }

    void show(Context& ctx, DeskResult r) {
        result_ = std::move(r);
        page_ = Page::Verdict;
        shown_at_ = ctx.now;
        ctx.last_touch = ctx.now; // a scan is activity: the entrance stays
        ctx.animate_for(0.1);     // drawn now, not at the next input
        ctx.wake(ctx.now + unhurried(ctx, kVerdictSeconds));
        const Verdict v = result_.verdict;
        short_key_ = std::string("entrance.verdict.") + code(v);
        if (!result_.recorded && (v == Verdict::CheckedIn || v == Verdict::AlreadyCheckedIn))
            short_key_ = "entrance.err.store";
        if (tone() == Tone::Good)
            big_ = ctx.t(short_key_);
        else if (tone() == Tone::Warn)
            big_ = ctx.f("entrance.verdict.already_at", {result_.first_check_in_hhmm});
        else
            big_ = ctx.t(short_key_);
        // The longer sentence says what to do next (scan's messages, with dates where they help).
        detail_ = tone() == Tone::Bad ? ctx.f(result_.message_key, result_.message_args) : "";
        if (ctx.play)
            ctx.play(tone() == Tone::Good ? "ok" : tone() == Tone::Warn ? "already" : "error");
        // Read aloud for older visitors: the verdict and what to do, never the person's name.
        speak(ctx, detail_.empty() ? big_ : big_ + "。" + detail_);
    }

    // -- Prompt ------------------------------------------------------------------------
    void draw_prompt(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        // A code read now is answered in this very frame: the verdict is drawn at once.
        if (auto code = wedge_.poll(ctx)) {
            show(ctx, desk(ctx).present_at_entrance(*code, ScanMethod::HandScanner, ctx.wall));
            return draw_verdict(ctx, min, max);
        }
        if (auto e = next_camera_code()) {
            show(ctx, desk(ctx).present_at_entrance(e->text, e->method, ctx.wall));
            return draw_verdict(ctx, min, max);
        }
        float cx = (min.x + max.x) / 2;
        float y = min.y + (max.y - min.y) * (ctx.portrait() ? 0.16f : 0.08f);
        // Headlines wrap within the screen in every language and text size.
        float wrap = max.x - min.x - ctx.px(80);
        for (auto [key, role, color] :
             {std::tuple{"entrance.prompt", FontRole::Huge, p.text},
              std::tuple{"entrance.prompt.other", FontRole::Title, p.text_muted}}) {
            ImVec2 sz = text_centered_wrapped(ctx, role, cx, y, wrap, color, ctx.t(key));
            ctx.record_hit("mark:" + std::string(key) + ".text", ImVec2(cx - sz.x / 2, y),
                           ImVec2(cx + sz.x / 2, y + sz.y));
            y += sz.y + ctx.px(24);
        }
        // Where to hold the code: a framed target (the camera preview lands here when present),
        // as large as the room between the headlines and the buttons allows.
        // Two buttons side by side, each at most half the width (portrait at 1.5x is narrow).
        ImVec2 bs(std::min(ctx.px(460), (max.x - min.x - ctx.px(40) * 3) / 2), ctx.px(120));
        float by = max.y - bs.y - ctx.px(40);
        float side = std::min({(max.y - min.y) * 0.38f, (max.x - min.x) * 0.4f,
                               std::max(ctx.px(160), by - ctx.px(20) - y - ctx.px(10))});
        ImVec2 fmin(cx - side / 2, y + ctx.px(10)), fmax(cx + side / 2, y + ctx.px(10) + side);
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRect(fmin, fmax, p.accent, ctx.px(20), 0, ctx.px(8));
        ctx.record_hit("mark:entrance.frame", fmin, fmax);
        ImVec2 inset(ctx.px(12), ctx.px(12));
        if (!camera_.draw_preview(ctx, ImVec2(fmin.x + inset.x, fmin.y + inset.y),
                                  ImVec2(fmax.x - inset.x, fmax.y - inset.y))) {
            // The hint wraps inside the frame and is centred in it.
            const std::string& hint = ctx.t("entrance.prompt.hint");
            float hw = side - 2 * ctx.px(28);
            float hh = text_size(ctx, FontRole::Large, hint, hw).y;
            ImVec2 hs = text_centered_wrapped(ctx, FontRole::Large, cx,
                                              std::floor((fmin.y + fmax.y - hh) / 2), hw,
                                              p.text_muted, hint);
            float hy = std::floor((fmin.y + fmax.y - hh) / 2);
            ctx.record_hit("mark:entrance.prompt.hint.text", ImVec2(cx - hs.x / 2, hy),
                           ImVec2(cx + hs.x / 2, hy + hs.y));
        }
        if (camera_.running()) ctx.wake(ctx.now + 0.1); // codes come from the camera's thread
        if (button(ctx, "entrance.lookup", ctx.t("entrance.lookup"), ImVec2(ctx.px(40), by), bs,
                   ButtonKind::Secondary, FontRole::Large)) {
            page_ = Page::Lookup;
            keyboard_.configure(kLookupLayouts);
            keyboard_.set_layout(KeyLayout::Digits);
        }
        if (button(ctx, "entrance.register", ctx.t("entrance.register"),
                   ImVec2(max.x - bs.x - ctx.px(40), by), bs, ButtonKind::Secondary,
                   FontRole::Large)) {
            page_ = Page::Register;
            field_ = Field::Name;
            form_.forget();
            keyboard_.configure(kNameLayouts, false, 20);
        }
    }

    // -- Verdict -----------------------------------------------------------------------
    void draw_verdict(Context& ctx, ImVec2 min, ImVec2 max) {
        // The next person in the queue need not wait for the timeout: a new code replaces the
        // verdict (the camera reports the same code only once while it stays in view), drawn in
        // this same frame.
        if (auto code = wedge_.poll(ctx))
            show(ctx, desk(ctx).present_at_entrance(*code, ScanMethod::HandScanner, ctx.wall));
        else if (auto e = next_camera_code())
            show(ctx, desk(ctx).present_at_entrance(e->text, e->method, ctx.wall));
        if (tone() == Tone::Good)
            verdict_panel(ctx, Tone::Good, result_.display_name, big_, "", min, max);
        else if (tone() == Tone::Warn)
            verdict_panel(ctx, Tone::Warn, big_, result_.display_name, "", min, max);
        else
            verdict_panel(ctx, Tone::Bad, big_, detail_, "", min, max);
        // A person just let in may tell the union what they are looking for (skippable).
        std::string person = result_.attendee ? result_.attendee->id : result_.holder_id;
        if (tone() == Tone::Good && !person.empty()) {
            ImVec2 bs(std::min(ctx.px(560), max.x - min.x - ctx.px(80)), ctx.px(120));
            if (button(ctx, "entrance.needs.open", ctx.t("entrance.needs.open"),
                       ImVec2((min.x + max.x - bs.x) / 2, max.y - bs.y - ctx.px(40)), bs,
                       ButtonKind::Secondary, FontRole::Large)) {
                open_needs(ctx, person, Page::Prompt);
                return;
            }
        }
        bool tapped = tap_area(ctx, "entrance.verdict", min, max);
        double hold = unhurried(ctx, kVerdictSeconds);
        if (tapped || ctx.now - shown_at_ >= hold) {
            reset(ctx);
            ctx.animate_for(0.1); // the prompt is drawn now, not at the next input
        } else
            ctx.wake(shown_at_ + hold);
    }

    // -- Look-up -----------------------------------------------------------------------
    void draw_lookup(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        float pad = ctx.px(40);
        FormSplit sp = split_for_keyboard(ctx, ImVec2(min.x + pad, min.y + ctx.px(24)),
                                          ImVec2(max.x - pad, max.y - pad), 0.48f);
        ImVec2 o = sp.form_min;
        float col = sp.form_max.x - sp.form_min.x;
        std::string before = typed_;
        text_field(ctx, "entrance.lookup.field", ctx.t("entrance.lookup.label"), typed_, o,
                   ImVec2(col, ctx.px(130)), true);
        // Results under the field.
        float y = o.y + ctx.px(150);
        float rh = ctx.px(110);
        ImVec2 bs(ctx.px(300), ctx.px(110));
        if (found_.empty() && !typed_.empty()) {
            // Not found: registering on the spot is the way on (a typed mobile number is kept).
            text(ctx, FontRole::Large, ImVec2(o.x, y), p.text_muted, ctx.t("entrance.lookup.none"));
            y += text_size(ctx, FontRole::Large, "Ag").y + ctx.px(20);
            if (button(ctx, "entrance.lookup.register", ctx.t("entrance.register"), ImVec2(o.x, y),
                       ImVec2(std::min(col, ctx.px(460)), ctx.px(110)), ButtonKind::Primary,
                       FontRole::Large)) {
                std::string phone = typed_;
                reset(ctx);
                page_ = Page::Register;
                field_ = Field::Name;
                keyboard_.configure(kNameLayouts, false, 20);
                if (phone.size() == 11 && phone[0] == '1' &&
                    phone.find_first_not_of("0123456789") == std::string::npos)
                    form_.phone = phone;
                return;
            }
        }
        for (size_t i = 0; i < found_.size() && y + rh < sp.form_max.y - bs.y - ctx.px(10); ++i) {
            const Attendee& a = found_[i];
            ImVec2 rmin(o.x, y), rmax(o.x + col, y + rh - ctx.px(10));
            auto* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(rmin, rmax, p.surface, ctx.px(10));
            dl->AddRect(rmin, rmax, p.border, ctx.px(10), 0, ctx.px(2));
            text(ctx, FontRole::Large, ImVec2(rmin.x + ctx.px(20), rmin.y + ctx.px(26)), p.text,
                 mask_name(a.name) + "   " + a.phone_masked);
            if (tap_area(ctx, "entrance.lookup.row." + std::to_string(i), rmin, rmax)) {
                show(ctx, desk(ctx).check_in_attendee(a.id, ScanMethod::ManualLookup, ctx.wall));
                typed_.clear();
                found_.clear();
                return;
            }
            y += rh;
        }
        if (button(ctx, "entrance.back", ctx.t("desk.back"), ImVec2(o.x, sp.form_max.y - bs.y), bs,
                   ButtonKind::Quiet)) {
            reset(ctx);
            return;
        }
        keyboard_.configure(kLookupLayouts, true, 16);
        keyboard_.draw(ctx, &typed_, sp.kb_min, sp.kb_max);
        if (typed_ != before) found_ = desk::look_up_attendees(*ctx.store, typed_, 8);
    }

    // -- Registration -------------------------------------------------------------------
    void draw_register(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        if (!field_errors_.empty()) { // a refusal goes as its field is put right
            std::set<std::string> still;
            std::string text;
            for (const auto& c : desk::check_walk_up(form_, ctx.today))
                if (field_errors_.count(c.field)) {
                    still.insert(c.field);
                    text += (text.empty() ? "" : "\n") + ctx.t(c.key);
                }
            field_errors_ = std::move(still);
            message_ = text;
            if (text.empty()) message_key_.clear();
        }
        float pad = ctx.px(40), gap = ctx.px(16);
        FormSplit sp = split_for_keyboard(ctx, ImVec2(min.x + pad, min.y + ctx.px(20)),
                                          ImVec2(max.x - pad, max.y - ctx.px(24)), 0.46f);
        ImVec2 bs(ctx.px(280), ctx.px(110));
        float by = sp.form_max.y - bs.y;
        // The fields scroll (drag) above the buttons when they are taller than the room there
        // (the mode for older eyes, large text, a refusal of several lines): nothing hides under
        // the buttons.
        ImVec2 colmin = sp.form_min, colmax(sp.form_max.x, by - gap);
        form_scroll_.update(ctx, colmin, colmax, form_h_);
        ImGui::PushClipRect(colmin, colmax, true);
        ImVec2 o(sp.form_min.x, sp.form_min.y - form_scroll_.offset());
        const float content_top = o.y;
        float col = sp.form_max.x - sp.form_min.x;
        float fh = ctx.px(120);
        auto field = [&](Field f, const char* id, const char* label, std::string shown) {
            bool on = field_ == f;
            if (on && f == Field::Name) shown += keyboard_.preedit();
            bool err = field_errors_.count(id) > 0;
            if (text_field(ctx, std::string("entrance.reg.") + id, ctx.t(label), shown, o,
                           ImVec2(col, fh), on, err)) {
                field_ = f;
                keyboard_.reset();
            }
            o.y += fh + gap;
        };
        field(Field::Name, "name", "entrance.reg.name", form_.name);
        // The person checks what they typed: shown in full while the form is open (the issued
        // code's screen and everything stored show them masked).
        field(Field::Phone, "phone", "entrance.reg.phone", form_.phone);
        field(Field::Id, "resident_id", "entrance.reg.id", form_.resident_id);
        text(ctx, FontRole::Body, o, p.text_muted, ctx.t("entrance.reg.groups"));
        o.y += text_size(ctx, FontRole::Body, "Ag").y + ctx.px(6);
        std::vector<std::string> gl;
        for (const char* k : kGroupKeys)
            gl.push_back(ctx.t(k));
        float used = 0;
        chip_toggles(ctx, "entrance.reg.group", gl, &form_.key_groups,
                     std::vector<uint32_t>(std::begin(kGroupBits), std::end(kGroupBits)), o, col,
                     &used);
        o.y += used + gap;
        // Consent: one big toggle with the sentence it agrees to.
        ImVec2 cmin = o, cmax(o.x + col, o.y + ctx.px(96));
        if (tap_area(ctx, "entrance.reg.consent", cmin, cmax)) form_.consent = !form_.consent;
        auto* dl = ImGui::GetWindowDrawList();
        float box = ctx.px(64);
        ImVec2 bmin(cmin.x, cmin.y + ctx.px(16));
        dl->AddRectFilled(bmin, ImVec2(bmin.x + box, bmin.y + box),
                          form_.consent ? p.good : IM_COL32(255, 255, 255, 255), ctx.px(8));
        dl->AddRect(bmin, ImVec2(bmin.x + box, bmin.y + box), p.border, ctx.px(8), 0, ctx.px(3));
        if (form_.consent) {
            dl->AddLine(ImVec2(bmin.x + box * 0.2f, bmin.y + box * 0.5f),
                        ImVec2(bmin.x + box * 0.42f, bmin.y + box * 0.75f),
                        IM_COL32(255, 255, 255, 255), ctx.px(7));
            dl->AddLine(ImVec2(bmin.x + box * 0.42f, bmin.y + box * 0.75f),
                        ImVec2(bmin.x + box * 0.8f, bmin.y + box * 0.25f),
                        IM_COL32(255, 255, 255, 255), ctx.px(7));
        }
        text(ctx, FontRole::Body, ImVec2(bmin.x + box + ctx.px(16), cmin.y + ctx.px(10)), p.text,
             ctx.t("entrance.reg.consent"), col - box - ctx.px(16));
        o.y = cmax.y + gap;
        o.y += message_line(ctx, message_, o, col, true);
        form_h_ = o.y - content_top;
        ImGui::PopClipRect();

        if (button(ctx, "entrance.back", ctx.t("desk.back"), ImVec2(min.x + pad, by), bs,
                   ButtonKind::Quiet)) {
            reset(ctx);
            return;
        }
        if (button(ctx, "entrance.reg.submit", ctx.t("entrance.reg.submit"),
                   ImVec2(sp.form_max.x - bs.x, by), bs, ButtonKind::Primary, FontRole::Large)) {
            submit(ctx);
            return;
        }
        // The keyboard for the focused field.
        std::string* target = field_ == Field::Name    ? &form_.name
                              : field_ == Field::Phone ? &form_.phone
                                                       : &form_.resident_id;
        if (field_ == Field::Name)
            keyboard_.configure(kNameLayouts, false, 20);
        else
            keyboard_.configure(kNumberLayouts, field_ == Field::Id, field_ == Field::Id ? 18 : 11);
        if (keyboard_.draw(ctx, target, sp.kb_min, sp.kb_max))
            field_ = field_ == Field::Name    ? Field::Phone
                     : field_ == Field::Phone ? Field::Id
                                              : Field::Name;
    }

    void submit(Context& ctx) {
        // A code dated by a wrong clock reads expired or not yet valid at every terminal.
        if (!ctx.clock_fault.empty()) {
            message_key_ = "entrance.err.clock";
            message_ = ctx.t(message_key_);
            if (ctx.play) ctx.play("error");
            return;
        }
        auto problems = desk::check_walk_up(form_, ctx.today);
        if (!problems.empty()) {
            // Every problem at once, each field marked: not one at a time.
            message_key_ = problems.front().key;
            message_.clear();
            field_errors_.clear();
            for (const auto& c : problems) {
                message_ += (message_.empty() ? "" : "\n") + ctx.t(c.key);
                field_errors_.insert(c.field);
            }
            if (ctx.play) ctx.play("error");
            return;
        }
        std::string error;
        TerminalIdentity here = *ctx.identity; // registered for the fair this terminal serves now
        here.fair_id = fair(ctx);
        auto r = desk::register_walk_up(*ctx.store, here, form_, ctx.wall, &error);
        if (!r) {
            message_key_ = error;
            message_ = ctx.t(error);
            if (ctx.play) ctx.play("error");
            return;
        }
        form_.forget();
        field_errors_.clear();
        message_.clear();
        message_key_.clear();
        needs_saved_.clear();
        needs_skipped_ = false;
        // Registered and admitted: the same check-in record as a scan, method walk-up.
        result_ = desk(ctx).check_in_attendee(r->attendee.id, ScanMethod::WalkUp, ctx.wall);
        issued_ = std::move(r);
        page_ = Page::Issued;
        if (ctx.play) ctx.play(result_.admitted() ? "ok" : "error");
        // Stored first, then printed: a printer fault never touches the registration.
        if (!ctx.printer.empty()) {
            std::string fair_name;
            if (auto f = ctx.store->fair(here.fair_id)) fair_name = f->name;
            slip_.start(ctx, desk::walk_up_receipt(*issued_, fair_name, here.terminal_id, ctx.wall,
                                                   *ctx.tr, ctx.printer_dots));
        }
    }

    void draw_issued(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        auto* dl = ImGui::GetWindowDrawList();
        bool ok =
            result_.verdict == Verdict::CheckedIn || result_.verdict == Verdict::AlreadyCheckedIn;
        dl->AddRectFilled(min, ImVec2(max.x, min.y + ctx.px(150)), ok ? p.good : p.bad);
        std::string head = mask_name(issued_->attendee.name) + "  " +
                           ctx.t(ok ? "entrance.verdict.checked_in" : "entrance.err.store");
        text_centered(ctx, FontRole::Title, min, ImVec2(max.x, min.y + ctx.px(150)),
                      IM_COL32(255, 255, 255, 255), head);
        float side = std::min(max.y - min.y - ctx.px(400), (max.x - min.x) * 0.4f);
        ImVec2 q((min.x + max.x) / 2 - side / 2, min.y + ctx.px(180));
        qr_.draw(ctx, issued_->credential_id, issued_->credential_text, q, side);
        const std::string& hint = ctx.t("entrance.issued.hint");
        ImVec2 hs = text_size(ctx, FontRole::Large, hint, max.x - min.x - ctx.px(200));
        text(ctx, FontRole::Large, ImVec2((min.x + max.x) / 2 - hs.x / 2, q.y + side + ctx.px(20)),
             p.text, hint, max.x - min.x - ctx.px(200));
        ImVec2 bs(ctx.px(360), ctx.px(110));
        // The slip: 正在打印… / 已打印 / what went wrong, and Reprint once the printer is done.
        ImVec2 rb(ctx.px(360), ctx.px(110));
        ImVec2 rmin(min.x + ctx.px(40), max.y - rb.y - ctx.px(30));
        // Beside the buttons in landscape; above them in portrait, where the row is narrow.
        if (ctx.portrait())
            slip_.draw(ctx, "entrance.issued.reprint", ImVec2(rmin.x, rmin.y - ctx.px(90)),
                       max.x - min.x - ctx.px(80), rmin, rb);
        else
            slip_.draw(ctx, "entrance.issued.reprint",
                       ImVec2(rmin.x + rb.x + ctx.px(30), rmin.y + ctx.px(30)),
                       max.x - min.x - rb.x - bs.x - ctx.px(180), rmin, rb);
        if (button(ctx, "entrance.issued.done", ctx.t("entrance.issued.done"),
                   ImVec2(max.x - bs.x - ctx.px(40), max.y - bs.y - ctx.px(30)), bs,
                   ButtonKind::Primary, FontRole::Large)) {
            qr_.clear(ctx);
            reset(ctx);
            return;
        }
        // The needs list, once per registration (skippable): above the buttons.
        if (needs_saved_.empty() && !needs_skipped_) {
            ImVec2 ns(std::min(ctx.px(560), max.x - min.x - ctx.px(80)), ctx.px(110));
            if (button(ctx, "entrance.needs.open", ctx.t("entrance.needs.open"),
                       ImVec2(max.x - ns.x - ctx.px(40), max.y - bs.y - ns.y - ctx.px(50)), ns,
                       ButtonKind::Secondary, FontRole::Large))
                open_needs(ctx, issued_->attendee.id, Page::Issued);
        }
    }

    // -- Needs list ----------------------------------------------------------------------
    void open_needs(Context& ctx, const std::string& attendee_id, Page back) {
        needs_.start(*ctx.store, attendee_id, fair(ctx), ctx.today);
        needs_back_ = back;
        needs_saved_.clear();
        needs_skipped_ = false;
        message_.clear();
        message_key_.clear();
        needs_scroll_.set_offset(0);
        page_ = Page::Needs;
        ctx.last_touch = ctx.now;
        ctx.animate_for(0.1);
        speak(ctx, ctx.t("entrance.needs.title"));
    }

    void leave_needs(Context& ctx) {
        Page back = needs_back_;
        if (back == Page::Prompt) {
            std::string saved = needs_saved_;
            reset(ctx);
            needs_saved_ = saved;
        } else {
            page_ = back;
        }
        ctx.animate_for(0.1);
    }

    void draw_needs(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        float pad = ctx.px(40), gap = ctx.px(16);
        float col = max.x - min.x - 2 * pad;
        ImVec2 o(min.x + pad, min.y + ctx.px(20));
        ImVec2 ts = text_size(ctx, FontRole::Title, ctx.t("entrance.needs.title"), col);
        text(ctx, FontRole::Title, o, p.text, ctx.t("entrance.needs.title"), col);
        ctx.record_hit("mark:entrance.needs.title", o, ImVec2(o.x + ts.x, o.y + ts.y));
        ImVec2 bs(std::min(ctx.px(360), (col - gap) / 2), ctx.px(120));
        float by = max.y - bs.y - ctx.px(24);
        // The choices scroll (drag) above the buttons when taller than the room (older eyes).
        ImVec2 cmin(o.x, o.y + ts.y + gap), cmax(o.x + col, by - gap);
        needs_scroll_.update(ctx, cmin, cmax, needs_h_);
        ImGui::PushClipRect(cmin, cmax, true);
        ImVec2 c(cmin.x, cmin.y - needs_scroll_.offset());
        const float top = c.y;
        auto section = [&](const char* key) {
            text(ctx, FontRole::Large, c, p.text_muted, ctx.t(key), col);
            c.y += text_size(ctx, FontRole::Large, ctx.t(key), col).y + ctx.px(8);
        };
        auto bits_of = [](size_t n) {
            std::vector<uint32_t> v;
            for (size_t i = 0; i < n; ++i)
                v.push_back(1u << i);
            return v;
        };
        float used = 0;
        if (!needs_.offered.empty()) {
            section("entrance.needs.industries");
            uint32_t before = needs_.industries;
            chip_toggles(ctx, "entrance.needs.industry", needs_.offered, &needs_.industries,
                         bits_of(needs_.offered.size()), c, col, &used);
            if (needs_.industry_count() > static_cast<int>(kMaxNeedsIndustries)) {
                needs_.industries = before; // at most five: the sixth is not taken
                message_key_ = "entrance.needs.too_many";
                message_ = ctx.t(message_key_);
            }
            c.y += used + gap;
        }
        section("entrance.needs.skill");
        std::vector<std::string> labels;
        for (int i = 1; i < 6; ++i)
            labels.push_back(ctx.t(std::string("entrance.needs.skill.") + kSkillLevels[i]));
        uint32_t skill_bits = needs_.skill > 0 ? 1u << (needs_.skill - 1) : 0;
        uint32_t was = skill_bits;
        chip_toggles(ctx, "entrance.needs.skill", labels, &skill_bits, bits_of(5), c, col, &used);
        if (skill_bits != was) { // one level: the new one, or none when it was tapped off
            uint32_t added = skill_bits & ~was;
            needs_.skill = added ? std::countr_zero(added) + 1 : 0;
        }
        c.y += used + gap;
        section("entrance.needs.certificates");
        labels.clear();
        for (auto* k : kCertificates)
            labels.push_back(ctx.t(std::string("entrance.needs.cert.") + k));
        chip_toggles(ctx, "entrance.needs.cert", labels, &needs_.certificates, bits_of(3), c, col,
                     &used);
        c.y += used + gap;
        section("entrance.needs.services");
        labels.clear();
        for (int i = 0; i < desk::kNeedsServices; ++i)
            labels.push_back(
                ctx.t(std::string("entrance.needs.service.") + code(static_cast<ServiceKind>(i))));
        chip_toggles(ctx, "entrance.needs.service", labels, &needs_.services,
                     bits_of(desk::kNeedsServices), c, col, &used);
        c.y += used + gap;
        c.y += message_line(ctx, message_, c, col, !message_key_.empty());
        needs_h_ = c.y - top;
        ImGui::PopClipRect();

        if (button(ctx, "entrance.needs.skip", ctx.t("entrance.needs.skip"), ImVec2(o.x, by), bs,
                   ButtonKind::Quiet, FontRole::Large)) {
            needs_skipped_ = true;
            leave_needs(ctx);
            return;
        }
        if (button(ctx, "entrance.needs.submit", ctx.t("entrance.needs.submit"),
                   ImVec2(o.x + col - bs.x, by), bs, ButtonKind::Primary, FontRole::Large)) {
            std::string error;
            auto saved = desk::save_needs(*ctx.store, *ctx.identity, needs_, ctx.wall, &error);
            if (!error.empty()) {
                message_key_ = error;
                message_ = ctx.t(error);
                if (ctx.play) ctx.play("error");
                return;
            }
            needs_saved_ = saved ? saved->h.uuid : "";
            needs_skipped_ = !saved; // nothing chosen: as skipped
            if (saved && ctx.play) ctx.play("ok");
            if (saved) speak(ctx, ctx.t("entrance.needs.thanks"));
            leave_needs(ctx);
        }
    }

    std::string fair_id_, fair_name_; // the header's subtitle, read once per fair
    Page page_ = Page::Prompt;
    DeskResult result_;
    std::unique_ptr<CheckInDesk> desk_;
    std::string detail_;
    std::string big_, short_key_;
    double shown_at_ = 0;
    std::string typed_;
    std::vector<Attendee> found_;
    desk::WalkUpForm form_;
    Field field_ = Field::Name;
    std::set<std::string> field_errors_; // fields the last submit refused
    std::optional<desk::WalkUpResult> issued_;
    desk::NeedsSelection needs_;
    Page needs_back_ = Page::Prompt; // where the needs list returns to
    std::string needs_saved_;        // the uuid of the list saved last (tests read it)
    bool needs_skipped_ = false;
    KineticScroll needs_scroll_;
    float needs_h_ = 0;
    PrintSlip slip_;
    std::string message_, message_key_;
    KineticScroll form_scroll_; // the registration fields' column
    float form_h_ = 0;          // its height as last drawn
    Keyboard keyboard_;
    WedgeReader wedge_;
    QrCache qr_{4};
    CameraInput camera_;
    std::optional<scan::ScanEvent> pending_camera_;
};

std::unique_ptr<View> make_entrance_view() {
    return std::make_unique<EntranceView>();
}

} // namespace jf::ui
