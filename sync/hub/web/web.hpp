// The hub's web pages: a small router the HTTPS server hands every path it does not serve itself
// (the terminal API under /v1/ stays as it is), static assets from assets/web/, server-side
// templates (mustache, every value HTML-escaped unless a template says otherwise), form decoding
// with limits, strict headers and one error page shape in both languages. docs/web.md explains
// the choices.
//
// Index
// - Request, Response   what a handler sees and returns (the server fills and writes them)
// - WebLimits           body, field count and field size limits of the web paths
// - Form                decoded application/x-www-form-urlencoded bodies and query strings,
//                       and multipart/form-data bodies (uploads)
// - html_escape         for text a handler writes outside a template
// - WebApp              routes (exact paths or prefixes), assets, templates, translations, and
//                       finish(): the security headers every answer gets
// - install_web_modules the one place each area's pages are added (web_modules.cpp)
//
// Recipe for a page: in an area's install function, `app.get("/m/jobs", handler)`; the handler
// reads the store or service (never anything the CLI would compute differently), builds a
// Mustache data object and returns `app.page(req, "phone/jobs", data, title_key)`: the template
// assets/web/templates/phone/jobs.mustache rendered inside layout.mustache in the request's
// language. Bad input: `app.error_page(req, 400, "web.err.something")`. Translation keys live in
// assets/i18n/web/{zh_CN,en_US}.json (and an area's own folder).
#pragma once

#include "kiosk/i18n/i18n.hpp"

#include <kainjow/mustache.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jf::hub::web {

using Data = kainjow::mustache::data;

struct Request {
    std::string method; // "GET" or "POST" (the server refuses others on web paths)
    std::string path;   // without the query
    std::string query;  // after '?', still encoded
    std::string body;   // POST body, at most WebLimits::max_body bytes
    std::string content_type, cookie, accept_language, user_agent;
    std::string address;    // the client's address (rate limits only; never logged with a person)
    Lang lang = Lang::ZhCN; // chosen by WebApp::handle from ?lang=, the cookie, then zh-CN
};

// How an answer may be cached. Pages default to NoStore: anything with a person on it must not
// stay in a shared phone's cache. Assets are named by their content (WebApp::asset_url), so they
// can be kept for a year.
enum class Cache { NoStore, Public, Immutable };

struct Response {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    Cache cache = Cache::NoStore;
    std::vector<std::pair<std::string, std::string>> headers; // extra ones (Set-Cookie, Location)
};

struct WebLimits {
    size_t max_body = 16u << 10;   // a form; uploads (the console's sheets) raise it per route
    size_t max_fields = 64;        // name=value pairs in one form or query
    size_t max_field_bytes = 4096; // one decoded value
};

// A decoded form or query string: names and values in order. parse() refuses (nullopt and a
// message key) bodies over the limits, bad percent escapes and text that is not UTF-8.
class Form {
  public:
    static std::optional<Form> parse(std::string_view encoded, const WebLimits& limits,
                                     std::string* error_key = nullptr);
    std::string get(std::string_view name) const; // the first value ("" when absent)
    bool has(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const; // every value (checkboxes)

    // A multipart/form-data body (a form with a file): text parts become fields under the same
    // limits as parse(); file parts (those with a filename) are kept as bytes, at most `max_body`
    // in all (the route's upload limit). Refuses a missing or odd boundary, a part without a
    // name, headers over 1 KiB, a body that does not end with the closing boundary.
    static std::optional<Form> parse_multipart(std::string_view body, std::string_view content_type,
                                               const WebLimits& limits, size_t max_body,
                                               std::string* error_key = nullptr);
    struct File {
        std::string name, filename, bytes;
    };
    const File* file(std::string_view name) const; // the first file part of that name, or null

  private:
    std::vector<std::pair<std::string, std::string>> fields_;
    std::vector<File> files_;
};

std::string html_escape(std::string_view text);
std::string url_encode(std::string_view text);
// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "" when it has none.
std::string cookie_value(std::string_view cookies, std::string_view name);

using Handler = std::function<Response(const Request&)>;

class WebApp {
  public:
    // `assets`: the assets folder (assets_dir()); web files are under <assets>/web, templates
    // under <assets>/web/templates, translations under <assets>/i18n.
    explicit WebApp(std::string assets);
    bool load(std::string* error); // reads templates, assets and translations; false: say why

    // Routes. An exact path, or a prefix ending in '/' (longest wins). `max_body` overrides
    // WebLimits::max_body for a POST route (an upload).
    void get(std::string path, Handler h);
    void post(std::string path, Handler h, size_t max_body = 0);
    // Keeps `state` (a module's service) alive as long as the app and its handlers.
    void own(std::shared_ptr<void> state) { owned_.push_back(std::move(state)); }
    // A file served under /assets/<name> from outside assets/web (Debian's Chart.js, say).
    void add_asset_file(const std::string& name, const std::string& path);

    // The server's questions before reading a body: is this path ours, which methods, how large.
    bool owns(std::string_view path) const;
    bool allows(std::string_view path, std::string_view method) const;
    size_t body_limit(std::string_view path) const;

    // Runs the route (assets included), catching whatever a handler throws (a 500 page), and
    // finishes the answer: security headers, caching, the language cookie.
    Response handle(Request req) const;

    // The error page for a refusal the server makes before any handler runs (405, 411, 413,
    // 429 ...), finished like any answer.
    Response refusal(Request req, int status) const;

    // For handlers.
    const WebLimits& limits() const { return limits_; }
    WebLimits& limits() { return limits_; }
    const Translations& translations() const { return tr_; }
    const std::string& tr(const Request& r, std::string_view key) const;
    std::string asset_url(const std::string& name) const; // "/assets/phone.css?v=<hash>"
    // The named template rendered with `data`, inside the layout, as a 200 page.
    Response page(const Request& r, const std::string& name, Data data,
                  std::string_view title_key) const;
    // The one error page: status, a title and a message in the request's language (the other
    // language one tap away), no detail beyond the message key's text.
    Response error_page(const Request& r, int status, std::string_view message_key) const;
    // A template on its own (no layout), for fragments and tests.
    std::string render(const std::string& name, const Data& data) const;
    // Data every page gets: t.<key> for every web translation key of the request's language,
    // lang, other_lang_url (this page in the other language), assets.
    Data base_data(const Request& r) const;

    // Headers every web answer gets (finish() applies them); exposed for tests and docs.
    static std::vector<std::pair<std::string, std::string>> security_headers(Cache c);

  private:
    struct Route {
        std::string path;
        bool prefix = false;
        std::string method;
        Handler handler;
        size_t max_body = 0;
    };
    const Route* find(std::string_view path, std::string_view method) const;
    Response serve_asset(const Request& r) const;
    void finish(const Request& r, Response& res) const;
    void choose_lang(Request& r) const;

    std::string assets_;
    WebLimits limits_;
    Translations tr_;
    std::map<std::string, std::string> templates_; // name → text
    struct Asset {
        std::string body, content_type, version;
    };
    std::map<std::string, Asset, std::less<>> files_;
    std::vector<std::pair<std::string, std::string>> extra_files_;
    std::vector<Route> routes_;
    std::vector<std::shared_ptr<void>> owned_;
};

// Adds every area's pages to `app` (web_modules.cpp: one line per area). `ctx` is what handlers
// may use: the hub's store and service, and the settings of `serve`.
struct WebContext;
void install_web_modules(WebApp& app, WebContext& ctx);

} // namespace jf::hub::web
