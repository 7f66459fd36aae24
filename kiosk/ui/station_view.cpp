// The station screen (滚动屏): open job listings as large cards, each with a QR code a phone can
// scan; auto-advances smoothly when nobody touches it, drag or swipe to browse with inertia, tap a
// card for details, filter by industry and work location, search; the 12351 hotline and the
// legal-aid notice stay at the bottom. Expired listings never come out of the store's query.
// The union's station notices in force (the notices stream) show in a band above the listings,
// each from its start to its end by the terminal's clock.
//
// Index
// - ListingPages   the current query's results, fetched page by page (100,000 listings are fine)
// - StationView    layout, cards, details, pickers, search, auto-advance
#include "kiosk/ui/desk_widgets.hpp"
#include "kiosk/ui/qr.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/ui.hpp"
#include "kiosk/ui/views.hpp"

#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/store_reader.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace jf::ui {

namespace {

constexpr double kAdvanceEvery = 9.0; // seconds a row stays before the next slides in
constexpr float kAdvanceSlide = 0.8f; // seconds the slide takes on a GPU (30 frames a second)
// Rendering on the CPU, every frame costs ~25 ms of a core at 1080p and slides run at 10 frames a
// second: a short slide of 4 frames still reads as movement and keeps the idle screen cheap.
constexpr float kAdvanceSlideLowPower = 0.4f;
constexpr int kPage = 40;

// -----------------------------------------------------------------------------
// ListingPages
// -----------------------------------------------------------------------------
// The listings of one query, fetched a page at a time as the list shows them. Their number is
// known once counted (set_total(), at once or from a StoreReader) or once a page came back short;
// until then total() is how many the fetched pages hold.
class ListingPages {
  public:
    void reset(const ListingQuery& q, Store* store) {
        query_ = q;
        store_ = store;
        pages_.clear();
        total_ = store ? -1 : 0;
        seen_ = 0;
    }
    bool known() const { return total_ >= 0; }
    void set_total(int64_t n) { total_ = n; }
    int64_t total() const { return known() ? total_ : seen_; }
    const JobListing* at(int64_t i) {
        if (i < 0 || (known() && i >= total_) || !store_) return nullptr;
        int64_t page = i / kPage;
        auto it = pages_.find(page);
        if (it == pages_.end()) {
            ListingQuery q = query_;
            q.offset = static_cast<int>(page * kPage);
            q.limit = kPage;
            if (pages_.size() >= 8) { // keep memory flat while browsing far
                auto far = std::max_element(pages_.begin(), pages_.end(), [&](auto& a, auto& b) {
                    return std::llabs(a.first - page) < std::llabs(b.first - page);
                });
                pages_.erase(far);
            }
            it = pages_.emplace(page, store_->search_listings(q)).first;
            int64_t end = page * kPage + static_cast<int64_t>(it->second.size());
            seen_ = std::max(seen_, end);
            if (!known() && it->second.size() < static_cast<size_t>(kPage) &&
                (!it->second.empty() || page == 0))
                total_ = end; // a short page is the last
            if (on_fetch) on_fetch(it->second);
        }
        size_t k = static_cast<size_t>(i % kPage);
        return k < it->second.size() ? &it->second[k] : nullptr;
    }
    const ListingQuery& query() const { return query_; }
    std::function<void(const std::vector<JobListing>&)> on_fetch; // a page came from the store

  private:
    ListingQuery query_;
    Store* store_ = nullptr;
    std::map<int64_t, std::vector<JobListing>> pages_;
    int64_t total_ = 0; // < 0: not counted yet
    int64_t seen_ = 0;  // listings the fetched pages reach to
};

// Up to this many listings a count or a picker's values take a few milliseconds and are made at
// once; above it they are made on a StoreReader while the screen goes on drawing (a text count
// over a million listings takes a good part of a second).
constexpr int64_t kReadAtOnce = 50000;

// The answer to the latest of a screen's requests to its StoreReader (older answers are ignored).
template <class T>
struct Latest {
    std::mutex mu;
    uint64_t asked = 0, answered = 0;
    bool fresh = false;
    T value{};
    uint64_t ask() {
        std::lock_guard<std::mutex> l(mu);
        fresh = false;
        return ++asked;
    }
    void answer(uint64_t ticket, T v) {
        std::lock_guard<std::mutex> l(mu);
        if (ticket != asked) return; // a newer request is on its way
        value = std::move(v);
        answered = ticket;
        fresh = true;
    }
    bool waiting() {
        std::lock_guard<std::mutex> l(mu);
        return answered != asked;
    }
    // The last request's answer, once, when it is in.
    std::optional<T> take() {
        std::lock_guard<std::mutex> l(mu);
        if (!fresh) return std::nullopt;
        fresh = false;
        return std::move(value);
    }
};
using PickerValues = std::pair<std::vector<std::string>, std::vector<std::string>>;

std::string salary_text(const Context& ctx, const std::string& s) {
    if (s.empty()) return ctx.t("station.salary.negotiable");
    bool digits =
        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    return digits ? ctx.f("station.salary.month", {s}) : s;
}

// A listing's details as read aloud to older visitors: what, who, pay, where, how many, the
// description, and whom to call.
std::string spoken_listing(const Context& ctx, const JobListing& l) {
    std::string s = ctx.f("station.speak.listing",
                          {l.title, l.employer_name, salary_text(ctx, l.salary), l.work_location});
    if (l.headcount) s += ctx.f("station.headcount", {std::to_string(*l.headcount)}) + ". ";
    s += l.description + " ";
    if (!l.contact_phone.empty())
        s += ctx.f("station.speak.contact", {l.contact_name, l.contact_phone});
    return s;
}

// What a phone shows after scanning: the listing in plain text, readable offline.
std::string qr_text(const Context& ctx, const JobListing& l) {
    std::string s = ctx.t("station.field.title") + "：" + l.title + "\n";
    s += ctx.t("station.field.employer") + "：" + l.employer_name + "\n";
    s += ctx.t("station.field.salary") + "：" + salary_text(ctx, l.salary) + "\n";
    s += ctx.t("station.field.location") + "：" + l.work_location + "\n";
    if (l.headcount)
        s += ctx.t("station.field.headcount") + "：" + std::to_string(*l.headcount) + "\n";
    if (!l.education.empty()) s += ctx.t("station.field.education") + "：" + l.education + "\n";
    std::string contact = l.contact_name;
    if (!l.contact_phone.empty()) contact += (contact.empty() ? "" : " ") + l.contact_phone;
    if (!contact.empty()) s += ctx.t("station.field.contact") + "：" + contact + "\n";
    s += ctx.t("station.field.deadline") + "：" + l.deadline.to_iso();
    return s;
}

} // namespace

