// The web foundation without a network: form decoding and its limits, escaping, the error page
// in both languages, headers and caching, routes and asset confinement.
#include "sync/hub/web/web.hpp"

#include <catch2/catch.hpp>

using namespace jf;
using namespace jf::hub::web;

TEST_CASE("Form::parse decodes forms and refuses what is over the limits or malformed") {
    WebLimits lim;
    lim.max_body = 200;
    lim.max_fields = 4;
    lim.max_field_bytes = 20;
    auto f = Form::parse("name=%E5%BC%A0%E4%BC%9F&phone=138+0013&g=a&g=b", lim);
    REQUIRE(f);
    CHECK(f->get("name") == "张伟");
    CHECK(f->get("phone") == "138 0013");
    CHECK(f->all("g") == std::vector<std::string>{"a", "b"});
    CHECK(f->get("none").empty());
    CHECK_FALSE(f->has("none"));

    std::string key;
    CHECK_FALSE(Form::parse("a=1&b=2&c=3&d=4&e=5", lim, &key));
    CHECK(key == "web.err.too_many_fields");
    CHECK_FALSE(Form::parse("a=" + std::string(21, 'x'), lim, &key));
    CHECK(key == "web.err.field_too_long");
    CHECK_FALSE(Form::parse(std::string(201, 'a'), lim, &key));
    CHECK(key == "web.err.too_large");
    for (const char* bad :
         {"a=%", "a=%4", "a=%zz", "a=%FF", "a=%C0%AF", "a=%ED%A0%80", "a=%00", "a=%E5%BC"}) {
        INFO(bad);
        CHECK_FALSE(Form::parse(bad, lim, &key));
        CHECK(key == "web.err.bad_form");
    }
    CHECK(Form::parse("", lim));
    CHECK(Form::parse("&&a=1&", lim)->get("a") == "1");
}

TEST_CASE("Form::parse_multipart reads an upload's fields and file, refuses malformed bodies") {
    WebLimits lim;
    lim.max_fields = 4;
    lim.max_field_bytes = 20;
    const std::string ct = "multipart/form-data; boundary=----jfB0und";
    std::string file("a,b\r\n\x00\xff--", 9);
    std::string body = "------jfB0und\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                       "abc\r\n------jfB0und\r\nContent-Disposition: form-data; name=\"file\"; "
                       "filename=\"附件4.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                       file + "\r\n------jfB0und--\r\n";
    auto f = Form::parse_multipart(body, ct, lim, 1000);
    REQUIRE(f);
    CHECK(f->get("csrf") == "abc");
    REQUIRE(f->file("file"));
    CHECK(f->file("file")->filename == "附件4.csv");
    CHECK(f->file("file")->bytes == file); // binary bytes kept as they are
    CHECK_FALSE(f->file("csrf"));
    std::string key;
    CHECK_FALSE(Form::parse_multipart(body, ct, lim, 100, &key));
    CHECK(key == "web.err.too_large");
    for (const std::string& bad :
         {body.substr(0, body.size() - 12),                         // no closing boundary
          std::string("------jfB0und\r\n\r\nx\r\n------jfB0und--"), // a part without a name
          std::string("garbage"), std::string()}) {
        INFO(bad);
        CHECK_FALSE(Form::parse_multipart(bad, ct, lim, 1000, &key));
        CHECK(key == "web.err.bad_form");
    }
    CHECK_FALSE(Form::parse_multipart(body, "multipart/form-data", lim, 1000, &key)); // boundary?
    CHECK_FALSE(Form::parse_multipart(body, "text/plain; boundary=----jfB0und", lim, 1000, &key));
    std::string long_field = "------jfB0und\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" +
                             std::string(21, 'x') + "\r\n------jfB0und--";
    CHECK_FALSE(Form::parse_multipart(long_field, ct, lim, 1000, &key));
    CHECK(key == "web.err.field_too_long");
}

