// Pinyin input and initials over the real googlepinyin dictionary from Debian.
#include <catch2/catch.hpp>

#include "platform/input/pinyin.hpp"

#include <algorithm>

using namespace jf::input;

namespace {
bool among(const std::vector<std::string>& v, const std::string& s, size_t top) {
    auto it = std::find(v.begin(), v.end(), s);
    return it != v.end() && static_cast<size_t>(it - v.begin()) < top;
}
} // namespace

TEST_CASE("the system pinyin dictionary opens") {
    REQUIRE(pinyin_available());
}

TEST_CASE("zhangwei offers 张伟 among the top candidates and commits it") {
    PinyinComposer c;
    for (char ch : std::string("zhangwei"))
        REQUIRE(c.type(ch));
    auto cands = c.candidates(10);
    REQUIRE(among(cands, "张伟", 5));
    size_t index = std::find(cands.begin(), cands.end(), "张伟") - cands.begin();
    auto text = c.choose(index);
    REQUIRE(text);
    CHECK(*text == "张伟");
    CHECK(c.empty());
    CHECK(c.candidates().empty());
}

TEST_CASE("a name picked one character at a time") {
    PinyinComposer c;
    for (char ch : std::string("lixiaoming"))
        c.type(ch);
    auto first = c.candidates(20);
    size_t li = std::find(first.begin(), first.end(), "李") - first.begin();
    REQUIRE(li < first.size());
    CHECK_FALSE(c.choose(li)); // 李, then xiaoming is still open
    CHECK(c.preedit() == "李xiaoming");
    auto rest = c.candidates(20);
    REQUIRE(among(rest, "小明", 10));
    auto text = c.choose(std::find(rest.begin(), rest.end(), "小明") - rest.begin());
    REQUIRE(text);
    CHECK(*text == "李小明");
}

TEST_CASE("backspace takes back a partial choice before a letter") {
    PinyinComposer c;
    for (char ch : std::string("wangfang"))
        c.type(ch);
    auto first = c.candidates(20);
    size_t wang = std::find(first.begin(), first.end(), "王") - first.begin();
    REQUIRE(wang < first.size());
    c.choose(wang);
    CHECK(c.preedit() == "王fang");
    c.backspace();
    CHECK(c.preedit() == "wangfang");
    c.backspace();
    CHECK(c.spelling() == "wangfan");
}

TEST_CASE("the composer refuses what is not a letter and stops at its length") {
    PinyinComposer c;
    CHECK_FALSE(c.type('1'));
    CHECK_FALSE(c.type(' '));
    CHECK_FALSE(c.type('\'')); // no separator before a letter
    CHECK(c.type('X'));
    CHECK(c.spelling() == "x");
    for (int i = 0; i < 40; ++i)
        c.type('a');
    CHECK(c.spelling().size() == PinyinComposer::kMaxSpelling);
    CHECK_FALSE(c.choose(100000));
    PinyinComposer empty;
    CHECK(empty.candidates().empty());
    CHECK_FALSE(empty.choose(0));
}

TEST_CASE("two composers do not disturb each other") {
    PinyinComposer a, b;
    for (char ch : std::string("zhangwei"))
        a.type(ch);
    for (char ch : std::string("liu"))
        b.type(ch);
    auto ca = a.candidates(5);
    auto cb = b.candidates(5);
    CHECK(among(ca, "张伟", 5));
    CHECK(among(cb, "刘", 5));
    CHECK(among(a.candidates(5), "张伟", 5));
}

TEST_CASE("readings come from the dictionary") {
    auto zhang = hanzi_readings("张");
    REQUIRE_FALSE(zhang.empty());
    CHECK(zhang.front() == "zhang");
    auto chang = hanzi_readings("长");
    CHECK(std::find(chang.begin(), chang.end(), "zhang") != chang.end());
    CHECK(std::find(chang.begin(), chang.end(), "chang") != chang.end());
    CHECK(hanzi_readings("a").empty());
    CHECK(hanzi_readings("").empty());
    // Given-name characters outside the 2,500 common list are still there.
    for (const char* rare : {"鑫", "昊", "琦", "瑾", "梓"})
        CHECK_FALSE(hanzi_readings(rare).empty());
}

TEST_CASE("pinyin initials of names") {
    CHECK(pinyin_initials("张伟") == "zw");
    CHECK(pinyin_initials("李小明") == "lxm");
    CHECK(pinyin_initials("欧阳娜娜") == "oynn");
    CHECK(pinyin_initials("王鑫") == "wx");
    CHECK(pinyin_initials("刘梓涵") == "lzh");
    // Surnames read differently from the everyday reading.
    CHECK(pinyin_initials("单田芳") == "stf");
    CHECK(pinyin_initials("曾志伟") == "zzw");
    CHECK(pinyin_initials("解放") == "xf");
    // Latin letters kept, everything else skipped.
    CHECK(pinyin_initials("Anna 李") == "annal");
    CHECK(pinyin_initials("") == "");
    CHECK(pinyin_initials("\xff\xfe") == "");
}
