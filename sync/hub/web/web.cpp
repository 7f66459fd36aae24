// The web router, assets, templates, form decoding and headers (web.hpp).
#include "sync/hub/web/web.hpp"

#include "kiosk/crypto/crypto.hpp"
#include "platform/log/log.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace jf::hub::web {

namespace fs = std::filesystem;

// -----------------------------------------------------------------------------
// Text
// -----------------------------------------------------------------------------

std::string html_escape(std::string_view text) {
    return kainjow::mustache::html_escape(std::string(text));
}

std::string url_encode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool valid_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
        if (n == 9 || s.size() - i <= n) return false;
        uint32_t cp = n == 0 ? c : c & (0x3Fu >> n);
        for (size_t k = 1; k <= n; ++k) {
            auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

// Percent-decoding with '+' as space; false on a broken escape.
bool decode_component(std::string_view s, std::string& out) {
    out.clear();
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%') {
            if (s.size() - i < 3) return false;
            int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return true;
}

std::string read_file(const fs::path& p, bool* ok) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    *ok = static_cast<bool>(in) || in.eof();
    return ss.str();
}

std::string content_type_of(const std::string& name) {
    auto ext = fs::path(name).extension().string();
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".png") return "image/png";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    return "application/octet-stream";
}

// Names under /assets/: letters, digits, '-', '_', '.', '/' segments; no "..", no hidden files.
bool safe_asset_name(std::string_view n) {
    if (n.empty() || n.size() > 200 || n.front() == '/') return false;
    for (char c : n)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
              c == '/'))
            return false;
    return n.find("..") == std::string_view::npos && n.find("/.") == std::string_view::npos &&
           n.front() != '.';
}


// The first 12 hex characters of the content's hash: an asset's URL changes with its content.
std::string version_of(const std::string& content) {
    return keyed_hash(Bytes(32, 0), "jf.web.asset", content).substr(0, 12);
}

constexpr const char* kLangCookie = "jf_lang";
constexpr const char* kBaseKeys[] = {"lang",    "other_lang_url", "other_lang_name",
                                     "css_url", "js_url",         "t"};

} // namespace

std::string cookie_value(std::string_view cookies, std::string_view name) {
    while (!cookies.empty()) {
        auto semi = cookies.find(';');
        auto part = cookies.substr(0, semi);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name)
            return std::string(part.substr(eq + 1));
        if (semi == std::string_view::npos) break;
        cookies.remove_prefix(semi + 1);
    }
    return {};
}

// -----------------------------------------------------------------------------
// Form
// -----------------------------------------------------------------------------

std::optional<Form> Form::parse(std::string_view encoded, const WebLimits& limits,
                                std::string* error_key) {
    auto fail = [&](const char* key) -> std::optional<Form> {
        if (error_key) *error_key = key;
        return std::nullopt;
    };
    if (encoded.size() > limits.max_body) return fail("web.err.too_large");
    Form f;
    while (!encoded.empty()) {
        auto amp = encoded.find('&');
        auto part = encoded.substr(0, amp);
        encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
        if (part.empty()) continue;
        if (f.fields_.size() >= limits.max_fields) return fail("web.err.too_many_fields");
        auto eq = part.find('=');
        std::string name, value;
        if (!decode_component(part.substr(0, eq), name) ||
            !decode_component(
                eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), value))
            return fail("web.err.bad_form");
        if (value.size() > limits.max_field_bytes || name.size() > 64)
            return fail("web.err.field_too_long");
        if (!valid_utf8(name) || !valid_utf8(value)) return fail("web.err.bad_form");
        if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
            return fail("web.err.bad_form");
        f.fields_.emplace_back(std::move(name), std::move(value));
    }
    return f;
}