TEST_CASE("html_escape leaves no markup") {
    CHECK(html_escape("<script>alert('x')</script>&\"") ==
          "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;&quot;");
    CHECK(url_encode("a b/é") == "a%20b%2F%C3%A9");
}

TEST_CASE("WebApp: routes, escaped templates, error page in both languages, headers") {
    WebApp app(assets_dir());
    app.get("/t/", [&app](const Request& r) {
        Data d = app.base_data(r);
        d.set("message", "<img src=x onerror=alert(1)>");
        d.set("status", "200");
        d.set("title", "x");
        return app.page(r, "error", d, "web.error.title");
    });
    app.post(
        "/t/form", [](const Request&) { return Response{}; }, 1000);
    std::string why;
    REQUIRE(app.load(&why));

    CHECK(app.owns("/t/anything"));
    CHECK(app.owns("/assets/web.css"));
    CHECK_FALSE(app.owns("/v1/status"));
    CHECK(app.allows("/t/form", "POST"));
    CHECK_FALSE(app.allows("/t/x", "POST"));
    CHECK(app.body_limit("/t/form") == 1000);
    CHECK(app.body_limit("/t/x") == 0);

    Request r;
    r.method = "GET";
    r.path = "/t/page";
    auto res = app.handle(r);
    CHECK(res.status == 200);
    CHECK(res.body.find("<img") == std::string::npos);
    CHECK(res.body.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    auto has = [](const Response& x, const std::string& k, const std::string& v) {
        for (auto& [hk, hv] : x.headers)
            if (hk == k && hv.find(v) != std::string::npos) return true;
        return false;
    };
    CHECK(has(res, "Cache-Control", "no-store"));
    CHECK(has(res, "X-Frame-Options", "DENY"));
    CHECK(has(res, "Content-Security-Policy", "script-src 'self'"));

    r.path = "/nowhere";
    res = app.handle(r);
    CHECK(res.status == 404);
    CHECK(res.body.find("找不到这个页面") != std::string::npos);
    r.query = "lang=en";
    res = app.handle(r);
    CHECK(res.body.find("There is no such page") != std::string::npos);
    CHECK(has(res, "Set-Cookie", "jf_lang=en"));
    r.query.clear();
    r.cookie = "other=1; jf_lang=en";
    CHECK(app.handle(r).body.find("There is no such page") != std::string::npos);

    // Every refusal the server makes has a message in both languages, never the raw key.
    for (int status : {400, 404, 405, 411, 413, 414, 429}) {
        for (const char* lang : {"zh", "en"}) {
            Request q;
            q.method = "GET";
            q.path = "/t/x";
            q.query = std::string("lang=") + lang;
            auto e = app.refusal(q, status);
            INFO(status << " " << lang);
            CHECK(e.status == status);
            CHECK(e.body.find("web.err.") == std::string::npos);
            CHECK(e.body.find("web.error.") == std::string::npos);
        }
    }

    // Assets: known files only, cached for a year when asked for by their versioned URL.
    r = {};
    r.method = "GET";
    r.path = "/assets/web.css";
    auto url = app.asset_url("web.css");
    r.query = url.substr(url.find('?') + 1);
    res = app.handle(r);
    CHECK(res.status == 200);
    CHECK(has(res, "Cache-Control", "immutable"));
    for (const char* bad : {"/assets/../../CMakeLists.txt", "/assets/templates/layout.mustache",
                            "/assets/", "/assets/.x", "/assets//etc/passwd"}) {
        r.path = bad;
        INFO(bad);
        CHECK(app.handle(r).status == 404);
    }
    r.method = "POST";
    r.path = "/assets/web.css";
    CHECK(app.handle(r).status == 405);
}

TEST_CASE("Every web and phone translation key exists in both languages") {
    Translations t;
    REQUIRE(t.load(assets_dir() + "/i18n"));
    for (auto& k : t.missing_keys()) {
        INFO(k);
        CHECK((k.find(":web.") == std::string::npos && k.find(":phone.") == std::string::npos));
    }
}
