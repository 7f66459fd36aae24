// The console answered by the hub's own WebApp (templates, access rules, real SQLite store), in
// the test's process: what a browser's request gets, without a socket.
#pragma once

#include <catch2/catch.hpp>

#include "tests/sync/sync_test_util.hpp"
#include "sync/hub/hub_accounts.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"
#include "sync/hub/web/web.hpp"
#include "sync/hub/web/web_context.hpp"
#include "kiosk/i18n/i18n.hpp"

#include <memory>
#include <regex>
#include <string>

namespace jf::test {

struct ConsoleApp {
    TempDir dir;
    std::unique_ptr<hub::HubStore> store;
    std::unique_ptr<hub::HubService> service;
    hub::ServeConfig cfg;
    std::unique_ptr<hub::web::WebContext> ctx;
    std::unique_ptr<hub::web::WebApp> app;
    std::unique_ptr<hub::Accounts> accounts;

    ConsoleApp() {
        crypto_init();
        std::string err;
        store = hub::open_hub_store(dir.str("hub"), &err);
        INFO(err);
        REQUIRE(store);
        service = std::make_unique<hub::HubService>(*store, "");
        cfg.data_dir = dir.str("hub");
        ctx = std::make_unique<hub::web::WebContext>(hub::web::WebContext{*store, *service, cfg});
        app = std::make_unique<hub::web::WebApp>(assets_dir());
        hub::web::install_web_modules(*app, *ctx);
        REQUIRE(app->load(&err));
        hub::ConsoleLimits lim;
        lim.pwhash_ops = 1;
        lim.pwhash_mem = 8192;
        accounts = std::make_unique<hub::Accounts>(*store, lim);
    }

    // A signed-in account's cookie ("jf_console=…").
    std::string sign_in(const std::string& name, const std::string& union_id,
                        const std::string& role = "staff") {
        hub::AccountRow a;
        a.name = name;
        a.union_id = union_id;
        a.role = role;
        std::string token, err, who;
        REQUIRE(accounts->add_account("root", a, now_ms(), &token, &err));
        REQUIRE(accounts->set_password(token, "correct horse 1", now_ms(), &who, &err));
        auto s = accounts->sign_in(name, "correct horse 1", now_ms());
        REQUIRE(!s.session_id.empty());
        return "jf_console=" + s.session_id;
    }

    hub::web::Response get(const std::string& cookie, const std::string& path,
                           const std::string& query = {}) {
        hub::web::Request r;
        r.method = "GET";
        r.path = path;
        r.query = query;
        r.cookie = cookie;
        return app->handle(r);
    }
    hub::web::Response post(const std::string& cookie, const std::string& path,
                            const std::string& body) {
        hub::web::Request r;
        r.method = "POST";
        r.path = path;
        r.body = body;
        r.content_type = "application/x-www-form-urlencoded";
        r.cookie = cookie;
        return app->handle(r);
    }
    // The CSRF token a page's forms carry.
    std::string csrf(const std::string& cookie, const std::string& path = "/console/fairs") {
        auto body = get(cookie, path).body;
        std::smatch m;
        REQUIRE(std::regex_search(body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")));
        return m[1];
    }
};

// The text of the element with id `id` in a page ("" when it has none).
inline std::string element_text(const std::string& html, const std::string& id) {
    std::smatch m;
    if (!std::regex_search(html, m, std::regex("id=\"" + id + "\"[^>]*>([^<]*)<"))) return {};
    return m[1];
}

} // namespace jf::test