// -----------------------------------------------------------------------------
// StationView
// -----------------------------------------------------------------------------
class StationView : public View {
  public:
    const char* name() const override { return "station"; }
    bool animating() const override { return scroll_.moving() || detail_scroll_.moving(); }

    void enter(Context& ctx) override {
        // A page of listings brings its cards' characters to the atlas at once: one rebuild per
        // 40 listings, not one per card sliding in.
        Fonts* fonts = ctx.fonts;
        pages_.on_fetch = [fonts, &ctx](const std::vector<JobListing>& page) {
            if (!fonts) return;
            for (auto& l : page) {
                fonts->expect(FontRole::Title, l.title);
                fonts->expect(FontRole::Large, l.employer_name);
                fonts->expect(FontRole::Large, salary_text(ctx, l.salary));
                for (auto* chip : {&l.work_location, &l.industry, &l.education, &l.experience})
                    fonts->expect(FontRole::Body, *chip);
            }
        };
        loaded_day_ = Date{};
        next_advance_ = ctx.now + kAdvanceEvery;
        scroll_.set_offset(0);
    }
    // The next person starts from the whole list, not from someone else's filter or details.
    void reset(Context&) override {
        bool filtered = !industry_.empty() || !location_.empty() || !search_.empty();
        detail_.reset();
        picker_ = Picker::None;
        industry_.clear();
        location_.clear();
        search_.clear();
        draft_.clear();
        if (filtered) loaded_day_ = Date{};
    }

    void draw(Context& ctx) override {
        if (ctx.today != loaded_day_) {
            reload(ctx);
        } else if (!values_loaded_) {
            if (ctx.now >= values_due_)
                load_values(ctx);
            else
                ctx.wake(values_due_);
        }
        take_answers(ctx);
        ctx.overlay_open = detail_.has_value() || picker_ != Picker::None;
        begin_screen(ctx, "station");
        std::string subtitle;
        if (ctx.store && !ctx.fair_id.empty())
            if (auto f = ctx.store->fair(ctx.fair_id)) subtitle = f->name + "  " + f->venue;
        float top = header_bar(ctx, ctx.t("station.title"), subtitle);
        float bottom = ctx.screen.y - footer_notice(ctx, true);
        top = filter_bar(ctx, top);
        top = notice_band(ctx, top);
        if (ctx.idle_fallback) top = idle_banner(ctx, top);
        list(ctx, top, bottom);
        if (detail_) draw_detail(ctx);
        if (picker_ == Picker::Industry || picker_ == Picker::Location) draw_picker(ctx);
        if (picker_ == Picker::Search) draw_search(ctx);
        end_screen();
    }

    void describe(std::map<std::string, std::string>* out) const override {
        (*out)["listed"] = std::to_string(pages_.total());
        (*out)["counted"] = pages_.known() ? "1" : "0";
        (*out)["industry"] = industry_;
        (*out)["location"] = location_;
        (*out)["search"] = search_;
        (*out)["detail"] = detail_ ? detail_->id : "";
        (*out)["detail.height"] = std::to_string(static_cast<int>(detail_h_));
        (*out)["detail.offset"] = std::to_string(static_cast<int>(detail_scroll_.offset()));
        (*out)["detail.view"] = std::to_string(static_cast<int>(detail_view_));
        (*out)["picker"] = std::to_string(static_cast<int>(picker_));
        (*out)["offset"] = std::to_string(scroll_.offset());
        (*out)["first_id"] = first_id_;
        (*out)["first_chips"] = first_chips_;
        (*out)["search.message"] = search_message_;
        (*out)["notices"] = std::to_string(notices_.size());
        for (size_t i = 0; i < notices_.size(); ++i)
            (*out)["notice." + std::to_string(i)] = notices_[i].text;
    }

  private:
    enum class Picker { None, Industry, Location, Search };

