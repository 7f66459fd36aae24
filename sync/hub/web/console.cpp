// The union staff's web console (console.hpp).
#include "sync/hub/web/console.hpp"

#include "kiosk/domain/numbers.hpp"
#include "kiosk/domain/reports.hpp"
#include "kiosk/forms/import.hpp"
#include "sync/hub/hub_accounts.hpp"
#include "sync/hub/hub_audit.hpp"
#include "sync/hub/hub_badges.hpp"
#include "sync/hub/hub_listings.hpp"
#include "sync/hub/hub_reports.hpp"
#include "sync/hub/hub_phone.hpp"
#include "sync/hub/hub_tls.hpp"
#include "sync/hub/web/phone.hpp"
#include "platform/scan/image.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace jf::hub::web {
namespace {

// -----------------------------------------------------------------------------
// Sessions, forms and answers
// -----------------------------------------------------------------------------
std::string session_cookie(const std::string& id, bool end = false) {
    return std::string(kConsoleCookie) + "=" + (end ? "" : id) +
           "; Path=/console/; HttpOnly; Secure; SameSite=Strict" + (end ? "; Max-Age=0" : "");
}

Response redirect(const std::string& to) {
    Response r;
    r.status = 303;
    r.headers.emplace_back("Location", to);
    return r;
}

std::string date_text(const Date& d) {
    return d.valid() ? d.to_iso() : std::string();
}

std::string time_text(TimeMs t) {
    if (t == 0) return "-";
    std::time_t s = static_cast<std::time_t>(t / 1000 + 8 * 3600); // China Standard Time
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

// Everything a console handler needs, made once by install_console_pages.
struct Console {
    WebApp& app;
    WebContext& ctx;
    Accounts accounts;

    int port_ = 0; // the port serve listens on (cfg.port may be 0: any free port)

    // An uploaded 附件4 between its preview and its commit: kept in memory only, for the account
    // that uploaded it, for half an hour (the page says to upload again after that).
    static constexpr size_t kMaxUpload = 8u << 20;
    struct PendingUpload {
        std::string account, union_id, filename, bytes;
        TimeMs expires = 0;
    };
    std::mutex pending_mu_;
    std::map<std::string, PendingUpload> pending_; // random token → upload

    Console(WebApp& a, WebContext& c) : app(a), ctx(c), accounts(c.store), port_(c.cfg.port) {}

    struct Signed {
        AccountRow account;
        Access access;
        std::string sid;
    };

    std::optional<Signed> signed_in(const Request& r) {
        auto sid = cookie_value(r.cookie, kConsoleCookie);
        auto a = accounts.session(sid, now_ms());
        if (!a) return std::nullopt;
        Signed s{*a, accounts.access(*a), sid};
        return s;
    }

    std::optional<Form> form(const Request& r) {
        std::string key;
        if (r.method == "POST" && r.content_type.rfind("multipart/form-data", 0) == 0)
            return Form::parse_multipart(r.body, r.content_type, app.limits(), kMaxUpload, &key);
        return Form::parse(r.method == "POST" ? std::string_view(r.body) : r.query, app.limits(),
                           &key);
    }

    // Text of `key` in the request's language with {0}, {1}… filled in.
    std::string format(const Request& r, std::string_view key,
                       const std::vector<std::string>& args) {
        std::string text = app.tr(r, key);
        for (size_t i = 0; i < args.size(); ++i) {
            std::string mark = "{" + std::to_string(i) + "}";
            if (auto at = text.find(mark); at != std::string::npos)
                text.replace(at, mark.size(), args[i]);
        }
        return text;
    }

    // The page inside the console's frame: navigation, the account, the sign-out form.
    Response page(const Request& r, const Signed& s, const std::string& name, Data data,
                  std::string_view title_key) {
        data.set("console", true);
        data.set("csrf", Accounts::csrf_token(s.sid));
        data.set("account", s.account.name);
        data.set("account_union", s.account.union_id);
        data.set("account_role", app.tr(r, "console.role." + s.account.role));
        data.set("admin", s.access.admin());
        data.set("t", *app.base_data(r).get("t"));
        data.set("nav", app.render("console/nav", data));
        return app.page(r, name, std::move(data), title_key);
    }

    Response refuse(const Request& r, int status, std::string_view key) {
        return app.error_page(r, status, key);
    }

    // For a POST: the signed-in account whose CSRF token the form carries, else a refusal.
    std::optional<Signed> post_guard(const Request& r, const std::optional<Form>& f,
                                     Response* refusal) {
        auto s = signed_in(r);
        if (!s) {
            *refusal = refuse(r, 403, "console.err.signed_out");
            return std::nullopt;
        }
        if (!f || !Accounts::csrf_ok(s->sid, f->get("csrf"))) {
            accounts.audit(s->account.name, "refused", "no CSRF token: " + r.path);
            *refusal = refuse(r, 403, "console.err.csrf");
            return std::nullopt;
        }
        return s;
    }

    // -------------------------------------------------------------------------
    // Sign-in, set-up, sign-out
    // -------------------------------------------------------------------------
    Response signin_page(const Request& r, int status, const std::string& message_key,
                         const std::string& name) {
        Data d;
        if (!message_key.empty()) d.set("message", app.tr(r, message_key));
        d.set("name", name);
        auto res = app.page(r, "console/signin", d, "console.signin.title");
        res.status = status;
        return res;
    }

    Response get_signin(const Request& r) {
        if (signed_in(r)) return redirect("/console/");
        return signin_page(r, 200, "", "");
    }

    Response post_signin(const Request& r) {
        auto f = form(r);
        if (!f) return signin_page(r, 400, "console.err.form", "");
        auto name = f->get("name");
        auto in = accounts.sign_in(name, f->get("password"), now_ms());
        switch (in.result) {
        case SignInResult::Ok: {
            auto res = redirect("/console/");
            res.headers.emplace_back("Set-Cookie", session_cookie(in.session_id));
            return res;
        }
        case SignInResult::Locked:
            return signin_page(r, 429, "console.err.locked", name);
        case SignInResult::NotSetUp:
            return signin_page(r, 401, "console.err.not_set_up", name);
        case SignInResult::Storage:
            return signin_page(r, 503, "console.err.storage", name);
        case SignInResult::Wrong:
            break;
        }
        return signin_page(r, 401, "console.err.wrong_password", name);
    }

    Response post_signout(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        accounts.sign_out(s->sid);
        auto res = redirect("/console/signin");
        res.headers.emplace_back("Set-Cookie", session_cookie("", true));
        return res;
    }

    Response setup_page(const Request& r, int status, const std::string& token,
                        const std::string& message_key) {
        Data d;
        d.set("token", token);
        if (!message_key.empty()) d.set("message", app.tr(r, message_key));
        auto res = app.page(r, "console/setup", d, "console.setup.title");
        res.status = status;
        return res;
    }

    Response get_setup(const Request& r) {
        auto f = form(r);
        return setup_page(r, 200, f ? f->get("token") : std::string(), "");
    }

    Response post_setup(const Request& r) {
        auto f = form(r);
        if (!f) return setup_page(r, 400, "", "console.err.form");
        std::string who, err;
        if (f->get("password") != f->get("password2"))
            return setup_page(r, 400, f->get("token"), "console.err.password_mismatch");
        if (!accounts.set_password(f->get("token"), f->get("password"), now_ms(), &who, &err))
            return setup_page(r, 400, f->get("token"), err);
        return signin_page(r, 200, "console.setup.done", who);
    }

    // -------------------------------------------------------------------------
    // Today, fairs, terminals
    // -------------------------------------------------------------------------
    Data fair_row(const Fair& f) {
        Data d;
        d.set("id", f.id);
        d.set("name", f.name);
        d.set("union", f.union_unit);
        d.set("venue", f.venue);
        d.set("date", date_text(f.date));
        d.set("online", f.online);
        d.set("campaign", f.campaign_id);
        return d;
    }

    Data terminal_row(const TerminalRow& t, TimeMs now) {
        Data d;
        d.set("id", t.id);
        d.set("fair", t.fair_id);
        d.set("mode", t.mode);
        d.set("device", t.device);
        d.set("last_contact", time_text(t.last_contact));
        d.set("online", !t.revoked() && t.last_contact != 0 && now - t.last_contact < 10 * 60000);
        d.set("revoked", t.revoked());
        d.set("clock_off", t.clock_off());
        d.set("clock_offset", std::to_string(t.clock_offset_ms / 1000));
        d.set("events", std::to_string(t.events));
        d.set("quarantined", std::to_string(t.quarantined));
        return d;
    }

    // A fair's figures: people checked in, check-ins, placements, people with a booth intent,
    // station services and check-ins per hour, counted once for every page (fair_totals in
    // hub_reports.hpp: the reports' rule, undone check-ins left out).
    Data fair_figures(const Fair& f) {
        Data d = fair_row(f);
        std::array<int64_t, 24> per_hour{};
        auto n = hub::fair_totals(ctx.store, f.id, &per_hour);
        d.set("people", std::to_string(n.people_in));
        d.set("check_ins", std::to_string(n.check_ins));
        d.set("placements", std::to_string(n.placements));
        d.set("with_intent", std::to_string(n.with_intent));
        d.set("services", std::to_string(n.services));
        std::string hours;
        for (auto c : per_hour)
            hours += (hours.empty() ? "" : ",") + std::to_string(c);
        d.set("hours", hours);
        return d;
    }

    // Today's fairs of the account's unions (the page and its refresh read the same list).
    std::vector<Fair> todays_fairs(const Signed& s, Date day) {
        std::vector<Fair> out;
        for (auto& f : ctx.store.fairs())
            if (s.access.reads_fair(f) && f.date == day) out.push_back(f);
        return out;
    }

    Response today(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        TimeMs now = now_ms();
        Date day = cst_date(now);
        Data fairs{Data::type::list};
        for (auto& f : todays_fairs(*s, day)) {
            fairs.push_back(fair_figures(f));
        }
        Data d;
        d.set("day", day.to_iso());
        // The chart (Debian's Chart.js, served by the hub) and the refresh: console.js. How often
        // the page refreshes itself: every 30 s, or ?refresh=N seconds (2 to 600).
        auto q = form(r);
        int64_t every = 30;
        if (q && q->has("refresh"))
            every = std::clamp<int64_t>(parse_int<int64_t>(q->get("refresh")).value_or(30), 2, 600);
        d.set("refresh_ms", std::to_string(every * 1000));
        d.set("chart_js", app.asset_url("chart.min.js"));
        d.set("console_js", app.asset_url("console.js"));
        d.set("hour_label", app.tr(r, "console.today.per_hour"));
        d.set("fairs", fairs);
        d.set("none", fairs.is_empty_list());
        return page(r, *s, "console/today", d, "console.today.title");
    }

    // The Today page's figures as JSON, for its refresh (console.js): the same counts.
    Response today_json(const Request& r) {
        auto s = signed_in(r);
        if (!s) return refuse(r, 403, "console.err.signed_out");
        Date day = cst_date(now_ms());
        nlohmann::json out = {{"day", day.to_iso()}, {"fairs", nlohmann::json::array()}};
        for (auto& f : todays_fairs(*s, day)) {
            std::array<int64_t, 24> per_hour{};
            auto n = hub::fair_totals(ctx.store, f.id, &per_hour);
            out["fairs"].push_back({{"id", f.id},
                                    {"people", n.people_in},
                                    {"check_ins", n.check_ins},
                                    {"placements", n.placements},
                                    {"per_hour", per_hour}});
        }
        Response res;
        res.content_type = "application/json";
        res.body = out.dump();
        return res;
    }

    Response fairs(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        Data fairs{Data::type::list};
        for (auto& f : ctx.store.fairs())
            if (s->access.reads_fair(f)) fairs.push_back(fair_row(f));
        Data campaigns{Data::type::list};
        for (auto& c : ctx.store.campaigns()) {
            Data row;
            row.set("id", c.id);
            row.set("name", c.name);
            row.set("phase",
                    date_text(c.concentrated_from) + " – " + date_text(c.concentrated_until));
            row.set("year", date_text(c.year_from) + " – " + date_text(c.year_until));
            row.set("targets", std::to_string(ctx.store.targets(c.id).size()));
            campaigns.push_back(row);
        }
        Data d;
        d.set("fairs", fairs);
        d.set("campaigns", campaigns);
        d.set("own_union", s->account.union_id);
        d.set("may_add_campaign", s->account.role != "staff");
        return page(r, *s, "console/fairs", d, "console.fairs.title");
    }

    Response fair(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        auto q = form(r);
        auto f = q ? ctx.store.fair(q->get("id")) : std::nullopt;
        if (!f || !s->access.reads_fair(*f)) return refuse(r, 404, "console.err.not_found");
        TimeMs now = now_ms();
        Data terminals{Data::type::list};
        for (auto& t : ctx.store.terminals())
            if (t.fair_id == f->id) terminals.push_back(terminal_row(t, now));
        Data d = fair_figures(*f);
        d.set("terminals", terminals);
        d.set("writable", s->access.writes_fair(*f));
        return page(r, *s, "console/fair", d, "console.fair.title");
    }

    Response add_fair(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        Fair fair;
        fair.id = f->get("id");
        fair.name = f->get("name");
        fair.venue = f->get("venue");
        fair.union_unit = s->account.union_id; // staff add fairs of their own union only
        fair.campaign_id = f->get("campaign");
        fair.online = f->get("online") == "1";
        auto date = Date::parse(f->get("date"));
        if (fair.id.empty() || fair.name.empty() || !date)
            return refuse(r, 400, "console.err.fair_fields");
        fair.date = *date;
        if (auto old = ctx.store.fair(fair.id); old && !s->access.writes_fair(*old))
            return refuse(r, 404, "console.err.not_found");
        if (!ctx.store.upsert_fair(fair)) return refuse(r, 503, "console.err.storage");
        accounts.audit(s->account.name, "fair.save", fair.id + " " + fair.union_unit);
        return redirect("/console/fair?id=" + url_encode(fair.id));
    }

    // -------------------------------------------------------------------------
    // Station notices: written for the own union's stations, read by the unions above
    // -------------------------------------------------------------------------
    // "2024-02-23 09:00" or "2024-02-23T09:00" (a datetime-local field), China Standard Time.
    static std::optional<TimeMs> cst_time(std::string_view text) {
        if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':')
            return std::nullopt;
        auto day = Date::parse(text.substr(0, 10));
        auto h = parse_int<int64_t>(text.substr(11, 2)), m = parse_int<int64_t>(text.substr(14, 2));
        if (!day || !h || !m || *h < 0 || *h > 23 || *m < 0 || *m > 59) return std::nullopt;
        return cst_midnight(*day) + (*h * 60 + *m) * 60000;
    }
    static std::string cst_input(TimeMs t) { // the value a datetime-local field shows
        auto s = time_text(t);
        return s.size() == 16 ? s.substr(0, 10) + "T" + s.substr(11) : std::string();
    }

    std::optional<StationNotice> readable_notice(const Signed& s, const std::string& id) {
        for (auto& n : ctx.store.notices())
            if (n.id == id && s.access.reads_union(n.union_unit)) return n;
        return std::nullopt;
    }

    Response notices(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        auto q = form(r);
        TimeMs now = now_ms();
        std::optional<StationNotice> editing;
        if (q && q->has("edit")) {
            editing = readable_notice(*s, q->get("edit"));
            if (!editing) return refuse(r, 404, "console.err.not_found");
            if (!s->access.writes_union(editing->union_unit))
                return refuse(r, 403, "console.err.read_only");
        }
        Data list{Data::type::list};
        for (auto& n : ctx.store.notices()) {
            if (!s->access.reads_union(n.union_unit)) continue;
            Data row;
            row.set("id", n.id);
            row.set("text", n.text);
            row.set("union", n.union_unit);
            row.set("starts", time_text(n.starts_at));
            row.set("ends", time_text(n.ends_at));
            std::string where = join_ids(n.fair_ids);
            if (!n.terminal_ids.empty())
                where += (where.empty() ? "" : ",") + join_ids(n.terminal_ids);
            row.set("targets", where.empty() ? app.tr(r, "console.notice.everywhere") : where);
            row.set("state", app.tr(r, now < n.starts_at ? "console.notice.upcoming"
                                       : now < n.ends_at ? "console.notice.in_force"
                                                         : "console.notice.over"));
            row.set("writable", s->access.writes_union(n.union_unit));
            list.push_back(row);
        }
        // What a notice of the own union may name: its fairs and their station terminals.
        Data fairs{Data::type::list}, stations{Data::type::list};
        auto named = [&](const std::vector<std::string>& v, const std::string& id) {
            return editing && std::find(v.begin(), v.end(), id) != v.end();
        };
        for (auto& f : ctx.store.fairs()) {
            if (!s->access.writes_fair(f)) continue;
            Data row;
            row.set("id", f.id);
            row.set("name", f.name);
            row.set("checked",
                    named(editing ? editing->fair_ids : std::vector<std::string>{}, f.id));
            fairs.push_back(row);
        }
        for (auto& t : ctx.store.terminals()) {
            if (t.revoked() || t.mode != "station" || !s->access.writes_terminal(ctx.store, t))
                continue;
            Data row;
            row.set("id", t.id);
            row.set("fair", t.fair_id);
            row.set("checked",
                    named(editing ? editing->terminal_ids : std::vector<std::string>{}, t.id));
            stations.push_back(row);
        }
        Data d;
        d.set("notices", list);
        d.set("none", list.is_empty_list());
        d.set("fairs", fairs);
        d.set("stations", stations);
        d.set("own_union", s->account.union_id);
        d.set("editing", editing.has_value());
        d.set("edit_id", editing ? editing->id : std::string());
        d.set("edit_text", editing ? editing->text : std::string());
        d.set("edit_starts", cst_input(editing ? editing->starts_at : now));
        d.set("edit_ends",
              cst_input(editing ? editing->ends_at : cst_midnight(cst_date(now)) + 7 * 86400000));
        return page(r, *s, "console/notices", d, "console.notices.title");
    }

    // Saves a new notice of the own union, or changes one of it (`id` given).
    Response save_notice(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        StationNotice n;
        n.id = f->get("id");
        if (!n.id.empty()) {
            auto old = readable_notice(*s, n.id);
            if (!old) return refuse(r, 404, "console.err.not_found");
            if (!s->access.writes_union(old->union_unit))
                return refuse(r, 403, "console.err.read_only");
        } else {
            n.id = "N-" + new_uuid();
        }
        n.union_unit = s->account.union_id;
        n.text = f->get("text");
        auto starts = cst_time(f->get("starts")), ends = cst_time(f->get("ends"));
        if (!starts || !ends) return refuse(r, 400, "console.err.notice_times");
        n.starts_at = *starts;
        n.ends_at = *ends;
        // Only the own union's fairs and station terminals may be named.
        for (auto& id : f->all("fair")) {
            auto fair = ctx.store.fair(id);
            if (!fair || !s->access.writes_fair(*fair))
                return refuse(r, 400, "console.err.notice_targets");
            n.fair_ids.push_back(id);
        }
        for (auto& id : f->all("terminal")) {
            std::optional<TerminalRow> term;
            for (auto& t : ctx.store.terminals())
                if (t.id == id) term = t;
            if (!term || !s->access.writes_terminal(ctx.store, *term))
                return refuse(r, 400, "console.err.notice_targets");
            n.terminal_ids.push_back(id);
        }
        if (auto c = check_notice(n); !c) return refuse(r, 400, c.key);
        if (!ctx.store.upsert_notice(n)) return refuse(r, 503, "console.err.storage");
        accounts.audit(s->account.name, "notice.save", n.id + " " + n.union_unit);
        return redirect("/console/notices");
    }

    // Ends a notice of the own union: a tombstone, so stations drop it at their next sync.
    Response end_notice(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        auto old = readable_notice(*s, f->get("id"));
        if (!old) return refuse(r, 404, "console.err.not_found");
        if (!s->access.writes_union(old->union_unit))
            return refuse(r, 403, "console.err.read_only");
        if (!ctx.store.delete_notice(old->id)) return refuse(r, 503, "console.err.storage");
        accounts.audit(s->account.name, "notice.end", old->id + " " + old->union_unit);
        return redirect("/console/notices");
    }

    Response add_campaign(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        if (s->account.role == "staff") return refuse(r, 403, "console.err.not_allowed");
        Campaign c;
        c.id = f->get("id");
        c.name = f->get("name");
        auto yf = Date::parse(f->get("year_from")), yu = Date::parse(f->get("year_until"));
        auto pf = Date::parse(f->get("phase_from")), pu = Date::parse(f->get("phase_until"));
        if (c.id.empty() || c.name.empty() || !yf || !yu || !pf || !pu || *yu < *yf || *pu < *pf ||
            *pf < *yf || *yu < *pu)
            return refuse(r, 400, "console.err.campaign_fields");
        c.year_from = *yf;
        c.year_until = *yu;
        c.concentrated_from = *pf;
        c.concentrated_until = *pu;
        if (!ctx.store.upsert_campaign(c)) return refuse(r, 503, "console.err.storage");
        accounts.audit(s->account.name, "campaign.save", c.id);
        return redirect("/console/fairs");
    }

    // A campaign's 附件1 targets from an uploaded file (XLSX, XLS or CSV, the forms' reader):
    // every bad row is shown and nothing is stored unless the whole table reads cleanly.
    Response upload_targets(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        if (s->account.role == "staff") return refuse(r, 403, "console.err.not_allowed");
        std::string campaign = f->get("campaign");
        bool known = false;
        for (auto& c : ctx.store.campaigns())
            known = known || c.id == campaign;
        if (!known) return refuse(r, 404, "console.err.not_found");
        const Form::File* file = f->file("file");
        if (!file || file->bytes.empty()) return refuse(r, 400, "console.err.no_file");
        auto imp = forms::import_targets_bytes(file->bytes);
        Data d;
        d.set("campaign", campaign);
        d.set("filename", file->filename);
        Data problems{Data::type::list};
        for (auto& p : imp.problems) {
            Data row;
            row.set("row", p.row ? std::to_string(p.row) : std::string("-"));
            row.set("column", p.column);
            row.set("reason", format(r, p.key, p.args));
            problems.push_back(row);
        }
        d.set("problems", problems);
        d.set("has_problems", !problems.is_empty_list());
        bool stored = imp.ok && imp.problems.empty() && !imp.targets.empty();
        if (stored) {
            if (!ctx.store.set_targets(campaign, imp.targets))
                return refuse(r, 503, "console.err.storage");
            accounts.audit(s->account.name, "campaign.targets",
                           campaign + " " + std::to_string(imp.targets.size()) + " " +
                               file->filename);
        }
        d.set("stored", stored);
        Data rows{Data::type::list};
        for (auto& t : imp.targets) {
            Data row;
            row.set("unit", t.unit);
            Data cells{Data::type::list};
            for (auto v : t.figures)
                cells.push_back(Data(std::to_string(v)));
            row.set("figures", cells);
            rows.push_back(row);
        }
        d.set("rows", rows);
        Data heads{Data::type::list};
        for (int m = 0; m < kTargetMeasures; ++m)
            heads.push_back(Data(std::string(target_column(static_cast<TargetMeasure>(m)))));
        d.set("heads", heads);
        auto res = page(r, *s, "console/targets", d, "console.targets.title");
        if (!stored) res.status = 400;
        return res;
    }

    Response terminals(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        TimeMs now = now_ms();
        Data rows{Data::type::list};
        for (auto& t : ctx.store.terminals())
            if (s->access.reads_terminal(ctx.store, t)) {
                Data row = terminal_row(t, now);
                row.set("writable", !t.revoked() && s->access.writes_terminal(ctx.store, t));
                rows.push_back(row);
            }
        Data fairs{Data::type::list};
        for (auto& f : ctx.store.fairs())
            if (s->access.writes_fair(f)) fairs.push_back(fair_row(f));
        Data d;
        d.set("terminals", rows);
        d.set("fairs", fairs);
        d.set("may_enrol", !fairs.is_empty_list());
        return page(r, *s, "console/terminals", d, "console.terminals.title");
    }

    // A one-time enrolment code for a fair of the own union, shown as the QR the terminal's
    // camera reads from the screen (the same code and QR text `jobfair-hub enroll` makes).
    Response enrol(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        auto fair = ctx.store.fair(f->get("fair"));
        if (!fair || !s->access.reads_fair(*fair)) return refuse(r, 404, "console.err.not_found");
        if (!s->access.writes_fair(*fair)) return refuse(r, 403, "console.err.read_only");
        std::string mode = f->get("mode");
        if (mode != "entrance" && mode != "employer" && mode != "station")
            return refuse(r, 400, "console.err.mode");
        TimeMs now = now_ms();
        auto code = new_enrol_code();
        if (!ctx.store.add_enrol_code(code_hash(code), fair->id, mode, now + kEnrolCodeLifetimeMs))
            return refuse(r, 503, "console.err.storage");
        bool anywhere = ctx.cfg.listen == "0.0.0.0" || ctx.cfg.listen == "::";
        std::string url =
            anywhere ? std::string() : "https://" + ctx.cfg.listen + ":" + std::to_string(port_);
        std::string pin = ctx.cfg.cert.empty() ? std::string() : public_key_pin(ctx.cfg.cert);
        auto qr = scan::render_qr(enrol_qr_text(code, url, pin), 6);
        // The PNG goes into the page itself (a data: image): it is shown once and never stored.
        std::string png = scan::png_bytes(qr);
        if (png.empty()) return refuse(r, 500, "console.err.storage");
        accounts.audit(s->account.name, "terminal.enrol-code", fair->id + " " + mode);
        Data d = fair_row(*fair);
        d.set("mode", mode);
        d.set("code", code);
        d.set("expires", time_text(now + kEnrolCodeLifetimeMs));
        d.set("qr", "data:image/png;base64," + base64(Bytes(png.begin(), png.end())));
        return page(r, *s, "console/enrol", d, "console.enrol.title");
    }

    // GET: the confirmation page; POST with confirm=yes: the revocation.
    Response revoke(const Request& r) {
        auto f = form(r);
        std::optional<Signed> s;
        Response refusal;
        if (r.method == "POST") {
            s = post_guard(r, f, &refusal);
            if (!s) return refusal;
        } else if (!(s = signed_in(r))) {
            return redirect("/console/signin");
        }
        auto t = f ? ctx.store.terminal(f->get("id")) : std::nullopt;
        if (!t || !s->access.reads_terminal(ctx.store, *t))
            return refuse(r, 404, "console.err.not_found");
        if (!s->access.writes_terminal(ctx.store, *t))
            return refuse(r, 403, "console.err.read_only");
        if (r.method == "GET" || f->get("confirm") != "yes") {
            Data d = terminal_row(*t, now_ms());
            return page(r, *s, "console/revoke", d, "console.revoke.title");
        }
        if (!t->revoked() && !ctx.store.revoke_terminal(t->id, now_ms()))
            return refuse(r, 503, "console.err.storage");
        accounts.audit(s->account.name, "terminal.revoke", t->id);
        return redirect("/console/terminals");
    }

    // -------------------------------------------------------------------------
    // Reports: preview as a table, download as `jobfair-hub report` writes it
    // -------------------------------------------------------------------------
    // A supervisor's unions side by side: the union and each union below it with its 附件5 row
    // (zeros where it has none) and whether its figures changed since this account last
    // downloaded the week's 附件5 (same, changed, or never downloaded).
    Data rollup(const Request& r, const Signed& s, const ReportPeriod& period,
                const ReportOptions& options, const SummaryReport& summary,
                const std::map<std::string, std::string>& digests) {
        auto stored = ctx.store.report_digests(s.account.name, period.label);
        std::vector<std::string> unions{options.union_unit};
        unions.insert(unions.end(), options.below.begin(), options.below.end());
        Data rows{Data::type::list};
        for (auto& u : unions) {
            SummaryRow x;
            for (auto& row : summary.rows)
                if (unit_key(row.union_unit) == unit_key(u)) x = row;
            Data cells{Data::type::list};
            for (int64_t n : {x.employers, x.jobs, x.fairs_online, x.fairs_offline, x.placed})
                cells.push_back(Data(std::to_string(n)));
            for (auto g : x.groups)
                cells.push_back(Data(std::to_string(g)));
            auto was = stored.find(u);
            auto now = digests.find(u);
            std::string status = was == stored.end()                                  ? "never"
                                 : now != digests.end() && now->second == was->second ? "same"
                                                                                      : "changed";
            Data o;
            o.set("union", u);
            o.set("cells", cells);
            o.set("status", status);
            o.set("status_text", app.tr(r, "console.rollup." + status));
            o.set("changed", status == "changed");
            rows.push_back(o);
        }
        return rows;
    }

    Response reports(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        auto q = form(r);
        if (!q) return refuse(r, 400, "console.err.form");
        std::string kind = q->has("kind") ? q->get("kind") : "summary";
        std::string unit = q->has("union") ? q->get("union") : s->account.union_id;
        std::string week = q->get("week");
        if (!s->access.reads_report(unit)) return refuse(r, 404, "console.err.not_found");
        auto k = forms::parse_report_kind(kind);
        if (!k) return refuse(r, 400, "console.err.report_kind");
        TimeMs now = now_ms();
        auto period = period_or_this_week(week, now);
        if (!period) return refuse(r, 400, "console.err.report_week");
        std::optional<ContactOpener> opener;
        if (s->access.may_open_numbers()) opener.emplace(ctx.store, ctx.store.keys());
        // As `jobfair-hub report` makes it: the same input, unions, targets and layout.
        auto form = build_hub_form(ctx.store, *k, *period, unit, opener ? &*opener : nullptr,
                                   cst_date(now), nullptr, &s->access.unions());
        const auto& sheet = form.sheet;
        const Check& why = form.why;
        // 附件5: each union's figures, kept per account and week at a download and compared at a
        // preview, so a supervisor sees which unions changed since its last download.
        std::optional<SummaryReport> summary;
        std::map<std::string, std::string> digests;
        if (sheet && *k == forms::ReportKind::Summary) {
            summary = build_summary(form.input, *period, form.options);
            digests = summary_digests(*summary, form.options);
        }
        bool download = r.path == "/console/reports/download";
        std::string format = q->get("format") == "csv" ? "csv" : "xlsx";
        std::string bytes, err;
        if (sheet && download) {
            bytes = report_bytes(*sheet, format, &err);
            if (bytes.empty()) return refuse(r, 500, "console.err.storage");
        }
        // Numbers opened (a preview shows them too) are accounted for before they leave.
        if (sheet && opener && opener->people() > 0) {
            OpeningRecord o;
            o.at = now;
            o.who = s->account.name;
            o.form = kind;
            o.people = opener->people();
            o.file = std::string(download ? "console download " : "console preview ") + unit + " " +
                     period->label;
            if (!ctx.store.record_opening(o)) return refuse(r, 503, "console.err.storage");
        }
        if (sheet && download && !digests.empty() &&
            !ctx.store.set_report_digests(s->account.name, period->label, digests, now))
            return refuse(r, 503, "console.err.storage");
        if (sheet && download) {
            Response res;
            res.content_type = format == "csv" ? "text/csv; charset=utf-8"
                                               : "application/vnd.openxmlformats-officedocument."
                                                 "spreadsheetml.sheet";
            res.body = std::move(bytes);
            std::string name = forms::report_file_stem(*k, *period, unit) + "." + format;
            res.headers.emplace_back("Content-Disposition", "attachment; filename=\"report." +
                                                                format + "\"; filename*=UTF-8''" +
                                                                url_encode(name));
            return res;
        }
        Data d;
        d.set("kind", kind);
        d.set("week", week.empty() ? period->label : week);
        d.set("union", unit);
        d.set("period", period->describe());
        Data kinds{Data::type::list};
        for (const char* name : {"summary", "detail", "insurance", "progress", "spring"}) {
            Data o;
            o.set("value", name);
            o.set("label", app.tr(r, std::string("console.report.") + name));
            o.set("selected", kind == name);
            kinds.push_back(o);
        }
        d.set("kinds", kinds);
        Data unions{Data::type::list};
        for (auto& u : ctx.store.unions())
            if (s->access.reads_union(u.id)) {
                Data o;
                o.set("value", u.id);
                o.set("label", u.name);
                o.set("selected", u.id == unit);
                unions.push_back(o);
            }
        d.set("unions", unions);
        if (!sheet) {
            std::string msg = app.tr(r, why.key);
            if (auto at = msg.find("{0}"); at != std::string::npos) msg.replace(at, 3, why.field);
            d.set("refusal", msg);
        } else {
            Data rows{Data::type::list};
            for (auto& line : sheet->grid()) {
                Data cells{Data::type::list};
                for (auto& c : line)
                    cells.push_back(Data(c));
                Data row;
                row.set("cells", cells);
                rows.push_back(row);
            }
            d.set("rows", rows);
            if (summary && !form.options.below.empty()) {
                d.set("rollup", rollup(r, *s, *period, form.options, *summary, digests));
                d.set("has_rollup", true);
            }
            d.set("download_query", "kind=" + url_encode(kind) + "&union=" + url_encode(unit) +
                                        "&week=" + url_encode(week.empty() ? period->label : week));
        }
        return page(r, *s, "console/reports", d, "console.reports.title");
    }

    // -------------------------------------------------------------------------
    // Listings: an employer's 附件4 uploaded, checked, previewed, committed; search, close early
    // -------------------------------------------------------------------------
    Data listing_row(const JobListing& l, const Signed& s, Date today) {
        Data d;
        d.set("id", l.id);
        d.set("employer", l.employer_name);
        d.set("title", l.title);
        d.set("headcount", l.headcount ? std::to_string(*l.headcount) : std::string("-"));
        d.set("location", l.work_location);
        d.set("union", l.union_unit);
        d.set("salary", l.salary);
        d.set("deadline", date_text(l.deadline));
        bool open = !l.deadline.valid() || !(l.deadline < today);
        d.set("open", open);
        d.set("closable", open && s.access.writes_listing(l));
        return d;
    }

    Response listings(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        auto q = form(r);
        if (!q) return refuse(r, 400, "console.err.form");
        std::string find = q->get("q"), unit = q->get("union"), state = q->get("state");
        if (state != "open" && state != "closed") state = "all";
        Date today = cst_date(now_ms());
        Data rows{Data::type::list};
        size_t shown = 0, matched = 0;
        for (auto& l : ctx.store.listings()) {
            if (!s->access.reads_listing(l)) continue;
            if (!unit.empty() && l.union_unit != unit) continue;
            bool open = !l.deadline.valid() || !(l.deadline < today);
            if ((state == "open" && !open) || (state == "closed" && open)) continue;
            if (!find.empty() && l.employer_name.find(find) == std::string::npos &&
                l.title.find(find) == std::string::npos &&
                l.work_location.find(find) == std::string::npos)
                continue;
            ++matched;
            if (++shown <= 200) rows.push_back(listing_row(l, *s, today));
        }
        Data d;
        d.set("q", find);
        d.set("rows", rows);
        d.set("count", format(r, "console.listings.count", {std::to_string(matched)}));
        Data unions{Data::type::list}, states{Data::type::list};
        {
            Data any;
            any.set("value", "");
            any.set("label", app.tr(r, "console.listings.any_union"));
            unions.push_back(any);
        }
        for (auto& u : ctx.store.unions())
            if (s->access.reads_union(u.id)) {
                Data o;
                o.set("value", u.id);
                o.set("label", u.name);
                o.set("selected", u.id == unit);
                unions.push_back(o);
            }
        for (const char* st : {"all", "open", "closed"}) {
            Data o;
            o.set("value", st);
            o.set("label", app.tr(r, std::string("console.listings.state_") + st));
            o.set("selected", state == st);
            states.push_back(o);
        }
        d.set("unions", unions);
        d.set("states", states);
        d.set("own_union", s->account.union_id);
        if (q->has("added"))
            d.set("done", format(r, "console.listings.done",
                                 {q->get("added"), q->get("updated"), q->get("unchanged")}));
        return page(r, *s, "console/listings", d, "console.listings.title");
    }

    // The file read with the forms' one import reader (XLSX, XLS or CSV, found from its bytes),
    // for the uploading account's own union.
    forms::ListingImport read_upload(const std::string& bytes, const std::string& union_id) {
        forms::ListingImportOptions opt;
        opt.union_unit = union_id;
        return forms::import_listings_bytes(bytes, opt);
    }

    std::string problem_text(const Request& r, const forms::ImportProblem& p) {
        std::string msg = format(r, p.key, p.args);
        if (p.row == 0) return msg;
        if (p.column.empty()) return format(r, "import.problem_row", {std::to_string(p.row), msg});
        return format(r, "import.problem", {std::to_string(p.row), p.column, msg});
    }

    // Checks the file and shows what committing it would do; writes nothing.
    Response upload_listings(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        const Form::File* file = f->file("file");
        if (!file || file->bytes.empty()) return refuse(r, 400, "console.err.no_file");
        auto imp = read_upload(file->bytes, s->account.union_id);
        Data d;
        d.set("filename", file->filename);
        d.set("union", s->account.union_id);
        Data problems{Data::type::list};
        for (auto& p : imp.problems) {
            Data row;
            row.set("row", p.row ? std::to_string(p.row) : std::string("-"));
            row.set("column", p.column);
            row.set("reason", format(r, p.key, p.args));
            row.set("text", problem_text(r, p));
            problems.push_back(row);
        }
        if (imp.unlisted_problems > 0) {
            Data row;
            row.set("row", "…");
            row.set("reason",
                    format(r, "err.import.more_problems", {std::to_string(imp.unlisted_problems)}));
            problems.push_back(row);
        }
        d.set("problems", problems);
        d.set("has_problems", !problems.is_empty_list());
        if (!imp.ok) {
            d.set("unreadable", true);
            return page(r, *s, "console/listings_preview", d, "console.listings.preview");
        }
        // What would be written: the same writer as the commit, told to write nothing.
        ListingWriter dry(ctx.store, true);
        std::vector<JobListing> good = imp.listings;
        for (size_t at = 0; at < good.size(); at += forms::kImportBatch) {
            std::vector<JobListing> batch(
                good.begin() + static_cast<std::ptrdiff_t>(at),
                good.begin() +
                    static_cast<std::ptrdiff_t>(std::min(good.size(), at + forms::kImportBatch)));
            dry.write(batch);
        }
        Date today = cst_date(now_ms());
        Data rows{Data::type::list};
        for (size_t i = 0; i < imp.listings.size() && i < 200; ++i)
            rows.push_back(listing_row(imp.listings[i], *s, today));
        d.set("rows", rows);
        d.set("summary", format(r, "console.listings.will",
                                {std::to_string(imp.rows_read), std::to_string(imp.accepted),
                                 std::to_string(imp.problems.size() + imp.unlisted_problems),
                                 std::to_string(dry.added), std::to_string(dry.updated),
                                 std::to_string(dry.unchanged)}));
        if (imp.accepted > 0) {
            std::string token = hex(random_bytes(16));
            TimeMs now = now_ms();
            std::lock_guard lock(pending_mu_);
            for (auto it = pending_.begin(); it != pending_.end();)
                it = it->second.expires < now ? pending_.erase(it) : std::next(it);
            if (pending_.size() >= 64) pending_.erase(pending_.begin()); // a bound, not a queue
            pending_[token] = {s->account.name, s->account.union_id, file->filename, file->bytes,
                               now + 30 * 60000};
            d.set("token", token);
        }
        return page(r, *s, "console/listings_preview", d, "console.listings.preview");
    }

    // Writes the previewed file's good rows (read again from the same bytes).
    Response commit_listings(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        PendingUpload up;
        {
            std::lock_guard lock(pending_mu_);
            auto it = pending_.find(f->get("token"));
            if (it == pending_.end() || it->second.account != s->account.name ||
                it->second.expires < now_ms())
                return refuse(r, 410, "console.err.upload_gone");
            up = std::move(it->second);
            pending_.erase(it);
        }
        auto imp = read_upload(up.bytes, up.union_id);
        ListingWriter writer(ctx.store);
        for (size_t at = 0; at < imp.listings.size(); at += forms::kImportBatch) {
            std::vector<JobListing> batch(imp.listings.begin() + static_cast<std::ptrdiff_t>(at),
                                          imp.listings.begin() +
                                              static_cast<std::ptrdiff_t>(std::min(
                                                  imp.listings.size(), at + forms::kImportBatch)));
            if (!writer.write(batch)) return refuse(r, 503, "console.err.storage");
        }
        accounts.audit(s->account.name, "listings.import",
                       up.filename + " " + up.union_id + " +" + std::to_string(writer.added) +
                           " ~" + std::to_string(writer.updated));
        return redirect("/console/listings?union=" + url_encode(up.union_id) +
                        "&added=" + std::to_string(writer.added) +
                        "&updated=" + std::to_string(writer.updated) +
                        "&unchanged=" + std::to_string(writer.unchanged));
    }

    // Closes a listing early: its deadline becomes yesterday, so terminals stop showing it after
    // their next sync and reports still count it where it was collected.
    Response close_listing(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        auto found = ctx.store.listings(std::vector<std::string>{f->get("id")});
        if (found.empty() || !s->access.reads_listing(found[0]))
            return refuse(r, 404, "console.err.not_found");
        JobListing l = found[0];
        if (!s->access.writes_listing(l)) return refuse(r, 403, "console.err.read_only");
        Date today = cst_date(now_ms());
        Date yesterday = Date::from_days(today.days_since_epoch() - 1);
        if (!l.deadline.valid() || !(l.deadline < today)) {
            l.deadline = yesterday;
            if (!ctx.store.upsert_listing(l)) return refuse(r, 503, "console.err.storage");
            accounts.audit(s->account.name, "listing.close", l.id + " " + l.union_unit);
        }
        return redirect("/console/listings");
    }

    // -------------------------------------------------------------------------
    // Quarantine and people
    // -------------------------------------------------------------------------
    Response quarantine(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        std::map<std::string, bool> readable; // terminal id → may read
        for (auto& t : ctx.store.terminals())
            readable[t.id] = s->access.reads_terminal(ctx.store, t);
        Data rows{Data::type::list};
        for (auto& q : ctx.store.quarantine()) {
            if (!readable[q.terminal_id]) continue;
            Data row;
            row.set("terminal", q.terminal_id);
            row.set("kind", q.kind);
            row.set("reason", q.reason);
            row.set("seq", std::to_string(q.seq));
            row.set("received", time_text(q.received_at));
            rows.push_back(row);
        }
        Data d;
        d.set("rows", rows);
        d.set("none", rows.is_empty_list());
        return page(r, *s, "console/quarantine", d, "console.quarantine.title");
    }

    // People of the account's unions, found by name, initials or id; numbers shown masked only.
    Response people(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        auto q = form(r);
        std::string find = q ? q->get("q") : std::string();
        Data rows{Data::type::list};
        size_t shown = 0;
        std::map<std::string, Data> fairs_of; // union → the fairs a code may be issued for
        Date today = cst_date(now_ms());
        if (!find.empty())
            for (auto& f : ctx.store.fairs())
                if (issuable(*s, f, today)) {
                    auto [it, fresh] = fairs_of.try_emplace(f.union_unit, Data::type::list);
                    Data o;
                    o.set("value", f.id);
                    o.set("label", f.name + " " + date_text(f.date));
                    it->second.push_back(o);
                }
        if (!find.empty())
            for (auto& a : ctx.store.attendees()) {
                if (!s->access.reads_person(a)) continue;
                if (a.name.find(find) == std::string::npos && a.name_initials != find &&
                    a.id != find)
                    continue;
                if (++shown > 100) break;
                Data row;
                row.set("id", a.id);
                row.set("name", a.name);
                row.set("union", a.union_unit);
                row.set("phone", a.phone_masked);
                row.set("resident_id", a.id_masked);
                row.set("may_open", s->access.may_open_numbers());
                if (auto it = fairs_of.find(a.union_unit);
                    it != fairs_of.end() && s->access.writes_union(a.union_unit))
                    row.set("issue_fairs", it->second), row.set("can_issue", true);
                rows.push_back(row);
            }
        Data d;
        d.set("q", find);
        d.set("rows", rows);
        Data badge_fairs{Data::type::list}; // the own union's fairs a sheet of badges may be for
        for (auto& f : ctx.store.fairs())
            if (issuable(*s, f, today)) {
                Data o;
                o.set("value", f.id);
                o.set("label", f.name + " " + date_text(f.date));
                badge_fairs.push_back(o);
            }
        d.set("has_badge_fairs", !badge_fairs.is_empty_list());
        d.set("badge_fairs", badge_fairs);
        return page(r, *s, "console/people", d, "console.people.title");
    }

    // A fair a code may be issued for: the account's own union's, not over.
    static bool issuable(const Signed& s, const Fair& f, Date today) {
        return s.access.writes_fair(f) && !(f.date.valid() && f.date < today);
    }

    // Issues a person's check-in code for a fair of the own union, signed with the hub's issuer
    // key (as a phone sign-up's), written to the audit log before it is shown as a QR code.
    Response issue_code(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        auto a = ctx.store.attendee(f->get("id"));
        if (!a || !s->access.reads_person(*a)) return refuse(r, 404, "console.err.not_found");
        if (!s->access.writes_union(a->union_unit)) return refuse(r, 403, "console.err.read_only");
        TimeMs now = now_ms();
        auto fair = ctx.store.fair(f->get("fair"));
        if (!fair || !s->access.reads_fair(*fair)) return refuse(r, 404, "console.err.not_found");
        if (fair->union_unit != a->union_unit || !issuable(*s, *fair, cst_date(now)))
            return refuse(r, 400, "console.err.issue_fair");
        std::optional<SigningKey> key;
        try {
            key = phone_issuer(ctx.store, ctx.cfg);
        } catch (const std::exception&) {
            return refuse(r, 503, "console.err.no_issuer");
        }
        auto issued = issue(fair_code(a->id, *fair, ctx.store.campaigns(), cst_date(now)), *key);
        if (!issued) return refuse(r, 400, "console.err.issue_fair");
        if (!accounts.audit(s->account.name, "person.issue",
                            a->id + " " + fair->id + " " + issued->credential_id()))
            return refuse(r, 503, "console.err.storage");
        std::string png = scan::png_bytes(scan::render_qr(encode(*issued), 6));
        if (png.empty()) return refuse(r, 500, "console.err.storage");
        Data d;
        d.set("id", a->id);
        d.set("name", a->name);
        d.set("fair", fair->name + " " + date_text(fair->date));
        d.set("valid", date_text(issued->credential.valid_from) + " ~ " +
                           date_text(issued->credential.valid_until));
        d.set("credential_id", issued->credential_id());
        d.set("qr", "data:image/png;base64," + base64(Bytes(png.begin(), png.end())));
        return page(r, *s, "console/code", d, "console.code.title");
    }

    // A sheet of badges (an A4 PDF) from an uploaded attendee list, each badge a code for a fair
    // of the own union signed with the hub's issuer key: the same sheet `jobfair-hub badges`
    // makes (hub_badges.hpp), recorded in the audit log.
    Response badges(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        TimeMs now = now_ms();
        auto fair = ctx.store.fair(f->get("fair"));
        if (!fair || !s->access.reads_fair(*fair)) return refuse(r, 404, "console.err.not_found");
        if (!issuable(*s, *fair, cst_date(now))) return refuse(r, 400, "console.err.issue_fair");
        const Form::File* file = f->file("file");
        if (!file || file->bytes.empty()) return refuse(r, 400, "console.err.badge_list");
        auto list = read_badge_list(file->bytes);
        if (!list.header_ok || list.rows.empty() || !list.skipped.empty())
            return refuse(r, 400, "console.err.badge_list");
        std::optional<SigningKey> key;
        try {
            key = phone_issuer(ctx.store, ctx.cfg);
        } catch (const std::exception&) {
            return refuse(r, 503, "console.err.no_issuer");
        }
        int pages = 0;
        std::string err;
        std::string pdf =
            badges_pdf(list.rows, fair_code({}, *fair, ctx.store.campaigns(), cst_date(now)), *key,
                       &pages, &err);
        if (pdf.empty()) return refuse(r, 500, "console.err.storage");
        if (!accounts.audit(s->account.name, "person.badges",
                            fair->id + " " + std::to_string(list.rows.size()) + " " +
                                file->filename))
            return refuse(r, 503, "console.err.storage");
        Response res;
        res.content_type = "application/pdf";
        res.body = std::move(pdf);
        res.headers.emplace_back("Content-Disposition", "attachment; filename=\"badges-" +
                                                            url_encode(fair->id) + ".pdf\"");
        return res;
    }

    // One person's full numbers, for an account with the permission: opened with the hub's key
    // only after the opening is written to the audit log (a POST, so it carries the CSRF token
    // and never sits in a URL or the history).
    Response open_person(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        auto a = ctx.store.attendee(f->get("id"));
        if (!a || !s->access.reads_person(*a)) return refuse(r, 404, "console.err.not_found");
        if (!s->access.may_open_numbers()) return refuse(r, 403, "console.err.not_allowed");
        auto keys = ctx.store.keys();
        if (keys.seal.secret_key.empty()) return refuse(r, 503, "console.err.no_key");
        OpeningRecord o;
        o.at = now_ms();
        o.who = s->account.name;
        o.form = "open-numbers";
        o.people = 1;
        o.file = "console people " + a->id;
        if (!ctx.store.record_opening(o)) return refuse(r, 503, "console.err.storage");
        ContactOpener opener(ctx.store, keys);
        auto c = opener(a->id);
        Data d;
        d.set("id", a->id);
        d.set("name", a->name);
        d.set("union", a->union_unit);
        d.set("phone", c && !c->phone.empty() ? c->phone : a->phone_masked);
        d.set("resident_id", c && !c->resident_id.empty() ? c->resident_id : a->id_masked);
        return page(r, *s, "console/person", d, "console.people.title");
    }

    // -------------------------------------------------------------------------
    // Accounts, for admins: the accounts of the unions they read (their own and below)
    // -------------------------------------------------------------------------
    // An admin's own account and accounts outside its unions are not its to change.
    std::optional<AccountRow> managed(const Signed& s, const std::string& name) {
        auto a = ctx.store.account(name);
        if (!a || !s.access.reads_union(a->union_id)) return std::nullopt;
        return a;
    }

    Data union_options(const Signed& s, const std::string& selected) {
        Data unions{Data::type::list};
        for (auto& u : ctx.store.unions())
            if (s.access.reads_union(u.id)) {
                Data o;
                o.set("value", u.id);
                o.set("label", u.name);
                o.set("selected", u.id == selected);
                unions.push_back(o);
            }
        return unions;
    }

    Data role_options(const Request& r, const std::string& selected) {
        Data roles{Data::type::list};
        for (const char* role : {"staff", "supervisor", "admin"}) {
            Data o;
            o.set("value", role);
            o.set("label", app.tr(r, std::string("console.role.") + role));
            o.set("selected", selected == role);
            roles.push_back(o);
        }
        return roles;
    }

    Response accounts_page(const Request& r, const Signed& s, const std::string& link_for,
                           const std::string& token) {
        Data rows{Data::type::list};
        for (auto& a : ctx.store.accounts()) {
            if (!s.access.reads_union(a.union_id)) continue;
            Data row;
            row.set("name", a.name);
            row.set("union", a.union_id);
            row.set("role", app.tr(r, "console.role." + a.role));
            row.set("open_numbers", a.may_open_numbers);
            row.set("state", app.tr(r, !a.password_hash.empty() ? "console.account.active"
                                       : !a.setup_hash.empty()  ? "console.account.awaiting"
                                                                : "console.account.disabled"));
            row.set("self", a.name == s.account.name);
            row.set("enabled", !a.password_hash.empty() || !a.setup_hash.empty());
            row.set("unions", union_options(s, a.union_id));
            row.set("roles", role_options(r, a.role));
            rows.push_back(row);
        }
        Data d;
        d.set("rows", rows);
        d.set("unions", union_options(s, s.account.union_id));
        d.set("roles", role_options(r, "staff"));
        if (!token.empty()) {
            // The one-time link, shown once: only its hash is kept.
            std::string base = ctx.cfg.public_url;
            while (!base.empty() && base.back() == '/')
                base.pop_back();
            d.set("link_for", link_for);
            d.set("link", base + "/console/setup?token=" + token);
        }
        return page(r, s, "console/accounts", d, "console.accounts.title");
    }

    Response accounts_get(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        if (!s->access.admin()) return refuse(r, 404, "console.err.not_found");
        return accounts_page(r, *s, "", "");
    }

    // POST /console/accounts: action = add | change | reset | disable.
    Response accounts_post(const Request& r) {
        auto f = form(r);
        Response refusal;
        auto s = post_guard(r, f, &refusal);
        if (!s) return refusal;
        if (!s->access.admin()) return refuse(r, 404, "console.err.not_found");
        std::string action = f->get("action"), name = f->get("name");
        TimeMs now = now_ms();
        std::string err, token;
        AccountRow a;
        if (action == "add") {
            if (ctx.store.account(name)) return refuse(r, 400, "console.err.account_exists");
            a.name = name;
        } else {
            auto old = managed(*s, name);
            if (!old) return refuse(r, 404, "console.err.not_found");
            if (old->name == s->account.name) return refuse(r, 403, "console.err.own_account");
            a = *old;
        }
        if (action == "add" || action == "change") {
            a.union_id = f->get("union");
            a.role = f->get("role");
            a.may_open_numbers = f->get("open_numbers") == "1";
            if (!s->access.reads_union(a.union_id)) return refuse(r, 400, "console.err.union");
            if (!valid_role(a.role)) return refuse(r, 400, "console.err.role");
        }
        if (action == "add" || action == "reset") {
            if (!accounts.add_account(s->account.name, a, now, &token, &err))
                return refuse(r, 400, err);
            if (action == "reset") accounts.audit(s->account.name, "account.reset", a.name);
            return accounts_page(r, *s, a.name, token);
        }
        if (action == "change") {
            if (!ctx.store.upsert_account(a)) return refuse(r, 503, "console.err.storage");
            accounts.audit(s->account.name, "account.change",
                           a.name + " " + a.role + " " + a.union_id +
                               (a.may_open_numbers ? " open-numbers" : ""));
        } else if (action == "disable") {
            // No password and no set-up link: its sessions end at their next request and it
            // cannot sign in until an admin gives it a new link.
            a.password_hash.clear();
            a.setup_hash.clear();
            a.setup_expires = 0;
            if (!ctx.store.upsert_account(a)) return refuse(r, 503, "console.err.storage");
            accounts.audit(s->account.name, "account.disable", a.name);
        } else {
            return refuse(r, 400, "console.err.form");
        }
        return redirect("/console/accounts");
    }

    Response audit_log(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        if (!s->access.admin()) return refuse(r, 404, "console.err.not_found");
        auto all = ctx.store.openings();
        Data rows{Data::type::list};
        size_t shown = 0;
        for (auto it = all.rbegin(); it != all.rend() && shown < 500; ++it, ++shown) {
            Data row;
            row.set("at", time_text(it->at));
            row.set("who", it->who);
            row.set("action", it->form);
            row.set("what", it->file);
            row.set("people", it->people ? std::to_string(it->people) : std::string());
            rows.push_back(row);
        }
        Data d;
        d.set("rows", rows);
        return page(r, *s, "console/audit", d, "console.audit.title");
    }
};

} // namespace

