// The employer desk (招聘企业登记): scan the employer badge → scan the seeker's code → the 附件6
// form (listing, 就业地, 就业形式, 文书形式, 参与形式, 落实就业日期) → review → the seeker signs →
// the employer signs → stored with the terminal's signature → confirmation with the 50-yuan
// insurance answer. The employer's own records can be corrected or voided with a reason.
// At the form, one tap records a booth intent instead (有意向 / 约面试 / 拟录用) and the desk is
// ready for the next seeker; the day's intents list turns one into a pre-filled placement.
//
// Index
// - Scanning      badge and seeker prompts (hand scanner or camera text)
// - Form          listing chooser, fields with the on-screen keyboard, chips, date picker
// - Review/sign   summary, the two signature pads
// - Done          confirmation and insurance
// - Records       own placements, correction and void
// - Intents       the day's booth intents, each can become a placement
#include "kiosk/ui/desk_widgets.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/stroke_pad.hpp"
#include "kiosk/ui/ui.hpp"
#include "kiosk/ui/views.hpp"

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/desk/placement_flow.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <memory>

namespace jf::ui {

namespace {

const EmploymentForm kForms[] = {EmploymentForm::Unit, EmploymentForm::Flexible,
                                 EmploymentForm::GigWork, EmploymentForm::SelfEmployed,
                                 EmploymentForm::PublicWelfare};
const ContractForm kContracts[] = {ContractForm::LabourContract, ContractForm::OfferLetterPaper,
                                   ContractForm::OfferLetterElectronic,
                                   ContractForm::ServiceAgreement};
const Participation kParts[] = {Participation::Offline, Participation::Online};
const IntentLevel kLevels[] = {IntentLevel::Interested, IntentLevel::Interview, IntentLevel::Offer};

template <class E, size_t N> int index_of(const E (&all)[N], E v) {
    for (size_t i = 0; i < N; ++i)
        if (all[i] == v) return int(i);
    return 0;
}
template <class E, size_t N>
std::vector<std::string> labels(Context& ctx, const char* prefix, const E (&all)[N]) {
    std::vector<std::string> out;
    for (E e : all)
        out.push_back(ctx.t(std::string(prefix) + code(e)));
    return out;
}

Signature to_signature(const StrokePad& pad) {
    Signature s;
    s.strokes = pad.strokes();
    return s;
}

} // namespace

class EmployerView : public View {
  public:
    const char* name() const override { return "employer"; }
    // The employer's name is not personal data: an employer waiting at the seeker prompt loses
    // nothing to the idle reset, which keeps the employer signed in (idle()).
    bool holds_personal_data() const override {
        return flow_ && (flow_->step() > desk::DeskStep::ScanSeeker || page_ != Page::Flow);
    }
    void reset(Context&) override { forget(false); }
    void idle(Context&) override { forget(true); }
    bool staff_screen() const override { return true; } // the employer's own screen
    bool keeps_screen_when_idle() const override {
        return flow_ && flow_->step() == desk::DeskStep::ScanSeeker;
    }
    void describe(std::map<std::string, std::string>* out) const override {
        static const char* steps[] = {"badge",        "seeker",         "form", "review",
                                      "seeker_signs", "employer_signs", "done"};
        (*out)["step"] = flow_ ? steps[int(flow_->step())] : "none";
        (*out)["page"] = page_ == Page::Flow      ? "flow"
                         : page_ == Page::Records ? "records"
                         : page_ == Page::Intents ? "intents"
                                                  : "amend";
        (*out)["message"] = message_key_;
        if (flow_) (*out)["employer"] = flow_->employer().id;
        if (flow_ && flow_->stored()) {
            (*out)["stored"] = flow_->stored()->placement_id;
            (*out)["insurance"] = insurance_ ? "yes" : "no";
        }
        if (flow_) {
            (*out)["work_place"] = flow_->draft().work_place;
            (*out)["listing"] = flow_->draft().listing_id;
            (*out)["start_date"] = flow_->draft().start_date.to_iso();
        }
        (*out)["records"] = std::to_string(records_.size());
        (*out)["intents"] = std::to_string(intents_.size());
        if (flow_ && flow_->last_intent()) {
            (*out)["intent"] = code(flow_->last_intent()->level);
            (*out)["intent_uuid"] = flow_->last_intent()->h.uuid;
        }
    }