namespace {

// The value of `param` (boundary=, name=, filename=) in a header such as
// `form-data; name="file"; filename="a.xlsx"`: quoted or bare.
std::optional<std::string> header_param(std::string_view header, std::string_view param) {
    size_t at = 0;
    while ((at = header.find(param, at)) != std::string_view::npos) {
        bool starts = at == 0 || header[at - 1] == ';' || header[at - 1] == ' ';
        at += param.size();
        if (!starts || at >= header.size() || header[at] != '=') continue;
        ++at;
        if (at < header.size() && header[at] == '"') {
            auto end = header.find('"', at + 1);
            if (end == std::string_view::npos) return std::nullopt;
            return std::string(header.substr(at + 1, end - at - 1));
        }
        auto end = header.find(';', at);
        auto v = header.substr(at, end == std::string_view::npos ? header.size() - at : end - at);
        while (!v.empty() && v.back() == ' ')
            v.remove_suffix(1);
        return std::string(v);
    }
    return std::nullopt;
}

bool ieq_prefix(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

} // namespace

std::optional<Form> Form::parse_multipart(std::string_view body, std::string_view content_type,
                                          const WebLimits& limits, size_t max_body,
                                          std::string* error_key) {
    auto fail = [&](const char* key) -> std::optional<Form> {
        if (error_key) *error_key = key;
        return std::nullopt;
    };
    if (body.size() > max_body) return fail("web.err.too_large");
    if (!ieq_prefix(content_type, "multipart/form-data")) return fail("web.err.bad_form");
    auto boundary = header_param(content_type, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 70) return fail("web.err.bad_form");
    const std::string delim = "--" + *boundary, next = "\r\n" + delim;
    if (body.substr(0, delim.size()) != delim) return fail("web.err.bad_form");
    size_t at = delim.size();
    Form f;
    for (;;) {
        if (body.substr(at, 2) == "--") return f; // the closing boundary
        if (body.substr(at, 2) != "\r\n") return fail("web.err.bad_form");
        at += 2;
        auto head_end = body.find("\r\n\r\n", at);
        if (head_end == std::string_view::npos || head_end - at > 1024)
            return fail("web.err.bad_form");
        std::string_view head = body.substr(at, head_end - at);
        std::optional<std::string> name, filename;
        while (!head.empty()) {
            auto eol = head.find("\r\n");
            auto line = head.substr(0, eol);
            head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
            if (ieq_prefix(line, "content-disposition:")) {
                name = header_param(line, "name");
                filename = header_param(line, "filename");
            }
        }
        at = head_end + 4;
        auto end = body.find(next, at);
        if (end == std::string_view::npos) return fail("web.err.bad_form");
        std::string value(body.substr(at, end - at));
        at = end + next.size();
        if (!name || name->empty() || name->size() > 64 || !valid_utf8(*name))
            return fail("web.err.bad_form");
        if (f.fields_.size() + f.files_.size() >= limits.max_fields)
            return fail("web.err.too_many_fields");
        if (filename) {
            f.files_.push_back({std::move(*name), std::move(*filename), std::move(value)});
            continue;
        }
        if (value.size() > limits.max_field_bytes) return fail("web.err.field_too_long");
        if (!valid_utf8(value) || value.find('\0') != std::string::npos)
            return fail("web.err.bad_form");
        f.fields_.emplace_back(std::move(*name), std::move(value));
    }
}

const Form::File* Form::file(std::string_view name) const {
    for (auto& x : files_)
        if (x.name == name) return &x;
    return nullptr;
}

std::string Form::get(std::string_view name) const {
    for (auto& [k, v] : fields_)
        if (k == name) return v;
    return {};
}

bool Form::has(std::string_view name) const {
    for (auto& [k, v] : fields_)
        if (k == name) return true;
    return false;
}

std::vector<std::string> Form::all(std::string_view name) const {
    std::vector<std::string> out;
    for (auto& [k, v] : fields_)
        if (k == name) out.push_back(v);
    return out;
}

// -----------------------------------------------------------------------------
// WebApp
// -----------------------------------------------------------------------------

WebApp::WebApp(std::string assets) : assets_(std::move(assets)) {}

bool WebApp::load(std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    std::string why;
    if (!tr_.load(assets_ + "/i18n", &why)) return fail("translations: " + why);
    fs::path web = fs::path(assets_) / "web";
    std::error_code ec;
    if (!fs::is_directory(web, ec)) return fail("no web assets in " + web.string());
    templates_.clear();
    files_.clear();
    for (auto it = fs::recursive_directory_iterator(web, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        auto rel = fs::relative(it->path(), web).generic_string();
        bool ok = false;
        std::string text = read_file(it->path(), &ok);
        if (!ok) return fail("cannot read " + it->path().string());
        if (rel.rfind("templates/", 0) == 0) {
            if (it->path().extension() != ".mustache") continue;
            auto name = rel.substr(10, rel.size() - 10 - 9);
            kainjow::mustache::mustache check(text);
            if (!check.is_valid()) return fail(rel + ": " + check.error_message());
            templates_[name] = std::move(text);
        } else if (safe_asset_name(rel)) {
            Asset a;
            a.content_type = content_type_of(rel);
            a.version = version_of(text);
            a.body = std::move(text);
            files_[rel] = std::move(a);
        }
    }
    for (auto& [name, path] : extra_files_) {
        bool ok = false;
        std::string text = read_file(path, &ok);
        if (!ok || text.empty()) return fail("cannot read " + path);
        Asset a;
        a.content_type = content_type_of(name);
        a.version = version_of(text);
        a.body = std::move(text);
        files_[name] = std::move(a);
    }
    if (!templates_.count("layout") || !templates_.count("error"))
        return fail("web templates layout.mustache and error.mustache are missing");
    return true;
}

void WebApp::get(std::string path, Handler h) {
    bool prefix = !path.empty() && path.back() == '/';
    routes_.push_back({std::move(path), prefix, "GET", std::move(h), 0});
}

void WebApp::post(std::string path, Handler h, size_t max_body) {
    bool prefix = !path.empty() && path.back() == '/';
    routes_.push_back({std::move(path), prefix, "POST", std::move(h), max_body});
}

void WebApp::add_asset_file(const std::string& name, const std::string& path) {
    extra_files_.emplace_back(name, path);
}

const WebApp::Route* WebApp::find(std::string_view path, std::string_view method) const {
    const Route* best = nullptr;
    for (auto& r : routes_) {
        if (!method.empty() && r.method != method) continue;
        bool match = r.prefix ? path.substr(0, r.path.size()) == r.path : path == r.path;
        if (match && (!best || r.path.size() > best->path.size())) best = &r;
    }
    return best;
}

bool WebApp::owns(std::string_view path) const {
    return path.substr(0, 8) == "/assets/" || find(path, {}) != nullptr;
}

bool WebApp::allows(std::string_view path, std::string_view method) const {
    if (path.substr(0, 8) == "/assets/") return method == "GET";
    return find(path, method) != nullptr;
}

size_t WebApp::body_limit(std::string_view path) const {
    auto* r = find(path, "POST");
    if (!r) return 0;
    return r->max_body ? r->max_body : limits_.max_body;
}

const std::string& WebApp::tr(const Request& r, std::string_view key) const {
    return tr_.tr(key, r.lang);
}

std::string WebApp::asset_url(const std::string& name) const {
    auto it = files_.find(name);
    return "/assets/" + name + (it == files_.end() ? "" : "?v=" + it->second.version);
}

std::string WebApp::render(const std::string& name, const Data& data) const {
    auto it = templates_.find(name);
    if (it == templates_.end()) throw std::runtime_error("no template " + name);
    kainjow::mustache::mustache t(it->second);
    return t.render(data);
}

Data WebApp::base_data(const Request& r) const {
    Data d;
    d.set("lang", r.lang == Lang::ZhCN ? "zh-CN" : "en");
    bool zh = r.lang == Lang::ZhCN;
    // The same page in the other language (a path starting "//" would leave the hub).
    std::string here = r.path.size() > 1 && r.path[1] == '/' ? "/" : r.path;
    std::string other = here + "?lang=" + (zh ? "en" : "zh");
    d.set("other_lang_url", other);
    d.set("other_lang_name", tr_.tr("web.other_lang", r.lang));
    d.set("css_url", asset_url("web.css"));
    d.set("js_url", asset_url("web.js"));
    // Templates say {{#t}}key{{/t}}: the key's text in the request's language, escaped.
    Lang lang = r.lang;
    const Translations* tables = &tr_;
    d.set("t", kainjow::mustache::lambda{[tables, lang](const std::string& key) {
              return html_escape(tables->tr(key, lang));
          }});
    return d;
}

Response WebApp::page(const Request& r, const std::string& name, Data data,
                      std::string_view title_key) const {
    Data d = base_data(r);
    d.set("title", tr_.tr(title_key, r.lang));
    // The page's own values, with the base ones (t, lang, urls) where it has none.
    for (const char* key : kBaseKeys)
        if (!data.get(key)) data.set(key, *d.get(key));
    d.set("content", render(name, data));
    Response res;
    res.body = render("layout", d);
    return res;
}

Response WebApp::error_page(const Request& r, int status, std::string_view message_key) const {
    Data d = base_data(r);
    d.set("status", std::to_string(status));
    d.set("message", tr_.tr(message_key, r.lang));
    d.set("title", tr_.tr("web.error.title", r.lang));
    d.set("content", render("error", d));
    Response res;
    res.status = status;
    res.body = render("layout", d);
    return res;
}

std::vector<std::pair<std::string, std::string>> WebApp::security_headers(Cache c) {
    std::vector<std::pair<std::string, std::string>> h = {
        // No inline script or style, nothing from elsewhere, no framing, forms post only here.
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Content-Type-Options", "nosniff"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Strict-Transport-Security", "max-age=31536000"},
    };
    switch (c) {
    case Cache::NoStore:
        h.emplace_back("Cache-Control", "no-store");
        h.emplace_back("Pragma", "no-cache");
        break;
    case Cache::Public:
        h.emplace_back("Cache-Control", "public, max-age=3600");
        break;
    case Cache::Immutable:
        h.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
        break;
    }
    return h;
}

Response WebApp::serve_asset(const Request& r) const {
    auto name = std::string_view(r.path).substr(8);
    auto it = safe_asset_name(name) ? files_.find(name) : files_.end();
    if (it == files_.end()) return error_page(r, 404, "web.err.not_found");
    Response res;
    res.content_type = it->second.content_type;
    res.body = it->second.body;
    // Named with their content's hash by asset_url: a new version is a new URL.
    auto q = Form::parse(r.query, limits_);
    res.cache = q && q->get("v") == it->second.version ? Cache::Immutable : Cache::Public;
    return res;
}

void WebApp::finish(const Request& r, Response& res) const {
    auto h = security_headers(res.cache);
    h.insert(h.end(), res.headers.begin(), res.headers.end());
    // The language a person chose stays chosen (the cookie holds only "zh" or "en").
    auto q = Form::parse(r.query, limits_);
    if (q && q->has("lang"))
        h.emplace_back("Set-Cookie", std::string(kLangCookie) + "=" +
                                         (r.lang == Lang::ZhCN ? "zh" : "en") +
                                         "; Path=/; Secure; SameSite=Lax; Max-Age=31536000");
    res.headers = std::move(h);
}

// Language: ?lang= first (the switch link), then the cookie, then Chinese.
void WebApp::choose_lang(Request& req) const {
    auto q = Form::parse(req.query, limits_);
    std::string lang = q ? q->get("lang") : std::string();
    if (lang.empty()) lang = cookie_value(req.cookie, kLangCookie);
    req.lang = lang == "en" ? Lang::EnUS : Lang::ZhCN;
}

Response WebApp::refusal(Request req, int status) const {
    choose_lang(req);
    const char* key = status == 404                    ? "web.err.not_found"
                      : status == 405                  ? "web.err.method"
                      : status == 413 || status == 411 ? "web.err.too_large"
                      : status == 414                  ? "web.err.too_large"
                      : status == 429                  ? "web.err.rate"
                                                       : "web.err.bad_form";
    auto res = error_page(req, status, key);
    finish(req, res);
    return res;
}

Response WebApp::handle(Request req) const {
    choose_lang(req);
    auto q = Form::parse(req.query, limits_);
    Response res;
    try {
        if (!q) {
            res = error_page(req, 400, "web.err.bad_form");
        } else if (std::string_view(req.path).substr(0, 8) == "/assets/") {
            res = req.method == "GET" ? serve_asset(req) : error_page(req, 405, "web.err.method");
        } else if (auto* route = find(req.path, req.method)) {
            res = route->handler(req);
        } else if (find(req.path, {})) {
            res = error_page(req, 405, "web.err.method");
        } else {
            res = error_page(req, 404, "web.err.not_found");
        }
    } catch (const std::exception& e) {
        log::error("web", "handler_failed", {{"path", req.path}, {"what", e.what()}});
        res = error_page(req, 500, "web.err.internal");
    }
    finish(req, res);
    return res;
}

} // namespace jf::hub::web