    void reload(Context& ctx) {
        loaded_day_ = ctx.today;
        // The pickers' values read every open listing (a third of a second each with 100,000):
        // not before the list is on screen, but on the next frame, or at once if a picker opens.
        values_loaded_ = false;
        values_due_ = ctx.now + 0.2;
        ctx.wake(values_due_);
        requery(ctx);
        // Quick search words: the most common job titles on offer today.
        std::map<std::string, int> counts;
        if (ctx.store) {
            ListingQuery q;
            q.today = ctx.today;
            q.limit = 300;
            for (auto& l : ctx.store->search_listings(q))
                if (l.title.size() <= 15) ++counts[l.title];
        }
        std::vector<std::pair<int, std::string>> by;
        for (auto& [t, n] : counts)
            by.push_back({-n, t});
        std::sort(by.begin(), by.end());
        quick_.clear();
        titles_.clear();
        for (size_t i = 0; i < by.size(); ++i) {
            if (i < 12) quick_.push_back(by[i].second);
            titles_.push_back(by[i].second); // the keyboard offers them as whole words
        }
    }

    void load_values(Context& ctx) {
        values_loaded_ = true;
        if (StoreReader* r = reader(ctx)) {
            Date today = ctx.today;
            uint64_t ticket = values_->ask();
            r->post(kValuesSlot, [box = values_, ticket, today](const Store& s) {
                box->answer(ticket, PickerValues{s.industries(today), s.locations(today)});
            });
            return;
        }
        industries_ = ctx.store ? ctx.store->industries(ctx.today) : std::vector<std::string>{};
        locations_ = ctx.store ? ctx.store->locations(ctx.today) : std::vector<std::string>{};
    }

    // A StoreReader for a store too large to count at once; nullptr: read at once.
    StoreReader* reader(Context& ctx) {
        if (!ctx.store || ctx.store->listing_rows_at_most() <= kReadAtOnce) return nullptr;
        std::string file = ctx.store->file();
        if (file.empty()) return nullptr;
        if (!reader_ || reader_file_ != file) {
            reader_ = std::make_unique<StoreReader>(file);
            reader_file_ = file;
        }
        return reader_.get();
    }

    // What the reader answered since the last frame; while it works, frames keep coming often
    // enough to show its answer within a blink.
    void take_answers(Context& ctx) {
        if (auto n = count_->take()) pages_.set_total(*n);
        if (auto v = values_->take()) {
            industries_ = std::move(v->first);
            locations_ = std::move(v->second);
            // Their characters reach the atlas now, not when a person opens a picker.
            if (ctx.fonts)
                for (auto* list : {&industries_, &locations_})
                    for (auto& s : *list)
                        ctx.fonts->expect(FontRole::Large, s);
        }
        if (count_->waiting() || values_->waiting()) ctx.wake(ctx.now + 0.03);
    }

    void requery(Context& ctx) {
        ListingQuery q;
        q.text = search_;
        q.industry = industry_;
        q.location = location_;
        q.today = ctx.today;
        pages_.reset(q, ctx.store);
        pages_.at(0); // the first cards at once (a page is quick; a count may not be)
        if (!pages_.known()) {
            if (StoreReader* r = reader(ctx)) {
                uint64_t ticket = count_->ask();
                r->post(kCountSlot, [box = count_, ticket, q](const Store& s) {
                    box->answer(ticket, s.count_listings(q));
                });
            } else {
                count_->ask(); // an answer still on its way is not this query's
                pages_.set_total(ctx.store->count_listings(q));
            }
        }
        scroll_.set_offset(0);
        next_advance_ = ctx.now + kAdvanceEvery;
    }

    float card_height(Context& ctx) const {
        ImFont* t = font(ctx, FontRole::Title);
        ImFont* l = font(ctx, FontRole::Large);
        ImFont* b = font(ctx, FontRole::Body);
        float text_h =
            t->FontSize + l->FontSize * 2 + b->FontSize * 2 + ctx.px(16) * 4 + ctx.px(36);
        return std::max(ctx.px(290), text_h);
    }