    void draw(Context& ctx) override {
        if (!flow_ && ctx.store && ctx.identity)
            flow_ = std::make_unique<desk::PlacementFlow>(
                *ctx.store, ctx.identity->signer(),
                ctx.fair_id.empty() ? ctx.identity->fair_id : ctx.fair_id);
        forget_stale_message(ctx);
        begin_screen(ctx, "employer");
        bool prompt =
            !flow_ || (page_ == Page::Flow && flow_->step() <= desk::DeskStep::ScanSeeker);
        float top = header_bar(ctx, ctx.t("desk.title"),
                               flow_ && !flow_->employer().name.empty() ? flow_->employer().name
                                                                        : ctx.t("desk.subtitle"),
                               prompt);
        ImVec2 min(ctx.px(40), top + ctx.px(30)),
            max(ctx.screen.x - ctx.px(40), ctx.screen.y - ctx.px(30));
        if (!flow_) {
            text(ctx, FontRole::Title, min, palette(ctx).bad, ctx.t("desk.not_ready"));
        } else if (page_ == Page::Records) {
            draw_records(ctx, min, max);
        } else if (page_ == Page::Intents) {
            draw_intents(ctx, min, max);
        } else if (page_ == Page::Amend) {
            draw_amend(ctx, min, max);
        } else {
            switch (flow_->step()) {
            case desk::DeskStep::ScanBadge:
            case desk::DeskStep::ScanSeeker:
                draw_scan(ctx, min, max);
                break;
            case desk::DeskStep::Form:
                draw_form(ctx, min, max);
                break;
            case desk::DeskStep::Review:
                draw_review(ctx, min, max);
                break;
            case desk::DeskStep::SeekerSigns:
            case desk::DeskStep::EmployerSigns:
                draw_sign(ctx, min, max);
                break;
            case desk::DeskStep::Done:
                draw_done(ctx, min, max);
                break;
            }
        }
        end_screen();
    }

  private:
    enum class Page { Flow, Records, Amend, Intents };
    enum class Field { None, WorkPlace, PrevPlace, Reason };

    // Forgets the seeker, the draft and half-done input; with `keep_employer` the employer stays
    // signed in at the seeker prompt (the idle reset), otherwise the badge prompt returns.
    void forget(bool keep_employer) {
        if (flow_) {
            if (keep_employer)
                flow_->next_seeker();
            else
                flow_->reset();
        }
        page_ = Page::Flow;
        message_.clear();
        error_ = false;
        field_ = Field::None;
        pad_.clear();
        records_.clear();
        intents_.clear();
        amend_.reset();
        reason_.clear();
        wedge_.clear();
        keyboard_.reset();
    }

    // Where the desk is: a message belongs to the step and page it was said on.
    int where() const { return flow_ ? int(flow_->step()) * 8 + int(page_) : -1; }

    void say(Context& ctx, const std::string& key, bool error) {
        message_key_ = key;
        message_ = key.empty() ? "" : ctx.t(key);
        error_ = error;
        said_at_ = where();
    }

    // A message never follows the person to another step or page, and a refusal goes as soon as
    // what it refused is put right (the form's field filled in, the pad signed).
    void forget_stale_message(Context& ctx) {
        if (message_key_.empty() && message_.empty()) return;
        if (where() != said_at_) return say(ctx, "", false);
        if (!error_ || !flow_) return;
        if (flow_->step() == desk::DeskStep::Form && message_key_.rfind("desk.err.", 0) == 0) {
            auto problems = desk::check_placement(flow_->draft(), ctx.today);
            bool still = false;
            for (const auto& c : problems)
                still = still || c.key == message_key_;
            if (!still) say(ctx, "", false);
        } else if ((message_key_ == "desk.err.sign.seeker" ||
                    message_key_ == "desk.err.sign.employer") &&
                   desk::signature_has_ink(to_signature(pad_))) {
            say(ctx, "", false);
        }
    }

