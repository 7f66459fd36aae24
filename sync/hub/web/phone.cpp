// Job seekers' phone pages under /m/ (phone.hpp, docs/phone.md): a thin layer over PhoneSignup
// (registration, one-time codes, the signed code) and the store's listings.
#include "sync/hub/web/phone.hpp"

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/validate.hpp"
#include "platform/log/log.hpp"
#include "platform/scan/image.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <fstream>

namespace jf::hub::web {
namespace {

using kainjow::mustache::list;

// The key groups as the entrance screen names them (its translation keys).
constexpr std::pair<uint32_t, const char*> kGroups[] = {
    {kMigrantWorker, "entrance.group.migrant"},   {kNewFormWorker, "entrance.group.new_form"},
    {kHardshipFamily, "entrance.group.hardship"}, {kCollegeGraduate, "entrance.group.graduate"},
    {kDisabled, "entrance.group.disabled"},       {kRuralLabourer, "entrance.group.rural"},
};

std::string fair_label(const Fair& f) {
    std::string s = f.name.empty() ? f.id : f.name;
    if (f.date.valid()) s += " (" + f.date.to_iso() + ")";
    return s;
}

struct Pages {
    WebApp& app;
    HubStore& store;
    PhoneSignup& signup;

    Data problems_data(const Request& r, const std::vector<Check>& problems) const {
        list l;
        for (auto& p : problems) {
            Data d;
            d.set("field", p.field);
            d.set("message", app.tr(r, p.key));
            l.push_back(d);
        }
        return l;
    }

    // The registration form, with what was typed and the problems found (if any).
    Response register_form(const Request& r, const PhoneForm* typed,
                           const std::vector<Check>& problems, int status) {
        TimeMs now = now_ms();
        Data d = app.base_data(r);
        list fairs;
        for (auto& f : signup.open_fairs(now)) {
            Data fd;
            fd.set("id", f.id);
            fd.set("label", fair_label(f));
            fd.set("venue", f.venue);
            if (typed && typed->fair_id == f.id) fd.set("selected", true);
            fairs.push_back(fd);
        }
        d.set("fairs", fairs);
        d.set("no_fairs", fairs.empty());
        list groups;
        for (auto& [bit, key] : kGroups) {
            Data g;
            g.set("value", std::to_string(bit));
            g.set("label", app.tr(r, key));
            if (typed && (typed->person.key_groups & bit)) g.set("checked", true);
            groups.push_back(g);
        }
        d.set("groups", groups);
        if (typed) {
            d.set("name", typed->person.name);
            d.set("phone", typed->person.phone);
            d.set("resident_id", typed->person.resident_id);
            if (typed->person.consent) d.set("consent", true);
            if (typed->id_consent) d.set("id_consent", true);
        }
        if (!problems.empty()) d.set("problems", problems_data(r, problems));
        Challenge c = signup.challenge(now);
        if (c.active) {
            d.set("challenge", c.seed);
            d.set("challenge_bits", std::to_string(c.bits));
        }
        auto res = app.page(r, "phone/register", d, "phone.register.title");
        res.status = status;
        return res;
    }

    Response verify_page(const Request& r, const std::string& ticket, const std::string& error_key,
                         int status) {
        Data d = app.base_data(r);
        d.set("ticket", ticket);
        if (!error_key.empty()) d.set("error", app.tr(r, error_key));
        auto res = app.page(r, "phone/verify", d, "phone.verify.title");
        res.status = status;
        return res;
    }

    Response code_page(const Request& r, const PhoneSignup::Verified& v) {
        Data d = app.base_data(r);
        auto qr = scan::render_qr(v.code->credential, 6, 4);
        auto png = scan::png_bytes(qr);
        if (png.empty()) return app.error_page(r, 500, "web.err.internal");
        d.set("qr", "data:image/png;base64," + base64(Bytes(png.begin(), png.end())));
        d.set("qr_size", std::to_string(qr.width));
        d.set("name", v.person.name);
        d.set("phone_masked", v.person.phone_masked);
        if (v.fair) {
            d.set("fair", fair_label(*v.fair));
            d.set("venue", v.fair->venue);
        }
        d.set("credential", v.code->credential);
        return app.page(r, "phone/code", d, "phone.code.title");
    }

    std::optional<Form> form(const Request& r, Response* bad) {
        std::string key;
        auto f = Form::parse(r.body, app.limits(), &key);
        if (!f) *bad = app.error_page(r, 400, key);
        return f;
    }

