// Handwriting recognition with zinnia and the Simplified Chinese model from Debian.
#include <catch2/catch.hpp>

#include "platform/input/handwriting.hpp"

using namespace jf::input;

namespace {
// A straight stroke from (x0,y0) to (x1,y1) as a finger would draw it: many points.
std::vector<std::pair<int, int>> line(int x0, int y0, int x1, int y1) {
    std::vector<std::pair<int, int>> s;
    for (int i = 0; i <= 20; ++i)
        s.emplace_back(x0 + (x1 - x0) * i / 20, y0 + (y1 - y0) * i / 20);
    return s;
}
// A curved stroke (quadratic Bézier through a control point), as real handwriting bends.
std::vector<std::pair<int, int>> curve(int x0, int y0, int cx, int cy, int x1, int y1) {
    std::vector<std::pair<int, int>> s;
    for (int i = 0; i <= 20; ++i) {
        double t = i / 20.0, u = 1 - t;
        s.emplace_back(int(u * u * x0 + 2 * u * t * cx + t * t * x1),
                       int(u * u * y0 + 2 * u * t * cy + t * t * y1));
    }
    return s;
}
bool in_top(const std::vector<Guess>& g, const std::string& ch, size_t top) {
    for (size_t i = 0; i < g.size() && i < top; ++i)
        if (g[i].text == ch) return true;
    return false;
}
} // namespace

TEST_CASE("handwritten 十 is recognised first") {
    HandwritingRecognizer r;
    std::string error;
    REQUIRE(r.open(HandwritingRecognizer::default_model_path(), &error));
    Ink ink;
    ink.strokes = {line(150, 500, 850, 500), line(500, 120, 500, 900)};
    auto g = r.recognize(ink);
    REQUIRE_FALSE(g.empty());
    CHECK(g.front().text == "十");
}

TEST_CASE("handwritten 八 and 大 are recognised, 人 among the first guesses") {
    HandwritingRecognizer r;
    REQUIRE(r.open());
    Ink ba;
    ba.strokes = {curve(380, 250, 360, 550, 120, 800), curve(600, 250, 650, 600, 900, 800)};
    auto g = r.recognize(ba);
    REQUIRE_FALSE(g.empty());
    CHECK(g.front().text == "八");
    Ink da;
    da.strokes = {curve(150, 380, 500, 370, 850, 360), curve(500, 100, 480, 500, 120, 900),
                  curve(480, 420, 600, 750, 900, 900)};
    g = r.recognize(da);
    REQUIRE_FALSE(g.empty());
    CHECK(g.front().text == "大");
    // 人 and 入 differ only in where the strokes meet; both belong on the candidate bar.
    Ink ren;
    ren.width = ren.height = 300; // pad size does not matter, the ink is normalised
    ren.strokes = {curve(150, 30, 150, 150, 40, 260), curve(140, 120, 180, 220, 270, 260)};
    CHECK(in_top(r.recognize(ren), "人", 3));
}

TEST_CASE("the recognizer refuses what it cannot use") {
    HandwritingRecognizer r;
    CHECK(r.recognize(Ink{}).empty()); // not opened
    std::string error;
    CHECK_FALSE(r.open("/nonexistent/model", &error));
    CHECK_FALSE(error.empty());
    REQUIRE(r.open());
    CHECK(r.recognize(Ink{}).empty());
    Ink degenerate;
    degenerate.width = 0;
    degenerate.strokes = {line(0, 0, 1, 1)};
    CHECK(r.recognize(degenerate).empty());
}
