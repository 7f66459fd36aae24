// Credential payload codec, text form, issuing and offline verification.
#include "sync/protocol/credential.hpp"

#include <algorithm>
#include <cctype>

namespace jf {

const char* code(CredentialKind k) {
    switch (k) {
    case CredentialKind::Attendee:
        return "attendee";
    case CredentialKind::Employer:
        return "employer";
    case CredentialKind::Staff:
        return "staff";
    }
    return "attendee";
}

std::optional<CredentialKind> parse_credential_kind(std::string_view text) {
    for (auto k : {CredentialKind::Attendee, CredentialKind::Employer, CredentialKind::Staff})
        if (text == code(k)) return k;
    return std::nullopt;
}

std::string SignedCredential::credential_id() const {
    return keyed_hash(
               {}, "jf.credential.id",
               std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()))
        .substr(0, 16);
}

// Days since 1970-01-01 as an unsigned 16-bit number: enough until 2149.
static std::optional<uint16_t> day_number(const Date& d) {
    if (!d.valid()) return std::nullopt;
    int64_t n = d.days_since_epoch();
    if (n < 0 || n > 0xffff) return std::nullopt;
    return static_cast<uint16_t>(n);
}

Bytes encode_payload(const Credential& c) {
    auto from = day_number(c.valid_from), until = day_number(c.valid_until);
    auto key = from_hex(c.issuer_key_id);
    if (!from || !until || *from > *until || !key || key->size() != 4) return {};
    if (c.holder_id.empty() || c.holder_id.size() > kMaxCredentialIdBytes || c.scope_id.empty() ||
        c.scope_id.size() > kMaxCredentialIdBytes)
        return {};
    if (c.kind < CredentialKind::Attendee || c.kind > CredentialKind::Staff) return {};
    if (c.scope != CredentialScope::Fair && c.scope != CredentialScope::Campaign) return {};
    Bytes p{kCredentialVersion, static_cast<uint8_t>(c.kind), static_cast<uint8_t>(c.scope)};
    p.insert(p.end(), key->begin(), key->end());
    for (uint16_t d : {*from, *until}) {
        p.push_back(static_cast<uint8_t>(d >> 8));
        p.push_back(static_cast<uint8_t>(d & 0xff));
    }
    for (const std::string* s : {&c.holder_id, &c.scope_id}) {
        p.push_back(static_cast<uint8_t>(s->size()));
        p.insert(p.end(), s->begin(), s->end());
    }
    return p;
}

std::optional<Credential> decode_payload(const Bytes& p) {
    constexpr size_t kFixed = 11; // version, kind, scope, key id (4), two dates (2+2)
    if (p.size() < kFixed + 2 || p[0] != kCredentialVersion) return std::nullopt;
    Credential c;
    if (p[1] < 1 || p[1] > 3 || p[2] < 1 || p[2] > 2) return std::nullopt;
    c.kind = static_cast<CredentialKind>(p[1]);
    c.scope = static_cast<CredentialScope>(p[2]);
    c.issuer_key_id = hex(p.data() + 3, 4);
    uint16_t from = static_cast<uint16_t>(p[7] << 8 | p[8]),
             until = static_cast<uint16_t>(p[9] << 8 | p[10]);
    if (from > until) return std::nullopt;
    c.valid_from = Date::from_days(from);
    c.valid_until = Date::from_days(until);
    size_t at = kFixed;
    for (std::string* s : {&c.holder_id, &c.scope_id}) {
        if (at >= p.size()) return std::nullopt;
        size_t n = p[at++];
        if (n == 0 || n > kMaxCredentialIdBytes || p.size() - at < n) return std::nullopt;
        s->assign(p.begin() + static_cast<std::ptrdiff_t>(at),
                  p.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
    }
    if (at != p.size()) return std::nullopt; // one encoding per credential: no trailing bytes
    return c;
}

std::string encode(const SignedCredential& sc) {
    Bytes all = sc.payload;
    all.insert(all.end(), sc.signature.begin(), sc.signature.end());
    return std::string(kCredentialPrefix) + base32(all);
}

std::optional<SignedCredential> parse(std::string_view text, ParseError* why) {
    auto fail = [&](ParseError e) -> std::optional<SignedCredential> {
        if (why) *why = e;
        return std::nullopt;
    };
    if (why) *why = ParseError::None;
    auto is_space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    if (text.size() < kCredentialPrefix.size()) return fail(ParseError::NotOurs);
    std::string upper(text);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](char ch) {
        return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch;
    });
    // "JF" and a digit is ours (a later version is still our code, just not one we can read).
    if (upper.compare(0, 2, "JF") != 0 || upper.size() < 4 ||
        !std::isdigit(static_cast<unsigned char>(upper[2])) || upper[3] != ':')
        return fail(ParseError::NotOurs);
    if (upper.compare(0, kCredentialPrefix.size(), kCredentialPrefix) != 0)
        return fail(ParseError::Malformed);
    auto all = from_base32(std::string_view(upper).substr(kCredentialPrefix.size()));
    if (!all || all->size() < kSignatureBytes + 13) return fail(ParseError::Malformed);
    SignedCredential sc;
    sc.payload.assign(all->begin(), all->end() - kSignatureBytes);
    sc.signature.assign(all->end() - kSignatureBytes, all->end());
    auto c = decode_payload(sc.payload);
    if (!c) return fail(ParseError::Malformed);
    sc.credential = std::move(*c);
    return sc;
}