    Response post_register(const Request& r) {
        Response bad;
        auto f = form(r, &bad);
        if (!f) return bad;
        PhoneForm pf;
        pf.person.name = f->get("name");
        pf.person.phone = f->get("phone");
        pf.person.resident_id = f->get("resident_id");
        for (auto& g : f->all("group")) {
            uint32_t bit = 0;
            for (auto& [b, key] : kGroups)
                if (std::to_string(b) == g) bit = b;
            pf.person.key_groups |= bit ? bit : 0x80000000u; // an unknown value is a problem
        }
        pf.person.consent = f->get("consent") == "yes";
        pf.id_consent = f->get("id_consent") == "yes";
        pf.fair_id = f->get("fair");
        pf.challenge = f->get("challenge");
        pf.pow = f->get("pow");
        PhoneForm shown = pf; // what the page shows back if there are problems
        shown.person.key_groups &= kAllKeyGroups;
        auto out = signup.register_person(std::move(pf), r.address, now_ms());
        Response res;
        if (!out.ticket.empty())
            res = verify_page(r, out.ticket, {}, 200);
        else if (!out.problems.empty())
            res = register_form(r, &shown, out.problems, out.status);
        else if (out.error_key == "phone.err.challenge")
            res = register_form(r, &shown, {Check::fail(out.error_key, "challenge")}, out.status);
        else
            res = app.error_page(r, out.status, out.error_key);
        shown.person.forget();
        return res;
    }

    Response code_request_form(const Request& r, const std::string& phone,
                               const std::vector<Check>& problems, int status) {
        Data d = app.base_data(r);
        d.set("phone", phone);
        if (!problems.empty()) d.set("problems", problems_data(r, problems));
        auto res = app.page(r, "phone/code_request", d, "phone.back.title");
        res.status = status;
        return res;
    }

    Response post_code_request(const Request& r) {
        Response bad;
        auto f = form(r, &bad);
        if (!f) return bad;
        std::string phone = f->get("phone");
        auto out = signup.request_code(phone, r.address, now_ms());
        if (!out.ticket.empty()) return verify_page(r, out.ticket, {}, 200);
        if (!out.problems.empty()) return code_request_form(r, phone, out.problems, out.status);
        return app.error_page(r, out.status, out.error_key);
    }

    Response post_verify(const Request& r) {
        Response bad;
        auto f = form(r, &bad);
        if (!f) return bad;
        std::string ticket = f->get("ticket");
        auto v = signup.verify(ticket, f->get("otp"), now_ms());
        if (v.code) return code_page(r, v);
        if (v.error_key == "phone.err.otp_wrong") return verify_page(r, ticket, v.error_key, 400);
        return app.error_page(r, v.status, v.error_key);
    }

    // -- Listings -----------------------------------------------------------------

    static bool contains(const std::string& hay, const std::string& needle) {
        if (needle.empty()) return true;
        auto lower = [](std::string s) {
            for (auto& c : s)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return s;
        };
        return lower(hay).find(lower(needle)) != std::string::npos;
    }

    Response jobs(const Request& r) {
        if (r.path != "/m/jobs") return job(r);
        auto q = Form::parse(r.query, app.limits());
        if (!q) return app.error_page(r, 400, "web.err.bad_form");
        std::string text = trim(q->get("q")), industry = q->get("industry"),
                    place = q->get("place");
        Date today = cst_date(now_ms());
        std::set<std::string> industries, places;
        list found;
        size_t shown = 0, total = 0;
        for (auto& l : store.listings()) {
            if (!l.open_on(today)) continue;
            if (!l.industry.empty()) industries.insert(l.industry);
            if (!l.work_location.empty()) places.insert(l.work_location);
            if (!industry.empty() && l.industry != industry) continue;
            if (!place.empty() && l.work_location != place) continue;
            if (!(contains(l.title, text) || contains(l.employer_name, text) ||
                  contains(l.description, text) || contains(l.industry, text)))
                continue;
            ++total;
            if (shown >= 100) continue; // a phone page stays small; the search narrows it
            ++shown;
            Data d;
            d.set("url", "/m/jobs/" + url_encode(l.id));
            d.set("title", l.title);
            d.set("employer", l.employer_name);
            d.set("place", l.work_location);
            d.set("salary", l.salary);
            d.set("headcount", l.headcount ? std::to_string(*l.headcount) : std::string());
            found.push_back(d);
        }
        Data d = app.base_data(r);
        auto options = [](const std::set<std::string>& values, const std::string& chosen) {
            list l;
            for (auto& v : values) {
                Data o;
                o.set("value", v);
                if (v == chosen) o.set("selected", true);
                l.push_back(o);
            }
            return l;
        };
        d.set("industries", options(industries, industry));
        d.set("places", options(places, place));
        d.set("q", text);
        d.set("listings", found);
        d.set("count", std::to_string(total));
        d.set("more", total > shown);
        d.set("none", total == 0);
        auto res = app.page(r, "phone/jobs", d, "phone.jobs.title");
        res.cache = Cache::NoStore; // listings change; no person on the page either way
        return res;
    }