    // -- Scanning --------------------------------------------------------------
    void draw_scan(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        bool badge = flow_->step() == desk::DeskStep::ScanBadge;
        if (auto code = wedge_.poll(ctx)) scanned(ctx, *code);
        float cx = (min.x + max.x) / 2;
        const std::string& big = ctx.t(badge ? "desk.scan.badge" : "desk.scan.seeker");
        ImVec2 sz = text_size(ctx, FontRole::Huge, big);
        text(ctx, FontRole::Huge, ImVec2(cx - sz.x / 2, min.y + ctx.px(120)), p.text, big);
        const std::string& hint = ctx.t(badge ? "desk.scan.badge.hint" : "desk.scan.seeker.hint");
        ImVec2 hs = text_size(ctx, FontRole::Large, hint, (max.x - min.x) * 0.8f);
        text(ctx, FontRole::Large, ImVec2(cx - hs.x / 2, min.y + ctx.px(140) + sz.y), p.text_muted,
             hint, (max.x - min.x) * 0.8f);
        message_line(ctx, message_, ImVec2(min.x + ctx.px(40), min.y + ctx.px(420)),
                     max.x - min.x - ctx.px(80), error_);
        if (!badge) {
            ImVec2 bs(ctx.px(420), ctx.px(110));
            float y = max.y - bs.y;
            if (button(ctx, "desk.records", ctx.t("desk.records"), ImVec2(min.x, y), bs)) {
                records_ = desk::employer_placements(*ctx.store, flow_->employer().id);
                page_ = Page::Records;
                say(ctx, "", false);
            }
            if (button(ctx, "desk.intents", ctx.t("desk.intents"),
                       ImVec2(min.x + bs.x + ctx.px(20), y), bs)) {
                intents_ = flow_->intents();
                page_ = Page::Intents;
                say(ctx, "", false);
            }
            if (button(ctx, "desk.leave", ctx.t("desk.leave"), ImVec2(max.x - bs.x, y), bs,
                       ButtonKind::Quiet)) {
                flow_->reset();
                say(ctx, "", false);
            }
        }
    }

    CheckInDesk& checker(Context& ctx) {
        std::string fair = ctx.fair_id.empty() ? ctx.identity->fair_id : ctx.fair_id;
        if (!checker_ || checker_->fair_id() != fair)
            checker_ = std::make_unique<CheckInDesk>(*ctx.store, *ctx.identity, fair);
        return *checker_;
    }

    void scanned(Context& ctx, const std::string& code) {
        ctx.animate_for(0.1); // the next step is drawn now, not at the next input
        bool badge = flow_->step() == desk::DeskStep::ScanBadge;
        DeskResult r = badge ? checker(ctx).present_employer_badge(code, ctx.wall)
                             : checker(ctx).present_seeker_at_booth(code, ctx.wall);
        Check c = Check::fail(r.message_key);
        if (r.verdict == Verdict::CheckedIn) {
            if (badge)
                c = r.employer ? flow_->set_employer(*r.employer, ctx.today)
                               : Check::fail("desk.err.unknown_employer");
            else
                c = r.attendee ? flow_->set_seeker(*r.attendee, ctx.today)
                               : Check::fail("desk.err.unknown_seeker");
            if (c) {
                field_ = Field::None;
                say(ctx, "", false);
                if (ctx.play) ctx.play("ok");
                return;
            }
        }
        say(ctx, c.key, true);
        if (c.key == r.message_key)
            message_ = ctx.f(r.message_key, r.message_args); // with its details
        if (ctx.play) ctx.play("error");
    }

