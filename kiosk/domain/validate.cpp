// Exact validation rules: GB 11643, GB 32100, mainland mobile numbers, 附件4 required fields.
#include "kiosk/domain/validate.hpp"

#include <cctype>

namespace jf {

// -----------------------------------------------------------------------------
// UTF-8 helpers
// -----------------------------------------------------------------------------

std::vector<std::string> utf8_chars(std::string_view s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (i + n > s.size()) n = s.size() - i;
        out.emplace_back(s.substr(i, n));
        i += n;
    }
    return out;
}

std::string trim(std::string_view s) {
    // Also strips the ideographic space U+3000 that Chinese input methods produce.
    // And the no-break space U+00A0 that web pages and Excel exports carry.
    auto is_space = [](std::string_view v, size_t i) -> size_t {
        if (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n')) return 1;
        if (v.substr(i, 3) == "\xE3\x80\x80") return 3;
        if (v.substr(i, 2) == "\xC2\xA0") return 2;
        return 0;
    };
    size_t b = 0;
    while (size_t n = is_space(s, b))
        b += n;
    size_t e = s.size();
    while (e > b) {
        if (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')
            --e;
        else if (e >= b + 3 && s.substr(e - 3, 3) == "\xE3\x80\x80")
            e -= 3;
        else if (e >= b + 2 && s.substr(e - 2, 2) == "\xC2\xA0")
            e -= 2;
        else
            break;
    }
    return std::string(s.substr(b, e - b));
}

static bool all_digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

// -----------------------------------------------------------------------------
// Mobile numbers
// -----------------------------------------------------------------------------

// Digits as people type them: full-width forms from Chinese input methods (０-９, Ｘ, ＋, －),
// and separators inside the number (spaces, ideographic spaces, dashes), which are dropped.
static std::string fold_typed_number(std::string_view text) {
    std::string d;
    std::string t = trim(text);
    for (size_t i = 0; i < t.size();) {
        std::string_view rest = std::string_view(t).substr(i);
        if (rest.substr(0, 3) == "\xE3\x80\x80") {
            i += 3;
            continue;
        } // U+3000
        // U+FF01..U+FF5E map to ASCII 0x21..0x7E; they are EF BC 81..BF and EF BD 80..9E.
        if (rest.size() >= 3 && static_cast<unsigned char>(rest[0]) == 0xEF &&
            (static_cast<unsigned char>(rest[1]) == 0xBC ||
             static_cast<unsigned char>(rest[1]) == 0xBD)) {
            unsigned cp = 0xFF00 + ((static_cast<unsigned char>(rest[1]) & 0x03) << 6) +
                          (static_cast<unsigned char>(rest[2]) & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                char c = static_cast<char>(cp - 0xFF01 + 0x21);
                if (c != '-') d += c;
                i += 3;
                continue;
            }
        }
        if (t[i] != ' ' && t[i] != '-' && t[i] != '\t') d += t[i];
        ++i;
    }
    return d;
}

std::string normalize_mobile(std::string_view text) {
    std::string d = fold_typed_number(text);
    if (d.rfind("+86", 0) == 0)
        d.erase(0, 3);
    else if (d.rfind("0086", 0) == 0)
        d.erase(0, 4);
    return d;
}

Check check_mobile(std::string_view text) {
    std::string d = normalize_mobile(text);
    if (d.empty()) return Check::fail("err.phone.empty", "phone");
    if (!all_digits(d)) return Check::fail("err.phone.chars", "phone");
    if (d.size() != 11) return Check::fail("err.phone.length", "phone");
    if (d[0] != '1' || d[1] < '3') return Check::fail("err.phone.prefix", "phone");
    return Check::pass();
}

std::string fold_fullwidth(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        std::string_view rest = s.substr(i);
        if (rest.substr(0, 3) == "\xE3\x80\x80" || rest.substr(0, 2) == "\xC2\xA0") {
            out += ' ';
            i += rest[0] == '\xE3' ? 3 : 2;
            continue;
        }
        // U+FF01..U+FF5E map to ASCII 0x21..0x7E; they are EF BC 81..BF and EF BD 80..9E.
        if (rest.size() >= 3 && static_cast<unsigned char>(rest[0]) == 0xEF &&
            (static_cast<unsigned char>(rest[1]) == 0xBC ||
             static_cast<unsigned char>(rest[1]) == 0xBD)) {
            unsigned cp = 0xFF00 + ((static_cast<unsigned char>(rest[1]) & 0x03) << 6) +
                          (static_cast<unsigned char>(rest[2]) & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out += static_cast<char>(cp - 0xFF01 + 0x21);
                i += 3;
                continue;
            }
        }
        out += s[i++];
    }
    return out;
}

// One number as written between other text: digits with the separators people put inside a
// number (spaces, dashes, parentheses around an area code, a leading +86).
static bool plausible_number(std::string_view segment) {
    std::string d = normalize_mobile(segment);
    std::string digits;
    for (char c : d)
        if (c != '(' && c != ')') digits += c;
    if (!all_digits(digits)) return false;
    if (digits.size() == 11 && digits[0] == '1') return check_mobile(digits).ok();
    if ((digits.rfind("400", 0) == 0 || digits.rfind("800", 0) == 0) && digits.size() == 10)
        return true;
    // Landline: optional area code 0xx/0xxx, then a 7-8 digit local number.
    return (digits[0] == '0' && digits.size() >= 10 && digits.size() <= 12) ||
           (digits[0] != '0' && (digits.size() == 7 || digits.size() == 8));
}

Check check_contact_phone(std::string_view text) {
    std::string t = fold_fullwidth(trim(text));
    if (normalize_mobile(t).empty()) return Check::fail("err.listing.phone_missing", "联系电话");
    // Split at anything that cannot be inside a number (转, /, 、, letters, …).
    std::string seg;
    auto inside = [](char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '(' || c == ')' || c == '+';
    };
    for (size_t i = 0; i <= t.size(); ++i) {
        if (i < t.size() && inside(t[i])) {
            seg += t[i];
            continue;
        }
        // "0553-3888888-8001": an extension after a dash; try the number without it.
        std::string t2 = trim(seg);
        for (size_t end = t2.size(); !t2.empty() && end != std::string::npos && end > 0;
             end = t2.rfind('-', end - 1))
            if (plausible_number(std::string_view(t2).substr(0, end))) return Check::pass();
        seg.clear();
    }
    return Check::fail("err.listing.phone_invalid", "联系电话");
}

std::string mask_mobile(std::string_view n) {
    if (n.size() != 11) return std::string(n.size(), '*');
    return std::string(n.substr(0, 3)) + "****" + std::string(n.substr(7));
}

// -----------------------------------------------------------------------------
// Resident identity numbers (GB 11643-1999)
// -----------------------------------------------------------------------------

char resident_id_check_char(std::string_view s) {
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    if (s.size() != 17 || !all_digits(s)) return 0;
    int sum = 0;
    for (int i = 0; i < 17; ++i)
        sum += (s[i] - '0') * w[i];
    int c = (12 - sum % 11) % 11;
    return c == 10 ? 'X' : static_cast<char>('0' + c);
}

std::string upgrade_resident_id(std::string_view s) {
    if (s.size() != 15 || !all_digits(s)) return {};
    std::string first17 = std::string(s.substr(0, 6)) + "19" + std::string(s.substr(6));
    return first17 + resident_id_check_char(first17);
}

std::string normalize_resident_id(std::string_view text) {
    std::string s = fold_typed_number(text);
    for (auto& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

Check check_resident_id(std::string_view text, Date today) {
    std::string s = normalize_resident_id(text);
    if (s.empty()) return Check::fail("err.id.empty", "id");
    if (s.size() == 15) {
        if (!all_digits(s)) return Check::fail("err.id.chars", "id");
        s = upgrade_resident_id(s);
    }
    if (s.size() != 18) return Check::fail("err.id.length", "id");
    if (!all_digits(std::string_view(s).substr(0, 17)) ||
        !(std::isdigit(static_cast<unsigned char>(s[17])) || s[17] == 'X'))
        return Check::fail("err.id.chars", "id");
    auto birth = Date::parse(std::string_view(s).substr(6, 8));
    if (!birth || today < *birth) return Check::fail("err.id.birthdate", "id");
    if (resident_id_check_char(std::string_view(s).substr(0, 17)) != s[17])
        return Check::fail("err.id.checksum", "id");
    return Check::pass();
}

std::string mask_resident_id(std::string_view id) {
    if (id.size() < 8) return std::string(id.size(), '*');
    return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
           std::string(id.substr(id.size() - 4));
}

std::string mask_name(std::string_view name) {
    auto cs = utf8_chars(trim(name));
    if (cs.empty()) return {};
    std::string out = cs[0];
    if (cs.size() == 1) return out;
    if (cs.size() == 2) return out + "*";
    for (size_t i = 1; i + 1 < cs.size(); ++i)
        out += "*";
    return out + cs.back();
}

// -----------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)
// -----------------------------------------------------------------------------

Check check_credit_code(std::string_view text) {
    static const std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    std::string s = trim(text);
    for (auto& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (s.size() != 18) return Check::fail("err.credit.length", "credit_code");
    int sum = 0, weight = 1;
    for (int i = 0; i < 17; ++i) {
        auto v = alphabet.find(s[i]);
        if (v == std::string_view::npos) return Check::fail("err.credit.chars", "credit_code");
        sum += static_cast<int>(v) * weight;
        weight = weight * 3 % 31;
    }
    int c = (31 - sum % 31) % 31;
    if (alphabet.find(s[17]) == std::string_view::npos)
        return Check::fail("err.credit.chars", "credit_code");
    if (alphabet[c] != s[17]) return Check::fail("err.credit.checksum", "credit_code");
    return Check::pass();
}

// -----------------------------------------------------------------------------
// Listings (附件4)
// -----------------------------------------------------------------------------

std::vector<Check> check_listing(const JobListing& l) {
    std::vector<Check> out;
    if (trim(l.employer_name).empty())
        out.push_back(Check::fail("err.listing.required", "单位名称"));
    if (trim(l.title).empty()) out.push_back(Check::fail("err.listing.required", "岗位名称"));
    if (trim(l.work_location).empty())
        out.push_back(Check::fail("err.listing.required", "工作地点"));
    if (trim(l.contact_phone).empty())
        out.push_back(Check::fail("err.listing.required", "联系电话"));
    else if (auto c = check_contact_phone(l.contact_phone); !c)
        out.push_back(c);
    if (!l.deadline.valid()) out.push_back(Check::fail("err.listing.deadline", "招聘截止日期"));
    if (l.headcount && *l.headcount < 0)
        out.push_back(Check::fail("err.listing.headcount", "招聘人数"));
    return out;
}

} // namespace jf