    Response job(const Request& r) {
        std::string id;
        std::string encoded = r.path.substr(std::string("/m/jobs/").size());
        auto q = Form::parse("id=" + encoded, app.limits());
        if (q) id = q->get("id");
        Date today = cst_date(now_ms());
        for (auto& l : store.listings()) {
            if (l.id != id || !l.open_on(today)) continue;
            Data d = app.base_data(r);
            d.set("title", l.title);
            d.set("employer", l.employer_name);
            d.set("place", l.work_location);
            d.set("industry", l.industry);
            d.set("salary", l.salary);
            d.set("headcount", l.headcount ? std::to_string(*l.headcount) : std::string());
            d.set("education", l.education);
            d.set("experience", l.experience);
            d.set("gender", l.gender_requirement);
            d.set("description", l.description);
            d.set("contact_name", l.contact_name);
            d.set("contact_phone", l.contact_phone);
            d.set("email", l.email);
            d.set("deadline", l.deadline.valid() ? l.deadline.to_iso() : std::string());
            d.set("remarks", l.remarks);
            return app.page(r, "phone/job", d, "phone.jobs.title");
        }
        return app.error_page(r, 404, "phone.err.no_listing");
    }
};

} // namespace

// The hub's issuer key for phone codes: the configured file, or <data dir>/phone-issuer.key made
// on first start (0600, never overwritten). Its public half is published to terminals.
SigningKey phone_issuer(HubStore& store, const ServeConfig& cfg) {
    std::string path = cfg.issuer_key.empty()
                           ? (std::filesystem::path(cfg.data_dir) / "phone-issuer.key").string()
                           : cfg.issuer_key;
    std::ifstream in(path);
    std::string line;
    std::optional<SigningKey> key;
    if (in && std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (auto secret = from_hex(line)) key = SigningKey::from_secret(*secret);
        if (!key) throw std::runtime_error(path + " is not an issuer private key");
    } else if (cfg.issuer_key.empty()) {
        key = SigningKey::generate();
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        std::string text = hex(key->secret_key) + "\n";
        bool ok = fd >= 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
        if (fd >= 0) ok = ::close(fd) == 0 && ok;
        sodium_memzero(text.data(), text.size());
        if (!ok) throw std::runtime_error("cannot write " + path);
    } else {
        throw std::runtime_error("cannot read issuer key " + path);
    }
    bool known = false;
    for (auto& k : store.issuer_keys())
        if (k.key_id == key->key_id()) known = true;
    if (!known && !store.upsert_issuer_key(key->key_id(), key->public_key))
        throw std::runtime_error("cannot publish the phone issuer key: " + store.last_error());
    return *key;
}

void install_phone_pages(WebApp& app, HubStore& store, PhoneSignup& signup) {
    auto pages = std::make_shared<Pages>(Pages{app, store, signup});
    app.get("/m/", [pages](const Request& r) {
        if (r.path != "/m/") return pages->app.error_page(r, 404, "web.err.not_found");
        return pages->app.page(r, "phone/home", pages->app.base_data(r), "phone.home.title");
    });
    app.get("/m/register",
            [pages](const Request& r) { return pages->register_form(r, nullptr, {}, 200); });
    app.post("/m/register", [pages](const Request& r) { return pages->post_register(r); });
    app.get("/m/code",
            [pages](const Request& r) { return pages->code_request_form(r, {}, {}, 200); });
    app.post("/m/code", [pages](const Request& r) { return pages->post_code_request(r); });
    app.post("/m/verify", [pages](const Request& r) { return pages->post_verify(r); });
    app.get("/m/jobs", [pages](const Request& r) { return pages->jobs(r); });
    app.get("/m/jobs/", [pages](const Request& r) { return pages->job(r); });
}

void install_phone_pages(WebApp& app, WebContext& ctx) {
    std::string why;
    auto sms = make_sms_sender(ctx.cfg.sms_sender, &why);
    if (!sms) throw std::runtime_error(why);
    PhoneSettings s;
    s.challenge_per_minute = ctx.cfg.phone_challenge_per_minute;
    s.challenge_bits = ctx.cfg.phone_challenge_bits;
    s.sms_burst_per_number = ctx.cfg.phone_sms_per_number;
    s.sms_burst_per_address = ctx.cfg.phone_sms_per_address;
    auto signup = std::make_shared<PhoneSignup>(ctx.store, phone_issuer(ctx.store, ctx.cfg),
                                                std::move(sms), s);
    app.own(signup); // lives as long as the pages that use it
    install_phone_pages(app, ctx.store, *signup);
}

} // namespace jf::hub::web