std::optional<SignedCredential> issue(Credential c, const SigningKey& issuer) {
    c.issuer_key_id = issuer.key_id();
    SignedCredential sc;
    sc.payload = encode_payload(c);
    if (sc.payload.empty()) return std::nullopt;
    sc.signature = issuer.sign(kCredentialDomain, sc.payload);
    sc.credential = std::move(c);
    return sc;
}

VerifyResult verify(std::string_view text, const VerifyContext& ctx) {
    VerifyResult r;
    ParseError why = ParseError::None;
    r.credential = parse(text, &why);
    if (!r.credential) {
        // Our prefix with a body that does not read: altered or made up.
        r.verdict = why == ParseError::Malformed ? Verdict::Forged : Verdict::NotOurCode;
        return r;
    }
    const SignedCredential& sc = *r.credential;
    const Credential& c = sc.credential;
    auto key = ctx.trusted_keys.find(c.issuer_key_id);
    if (key == ctx.trusted_keys.end()) {
        r.verdict = Verdict::UnknownIssuer;
        return r;
    }
    if (!jf::verify(key->second, kCredentialDomain, sc.payload, sc.signature)) {
        r.verdict = Verdict::Forged;
        return r;
    }
    // A terminal issues only attendee codes for the fair it serves; a badge or a staff code
    // under its key means the key was misused.
    if (auto t = ctx.terminal_keys.find(c.issuer_key_id); t != ctx.terminal_keys.end()) {
        if (c.kind != CredentialKind::Attendee || c.scope != CredentialScope::Fair ||
            c.scope_id != t->second) {
            r.verdict = Verdict::Forged;
            return r;
        }
    }
    if (ctx.is_revoked && ctx.is_revoked(sc)) {
        r.verdict = Verdict::Revoked;
        return r;
    }
    if (ctx.expected_kind && c.kind != *ctx.expected_kind) {
        r.verdict = Verdict::WrongKind;
        return r;
    }
    bool in_scope = c.scope == CredentialScope::Fair
                        ? c.scope_id == ctx.fair_id
                        : !ctx.campaign_id.empty() && c.scope_id == ctx.campaign_id;
    if (!in_scope) {
        r.verdict = Verdict::WrongFair;
        return r;
    }
    if (ctx.today < c.valid_from)
        r.verdict = Verdict::NotYetValid;
    else if (c.valid_until < ctx.today)
        r.verdict = Verdict::Expired;
    else
        r.verdict = Verdict::CheckedIn;
    return r;
}

} // namespace jf