    // -- Form --------------------------------------------------------------------
    void draw_form(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        Placement& d = flow_->draft();
        float gap = ctx.px(18);
        bool portrait = ctx.portrait(); // portrait: the two columns stack
        float col_w = portrait ? max.x - min.x : (max.x - min.x - gap) * 0.5f;
        // Left column: who, the listing chooser, 就业地.
        float y = min.y;
        text(ctx, FontRole::Title, ImVec2(min.x, y), p.text,
             mask_name(d.person_name) + "  " + d.phone_masked);
        y += text_size(ctx, FontRole::Title, "Ag").y + gap;
        text(ctx, FontRole::Body, ImVec2(min.x, y), p.text_muted, ctx.t("desk.field.listing"));
        y += text_size(ctx, FontRole::Body, "Ag").y + ctx.px(6);
        const auto& ls = flow_->listings();
        for (size_t i = 0; i < ls.size() && i < 5; ++i) {
            bool on = ls[i].id == d.listing_id;
            std::string label = ls[i].title + " · " + ls[i].work_location;
            if (button(ctx, "desk.listing." + std::to_string(i), label, ImVec2(min.x, y),
                       ImVec2(col_w, ctx.px(kMinTouch + 10)),
                       on ? ButtonKind::Selected : ButtonKind::Secondary))
                flow_->choose_listing(ls[i].id);
            y += ctx.px(kMinTouch + 10) + ctx.px(8);
        }
        y += gap * 0.5f;
        float fh = ctx.px(130);
        std::string wp = d.work_place + (field_ == Field::WorkPlace ? keyboard_.preedit() : "");
        if (text_field(ctx, "desk.field.work_place", ctx.t("desk.field.work_place"), wp,
                       ImVec2(min.x, y), ImVec2(col_w, fh), field_ == Field::WorkPlace))
            focus(Field::WorkPlace);
        y += fh + gap;
        std::string pp =
            d.prev_year_work_place + (field_ == Field::PrevPlace ? keyboard_.preedit() : "");
        if (text_field(ctx, "desk.field.prev_place", ctx.t("desk.field.prev_place"), pp,
                       ImVec2(min.x, y), ImVec2(col_w, fh), field_ == Field::PrevPlace))
            focus(Field::PrevPlace);

        // Right column: the three forms and the start date; the keyboard covers it while typing.
        float rx = portrait ? min.x : min.x + col_w + gap;
        float rtop = portrait ? y + fh + gap : min.y;
        ImVec2 bs(ctx.px(300), ctx.px(110));
        if (field_ != Field::None) {
            std::string* target =
                field_ == Field::WorkPlace ? &d.work_place : &d.prev_year_work_place;
            keyboard_.configure(kNameLayouts, false, 40);
            if (keyboard_.draw(ctx, target, ImVec2(rx, rtop), ImVec2(max.x, max.y - bs.y - gap)))
                field_ = Field::None;
        } else {
            float ry = rtop, used = 0;
            auto label = [&](const char* key) {
                text(ctx, FontRole::Body, ImVec2(rx, ry), p.text_muted, ctx.t(key));
                ry += text_size(ctx, FontRole::Body, "Ag").y + ctx.px(6);
            };
            label("desk.field.employment_form");
            int ef = index_of(kForms, d.employment_form);
            if (chip_row(ctx, "desk.ef", labels(ctx, "desk.ef.", kForms), &ef, ImVec2(rx, ry),
                         max.x - rx, &used))
                d.employment_form = kForms[ef];
            ry += used + gap;
            label("desk.field.contract_form");
            int cf = index_of(kContracts, d.contract_form);
            if (chip_row(ctx, "desk.cf", labels(ctx, "desk.cf.", kContracts), &cf, ImVec2(rx, ry),
                         max.x - rx, &used))
                d.contract_form = kContracts[cf];
            ry += used + gap;
            label("desk.field.participation");
            int pf = index_of(kParts, d.participation);
            if (chip_row(ctx, "desk.pf", labels(ctx, "desk.pf.", kParts), &pf, ImVec2(rx, ry),
                         max.x - rx, &used))
                d.participation = kParts[pf];
            ry += used + gap;
            label("desk.field.start_date");
            date_picker(ctx, "desk.date", &d.start_date, ImVec2(rx, ry), max.x - rx, &used);
        }
        // One tap records how far the talk got (达成就业意向) and readies the next seeker.
        float mid_x = min.x + bs.x + gap, mid_w = max.x - min.x - 2 * (bs.x + gap);
        float iw = (mid_w - 2 * gap) / 3;
        for (int i = 0; i < 3; ++i) {
            std::string id = std::string("desk.intent.") + code(kLevels[i]);
            if (button(ctx, id, ctx.t(id), ImVec2(mid_x + i * (iw + gap), max.y - bs.y),
                       ImVec2(iw, bs.y), ButtonKind::Secondary, FontRole::Large))
                record_intent(ctx, kLevels[i]);
        }
        message_line(ctx, message_, ImVec2(mid_x, max.y - bs.y - ctx.px(64)), mid_w, error_);
        if (button(ctx, "desk.back", ctx.t("desk.back"), ImVec2(min.x, max.y - bs.y), bs,
                   ButtonKind::Quiet)) {
            flow_->back();
            field_ = Field::None;
            say(ctx, "", false);
        }
        if (button(ctx, "desk.to_review", ctx.t("desk.to_review"),
                   ImVec2(max.x - bs.x, max.y - bs.y), bs, ButtonKind::Primary, FontRole::Large)) {
            field_ = Field::None;
            auto problems = flow_->to_review(ctx.today);
            say(ctx, problems.empty() ? "" : problems.front().key, !problems.empty());
        }
    }

