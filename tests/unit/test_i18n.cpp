// The translation tables: complete in both languages, and lookups never fail hard.
#include <catch2/catch.hpp>

#include "kiosk/i18n/i18n.hpp"

using namespace jf;

TEST_CASE("every key exists in zh_CN and en_US") {
    Translations t;
    REQUIRE(t.load(JF_ASSETS_DIR "/i18n"));
    auto missing = t.missing_keys();
    INFO("missing: " << (missing.empty() ? "" : missing.front()));
    CHECK(missing.empty());
    CHECK(t.tr("app.title") != "app.title");
}

TEST_CASE("every validation message key has a translation") {
    Translations t;
    REQUIRE(t.load(JF_ASSETS_DIR "/i18n"));
    for (const char* k : {"err.id.empty", "err.id.chars", "err.id.length", "err.id.birthdate",
                          "err.id.checksum", "err.credit.length", "err.credit.chars",
                          "err.credit.checksum", "err.phone.empty", "err.phone.chars",
                          "err.phone.length", "err.phone.prefix", "err.listing.required",
                          "err.listing.phone_missing", "err.listing.phone_invalid",
                          "err.listing.deadline", "err.listing.headcount"}) {
        INFO(k);
        CHECK(t.tr(k, Lang::ZhCN) != k);
        CHECK(t.tr(k, Lang::EnUS) != k);
    }
}

TEST_CASE("format fills placeholders; unknown keys show themselves") {
    Translations t;
    REQUIRE(t.load(JF_ASSETS_DIR "/i18n"));
    t.set_lang(Lang::EnUS);
    CHECK(t.format("verdict.already", {"10:02"}).find("10:02") != std::string::npos);
    CHECK(t.tr("no.such.key") == "no.such.key");
    Translations bad;
    std::string err;
    CHECK_FALSE(bad.load("/nonexistent", &err));
    CHECK(!err.empty());
}
