// The union staff's web console (console.hpp).
#include "console.hpp"

#include "domain/reports.hpp"
#include "hub_accounts.hpp"
#include "hub_audit.hpp"
#include "hub_reports.hpp"
#include "hub_tls.hpp"
#include "scan/image.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
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
        return Form::parse(r.method == "POST" ? std::string_view(r.body) : r.query, app.limits(),
                           &key);
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

    // A fair's figures: people checked in, placements (current versions), per hour of the day.
    Data fair_figures(const Fair& f) {
        Data d = fair_row(f);
        std::set<std::string> people;
        for (auto& c : ctx.store.check_ins(f.id))
            people.insert(c.record.attendee_id);
        std::vector<Placement> versions;
        for (auto& p : ctx.store.placement_versions(f.id))
            versions.push_back(p.record);
        auto resolved = resolve_placements(versions);
        d.set("people", std::to_string(people.size()));
        d.set("placements", std::to_string(resolved.current.size()));
        return d;
    }

    // The fair day as the union counts it (docs/fair-day.md): people in (check-ins not undone),
    // people with a booth intent, people placed, station services.
    void add_fair_day(Data& d, const Fair& f) {
        ReportInput in;
        for (auto& c : ctx.store.check_ins(f.id))
            in.check_ins.push_back(std::move(c.record));
        for (auto& p : ctx.store.placement_versions(f.id))
            in.placements.push_back(std::move(p.record));
        auto day = ctx.store.fair_day(f.id);
        in.intents = std::move(day.intents);
        in.undos = std::move(day.undos);
        in.services = std::move(day.services);
        auto n = count_fair_day(in, f.id);
        d.set("people", std::to_string(n.people_in));
        d.set("with_intent", std::to_string(n.with_intent));
        d.set("placed", std::to_string(n.placed));
        d.set("services", std::to_string(n.services));
    }

    Response today(const Request& r) {
        auto s = signed_in(r);
        if (!s) return redirect("/console/signin");
        TimeMs now = now_ms();
        Date day = cst_date(now);
        Data fairs{Data::type::list};
        for (auto& f : ctx.store.fairs())
            if (s->access.reads_fair(f) && f.date == day) {
                Data row = fair_figures(f);
                add_fair_day(row, f);
                fairs.push_back(row);
            }
        Data d;
        d.set("day", day.to_iso());
        d.set("fairs", fairs);
        d.set("none", fairs.is_empty_list());
        return page(r, *s, "console/today", d, "console.today.title");
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
        if (s->access.may_open_numbers()) opener.emplace(ctx.store, ctx.store.keys().seal);
        ReportInput in = hub_report_input(ctx.store, opener ? &*opener : nullptr);
        ReportOptions ro;
        ro.union_unit = unit;
        Check why;
        auto sheet = forms::build_form(in, *k, *period, ro, {}, cst_date(now), &why);
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
            d.set("download_query", "kind=" + url_encode(kind) + "&union=" + url_encode(unit) +
                                        "&week=" + url_encode(week.empty() ? period->label : week));
        }
        return page(r, *s, "console/reports", d, "console.reports.title");
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
                rows.push_back(row);
            }
        Data d;
        d.set("q", find);
        d.set("rows", rows);
        return page(r, *s, "console/people", d, "console.people.title");
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
    auto on = [c](Response (Console::*h)(const Request&)) {
        return [c, h](const Request& r) { return ((*c).*h)(r); };
    };
    app.get("/console/", [c](const Request& r) {
        if (r.path != "/console/") return c->refuse(r, 404, "console.err.not_found");
        return c->today(r);
    });
    app.get("/console", [](const Request&) { return redirect("/console/"); });
    app.get("/console/signin", on(&Console::get_signin));
    app.post("/console/signin", on(&Console::post_signin));
    app.post("/console/signout", on(&Console::post_signout));
    app.get("/console/setup", on(&Console::get_setup));
    app.post("/console/setup", on(&Console::post_setup));
    app.get("/console/fairs", on(&Console::fairs));
    app.post("/console/fairs", on(&Console::add_fair));
    app.post("/console/campaigns", on(&Console::add_campaign));
    app.get("/console/fair", on(&Console::fair));
    app.get("/console/terminals", on(&Console::terminals));
    app.get("/console/terminals/revoke", on(&Console::revoke));
    app.post("/console/terminals/revoke", on(&Console::revoke));
    app.post("/console/terminals/enrol", on(&Console::enrol));
    app.get("/console/audit", on(&Console::audit_log));
    app.get("/console/reports", on(&Console::reports));
    app.get("/console/quarantine", on(&Console::quarantine));
    app.get("/console/people", on(&Console::people));
    app.get("/console/reports/download", on(&Console::reports));
}

} // namespace jf::hub::web