    void focus(Field f) {
        field_ = f;
        keyboard_.reset();
    }

    void record_intent(Context& ctx, IntentLevel level) {
        ctx.animate_for(0.1); // the header follows the step now, not at the next input
        field_ = Field::None;
        std::string err;
        auto name = flow_->seeker().name;
        auto stored = flow_->record_intent(level, "", ctx.wall, &err);
        if (!stored) {
            say(ctx, err, true);
            if (ctx.play) ctx.play("error");
            return;
        }
        say(ctx, "", false);
        message_ = ctx.f("desk.intent.saved",
                         {mask_name(name), ctx.t(std::string("desk.intent.") + code(level))});
        if (ctx.play) ctx.play("ok");
    }

    // -- Intents: the day's list, each can become a placement ------------------------------
    void draw_intents(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        text(ctx, FontRole::Title, min, p.text, ctx.t("desk.intents"));
        float y = min.y + ctx.px(80);
        float rh = ctx.px(110);
        ImVec2 bs(ctx.px(300), ctx.px(110));
        if (intents_.empty())
            text(ctx, FontRole::Large, ImVec2(min.x, y), p.text_muted, ctx.t("desk.intents.none"));
        for (size_t i = 0; i < intents_.size() && y + rh < max.y - bs.y; ++i) {
            const BoothIntent& b = intents_[i];
            std::string who = b.attendee_id;
            if (auto a = ctx.store->attendee(b.attendee_id))
                who = mask_name(a->name) + "  " + a->phone_masked;
            std::string line = cst_hhmm(b.h.device_time) + "  " + who + "  " +
                               ctx.t(std::string("desk.intent.") + code(b.level));
            if (!b.listing_id.empty())
                if (auto l = ctx.store->listing(b.listing_id)) line += " · " + l->title;
            auto* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(ImVec2(min.x, y), ImVec2(max.x, y + rh - ctx.px(10)), p.surface,
                              ctx.px(10));
            text(ctx, FontRole::Large, ImVec2(min.x + ctx.px(20), y + ctx.px(28)), p.text, line,
                 max.x - min.x - ctx.px(420));
            ImVec2 b2(ctx.px(360), rh - ctx.px(30));
            if (button(ctx, "desk.intents.place." + std::to_string(i), ctx.t("desk.intents.place"),
                       ImVec2(max.x - b2.x - ctx.px(10), y + ctx.px(10)), b2,
                       ButtonKind::Primary)) {
                Check c = flow_->from_intent(b, ctx.today);
                ctx.animate_for(0.1);
                if (c) {
                    page_ = Page::Flow;
                    intents_.clear();
                    say(ctx, "", false);
                } else {
                    say(ctx, c.key, true);
                }
            }
            y += rh;
        }
        message_line(ctx, message_, ImVec2(min.x + bs.x + ctx.px(20), max.y - bs.y),
                     max.x - min.x - bs.x - ctx.px(20), error_);
        if (button(ctx, "desk.back", ctx.t("desk.back"), ImVec2(min.x, max.y - bs.y), bs,
                   ButtonKind::Quiet))
            page_ = Page::Flow;
    }