void install_console_pages(WebApp& app, WebContext& ctx) {
    // One Console for the server's lifetime; the routes share it.
    auto c = std::make_shared<Console>(app, ctx);
    // Debian's Chart.js (libjs-chart.js), served by the hub itself: no CDN.
    app.add_asset_file("chart.min.js", "/usr/share/javascript/chart.js/chart.min.js");
    auto on = [c](Response (Console::*h)(const Request&)) {
        return [c, h](const Request& r) { return ((*c).*h)(r); };
    };
    app.get("/console/", [c](const Request& r) {
        if (r.path != "/console/") return c->refuse(r, 404, "console.err.not_found");
        return c->today(r);
    });
    app.get("/console", [](const Request&) { return redirect("/console/"); });
    app.get("/console/today.json", on(&Console::today_json));
    app.get("/console/signin", on(&Console::get_signin));
    app.post("/console/signin", on(&Console::post_signin));
    app.post("/console/signout", on(&Console::post_signout));
    app.get("/console/setup", on(&Console::get_setup));
    app.post("/console/setup", on(&Console::post_setup));
    app.get("/console/fairs", on(&Console::fairs));
    app.post("/console/fairs", on(&Console::add_fair));
    app.post("/console/campaigns", on(&Console::add_campaign));
    app.post("/console/campaigns/targets", on(&Console::upload_targets),
             Console::kMaxUpload + 4096);
    app.get("/console/fair", on(&Console::fair));
    app.get("/console/notices", on(&Console::notices));
    app.post("/console/notices", on(&Console::save_notice));
    app.post("/console/notices/end", on(&Console::end_notice));
    app.get("/console/terminals", on(&Console::terminals));
    app.get("/console/terminals/revoke", on(&Console::revoke));
    app.post("/console/terminals/revoke", on(&Console::revoke));
    app.post("/console/terminals/enrol", on(&Console::enrol));
    app.get("/console/audit", on(&Console::audit_log));
    app.get("/console/accounts", on(&Console::accounts_get));
    app.post("/console/accounts", on(&Console::accounts_post));
    app.get("/console/reports", on(&Console::reports));
    app.get("/console/quarantine", on(&Console::quarantine));
    app.get("/console/people", on(&Console::people));
    app.post("/console/people/open", on(&Console::open_person));
    app.post("/console/people/issue", on(&Console::issue_code));
    app.post("/console/people/badges", on(&Console::badges));
    app.get("/console/listings", on(&Console::listings));
    app.post("/console/listings/upload", on(&Console::upload_listings), Console::kMaxUpload + 4096);
    app.post("/console/listings/commit", on(&Console::commit_listings));
    app.post("/console/listings/close", on(&Console::close_listing));
    app.get("/console/reports/download", on(&Console::reports));
}

} // namespace jf::hub::web