    float filter_bar(Context& ctx, float top) {
        const Palette& p = palette(ctx);
        float h = ctx.px(112), bh = ctx.px(84), y = top + (h - bh) * 0.5f;
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(0, top), ImVec2(ctx.screen.x, top + h), p.surface_alt);
        float x = ctx.px(24), gap = ctx.px(16);
        float avail = ctx.screen.x - x * 2 - gap * 2;
        float w = std::floor(avail / 3);
        auto label = [&](const char* key, const std::string& value) {
            return ctx.f("station.filter.label",
                         {ctx.t(key), value.empty() ? ctx.t("station.filter.all") : value});
        };
        if (button(ctx, "filter.industry", label("station.filter.industry", industry_),
                   ImVec2(x, y), ImVec2(w, bh),
                   industry_.empty() ? ButtonKind::Secondary : ButtonKind::Selected,
                   FontRole::Large))
            picker_ = Picker::Industry;
        x += w + gap;
        if (button(ctx, "filter.location", label("station.filter.location", location_),
                   ImVec2(x, y), ImVec2(w, bh),
                   location_.empty() ? ButtonKind::Secondary : ButtonKind::Selected,
                   FontRole::Large))
            picker_ = Picker::Location;
        x += w + gap;
        std::string s = search_.empty()
                            ? ctx.t("station.search")
                            : ctx.f("station.filter.label", {ctx.t("station.search"), search_});
        if (button(ctx, "filter.search", s, ImVec2(x, y), ImVec2(w, bh),
                   search_.empty() ? ButtonKind::Secondary : ButtonKind::Selected,
                   FontRole::Large)) {
            picker_ = Picker::Search;
            draft_ = search_;
            keyboard_.configure(kNameLayouts | static_cast<unsigned>(KeyLayout::Digits), false, 20);
            keyboard_.prefer(titles_);
        }
        return top + h;
    }

    // The notices in force, re-read from the store every few seconds (a sync may have brought
    // new ones), at the next start or end (so each shows exactly while the clock is inside it)
    // and when the clock is set back.
    float notice_band(Context& ctx, float top) {
        if (ctx.now >= notices_due_ || ctx.wall >= notices_next_ || ctx.wall < notices_wall_) {
            std::string terminal = ctx.identity ? ctx.identity->terminal_id : std::string();
            auto all = ctx.store ? ctx.store->notices() : std::vector<StationNotice>{};
            notices_.clear();
            TimeMs next = ctx.wall + 10000;
            for (auto& n : all) {
                if (n.shown_at(ctx.fair_id, terminal, ctx.wall)) notices_.push_back(n);
                for (TimeMs at : {n.starts_at, n.ends_at})
                    if (at > ctx.wall) next = std::min(next, at);
            }
            if (notices_.size() > kMaxNotices) notices_.resize(kMaxNotices);
            notices_due_ = ctx.now + static_cast<double>(next - ctx.wall) / 1000.0;
            notices_wall_ = ctx.wall;
            notices_next_ = next;
            if (ctx.fonts)
                for (auto& n : notices_)
                    ctx.fonts->expect(FontRole::Large, n.text);
        }
        ctx.wake(notices_due_);
        if (notices_.empty()) return top;
        const Palette& p = palette(ctx);
        float pad = ctx.px(24), gap = ctx.px(10);
        std::string label = ctx.t("station.notice.label");
        float label_w = text_size(ctx, FontRole::Large, label).x + ctx.px(32);
        float wrap = ctx.screen.x - pad * 3 - label_w;
        float h = ctx.px(16);
        for (auto& n : notices_)
            h += text_size(ctx, FontRole::Large, n.text, wrap).y + gap;
        h = std::max(h + ctx.px(6), ctx.px(72));
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(0, top), ImVec2(ctx.screen.x, top + h), p.surface);
        dl->AddRectFilled(ImVec2(0, top + h - ctx.px(2)), ImVec2(ctx.screen.x, top + h), p.border);
        dl->AddRectFilled(ImVec2(0, top), ImVec2(ctx.px(10), top + h), p.accent);
        ImVec2 ls = text_size(ctx, FontRole::Large, label);
        dl->AddRectFilled(ImVec2(pad, top + ctx.px(12)),
                          ImVec2(pad + label_w - ctx.px(8), top + ctx.px(20) + ls.y), p.accent,
                          ctx.px(10));
        text(ctx, FontRole::Large, ImVec2(pad + ctx.px(12), top + ctx.px(16)), p.accent_text,
             label);
        float y = top + ctx.px(16);
        for (auto& n : notices_)
            y += text(ctx, FontRole::Large, ImVec2(pad * 2 + label_w - ctx.px(8), y), p.text,
                      n.text, wrap)
                     .y +
                 gap;
        return top + h;
    }

    float idle_banner(Context& ctx, float top) {
        float h = ctx.px(96);
        std::string key =
            ctx.settings.mode == Mode::Employer ? "station.idle.employer" : "station.idle.entrance";
        if (button(ctx, "idle.back", ctx.t(key), ImVec2(ctx.px(24), top + ctx.px(8)),
                   ImVec2(ctx.screen.x - ctx.px(48), h - ctx.px(16)), ButtonKind::Primary,
                   FontRole::Large))
            ctx.emit({Intent::Home});
        return top + h;
    }

    void list(Context& ctx, float top, float bottom) {
        const Palette& p = palette(ctx);
        float pad = ctx.px(24);
        float ch = card_height(ctx), gap = ctx.px(20), pitch = ch + gap;
        float region_top = top + ctx.px(8);
        int64_t n = pages_.total();
        // Count line.
        std::string count = pages_.known() ? ctx.f("station.count", {std::to_string(n)})
                                           : ctx.t("station.counting");
        ImVec2 cs = text_size(ctx, FontRole::Body, count);
        text(ctx, FontRole::Body, ImVec2(pad, region_top), p.text_muted, count);
        region_top += cs.y + ctx.px(8);
        ImVec2 rmin{0, region_top}, rmax{ctx.screen.x, bottom};
        // Landscape screens show two columns of cards; portrait one.
        int cols = ctx.portrait() ? 1 : 2;
        int64_t rows = (n + cols - 1) / cols;
        float card_w = (ctx.screen.x - pad * 2 - gap * (cols - 1)) / cols;
        scroll_.update(ctx, rmin, rmax, rows * pitch + gap, !ctx.overlay_open);

        // Auto-advance: only when nobody has touched the screen for a while and nothing is open.
        double quiet_since = std::max(ctx.last_touch, scroll_.last_user_scroll());
        float max_off = rows * pitch + gap - (rmax.y - rmin.y);
        if (!ctx.overlay_open && !scroll_.moving() && max_off > 0) {
            double due = std::max(next_advance_, quiet_since + kAdvanceEvery);
            if (ctx.now >= due) {
                int64_t cur = static_cast<int64_t>(std::floor(scroll_.offset() / pitch + 0.5f));
                float target = (cur + 1) * pitch;
                if (scroll_.offset() >= max_off - 1)
                    target = 0; // after the last, back to the first
                float slide = ctx.low_power ? kAdvanceSlideLowPower : kAdvanceSlide;
                scroll_.scroll_to(ctx, std::min(target, max_off),
                                  target == 0 ? slide * 1.5f : slide);
                next_advance_ = ctx.now + kAdvanceEvery;
            } else {
                ctx.wake(due);
            }
        }

        first_id_.clear();
        if (n == 0) {
            bool filtered = !industry_.empty() || !location_.empty() || !search_.empty();
            float mid = (rmin.y + rmax.y) * 0.5f;
            text_centered(ctx, FontRole::Large, ImVec2(rmin.x, rmin.y),
                          ImVec2(rmax.x, filtered ? mid - ctx.px(20) : rmax.y), p.text_muted,
                          ctx.t("station.empty"));
            // Nothing matches: one tap back to every listing.
            ImVec2 bs(ctx.px(420), ctx.px(110));
            if (filtered &&
                button(ctx, "filter.clear_all", ctx.t("station.filter.clear_all"),
                       ImVec2(std::floor((ctx.screen.x - bs.x) * 0.5f), mid + ctx.px(20)), bs,
                       ButtonKind::Primary, FontRole::Large)) {
                industry_.clear();
                location_.clear();
                search_.clear();
                requery(ctx);
            }
            return;
        }
        ImGui::PushClipRect(rmin, rmax, true);
        int64_t first_row = std::max<int64_t>(0, static_cast<int64_t>(scroll_.offset() / pitch));
        int64_t last_row = first_row;
        for (int64_t r = first_row; r < rows; ++r) {
            float y = region_top + gap * 0.5f + r * pitch - scroll_.offset();
            if (y > rmax.y) break;
            last_row = r;
            for (int c = 0; c < cols; ++c) {
                const JobListing* l = pages_.at(r * cols + c);
                if (!l) break;
                if (first_id_.empty()) first_id_ = l->id;
                float x = pad + c * (card_w + gap);
                card(ctx, *l, ImVec2(x, y), ImVec2(x + card_w, y + ch));
            }
        }
        ImGui::PopClipRect();
        // At rest, fetch the page the next slides will show: its characters reach the atlas now,
        // on a still screen, instead of in the middle of a slide.
        if (!scroll_.moving()) pages_.at(std::min<int64_t>(n - 1, (last_row + 3) * cols));
        // Where we are, as a thin bar: people see there is more below.
        float total = rows * pitch + gap, view = rmax.y - rmin.y;
        if (total > view) {
            float bar_h = std::max(ctx.px(60), view * view / total);
            float bar_y = rmin.y + (view - bar_h) * (scroll_.offset() / (total - view));
            ImGui::GetWindowDrawList()->AddRectFilled(
                ImVec2(ctx.screen.x - ctx.px(12), bar_y),
                ImVec2(ctx.screen.x - ctx.px(4), bar_y + bar_h), p.text_muted, ctx.px(4));
        }
    }

    void chip(Context& ctx, float* x, float y, float max_x, const std::string& s, ImU32 bg,
              ImU32 fg) {
        if (s.empty()) return;
        ImVec2 sz = text_size(ctx, FontRole::Body, s);
        float padx = ctx.px(14), pady = ctx.px(6);
        if (*x + sz.x + padx * 2 > max_x) return;
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(*x, y), ImVec2(*x + sz.x + padx * 2, y + sz.y + pady * 2), bg,
                          ctx.px(10));
        text(ctx, FontRole::Body, ImVec2(*x + padx, y + pady), fg, s);
        *x += sz.x + padx * 2 + ctx.px(12);
    }

    void card(Context& ctx, const JobListing& l, ImVec2 min, ImVec2 max) {
        const Palette& p = palette(ctx);
        auto* dl = ImGui::GetWindowDrawList();
        bool held = false;
        bool tapped = tap_area(ctx, "card:" + l.id, min, max, false, &held);
        dl->AddRectFilled(min, max, p.surface, ctx.px(18));
        dl->AddRect(min, max, held ? p.accent : p.border, ctx.px(18), 0, ctx.px(held ? 4 : 2));
        dl->AddRectFilled(min, ImVec2(min.x + ctx.px(10), max.y), p.accent, ctx.px(18),
                          ImDrawFlags_RoundCornersLeft);
        float pad = ctx.px(30);
        float qr_side = std::min(max.y - min.y - ctx.px(60), ctx.px(240));
        float qr_x = max.x - pad - qr_side;
        float x = min.x + pad + ctx.px(8), y = min.y + ctx.px(18), text_w = qr_x - x - pad;
        ImFont* tf = font(ctx, FontRole::Title);
        ImFont* lf = font(ctx, FontRole::Large);
        // Title, and headcount beside it.
        std::string head =
            l.headcount ? ctx.f("station.headcount", {std::to_string(*l.headcount)}) : "";
        float head_w = head.empty() ? 0 : text_size(ctx, FontRole::Large, head).x + ctx.px(24);
        text_clipped(ctx, FontRole::Title, ImVec2(x, y), text_w - head_w, p.text, l.title);
        if (!head.empty()) {
            float tw = std::min(text_size(ctx, FontRole::Title, l.title).x, text_w - head_w);
            text(ctx, FontRole::Large,
                 ImVec2(x + tw + ctx.px(24), y + (tf->FontSize - lf->FontSize) * 0.6f), p.accent,
                 head);
        }
        y += tf->FontSize + ctx.px(12);
        text(ctx, FontRole::Large, ImVec2(x, y), p.highlight, salary_text(ctx, l.salary));
        y += lf->FontSize + ctx.px(10);
        text_clipped(ctx, FontRole::Large, ImVec2(x, y), text_w, p.text, l.employer_name);
        y += lf->FontSize + ctx.px(14);
        float cx = x;
        // Each chip says what it is: "学历 不限", not a bare "不限".
        auto labelled = [&](const char* key, const std::string& value) {
            return value.empty() ? value : ctx.t(key) + " " + value;
        };
        std::vector<std::string> chips = {labelled("station.chip.location", l.work_location),
                                          l.industry,
                                          labelled("station.chip.education", l.education),
                                          labelled("station.chip.experience", l.experience),
                                          ctx.f("station.deadline", {l.deadline.to_iso()})};
        for (size_t i = 0; i < chips.size(); ++i)
            chip(ctx, &cx, y, x + text_w, chips[i], p.chip,
                 i + 1 == chips.size() ? p.text_muted : p.text);
        if (first_id_.empty() || first_id_ == l.id) {
            first_chips_.clear();
            for (auto& c : chips)
                if (!c.empty()) first_chips_ += (first_chips_.empty() ? "" : " | ") + c;
        }
        // QR with its caption.
        float qy = min.y + ctx.px(16);
        qr_.draw(ctx, l.id, qr_text(ctx, l), ImVec2(qr_x, qy), qr_side);
        text_centered(ctx, FontRole::Body, ImVec2(qr_x - ctx.px(20), qy + qr_side),
                      ImVec2(qr_x + qr_side + ctx.px(20), max.y - ctx.px(4)), p.text_muted,
                      ctx.t("station.scan_hint"));
        if (tapped) {
            open_detail(l);
            speak(ctx, spoken_listing(ctx, l));
        }
    }

    void field(Context& ctx, float* y, float x, float label_w, float w, const std::string& label,
               const std::string& value) {
        if (value.empty()) return;
        const Palette& p = palette(ctx);
        text(ctx, FontRole::Body, ImVec2(x, *y + ctx.px(6)), p.text_muted, label);
        ImVec2 s = text(ctx, FontRole::Large, ImVec2(x + label_w, *y), p.text, value, w - label_w);
        *y += s.y + ctx.px(12);
    }

    void open_detail(const JobListing& l) {
        detail_ = l;
        detail_scroll_.set_offset(0);
        detail_h_ = 0;
    }

    void draw_detail(Context& ctx) {
        const JobListing& l = *detail_;
        const Palette& p = palette(ctx);
        ImVec2 min, max;
        begin_overlay(ctx,
                      ctx.portrait() ? ImVec2(ctx.px(1020), ctx.px(1700))
                                     : ImVec2(ctx.px(1700), ctx.px(960)),
                      &min, &max);
        float pad = ctx.px(40);
        float qr_side = ctx.px(ctx.portrait() ? 380 : 400);
        float x = min.x + pad;
        float text_w = (ctx.portrait() ? max.x - pad : max.x - pad * 2 - qr_side) - x;
        // Landscape: the code at the top right beside the fields. Portrait: large, centred above
        // the back button, with the text above it.
        float bh = ctx.px(96);
        float side = ctx.portrait() ? ctx.px(460) : qr_side;
        float qr_x =
            ctx.portrait() ? std::floor((min.x + max.x - side) * 0.5f) : max.x - pad - side;
        float qr_y = ctx.portrait() ? max.y - pad - bh - ctx.px(70) - side : min.y + pad;
        // The text column scrolls (drag) when it is longer than its place, as with large text and
        // a long description: nothing is cut off.
        ImVec2 cmin(x, min.y + pad),
            cmax(x + text_w, ctx.portrait() ? qr_y - ctx.px(24) : max.y - bh - pad);
        detail_scroll_.update(ctx, cmin, cmax, detail_h_, true, true);
        ImGui::PushClipRect(cmin, cmax, true);
        float y = cmin.y - detail_scroll_.offset();
        ImVec2 ts = text(ctx, FontRole::Title, ImVec2(x, y), p.text, l.title, text_w);
        y += ts.y + ctx.px(8);
        ImVec2 es = text(ctx, FontRole::Large, ImVec2(x, y), p.text, l.employer_name, text_w);
        y += es.y + ctx.px(20);
        float lw = ctx.px(ctx.settings.lang == Lang::ZhCN ? 170 : 230);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.salary"), salary_text(ctx, l.salary));
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.headcount"),
              l.headcount ? std::to_string(*l.headcount) : "");
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.location"), l.work_location);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.industry"), l.industry);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.education"), l.education);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.gender"), l.gender_requirement);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.experience"), l.experience);
        std::string contact =
            l.contact_name + (l.contact_phone.empty() ? "" : "  " + l.contact_phone);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.contact"), contact);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.email"), l.email);
        field(ctx, &y, x, lw, text_w, ctx.t("station.field.deadline"), l.deadline.to_iso());
        if (!l.description.empty() || !l.remarks.empty()) {
            y += ctx.px(8);
            text(ctx, FontRole::Body, ImVec2(x, y), p.text_muted,
                 ctx.t("station.field.description"));
            y += font(ctx, FontRole::Body)->FontSize + ctx.px(6);
            y += text(ctx, FontRole::Body, ImVec2(x, y), p.text,
                      l.description + (l.remarks.empty() ? "" : "\n" + l.remarks), text_w)
                     .y;
        }
        ImGui::PopClipRect();
        detail_h_ = y + detail_scroll_.offset() - cmin.y + ctx.px(8);
        float view = detail_view_ = cmax.y - cmin.y;
        if (detail_h_ > view) { // where in the text the view is, as on the list
            float bar_h = std::max(ctx.px(40), view * view / detail_h_);
            float bar_y = cmin.y + (view - bar_h) * (detail_scroll_.offset() / (detail_h_ - view));
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(cmax.x + ctx.px(8), bar_y),
                                                      ImVec2(cmax.x + ctx.px(16), bar_y + bar_h),
                                                      p.text_muted, ctx.px(4));
        }
        qr_.draw(ctx, l.id, qr_text(ctx, l), ImVec2(qr_x, qr_y), side);
        text_centered(ctx, FontRole::Body, ImVec2(qr_x - ctx.px(40), qr_y + side),
                      ImVec2(qr_x + side + ctx.px(40), qr_y + side + ctx.px(50)), p.text_muted,
                      ctx.t("station.scan_hint"));
        float bw = ctx.px(360);
        if (button(ctx, "detail.close", ctx.t("ui.back"),
                   ImVec2(max.x - pad - bw, max.y - pad - bh), ImVec2(bw, bh), ButtonKind::Primary,
                   FontRole::Large, true))
            detail_.reset();
        end_overlay(ctx);
    }

    void draw_picker(Context& ctx) {
        const Palette& p = palette(ctx);
        bool ind = picker_ == Picker::Industry;
        if (!values_loaded_) load_values(ctx);
        const auto& values = ind ? industries_ : locations_;
        std::string& chosen = ind ? industry_ : location_;
        ImVec2 min, max;
        begin_overlay(ctx,
                      ctx.portrait() ? ImVec2(ctx.px(1000), ctx.px(1400))
                                     : ImVec2(ctx.px(1500), ctx.px(860)),
                      &min, &max);
        float pad = ctx.px(40), x = min.x + pad, y = min.y + pad;
        ImVec2 ts = text(ctx, FontRole::Title, ImVec2(x, y), p.text,
                         ctx.t(ind ? "station.pick.industry" : "station.pick.location"));
        y += ts.y + ctx.px(24);
        float bh = ctx.px(96), gap = ctx.px(16);
        std::vector<std::string> all{""};
        all.insert(all.end(), values.begin(), values.end());
        float cx = x;
        std::string picked;
        bool any = false;
        for (size_t i = 0; i < all.size(); ++i) {
            std::string label = all[i].empty() ? ctx.t("station.filter.all") : all[i];
            float w = std::max(ctx.px(200), text_size(ctx, FontRole::Large, label).x + ctx.px(60));
            if (cx + w > max.x - pad) {
                cx = x;
                y += bh + gap;
            }
            if (y + bh > max.y - pad - bh - gap)
                break; // more values than fit: the list is long enough
            if (button(ctx, "pick:" + std::to_string(i), label, ImVec2(cx, y), ImVec2(w, bh),
                       chosen == all[i] ? ButtonKind::Selected : ButtonKind::Secondary,
                       FontRole::Large, true)) {
                picked = all[i];
                any = true;
            }
            cx += w + gap;
        }
        float bw = ctx.px(300);
        if (button(ctx, "pick.close", ctx.t("ui.back"), ImVec2(max.x - pad - bw, max.y - pad - bh),
                   ImVec2(bw, bh), ButtonKind::Quiet, FontRole::Large, true))
            picker_ = Picker::None;
        end_overlay(ctx);
        if (any) {
            chosen = picked;
            picker_ = Picker::None;
            requery(ctx);
        }
    }

    void draw_search(Context& ctx) {
        const Palette& p = palette(ctx);
        ImVec2 min, max;
        begin_overlay(ctx,
                      ctx.portrait() ? ImVec2(ctx.px(1040), ctx.px(1500))
                                     : ImVec2(ctx.px(1700), ctx.px(1050)),
                      &min, &max);
        float pad = ctx.px(32), x = min.x + pad, y = min.y + pad, w = max.x - min.x - pad * 2;
        if (keyboard_.preedit().empty()) search_message_.clear(); // put right: the refusal goes
        ImVec2 ts = text(ctx, FontRole::Title, ImVec2(x, y), p.text, ctx.t("station.search.title"));
        y += ts.y + ctx.px(20);
        // The query field: a hardware keyboard or a scanner types into it; touch uses the
        // on-screen keyboard below (when installed) or the quick words.
        float fh = ctx.px(96);
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + fh), p.bg, ctx.px(12));
        dl->AddRect(ImVec2(x, y), ImVec2(x + w, y + fh), p.accent, ctx.px(12), 0, ctx.px(3));
        for (ImWchar c : ImGui::GetIO().InputQueueCharacters) {
            if (c == '\b') continue;
            if (draft_.size() < 60) append_utf8(&draft_, c);
        }
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)) && !draft_.empty()) {
            size_t cut = draft_.size() - 1;
            while (cut > 0 && (static_cast<unsigned char>(draft_[cut]) & 0xc0) == 0x80)
                --cut;
            draft_.erase(cut);
        }
        bool submit = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
        std::string typed = draft_ + keyboard_.preedit();
        std::string shown = typed.empty() ? ctx.t("station.search.placeholder") : typed;
        text_clipped(ctx, FontRole::Large,
                     ImVec2(x + ctx.px(24), y + (fh - font(ctx, FontRole::Large)->FontSize) * 0.5f),
                     w - ctx.px(48 + 180), typed.empty() ? p.text_muted : p.text, shown);
        if (!draft_.empty() &&
            button(ctx, "search.clear", ctx.t("station.search.clear"),
                   ImVec2(x + w - ctx.px(170), y + ctx.px(10)),
                   ImVec2(ctx.px(160), fh - ctx.px(20)), ButtonKind::Quiet, FontRole::Body, true))
            draft_.clear();
        y += fh + ctx.px(20);
        float message_y = y; // a refusal shows here, over the quick words
        float bh = ctx.px(96), gap = ctx.px(16);
        float bottom_buttons = max.y - pad - bh;
        // Quick words: the most common job titles, one row of them above the keyboard.
        text(ctx, FontRole::Body, ImVec2(x, y), p.text_muted, ctx.t("station.search.quick"));
        y += font(ctx, FontRole::Body)->FontSize + ctx.px(10);
        float cx = x, qh = ctx.px(84);
        for (size_t i = 0; i < quick_.size(); ++i) {
            float qw =
                std::max(ctx.px(150), text_size(ctx, FontRole::Large, quick_[i]).x + ctx.px(44));
            if (cx + qw > x + w) {
                if (!ctx.portrait()) break;
                cx = x;
                y += qh + gap;
            }
            if (y + qh > bottom_buttons - gap) break;
            if (button(ctx, "quick:" + std::to_string(i), quick_[i], ImVec2(cx, y), ImVec2(qw, qh),
                       draft_ == quick_[i] ? ButtonKind::Selected : ButtonKind::Secondary,
                       FontRole::Large, true)) {
                draft_ = quick_[i];
                keyboard_.reset();
            }
            cx += qw + gap;
        }
        y += qh + gap;
        // The on-screen keyboard (pinyin, handwriting, letters, digits) fills the rest. It lives
        // inside this panel, so the panel's own "overlay open" guard must not hold its keys.
        if (bottom_buttons - gap - y > ctx.px(260)) {
            ctx.overlay_open = false;
            if (keyboard_.draw(ctx, &draft_, ImVec2(x, y), ImVec2(x + w, bottom_buttons - gap)))
                submit = true;
            ctx.overlay_open = true;
        }
        float bw = ctx.px(300);
        if (button(ctx, "search.go", ctx.t("station.search.go"),
                   ImVec2(max.x - pad - bw, bottom_buttons), ImVec2(bw, bh), ButtonKind::Primary,
                   FontRole::Large, true))
            submit = true;
        if (button(ctx, "search.cancel", ctx.t("ui.back"),
                   ImVec2(max.x - pad - bw * 2 - gap, bottom_buttons), ImVec2(bw, bh),
                   ButtonKind::Quiet, FontRole::Large, true))
            picker_ = Picker::None;
        if (!search_.empty() &&
            button(ctx, "search.reset", ctx.t("station.search.reset"), ImVec2(x, bottom_buttons),
                   ImVec2(bw, bh), ButtonKind::Secondary, FontRole::Large, true)) {
            draft_.clear();
            submit = true;
        }
        if (!search_message_.empty())
            message_line(ctx, ctx.t(search_message_), ImVec2(x, message_y), w, true);
        end_overlay(ctx);
        if (submit && !keyboard_.preedit().empty()) {
            // Pinyin typed but no character chosen: searching for nothing would silently show
            // every listing. Say what to do instead.
            search_message_ = "station.search.choose";
        } else if (submit) {
            search_ = draft_;
            search_message_.clear();
            picker_ = Picker::None;
            requery(ctx);
        }
    }

    ListingPages pages_;
    KineticScroll scroll_;
    KineticScroll detail_scroll_;          // the details' text column
    float detail_h_ = 0, detail_view_ = 0; // its height as last drawn, and its place's
    QrCache qr_;
    Keyboard keyboard_;
    Date loaded_day_;
    bool values_loaded_ = false; // industries_ and locations_ for loaded_day_ (asked for)
    // Counts and picker values of a large store come from a reader thread (kReadAtOnce).
    enum { kCountSlot, kValuesSlot };
    std::unique_ptr<StoreReader> reader_;
    std::string reader_file_;
    std::shared_ptr<Latest<int64_t>> count_ = std::make_shared<Latest<int64_t>>();
    std::shared_ptr<Latest<PickerValues>> values_ = std::make_shared<Latest<PickerValues>>();
    double values_due_ = 0;
    double next_advance_ = 0;
    std::optional<JobListing> detail_;
    Picker picker_ = Picker::None;
    std::string industry_, location_, search_, draft_, first_id_, first_chips_;
    static constexpr size_t kMaxNotices = 3; // a band, not a second list
    std::vector<StationNotice> notices_;
    double notices_due_ = 0;                     // `now` of the next read
    TimeMs notices_wall_ = 0, notices_next_ = 0; // the clock at the last read, the next change
    std::string search_message_; // a message key on the search panel
    std::vector<std::string> industries_, locations_, quick_, titles_;
};

std::unique_ptr<View> make_station_view() {
    return std::make_unique<StationView>();
}

} // namespace jf::ui