    // -- Review and signatures -----------------------------------------------------------
    void summary(Context& ctx, const Placement& d, ImVec2 at, float width) {
        const Palette& p = palette(ctx);
        auto listing = ctx.store->listing(d.listing_id);
        std::vector<std::pair<std::string, std::string>> rows = {
            {ctx.t("desk.field.person"), mask_name(d.person_name) + "  " + d.phone_masked},
            {ctx.t("desk.field.employer"), d.employer_name},
            {ctx.t("desk.field.listing"), listing ? listing->title : d.listing_id},
            {ctx.t("desk.field.work_place"), d.work_place},
            {ctx.t("desk.field.prev_place"),
             d.prev_year_work_place.empty() ? "—" : d.prev_year_work_place},
            {ctx.t("desk.field.employment_form"),
             ctx.t(std::string("desk.ef.") + code(d.employment_form))},
            {ctx.t("desk.field.contract_form"),
             ctx.t(std::string("desk.cf.") + code(d.contract_form))},
            {ctx.t("desk.field.participation"),
             ctx.t(std::string("desk.pf.") + code(d.participation))},
            {ctx.t("desk.field.start_date"), d.start_date.to_iso()},
        };
        float lh = text_size(ctx, FontRole::Large, "Ag").y + ctx.px(14);
        for (auto& [k, v] : rows) {
            text(ctx, FontRole::Large, at, p.text_muted, k);
            text_clipped(ctx, FontRole::Large, ImVec2(at.x + width * 0.4f, at.y), width * 0.58f,
                         p.text, v);
            at.y += lh;
        }
    }

    void draw_review(Context& ctx, ImVec2 min, ImVec2 max) {
        text(ctx, FontRole::Title, min, palette(ctx).text, ctx.t("desk.review.title"));
        summary(ctx, flow_->draft(), ImVec2(min.x, min.y + ctx.px(80)), max.x - min.x);
        ImVec2 bs(ctx.px(360), ctx.px(110));
        if (button(ctx, "desk.back", ctx.t("desk.edit"), ImVec2(min.x, max.y - bs.y), bs,
                   ButtonKind::Quiet))
            flow_->back();
        if (button(ctx, "desk.confirm", ctx.t("desk.confirm_sign"),
                   ImVec2(max.x - bs.x, max.y - bs.y), bs, ButtonKind::Primary, FontRole::Large)) {
            flow_->confirm_review();
            pad_.clear();
            say(ctx, "", false);
        }
    }

    void draw_sign(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        bool seeker = flow_->step() == desk::DeskStep::SeekerSigns;
        const std::string& title = ctx.t(seeker ? "desk.sign.seeker" : "desk.sign.employer");
        text(ctx, FontRole::Title, min, p.text, title);
        float th = text_size(ctx, FontRole::Title, "Ag").y + ctx.px(20);
        ImVec2 bs(ctx.px(320), ctx.px(110));
        ImVec2 pmin(min.x, min.y + th), pmax(max.x, max.y - bs.y - ctx.px(20));
        pad_.draw(ctx, "desk.pad", pmin, pmax, ctx.t("desk.sign.hint"));
        message_line(ctx, message_, ImVec2(pmin.x + ctx.px(12), pmin.y + ctx.px(12)),
                     pmax.x - pmin.x - ctx.px(24), error_); // over the pad, until it is signed
        float y = max.y - bs.y;
        if (button(ctx, "desk.back", ctx.t("desk.back"), ImVec2(min.x, y), bs, ButtonKind::Quiet)) {
            flow_->back();
            pad_.clear();
        }
        if (button(ctx, "desk.pad.clear", ctx.t("desk.sign.clear"),
                   ImVec2(min.x + bs.x + ctx.px(20), y), bs))
            pad_.clear();
        if (button(ctx, "desk.sign.ok", ctx.t("desk.sign.ok"), ImVec2(max.x - bs.x, y), bs,
                   ButtonKind::Primary, FontRole::Large)) {
            Signature s = to_signature(pad_);
            if (seeker) {
                Check c = flow_->seeker_signs(s);
                say(ctx, c.key, !c.ok());
                if (c) pad_.clear();
            } else if (Check c = flow_->employer_signs(s); !c) {
                say(ctx, c.key, true);
            } else {
                std::string error;
                // Durable before the confirmation appears.
                if (auto stored = flow_->commit(ctx.wall, &error)) {
                    insurance_ = desk::insurance_applies(*ctx.store, *stored);
                    pad_.clear();
                    say(ctx, "", false);
                    if (ctx.play) ctx.play("ok");
                } else {
                    say(ctx, error, true);
                    if (ctx.play) ctx.play("error");
                }
            }
        }
    }

    // -- Done --------------------------------------------------------------------------
    void draw_done(Context& ctx, ImVec2 min, ImVec2 max) {
        ImVec2 bs(ctx.px(420), ctx.px(120));
        const Placement& s = *flow_->stored();
        std::string line2 = mask_name(s.person_name) + " · " + s.employer_name;
        const std::string& line3 =
            ctx.t(insurance_ ? "desk.done.insurance_yes" : "desk.done.insurance_no");
        verdict_panel(ctx, Tone::Good, ctx.t("desk.done.title"), line2, line3, min,
                      ImVec2(max.x, max.y - bs.y - ctx.px(20)));
        if (button(ctx, "desk.next_seeker", ctx.t("desk.next_seeker"),
                   ImVec2(max.x - bs.x, max.y - bs.y), bs, ButtonKind::Primary, FontRole::Large))
            flow_->next_seeker();
        if (button(ctx, "desk.leave", ctx.t("desk.leave"), ImVec2(min.x, max.y - bs.y), bs,
                   ButtonKind::Quiet))
            flow_->reset();
    }

    // -- Records, correction and void ------------------------------------------------------
    void draw_records(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        text(ctx, FontRole::Title, min, p.text, ctx.t("desk.records"));
        float y = min.y + ctx.px(80);
        float rh = ctx.px(110);
        ImVec2 bs(ctx.px(300), ctx.px(110));
        if (records_.empty())
            text(ctx, FontRole::Large, ImVec2(min.x, y), p.text_muted, ctx.t("desk.records.none"));
        for (size_t i = 0; i < records_.size() && y + rh < max.y - bs.y; ++i) {
            const Placement& r = records_[i];
            std::string line = mask_name(r.person_name) + "  " + r.start_date.to_iso() + "  " +
                               ctx.t(std::string("desk.cf.") + code(r.contract_form));
            if (r.action == PlacementAction::Void)
                line += "  (" + ctx.t("desk.records.voided") + ")";
            auto* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(ImVec2(min.x, y), ImVec2(max.x, y + rh - ctx.px(10)), p.surface,
                              ctx.px(10));
            text(ctx, FontRole::Large, ImVec2(min.x + ctx.px(20), y + ctx.px(28)), p.text, line);
            if (r.action != PlacementAction::Void) {
                ImVec2 b(ctx.px(220), rh - ctx.px(30));
                if (button(ctx, "desk.records.correct." + std::to_string(i), ctx.t("desk.correct"),
                           ImVec2(max.x - 2 * b.x - ctx.px(30), y + ctx.px(10)), b))
                    open_amend(ctx, i, false);
                if (button(ctx, "desk.records.void." + std::to_string(i), ctx.t("desk.void"),
                           ImVec2(max.x - b.x - ctx.px(10), y + ctx.px(10)), b, ButtonKind::Danger))
                    open_amend(ctx, i, true);
            }
            y += rh;
        }
        message_line(ctx, message_, ImVec2(min.x + bs.x + ctx.px(20), max.y - bs.y),
                     max.x - min.x - bs.x - ctx.px(20), error_);
        if (button(ctx, "desk.back", ctx.t("desk.back"), ImVec2(min.x, max.y - bs.y), bs,
                   ButtonKind::Quiet))
            page_ = Page::Flow;
    }

    void open_amend(Context& ctx, size_t i, bool void_it) {
        amend_ = records_[i];
        changed_ = records_[i];
        voiding_ = void_it;
        reason_.clear();
        pad_.clear();
        field_ = Field::Reason;
        keyboard_.reset();
        page_ = Page::Amend;
        say(ctx, "", false);
    }

    void draw_amend(Context& ctx, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        text(ctx, FontRole::Title, min, p.text,
             ctx.t(voiding_ ? "desk.void.title" : "desk.correct.title") + "  " +
                 mask_name(amend_->person_name));
        float y = min.y + ctx.px(80), gap = ctx.px(18);
        bool portrait = ctx.portrait(); // portrait: keyboard or pad under the fields
        float col_w = portrait ? max.x - min.x : (max.x - min.x - gap) * 0.5f;
        float used = 0;
        if (!voiding_) {
            text(ctx, FontRole::Body, ImVec2(min.x, y), p.text_muted,
                 ctx.t("desk.field.start_date"));
            y += text_size(ctx, FontRole::Body, "Ag").y + ctx.px(6);
            date_picker(ctx, "desk.amend.date", &changed_.start_date, ImVec2(min.x, y), col_w,
                        &used);
            y += used + gap;
            text(ctx, FontRole::Body, ImVec2(min.x, y), p.text_muted,
                 ctx.t("desk.field.contract_form"));
            y += text_size(ctx, FontRole::Body, "Ag").y + ctx.px(6);
            int cf = index_of(kContracts, changed_.contract_form);
            if (chip_row(ctx, "desk.amend.cf", labels(ctx, "desk.cf.", kContracts), &cf,
                         ImVec2(min.x, y), col_w, &used))
                changed_.contract_form = kContracts[cf];
            y += used + gap;
        }
        std::string shown = reason_ + (field_ == Field::Reason ? keyboard_.preedit() : "");
        if (text_field(ctx, "desk.amend.reason", ctx.t("desk.field.reason"), shown,
                       ImVec2(min.x, y), ImVec2(col_w, ctx.px(130)), field_ == Field::Reason))
            focus(Field::Reason);
        y += ctx.px(130) + gap;
        ImVec2 bs(ctx.px(300), ctx.px(110));
        float rx = portrait ? min.x : min.x + col_w + gap;
        float rtop = portrait ? y + ctx.px(60) : min.y + ctx.px(80);
        if (field_ == Field::Reason) {
            keyboard_.configure(kNameLayouts, false, 60);
            if (keyboard_.draw(ctx, &reason_, ImVec2(rx, rtop), ImVec2(max.x, max.y - bs.y - gap)))
                field_ = Field::None;
        } else {
            text(ctx, FontRole::Body, ImVec2(rx, rtop), p.text_muted, ctx.t("desk.sign.employer"));
            pad_.draw(ctx, "desk.amend.pad", ImVec2(rx, rtop + ctx.px(40)),
                      ImVec2(max.x, max.y - bs.y - gap), ctx.t("desk.sign.hint"));
        }
        if (message_.empty() && field_ == Field::Reason)
            text(ctx, FontRole::Body, ImVec2(min.x, y), palette(ctx).text_muted,
                 ctx.t("desk.amend.hint"), col_w);
        message_line(ctx, message_, ImVec2(min.x, y), col_w, error_);
        if (button(ctx, "desk.back", ctx.t("desk.back"), ImVec2(min.x, max.y - bs.y), bs,
                   ButtonKind::Quiet)) {
            page_ = Page::Records;
            field_ = Field::None;
        }
        if (button(ctx, "desk.amend.save", ctx.t(voiding_ ? "desk.void" : "desk.correct.save"),
                   ImVec2(max.x - bs.x, max.y - bs.y), bs,
                   voiding_ ? ButtonKind::Danger : ButtonKind::Primary, FontRole::Large)) {
            std::string error;
            Signature s = to_signature(pad_);
            auto stored =
                voiding_
                    ? desk::void_placement(*ctx.store, ctx.identity->signer(), flow_->employer(),
                                           *amend_, reason_, s, ctx.wall, &error)
                    : desk::correct_placement(*ctx.store, ctx.identity->signer(), flow_->employer(),
                                              *amend_, changed_, reason_, s, ctx.wall, &error);
            if (stored) {
                records_ = desk::employer_placements(*ctx.store, flow_->employer().id);
                page_ = Page::Records;
                field_ = Field::None;
                say(ctx, voiding_ ? "desk.void.done" : "desk.correct.done", false);
                if (ctx.play) ctx.play("ok");
            } else {
                say(ctx, error, true);
                if (ctx.play) ctx.play("error");
            }
        }
    }

    std::unique_ptr<desk::PlacementFlow> flow_;
    std::unique_ptr<CheckInDesk> checker_;
    Page page_ = Page::Flow;
    Field field_ = Field::None;
    Keyboard keyboard_;
    StrokePad pad_;
    WedgeReader wedge_;
    std::string message_, message_key_;
    bool error_ = false;
    int said_at_ = -1;
    bool insurance_ = false;
    std::vector<Placement> records_;
    std::vector<BoothIntent> intents_;
    std::optional<Placement> amend_;
    Placement changed_;
    bool voiding_ = false;
    std::string reason_;
};

std::unique_ptr<View> make_employer_view() {
    return std::make_unique<EmployerView>();
}

} // namespace jf::ui
